"""The files in output/ that the README shows, and a check that they are current."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["GALLERY", "render_gallery", "check_gallery", "TOLERANCE"]

# Decoded frames may differ by this many levels per channel before a file counts
# as stale. Small differences come from other versions of FreeType or zlib; a
# changed caption, weight or boundary differs by far more.
TOLERANCE = 8


@dataclass(frozen=True)
class Entry:
    """One gallery file: its name in output/, its scene and its render options."""

    name: str
    scene: str
    options: dict = field(default_factory=dict)


README = {"preset": "readme"}
GALLERY = [
    # The OR gate uses the defaults, so 'render scene or_gate' writes this file.
    Entry("or_gate.gif", "or_gate"),
    Entry("or_gate-dark.gif", "or_gate", {"theme": "dark"}),
    # One frame per epoch keeps the 71 epochs under 1 MB at README size.
    Entry("classifier.gif", "classifier", {**README, "frames": "epochs", "fps": 5}),
    Entry("classifier-dark.gif", "classifier",
          {**README, "frames": "epochs", "fps": 5, "theme": "dark"}),
    Entry("and_gate.gif", "and_gate", README),
    Entry("nand_gate.gif", "nand_gate", README),
    Entry("nor_gate.gif", "nor_gate", README),
    Entry("xor_gate.gif", "xor_gate", README),
]
# A printable storyboard of every scene, for handouts.
GALLERY += [Entry(f"{name}_sheet.png", name, {"format": "sheet"})
            for name in ("or_gate", "and_gate", "nand_gate", "nor_gate", "xor_gate",
                         "classifier")]


def render_gallery(folder: str | Path = "output", progress=None) -> list:
    """Render every gallery file into `folder` and return the RenderResults."""
    from viz.api import render

    folder = Path(folder)
    results = []
    for entry in GALLERY:
        # A fixed seed keeps the recorded history, and so the file, the same.
        results.append(render(entry.scene, folder / entry.name, seed=0,
                              **entry.options))
        if progress is not None:
            progress(entry.name)
    return results


def _frames(path: Path) -> tuple[list[np.ndarray], list[int], int | None]:
    """Decode a GIF or PNG: its frames, their delays in ms and its loop count."""
    from PIL import Image, ImageSequence

    with Image.open(path) as image:
        frames, delays = [], []
        for frame in ImageSequence.Iterator(image):
            frames.append(np.asarray(frame.convert("RGB"), dtype=np.int16))
            delays.append(frame.info.get("duration", 0))
        loop = image.info.get("loop")
    return frames, delays, loop


def compare(expected: Path, actual: Path) -> str:
    """Return "" when two renders match, else the first difference found.

    Equal bytes match. Otherwise the decoded frames must agree in count, size
    and delay, and every pixel within TOLERANCE levels.
    """
    if not expected.exists():
        return "missing"
    if expected.read_bytes() == actual.read_bytes():
        return ""
    try:
        old, old_delays, old_loop = _frames(expected)
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow raises these for a damaged file, SyntaxError among them for a bad
        # PNG chunk.
        return f"unreadable ({exc})"
    new, new_delays, new_loop = _frames(actual)
    if len(old) != len(new):
        return f"{len(old)} frames, expected {len(new)}"
    if old_delays != new_delays:
        return "frame delays differ"
    if old_loop != new_loop:
        return f"loop count {old_loop}, expected {new_loop}"
    for number, (a, b) in enumerate(zip(old, new), start=1):
        if a.shape != b.shape:
            return f"frame {number} is {a.shape[1]}x{a.shape[0]}, expected " \
                   f"{b.shape[1]}x{b.shape[0]}"
        worst = int(np.abs(a - b).max())
        if worst > TOLERANCE:
            return f"frame {number} differs by up to {worst} levels"
    return ""


def check_gallery(folder: str | Path = "output", progress=None) -> list[tuple[str, str]]:
    """Render the gallery afresh and return (file, difference) for each stale file."""
    folder = Path(folder)
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        render_gallery(scratch, progress=progress)
        for entry in GALLERY:
            difference = compare(folder / entry.name, Path(scratch) / entry.name)
            if difference:
                stale.append((str(folder / entry.name), difference))
    return stale
