"""The hand-written way: FuncAnimation over a training history, saved with
PillowWriter (GIF) or FFMpegWriter (MP4). Used only by bench/compare.py.

It draws the same panels as the classifier scene (regions, boundary, weight
arrow, points, current sample, mistakes per epoch, caption) with plain pyplot,
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
                f"target {step.target:g}\nw = {tuple(round(w, 3) for w in weights)}")
            status.set_text(f"epoch {step.epoch}\n"
                            f"w = {tuple(round(w, 3) for w in weights)}")
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
