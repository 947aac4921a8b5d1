"""Draws frames of a training history on one matplotlib figure built once.

The static parts of a figure are drawn once and saved. Each frame restores them
and redraws only the animated artists, which is several times faster than a
full redraw. Every frame depends only on the `Frame` it shows, never on the
frames drawn before it, so frames can be drawn in any order or process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle

from viz import captions
from viz.geometry import boundary_segment, half_plane
from viz.glyphs import TextCache
from viz.history import History
from viz.model import predict, weighted_sum
from viz.scene import Scene
from viz.theme import Theme, get_theme
from viz.timeline import Frame

__all__ = ["Renderer", "make_renderer", "MAX_SIZE", "check_size"]

# The largest frame is 8K UHD; anything larger is far beyond a slide or a page.
MAX_SIZE = (7680, 4320)
MIN_SIZE = (160, 120)
# Sizes of text, markers and lines are in points for a 1280×720 frame, and the
# figure's dpi grows and shrinks with the frame, so they scale with it.
BASE_WIDTH, BASE_HEIGHT = 1280, 720


def check_size(size) -> tuple[int, int]:
    """Validate a (width, height) pair in pixels and return it as ints."""
    if (not isinstance(size, (tuple, list)) or len(size) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                       for v in size)):
        raise TypeError(f"size must be a (width, height) pair of whole numbers, "
                        f"got {size!r}")
    width, height = int(size[0]), int(size[1])
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise ValueError(
            f"size {width}x{height} is out of range; width must be "
            f"{MIN_SIZE[0]}–{MAX_SIZE[0]} and height {MIN_SIZE[1]}–{MAX_SIZE[1]} pixels"
        )
    return width, height


@dataclass(frozen=True)
class Layout:
    """Panel positions as fractions of the figure.

    Boxes are (left, bottom, width, height); a square box gives its height only,
    and its width follows from the frame's aspect ratio.
    """

    title_y: float
    caption_rows: tuple[float, float, float]
    plane: tuple[float, float, float]
    legend: tuple[float, float]
    legend_columns: int
    status: tuple[float, float]
    mistakes: tuple[float, float, float, float]
    gate_plane: tuple[float, float, float]
    neuron: tuple[float, float, float, float]
    table: tuple[float, float, float, float]


# Frames at least 1.3 times as wide as high, such as 16:9.
WIDE = Layout(
    title_y=0.955, caption_rows=(0.135, 0.085, 0.035),
    plane=(0.07, 0.235, 0.665), legend=(0.0, 0.90), legend_columns=2,
    status=(0.0, 0.66), mistakes=(0.03, 0.30, -0.07, 0.27),
    gate_plane=(0.60, 0.235, 0.615), neuron=(0.02, 0.56, 0.52, 0.34),
    table=(0.05, 0.235, 0.47, 0.30),
)
# Square and portrait frames stack the panels.
TALL = Layout(
    title_y=0.965, caption_rows=(0.10, 0.065, 0.03),
    plane=(0.09, 0.42, 0.50), legend=(0.0, 0.93), legend_columns=1,
    status=(0.0, 0.56), mistakes=(0.09, 0.19, 0.84, 0.15),
    gate_plane=(-1.0, 0.17, 0.42), neuron=(0.02, 0.64, 0.50, 0.28),
    table=(0.52, 0.64, 0.46, 0.26),
)


@dataclass(frozen=True)
class State:
    """The content of one frame: the weights, the current step and the frame kind."""

    weights: tuple[float, ...]
    step: int
    kind: str


class Renderer:
    """Base class: the figure, the title, the caption and the blitting loop."""

    def __init__(self, history: History, scene: Scene, size=(1280, 720),
                 theme: str | Theme = "light", title: str | None = None,
                 transparent: bool = False):
        self.history = history
        self.scene = scene
        self.width, self.height = check_size(size)
        self.theme = get_theme(theme) if isinstance(theme, str) else theme
        self.scale = min(self.width / BASE_WIDTH, self.height / BASE_HEIGHT)
        self.signed = -1.0 in history.targets
        self.title = scene.title if title is None else title

        dpi = 100.0 * self.scale
        # A quarter pixel more keeps float rounding from cutting a pixel off.
        self.transparent = transparent
        self.figure = Figure(figsize=((self.width + 0.25) / dpi,
                                      (self.height + 0.25) / dpi), dpi=dpi,
                             facecolor="none" if transparent else self.theme.background)
        self.canvas = FigureCanvasAgg(self.figure)
        self.animated: list = []
        self.layout = WIDE if self.width / self.height >= 1.3 else TALL

        # Titles, names and labels come from users' data, where "$5" is a price
        # and not math. Each text keeps this setting from its creation.
        with matplotlib.rc_context({"text.parse_math": False}):
            self.figure.text(0.5, self.layout.title_y, self.title, ha="center",
                             va="center", fontsize=21, weight="bold",
                             color=self.theme.foreground)
            self.caption_size = 14.5
            self.caption = [self._text(self.figure, 0.04, y, "", fontsize=self.caption_size,
                                       transform=self.figure.transFigure)
                            for y in self._caption_rows()]
            self.build()
            self.canvas.draw()

        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._renderer = self.canvas.get_renderer()
        self.text_cache = TextCache(self._renderer)
        self.text_cache.install()

    # Layout helpers.

    def _caption_rows(self) -> tuple[float, ...]:
        return self.layout.caption_rows

    def _text(self, parent, x, y, text, **kwargs):
        kwargs.setdefault("color", self.theme.foreground)
        kwargs.setdefault("va", "center")
        artist = parent.text(x, y, text, animated=True, **kwargs)
        self.animated.append(artist)
        return artist

    def _square_axes(self, left: float, bottom: float, height: float):
        """Add axes whose box is square in pixels, `height` as a figure fraction.

        A negative `left` centres the box.
        """
        width = height * self.height / self.width
        if left < 0:
            left = (1 - width) / 2
        return self.figure.add_axes((left, bottom, width, height))

    def _style_axes(self, ax) -> None:
        ax.set_facecolor("none" if self.transparent else self.theme.background)
        for spine in ax.spines.values():
            spine.set_color(self.theme.muted)
        ax.tick_params(colors=self.theme.muted, labelcolor=self.theme.foreground,
                       labelsize=12)
        ax.xaxis.label.set_color(self.theme.foreground)
        ax.yaxis.label.set_color(self.theme.foreground)

    # Frames.

    def state(self, frame: Frame) -> State:
        """Return the weights and step a frame shows."""
        if frame.kind == "start" or frame.step < 0:
            return State(self.history.settings.initial_weights, -1, "start")
        step = self.history.steps[frame.step]
        if frame.kind == "between":
            weights = tuple(b + frame.blend * (a - b) for b, a in
                            zip(step.weights_before, step.weights_after))
            return State(weights, frame.step, "between")
        return State(step.weights_after, frame.step, frame.kind)

    def outputs(self, weights) -> list[float]:
        """Return the output for every sample under `weights`."""
        bias = self.history.settings.bias
        rows = [(1.0, *s) if bias else s for s in self.history.samples]
        return [predict(weighted_sum(weights, row), self.history.settings.threshold,
                        self.signed) for row in rows]

    def update_caption(self, state: State) -> None:
        if state.kind == "start":
            lines = captions.start_caption(self.history)
        elif state.kind == "end":
            lines = captions.end_caption(self.history)
        else:
            lines = captions.step_caption(self.history, state.step)
        for artist, line in zip(self.caption, lines):
            artist.set_text(line)
            self._fit(artist, 0.93 * self.width)
        first = self.caption[0]
        if state.kind == "end":
            ok = self.history.converged
            first.set_color(self.theme.right if ok else self.theme.wrong)
            first.set_weight("bold")
        else:
            first.set_color(self.theme.foreground)
            first.set_weight("normal")

    def _fit(self, artist, width: float) -> None:
        """Shrink a text's font until it is at most `width` pixels wide."""
        size = self.caption_size
        artist.set_fontsize(size)
        # A character is at most about 0.65 em wide, so shorter lines need no
        # measuring, which costs as much as drawing the text.
        if len(artist.get_text()) * 0.65 * size * self.figure.dpi / 72 < width:
            return
        extent = artist.get_window_extent(self._layout_renderer()).width
        if extent > width:
            artist.set_fontsize(max(size * width / extent, 6))

    def _layout_renderer(self):
        return self.canvas.get_renderer()

    def _fit_legend(self, legend, prefix: str) -> None:
        """Cut the class names, the legend's first two entries, until it fits the frame.

        Names of up to NAME_LIMIT characters fit unless their letters are wide,
        such as a row of Ws. The cut keeps two names apart, as `short_names` does.
        """
        renderer = self._layout_renderer()
        margin = 0.01 * self.width
        negative, positive = self.history.class_names
        texts = legend.get_texts()[:2]
        for limit in range(captions.NAME_LIMIT, 7, -1):
            shown_negative, shown_positive = captions.short_names(
                (negative, positive), limit)
            texts[0].set_text(f"{prefix} {shown_positive}")
            texts[1].set_text(f"{prefix} {shown_negative}")
            box = legend.get_window_extent(renderer)
            if box.x0 >= margin and box.x1 <= self.width - margin:
                return

    def build(self) -> None:
        raise NotImplementedError

    def update(self, state: State) -> None:
        raise NotImplementedError

    def draw(self, frame: Frame) -> np.ndarray:
        """Draw one frame and return it as a (height, width, 3) uint8 RGB array."""
        return composite(self.draw_rgba(frame), self.theme.background)

    def draw_rgba(self, frame: Frame) -> np.ndarray:
        """Draw one frame and return a copy of the (height, width, 4) RGBA buffer."""
        return self.draw_view(frame).copy()

    def draw_view(self, frame: Frame) -> np.ndarray:
        """Draw one frame and return the canvas's RGBA buffer itself.

        The array is valid only until the next draw, which overwrites it.
        """
        state = self.state(frame)
        self.update_caption(state)
        self.update(state)
        self.canvas.restore_region(self.background)
        for artist in sorted(self.animated, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(self._renderer)
        for ax in self.figure.axes:
            if ax.axison:
                for spine in ax.spines.values():
                    spine.draw(self._renderer)
        return np.asarray(self.canvas.buffer_rgba())

    def pixel(self, ax, x: float, y: float) -> tuple[int, int]:
        """Return the (row, column) of the pixel at data point (x, y) of `ax`."""
        px, py = ax.transData.transform((x, y))
        return int(round(self.height - py - 0.5)), int(round(px - 0.5))

    def close(self) -> None:
        """Release the figure, its canvas and the saved background.

        The garbage collector frees them together. Clearing the figure first
        would only add work: 78 ms for the gate layout, more than a frame.
        """
        self.animated.clear()
        self.figure = self.canvas = self.background = self._renderer = None


def composite(rgba: np.ndarray, background: str) -> np.ndarray:
    """Blend an RGBA buffer over an opaque background colour into a new RGB array."""
    alpha = rgba[..., 3:4]
    if alpha.min() == 255:
        return rgba[..., :3].copy()
    colour = np.array([int(background[i:i + 2], 16) for i in (1, 3, 5)], np.uint16)
    a = alpha.astype(np.uint16)
    blended = (rgba[..., :3].astype(np.uint16) * a + colour * (255 - a) + 127) // 255
    return blended.astype(np.uint8)


class PlanePanel:
    """The input space: points by class, shaded regions, the boundary, the arrow."""

    def __init__(self, owner: Renderer, ax, limits, shade_negative: bool, arrow: bool):
        self.owner = owner
        self.ax = ax
        self.theme = theme = owner.theme
        history = owner.history
        self.xlim, self.ylim = limits
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        owner._style_axes(ax)
        features = captions.short_names(history.feature_names)
        ax.set_xlabel(features[0], fontsize=14)
        # A short name such as "x2" reads best upright. A longer one would not fit
        # in the margin left of the axes, so it runs along the axis.
        name = features[1]
        upright = len(name) <= 4
        ax.set_ylabel(name, fontsize=14, rotation=0 if upright else 90,
                      labelpad=14 if upright else 6)

        self.positive = Polygon(np.zeros((0, 2)), closed=True, facecolor=theme.positive_region,
                                edgecolor="none", zorder=0.5, animated=True)
        self.negative = Polygon(np.zeros((0, 2)), closed=True, facecolor=theme.negative_region,
                                edgecolor="none", zorder=0.5, animated=True)
        ax.add_patch(self.positive)
        ax.add_patch(self.negative)
        self.shade_negative = shade_negative
        owner.animated += [self.positive, self.negative]

        (self.line,) = ax.plot([], [], color=theme.boundary, lw=2.6, zorder=2,
                               animated=True, solid_capstyle="butt")
        owner.animated.append(self.line)
        self.arrow = None
        if arrow:
            self.arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>",
                                         mutation_scale=22,
                                         color=theme.arrow, lw=3,
                                         zorder=2.5, animated=True)
            ax.add_patch(self.arrow)
            owner.animated.append(self.arrow)

        samples = np.array(history.samples, dtype=float)
        targets = np.array(history.targets)
        self.samples = samples
        # Line2D markers draw several times faster than scatter collections.
        size = 14
        self.points = []
        negative = -1.0 if owner.signed else 0.0
        for value, colour, marker in ((1.0, theme.positive, "o"),
                                      (negative, theme.negative, "s")):
            chosen = samples[targets == value]
            (points,) = ax.plot(chosen[:, 0], chosen[:, 1], ls="", marker=marker,
                                ms=size * (0.9 if marker == "s" else 1.0), mfc=colour,
                                mec=theme.background, mew=1.2, zorder=3,
                                animated=True)
            self.points.append(points)
        owner.animated += self.points
        (self.mistakes,) = ax.plot([], [], ls="", marker="x", ms=size * 0.75,
                                   mec=theme.foreground, mew=2.4,
                                   zorder=4, animated=True)
        (self.ring,) = ax.plot([], [], ls="", marker="o", ms=size * 1.8, mfc="none",
                               mec=theme.ring, mew=3, zorder=5,
                               animated=True)
        owner.animated += [self.mistakes, self.ring]
        self.cycle_from = None
        self.cycle_lines = None
        if history.cycle is not None:
            self._build_cycle(history)
        # The note sits in the top margin that the view keeps free of points.
        self.note = owner._text(ax, 0.5, 0.985, "", transform=ax.transAxes, ha="center",
                                va="top", fontsize=11.5, color=theme.foreground, zorder=6,
                                bbox=dict(boxstyle="round,pad=0.4", fc=theme.background,
                                          ec=theme.muted))

    def _build_cycle(self, history: History) -> None:
        """Prepare the boundaries the weights pass through in one turn of the cycle."""
        first, second = history.cycle
        segments = []
        for step in history.steps:
            if first < step.epoch <= second and step.updated:
                segment = boundary_segment(*self.line_coefficients(step.weights_after),
                                           self.xlim, self.ylim)
                if segment is not None and segment not in segments:
                    segments.append(segment)
        # Training finds the cycle at the last step of epoch `second`.
        self.cycle_from = max(i for i, step in enumerate(history.steps)
                              if step.epoch == second)
        self.cycle_lines = LineCollection(segments, colors=self.theme.muted,
                                          linewidths=1.6,
                                          linestyles=(0, (4, 3)), zorder=1.5,
                                          animated=True)
        self.ax.add_collection(self.cycle_lines)
        self.owner.animated.append(self.cycle_lines)

    def line_coefficients(self, weights) -> tuple[float, float, float]:
        """Return (c, a, b) so that the output is positive where c + a·x + b·y > 0."""
        threshold = self.owner.history.settings.threshold
        if self.owner.history.settings.bias:
            return weights[0] - threshold, weights[1], weights[2]
        return -threshold, weights[0], weights[1]

    def update(self, state: State) -> None:
        c, a, b = self.line_coefficients(state.weights)
        empty = np.zeros((0, 2))
        positive = half_plane(c, a, b, self.xlim, self.ylim, 1)
        negative = half_plane(c, a, b, self.xlim, self.ylim, -1)
        self.positive.set_xy(np.array(positive) if positive else empty)
        self.negative.set_xy(np.array(negative) if negative and self.shade_negative
                             else empty)

        segment = boundary_segment(c, a, b, self.xlim, self.ylim)
        if segment is None:
            self.line.set_data([], [])
        else:
            self.line.set_data([segment[0][0], segment[1][0]],
                               [segment[0][1], segment[1][1]])
        if self.arrow is not None:
            self._update_arrow(segment, a, b)

        cycling = self.cycle_from is not None and state.step >= self.cycle_from
        if self.cycle_lines is not None:
            self.cycle_lines.set_visible(cycling and state.kind == "end")
        if not all(math.isfinite(w) for w in state.weights):
            note = "The weights are not finite numbers: training diverged"
        elif cycling:
            note = captions.cycle_note(self.owner.history, state.kind == "end")
        elif a == 0 and b == 0:
            note = "No boundary yet: both input weights are 0"
        elif segment is None:
            note = "The boundary lies outside this view"
        else:
            note = ""
        self.note.set_text(note)
        self.note.set_visible(bool(note))

        outputs = self.owner.outputs(state.weights)
        wrong = [i for i, (o, t) in enumerate(zip(outputs, self.owner.history.targets))
                 if o != t]
        chosen = self.samples[wrong] if wrong else empty
        self.mistakes.set_data(chosen[:, 0], chosen[:, 1])
        if state.kind in ("step", "between"):
            x, y = self.samples[self.owner.history.steps[state.step].index]
            self.ring.set_data([x], [y])
        else:
            self.ring.set_data([], [])

    def _update_arrow(self, segment, a: float, b: float) -> None:
        if segment is None:
            self.arrow.set_visible(False)
            return
        (x0, y0), (x1, y1) = segment
        middle = ((x0 + x1) / 2, (y0 + y1) / 2)
        length = 0.14 * (self.xlim[1] - self.xlim[0])
        norm = math.hypot(a, b)
        tip = (middle[0] + length * a / norm, middle[1] + length * b / norm)
        self.arrow.set_positions(middle, tip)
        self.arrow.set_visible(True)


