"""The hand-written way: FuncAnimation over a training history, saved with
PillowWriter (GIF) or FFMpegWriter (MP4). Used only by bench/compare.py.

It draws the same panels as the classifier scene (regions, boundary, weight
arrow, points, current sample, mistakes per epoch, caption), or as the gate
scenes (neuron diagram, truth table, input space, caption), with plain pyplot,
updating artists in place but without blitting, as tutorials do.
"""

from __future__ import annotations

import numpy as np


def render_baseline(history, frames, path: str, size=(1280, 720), fps: float = 20):
    """Render `frames` (viz.timeline.Frame) of `history` to `path` by suffix."""
    import imageio_ffmpeg
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter

    samples = np.array(history.samples)
    targets = np.array(history.targets)
    low, high = samples.min(axis=0) - 0.6, samples.max(axis=0) + 0.6
    dpi = 100
    fig = plt.figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    ax = fig.add_axes((0.07, 0.235, 0.374, 0.665))
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    positive = targets > 0
    ax.scatter(*samples[positive].T, s=190, c="#0072B2", marker="o", zorder=3)
    ax.scatter(*samples[~positive].T, s=170, c="#D55E00", marker="s", zorder=3)
    (line,) = ax.plot([], [], color="black", lw=2.6)
    (ring,) = ax.plot([], [], "o", ms=25, mfc="none", mec="black", mew=3)
    fills = []
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0),
                        arrowprops=dict(arrowstyle="-|>", color="#009E73", lw=3))
    mist = fig.add_axes((0.52, 0.30, 0.41, 0.27))
    counts = history.updates_per_epoch()
    (bars,) = mist.step([], [], where="mid", color="#0072B2")
    mist.set_xlim(0.5, len(counts) + 0.5)
    mist.set_ylim(0, max(max(counts), 1) * 1.15)
    fig.suptitle("A perceptron learns a line that separates two classes",
                 fontsize=21, weight="bold")
    caption = fig.text(0.04, 0.03, "", fontsize=14.5, va="bottom", linespacing=1.9)
    status = fig.text(0.5, 0.66, "", fontsize=14)
    xs = np.array([low[0], high[0]])

    def update(number):
        frame = frames[number]
        if frame.step < 0:
            weights = history.settings.initial_weights
        else:
            step = history.steps[frame.step]
            weights = np.array(step.weights_before) + frame.blend * (
                np.array(step.weights_after) - np.array(step.weights_before))
        if history.settings.bias:
            bias, w1, w2 = weights
        else:
            bias, (w1, w2) = 0.0, weights
        b = bias - history.settings.threshold
        for patch in fills:
            patch.remove()
        fills.clear()
        if w2 != 0:
            ys = -(b + w1 * xs) / w2
            line.set_data(xs, ys)
            fills.append(ax.fill_between(xs, ys, high[1], color="#DCEEFA", zorder=0))
            fills.append(ax.fill_between(xs, low[1], ys, color="#FAEBCC", zorder=0))
            middle = (xs.mean(), ys.mean())
            arrow.xy = (middle[0] + w1, middle[1] + w2)
            arrow.set_position(middle)
        else:
            line.set_data([], [])
        if frame.step >= 0:
            ring.set_data(*samples[history.steps[frame.step].index].reshape(2, 1))
            done = history.steps[: frame.step + 1]
            per = np.bincount([s.epoch for s in done if s.updated],
                              minlength=len(counts) + 1)[1:]
            bars.set_data(np.arange(1, len(per) + 1), per)
            step = history.steps[frame.step]
            caption.set_text(
                f"Epoch {step.epoch}, sample {step.index + 1}: x = {step.inputs}\n"
                f"w·x = {step.weighted_sum:.3g}, prediction {step.prediction:g}, "
                f"target {step.target:g}\nw = {tuple(round(float(w), 3) for w in weights)}")
            status.set_text(f"epoch {step.epoch}\n"
                            f"w = {tuple(round(float(w), 3) for w in weights)}")
        return []

    animation = FuncAnimation(fig, update, frames=len(frames), blit=False)
    if path.endswith(".gif"):
        animation.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    else:
        matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
        writer = FFMpegWriter(fps=fps, codec="libx264",
                              extra_args=["-pix_fmt", "yuv420p"])
        animation.save(path, writer=writer, dpi=dpi)
    plt.close(fig)


