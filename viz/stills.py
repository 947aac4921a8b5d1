"""Still outputs: a folder of numbered PNG frames, and a printable storyboard sheet."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from viz import captions
from viz.history import History
from viz.timeline import Frame

__all__ = ["FramesWriter", "sheet_frames", "write_sheet", "MAX_PANELS"]

MAX_PANELS = 12


class FramesWriter:
    """A folder of PNG files, frame_0001.png upwards, swapped in when complete.

    The frames go into a temporary folder beside the destination. On `finish`
    an existing folder at the destination is replaced by the new one.
    """

    def __init__(self, path: str | Path, size: tuple[int, int]):
        self.path = Path(path)
        self.size = size
        self.frames = 0
        self.finished = False
        try:
            self.temporary = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.",
                                                   suffix=".part", dir=self.path.parent))
        except OSError as exc:
            # Name the destination, because the temporary name would puzzle a user.
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None or not self.finished:
            shutil.rmtree(self.temporary, ignore_errors=True)

    def add(self, frame: np.ndarray, duration: int) -> None:
        self.frames += 1
        mode = "RGBA" if frame.shape[2] == 4 and frame[..., 3].min() < 255 else "RGB"
        pixels = np.ascontiguousarray(frame[..., :4] if mode == "RGBA" else frame[..., :3])
        Image.fromarray(pixels, mode).save(self.temporary / f"frame_{self.frames:04d}.png")

    def finish(self) -> None:
        if self.path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".old",
                                        dir=self.path.parent))
            os.replace(self.path, old / "previous")
            os.replace(self.temporary, self.path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self.temporary, self.path)
        os.chmod(self.path, 0o755)
        self.finished = True


def sheet_frames(timeline: list[Frame], history: History) -> list[Frame]:
    """Choose the key frames of a storyboard: the start, the changes, the outcome.

    With few updates every update gets a panel. Otherwise the end of each epoch
    does, and when even those are too many, epoch ends spread evenly over
    training. A sheet has at most 12 panels, the start and the outcome included.
    """
    start, end = timeline[0], timeline[-1]
    steps = history.steps
    updates = [i for i, step in enumerate(steps) if step.updated]
    epoch_ends = [i for i, step in enumerate(steps)
                  if i + 1 == len(steps) or steps[i + 1].epoch != step.epoch]
    room = MAX_PANELS - 2
    chosen = updates if len(updates) <= room else epoch_ends
    if len(chosen) > room:
        picks = [round(k * (len(chosen) - 1) / (room - 1)) for k in range(room)]
        chosen = [chosen[k] for k in sorted(set(picks))]
    return [start, *(Frame(i, "step", 0) for i in chosen), end]


def panel_title(history: History, frame: Frame) -> str:
    """Caption a storyboard panel in one or two short lines."""
    names = ", ".join(captions.weight_names(history))
    if frame.kind == "start":
        return f"Start: ({names}) = {captions.vector(history.settings.initial_weights)}"
    if frame.kind == "end":
        return captions.outcome(history)[0]
    step = history.steps[frame.step]
    sample = captions.vector(history.samples[step.index])
    return (f"Epoch {step.epoch}, sample {step.index + 1}: x = {sample}\n"
            f"({names}) = {captions.vector(step.weights_after)}")


def write_sheet(path: Path, frames: list[Frame], pictures: list[np.ndarray],
                history: History, title: str, theme, transparent: bool = False) -> None:
    """Lay out `pictures` of `frames` in a captioned grid and save it as PNG or PDF.

    With `transparent` the sheet and the pictures keep their alpha channel. The
    file goes to a temporary name first and replaces `path` when complete.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from viz.writers import AtomicFile

    count = len(pictures)
    columns = 3 if count > 4 else 2
    rows = math.ceil(count / columns)
    height, width = pictures[0].shape[:2]
    panel_width = 4.2
    panel_height = panel_width * height / width
    background = "none" if transparent else theme.background
    figure = Figure(figsize=(columns * panel_width + 0.6, rows * (panel_height + 0.75) + 0.9),
                    dpi=150, facecolor=background)
    FigureCanvasAgg(figure)
    # A title or label such as "$5" is text, not math.
    figure.suptitle(title, fontsize=15, weight="bold", color=theme.foreground, y=0.995,
                    parse_math=False)
    top = 1 - 0.9 / figure.get_figheight()
    cell = (top - 0.01) / rows
    for number, (frame, picture) in enumerate(zip(frames, pictures)):
        row, column = divmod(number, columns)
        left = (0.3 + column * panel_width) / figure.get_figwidth()
        box_width = (panel_width - 0.15) / figure.get_figwidth()
        box_height = panel_height / figure.get_figheight()
        bottom = top - (row + 1) * cell + 0.7 / figure.get_figheight()
        ax = figure.add_axes((left, bottom, box_width, box_height))
        ax.imshow(picture if transparent else picture[..., :3], interpolation="lanczos")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color(theme.muted)
        ax.set_title(f"{number + 1}. {panel_title(history, frame)}", fontsize=8.5,
                     color=theme.foreground, loc="left", pad=4, parse_math=False)

    target = AtomicFile(path)
    try:
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            figure.savefig(target.temporary, format="pdf", facecolor=background,
                           metadata={"CreationDate": None, "ModDate": None,
                                     "Producer": None, "Creator": None})
        else:
            figure.savefig(target.temporary, format="png", facecolor=background,
                           metadata={"Software": None})
        target.commit()
    except BaseException:
        target.discard()
        raise