def plane_limits(samples, pad: float = 0.18, least: float = 1.0):
    """Return square (xlim, ylim) that fit every sample with a margin."""
    points = np.array(samples, dtype=float)
    low, high = points.min(axis=0), points.max(axis=0)
    span = max(float((high - low).max()), least)
    centre = (low + high) / 2
    half = span * (0.5 + pad)
    return ((centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half))


class PlaneRenderer(Renderer):
    """The classifier layout: the input space and a mistakes-per-epoch plot."""

    def build(self) -> None:
        theme = self.theme
        history = self.history
        layout = self.layout
        ax = self._square_axes(*layout.plane)
        self.panel = PlanePanel(self, ax, plane_limits(history.samples),
                                shade_negative=True, arrow=True)
        self.plane_axes = ax

        negative, positive = captions.short_names(history.class_names)
        handles = [
            Line2D([], [], ls="", marker="o", ms=12, color=theme.positive,
                   label=f"class {positive}"),
            Line2D([], [], ls="", marker="s", ms=11, color=theme.negative,
                   label=f"class {negative}"),
            Line2D([], [], color=theme.boundary, lw=2.6, label="boundary w·x = 0"),
            Line2D([], [], color=theme.arrow, lw=3, marker=">", ms=9,
                   label="weight vector (w1, w2)"),
            Line2D([], [], ls="", marker="o", ms=18, mfc="none", mec=theme.ring, mew=2.5,
                   label="current sample"),
            Line2D([], [], ls="", marker="x", ms=11, mew=2.4, color=theme.foreground,
                   label="misclassified"),
        ]
        box = ax.get_position()
        left = box.x1 + 0.05
        legend = self.figure.legend(handles=handles, loc="upper left",
                                    bbox_to_anchor=(left, layout.legend[1]),
                                    fontsize=12.5, frameon=False,
                                    labelcolor=theme.foreground,
                                    ncol=layout.legend_columns, handlelength=1.8,
                                    columnspacing=1.4)
        self._fit_legend(legend, "class")

        x, bottom, width, height = layout.mistakes
        if width < 0:
            # Beside the plane: from `x` right of the legend's edge to `-width` from
            # the figure's right edge.
            x, width = left + x, 1 + width - left - x
        mist = self.figure.add_axes((x, bottom, width, height))
        self._style_axes(mist)
        counts = history.updates_per_epoch() or [0]
        edges = np.arange(0.5, len(counts) + 1.0)
        self.stairs = mist.stairs(np.zeros(len(counts)), edges, fill=True,
                                  color=theme.positive, animated=True)
        self.animated.append(self.stairs)
        mist.set_xlim(0.5, len(counts) + 0.5)
        mist.set_ylim(0, max(max(counts), 1) * 1.15)
        mist.set_xlabel("epoch", fontsize=13)
        mist.set_title("weight updates per epoch (one per misclassified visit)",
                       fontsize=13, color=theme.foreground, loc="left")
        mist.yaxis.get_major_locator().set_params(integer=True)
        mist.xaxis.get_major_locator().set_params(integer=True, min_n_ticks=1)
        self.mistakes_axes = mist

        self.status = self._text(self.figure, left, layout.status[1], "", fontsize=14)
        self.counts = counts

    def update(self, state: State) -> None:
        self.panel.update(state)
        history = self.history
        values = np.zeros(len(self.counts))
        done = 0
        epoch = 0
        if state.step >= 0:
            # While in-between frames move towards an update, it is not yet counted.
            last = state.step if state.kind == "between" else state.step + 1
            for step in history.steps[:last]:
                if step.updated:
                    values[step.epoch - 1] += 1
                    done += 1
            epoch = history.steps[state.step].epoch
        self.stairs.set_data(values)
        names = ", ".join(captions.weight_names(history))
        self.status.set_text(f"epoch {epoch}   updates {done}\n"
                             f"({names}) = {captions.vector(state.weights)}")