def render_gate_baseline(history, frames, path: str, size=(1280, 720), fps: float = 1):
    """Render the logic-gate layout the hand-written way, to a GIF at `path`.

    The same panels as the gate scenes: a neuron diagram whose edges show the
    weights, the truth table with each row's output, and the input space with
    the region of output 1, drawn each frame with contourf as tutorials do.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter
    from matplotlib.patches import Circle

    samples = np.array(history.samples)
    targets = np.array(history.targets)
    settings = history.settings
    bias = settings.bias
    rows = np.column_stack([np.ones(len(samples)), samples]) if bias else samples
    dpi = 100
    fig = plt.figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    fig.suptitle("A perceptron learns OR", fontsize=21, weight="bold")

    plane = fig.add_axes((0.60, 0.235, 0.346, 0.615))
    plane.set_xlim(-0.35, 1.35)
    plane.set_ylim(-0.35, 1.35)
    plane.set_xticks([0, 1])
    plane.set_yticks([0, 1])
    positive = targets > 0
    plane.scatter(*samples[positive].T, s=190, c="#0072B2", marker="o", zorder=3)
    plane.scatter(*samples[~positive].T, s=170, c="#D55E00", marker="s", zorder=3)
    (ring,) = plane.plot([], [], "o", ms=25, mfc="none", mec="black", mew=3, zorder=4)
    grid_x, grid_y = np.meshgrid(np.linspace(-0.35, 1.35, 200), np.linspace(-0.35, 1.35, 200))
    regions = []

    neuron = fig.add_axes((0.02, 0.56, 0.52, 0.34))
    neuron.set_axis_off()
    neuron.set_xlim(0, 10)
    neuron.set_ylim(0, 4)
    names = (["1"] if bias else []) + ["x1", "x2"]
    ys = [4 * (len(names) - i) / (len(names) + 1) for i in range(len(names))]
    edges, labels = [], []
    for name, y in zip(names, ys):
        neuron.add_patch(Circle((1.3, y), 0.42, fc="white", ec="black", lw=1.8))
        neuron.text(1.3, y, name, ha="center", va="center", fontsize=14)
        (edge,) = neuron.plot([1.72, 5.0], [y, 2.0], lw=2)
        edges.append(edge)
        labels.append(neuron.text(3.2, (y + 2.0) / 2, "", ha="center", fontsize=13,
                                  bbox=dict(boxstyle="round", fc="white", ec="none")))
    neuron.add_patch(Circle((5.6, 2.0), 0.62, fc="white", ec="black", lw=2.2))
    neuron.text(5.6, 2.0, "Σ", ha="center", va="center", fontsize=20)
    sum_text = neuron.text(5.6, 2.95, "", ha="center", fontsize=13)
    neuron.annotate("", xy=(8.45, 2.0), xytext=(6.25, 2.0),
                    arrowprops=dict(arrowstyle="-|>", color="black", lw=2))
    neuron.add_patch(Circle((8.9, 2.0), 0.42, fc="white", ec="black", lw=1.8))
    output_text = neuron.text(8.9, 2.0, "", ha="center", va="center", fontsize=14)

    table = fig.add_axes((0.05, 0.235, 0.47, 0.30))
    table.set_axis_off()
    columns = [0.08, 0.24, 0.42, 0.62, 0.84]
    for x, head in zip(columns, ["x1", "x2", "target", "output now", "check"]):
        table.text(x, 0.9, head, ha="center", fontsize=13, weight="bold")
    cells = []
    for i, (sample, target) in enumerate(zip(samples, targets)):
        y = 0.7 - 0.2 * i
        for x, value in zip(columns, [*sample, target]):
            table.text(x, y, f"{value:g}", ha="center", fontsize=13)
        cells.append([table.text(x, y, "", ha="center", fontsize=13)
                      for x in columns[3:]])
    caption = fig.text(0.04, 0.03, "", fontsize=14.5, va="bottom", linespacing=1.9)

    def update(number):
        frame = frames[number]
        if frame.step < 0:
            weights = np.array(settings.initial_weights)
        else:
            step = history.steps[frame.step]
            weights = np.array(step.weights_before) + frame.blend * (
                np.array(step.weights_after) - np.array(step.weights_before))
        for edge, label, weight in zip(edges, labels, weights):
            edge.set_linewidth(1.5 + 7 * min(abs(weight), 1))
            if weight > 0:
                edge.set_color("#0072B2")
            elif weight < 0:
                edge.set_color("#D55E00")
            else:
                edge.set_color("gray")
            label.set_text(f"w = {weight:.3g}")

        outputs = (rows @ weights > settings.threshold).astype(float)
        for row, output, target in zip(cells, outputs, targets):
            row[0].set_text(f"{output:g}")
            row[1].set_text("✓ right" if output == target else "✗ wrong")
            row[1].set_color("#009E73" if output == target else "#D55E00")

        for region in regions:
            region.remove()
        regions.clear()
        grid = weights[-2] * grid_x + weights[-1] * grid_y + (weights[0] if bias else 0)
        regions.append(plane.contourf(grid_x, grid_y, grid > settings.threshold,
                                      levels=[0.5, 1.5], colors=["#DCEEFA"], zorder=0))
        if np.any(weights[-2:]):
            regions.append(plane.contour(grid_x, grid_y, grid, levels=[settings.threshold],
                                         colors="black", linewidths=2.6, zorder=1))

        if frame.step >= 0 and frame.kind != "end":
            step = history.steps[frame.step]
            ring.set_data(*samples[step.index].reshape(2, 1))
            sum_text.set_text(f"s = {step.weighted_sum:.3g}")
            output_text.set_text(f"{step.prediction:g}")
            caption.set_text(
                f"Epoch {step.epoch}, sample {step.index + 1}: x = {step.inputs}\n"
                f"w·x = {step.weighted_sum:.3g}, prediction {step.prediction:g}, "
                f"target {step.target:g}\nw = {tuple(round(float(w), 3) for w in weights)}")
        else:
            ring.set_data([], [])
            sum_text.set_text("")
            output_text.set_text("")
            caption.set_text(f"w = {tuple(round(float(w), 3) for w in weights)}")
        return []

    animation = FuncAnimation(fig, update, frames=len(frames), blit=False)
    animation.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    plt.close(fig)