class GateRenderer(Renderer):
    """The logic-gate layout: a neuron diagram, the truth table, the input space."""

    def build(self) -> None:
        history = self.history
        ax = self._square_axes(*self.layout.gate_plane)
        limits = ((-0.35, 1.35), (-0.35, 1.35))
        self.panel = PlanePanel(self, ax, limits, shade_negative=False, arrow=False)
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        self.plane_axes = ax
        theme = self.theme
        negative, positive = captions.short_names(history.class_names)
        handles = [
            Line2D([], [], ls="", marker="o", ms=12, color=theme.positive,
                   label=f"target {positive}"),
            Line2D([], [], ls="", marker="s", ms=11, color=theme.negative,
                   label=f"target {negative}"),
            Rectangle((0, 0), 1, 1, fc=theme.positive_region, ec=theme.muted, lw=0.5,
                      label="output 1"),
        ]
        legend = ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                           ncol=3, frameon=False, fontsize=12.5,
                           labelcolor=theme.foreground, handletextpad=0.4,
                           columnspacing=1.0)
        self._fit_legend(legend, "target")
        self._build_neuron()
        self._build_table()

    def _build_neuron(self) -> None:
        theme = self.theme
        history = self.history
        box = self.layout.neuron
        ax = self.figure.add_axes(box)
        ax.set_axis_off()
        box_w = box[2] * self.width
        box_h = box[3] * self.height
        top = 10 * box_h / box_w
        ax.set_xlim(0, 10)
        ax.set_ylim(0, top)
        self.neuron_axes = ax

        names = list(history.feature_names)
        if history.settings.bias:
            names = ["1"] + names
        count = len(names)
        ys = [top * (count - i) / (count + 1) for i in range(count)]
        radius = 0.42
        centre = (5.6, top / 2)
        output = (8.9, top / 2)
        self.edges = []
        self.edge_labels = []
        self.input_values = []
        for name, y in zip(names, ys):
            ax.add_patch(Circle((1.3, y), radius, fc=theme.background, ec=theme.foreground,
                                lw=1.8))
            ax.text(1.3, y, name, ha="center", va="center", fontsize=14,
                    color=theme.foreground)
            dx, dy = centre[0] - 1.3, centre[1] - y
            length = math.hypot(dx, dy)
            ux, uy = dx / length, dy / length
            start = (1.3 + ux * radius, y + uy * radius)
            end = (centre[0] - ux * 0.62, centre[1] - uy * 0.62)
            (edge,) = ax.plot([start[0], end[0]], [start[1], end[1]], animated=True,
                              solid_capstyle="round", zorder=1)
            self.edges.append(edge)
            label_x = start[0] + 0.45 * (end[0] - start[0])
            label_y = start[1] + 0.45 * (end[1] - start[1])
            text = self._text(ax, label_x, label_y, "", ha="center", fontsize=13,
                              zorder=3, bbox=dict(boxstyle="round,pad=0.25",
                                                  fc=theme.background, ec="none"))
            self.edge_labels.append(text)
            value = self._text(ax, 1.3 - radius - 0.15, y, "", ha="right", fontsize=13)
            self.input_values.append(value)
        self.animated += self.edges
        self.weight_names = captions.weight_names(history)
        self.weight_limit = max([abs(w) for s in history.steps for w in s.weights_after
                                 if math.isfinite(w)] + [1e-12])

        ax.add_patch(Circle(centre, 0.62, fc=theme.background, ec=theme.foreground,
                            lw=2.2, zorder=2))
        ax.text(*centre, "Σ", ha="center", va="center", fontsize=20,
                color=theme.foreground, zorder=3)
        threshold = captions.number(history.settings.threshold)
        ax.text(centre[0], centre[1] - 0.95, f"output 1 if s > {threshold}",
                ha="center", va="center", fontsize=12, color=theme.muted)
        self.sum_text = self._text(ax, centre[0], centre[1] + 0.95, "", ha="center",
                                   fontsize=13)
        ax.annotate("", xy=(output[0] - 0.45, output[1]), xytext=(centre[0] + 0.65,
                                                                  centre[1]),
                    arrowprops=dict(arrowstyle="-|>", color=theme.foreground, lw=2,
                                    mutation_scale=18))
        ax.add_patch(Circle(output, 0.42, fc=theme.background, ec=theme.foreground,
                            lw=1.8))
        self.output_text = self._text(ax, output[0], output[1], "", ha="center",
                                      fontsize=14)
        ax.text(output[0], output[1] - 0.75, "output ŷ", ha="center", va="center",
                fontsize=12, color=theme.muted)

    def _build_table(self) -> None:
        theme = self.theme
        ax = self.figure.add_axes(self.layout.table)
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        self.table_axes = ax
        columns = [0.08, 0.24, 0.42, 0.62, 0.84]
        heads = [*captions.short_names(self.history.feature_names), "target",
                 "output now", "check"]
        rows = len(self.history.samples)
        height = 1.0 / (rows + 1)
        for x, head in zip(columns, heads):
            ax.text(x, 1 - height / 2, head, ha="center", va="center", fontsize=13,
                    weight="bold", color=theme.foreground)
        ax.plot([0, 1], [1 - height, 1 - height], color=theme.muted, lw=1)
        self.highlight = Rectangle((0, 0), 1, height, fc=theme.highlight, ec="none",
                                   animated=True, zorder=0)
        ax.add_patch(self.highlight)
        self.animated.append(self.highlight)
        self.row_y = [1 - height * (i + 1.5) for i in range(rows)]
        self.row_height = height
        self.cells = []
        for i, (sample, target) in enumerate(zip(self.history.samples,
                                                 self.history.targets)):
            values = [captions.number(v) for v in sample]
            values.append(captions.label(self.history, target))
            row = [self._text(ax, x, self.row_y[i], v, ha="center", fontsize=13, zorder=2)
                   for x, v in zip(columns, values + ["", ""])]
            self.cells.append(row)

    def update(self, state: State) -> None:
        self.panel.update(state)
        theme = self.theme
        history = self.history
        current = history.steps[state.step] if state.step >= 0 else None
        show_sample = current is not None and state.kind != "end"
        # While a step is shown, a weight it changes reads "before → after": the
        # sum and output beside it come from the weights before the update.
        befores = current.weights_before if show_sample else state.weights
        afters = current.weights_after if show_sample else state.weights
        for edge, label, name, weight, before, after in zip(
                self.edges, self.edge_labels, self.weight_names, state.weights,
                befores, afters):
            share = min(abs(weight) / self.weight_limit, 1.0) if math.isfinite(weight) else 1
            edge.set_linewidth(1.5 + 7 * share)
            if weight > 0:
                edge.set_color(theme.positive)
                edge.set_linestyle("-")
            elif weight < 0:
                edge.set_color(theme.negative)
                edge.set_linestyle("-")
            else:
                edge.set_color(theme.zero_weight)
                edge.set_linestyle((0, (2, 2)))
            if before == after:
                label.set_text(f"{name} = {captions.number(after)}")
            else:
                label.set_text(f"{name} = {captions.number(before)} → "
                               f"{captions.number(after)}")

        outputs = self.outputs(state.weights)
        inputs = current.inputs if show_sample else None
        for value, i in zip(self.input_values, range(len(self.input_values))):
            value.set_text(f"{captions.number(inputs[i])}" if inputs else "")
        if show_sample:
            # The sum and output this sample produced, before its update.
            self.sum_text.set_text(f"s = {captions.number(current.weighted_sum)}")
            self.output_text.set_text(captions.label(history, current.prediction))
            self.highlight.set_y(self.row_y[current.index] - self.row_height / 2)
            self.highlight.set_visible(True)
        else:
            self.sum_text.set_text("")
            self.output_text.set_text("")
            self.highlight.set_visible(False)
        for row, output, target in zip(self.cells, outputs, history.targets):
            row[3].set_text(captions.label(history, output))
            right = output == target
            row[4].set_text("✓ right" if right else "✗ wrong")
            row[4].set_color(theme.right if right else theme.wrong)


def make_renderer(history: History, scene: Scene, size=(1280, 720),
                  theme: str | Theme = "light", title: str | None = None,
                  transparent: bool = False) -> Renderer:
    """Build the renderer for a scene's layout."""
    kind = {"gate": GateRenderer, "plane": PlaneRenderer}[scene.layout]
    return kind(history, scene, size=size, theme=theme, title=title,
                transparent=transparent)
