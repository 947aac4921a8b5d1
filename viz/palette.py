"""One GIF palette for a whole animation, and exact mapping of frames onto it."""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["Palette", "build_palette", "TRANSPARENT"]

# Index 255 is kept free to mark pixels unchanged since the previous frame.
TRANSPARENT = 255
COLOURS = 255


def rgb_keys(rgba: np.ndarray) -> np.ndarray:
    """Return each pixel's colour as one integer 0xBBGGRR, ignoring alpha."""
    flat = np.ascontiguousarray(rgba).view(np.uint32)[..., 0]
    return flat & 0xFFFFFF


class Palette:
    """Up to 255 colours and a lookup table from every 24-bit colour to its index.

    The table is filled lazily. A colour met for the first time gets the index of
    the nearest palette colour, so colours in the palette always map to themselves.
    The result never depends on the order in which frames arrive.

    The table stores each index plus one, so that zero marks a colour not yet
    mapped. A table of zeros costs no time to create: the system maps its pages
    only when a lookup first touches them.
    """

    def __init__(self, colours: np.ndarray):
        colours = np.asarray(colours, dtype=np.uint8).reshape(-1, 3)
        if not 1 <= len(colours) <= COLOURS:
            raise ValueError(f"a palette contains 1 to {COLOURS} colours, got {len(colours)}")
        self.colours = colours
        self._lab = colours.astype(np.int32)
        self.table = np.zeros(1 << 24, dtype=np.uint8)
        keys = (colours[:, 0].astype(np.uint32) | colours[:, 1].astype(np.uint32) << 8
                | colours[:, 2].astype(np.uint32) << 16)
        # Reversed, so that of two equal colours the first index wins.
        self.table[keys[::-1]] = np.arange(1, len(colours) + 1, dtype=np.uint8)[::-1]

    def gif_bytes(self) -> bytes:
        """Return the 256-entry colour table that a GIF header stores."""
        table = np.zeros((256, 3), dtype=np.uint8)
        table[:len(self.colours)] = self.colours
        return table.tobytes()

    def _fill(self, keys: np.ndarray) -> None:
        missing = np.unique(keys)
        rgb = np.stack([missing & 0xFF, (missing >> 8) & 0xFF, (missing >> 16) & 0xFF],
                       axis=1).astype(np.int32)
        for start in range(0, len(rgb), 4096):
            chunk = rgb[start:start + 4096]
            distance = ((chunk[:, None, :] - self._lab[None, :, :]) ** 2).sum(axis=2)
            self.table[missing[start:start + 4096]] = distance.argmin(axis=1) + 1

    def indices(self, rgba: np.ndarray) -> np.ndarray:
        """Map an (height, width, 4) RGBA frame to palette indices, without dithering."""
        keys = rgb_keys(rgba)
        result = self.table[keys]
        unknown = result == 0
        if unknown.any():
            self._fill(keys[unknown])
            result = self.table[keys]
        return np.subtract(result, 1, out=result)


def colour_counts(frames: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct colours of `frames` as 0xBBGGRR keys, and their pixel counts.

    Pixels are counted in runs of one colour along each row, because flat
    areas make the runs about ten times fewer than the pixels.
    """
    values, lengths = [], []
    for frame in frames:
        keys = rgb_keys(frame).ravel()
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        values.append(keys[starts])
        lengths.append(np.diff(np.append(starts, keys.size)))
    distinct, inverse = np.unique(np.concatenate(values), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate(lengths))
    return distinct, counts.astype(np.int64)


def build_palette(frames: list[np.ndarray], keep: list[str] = ()) -> Palette:
    """Choose at most 255 colours that represent `frames` well.

    The colours in `keep` (hex strings) and the most common exact colours stay
    exact, so flat areas, markers and text keep their true colour. When the
    frames have more colours than fit, the rest of the palette comes from a
    median cut over the remaining pixels, which covers anti-aliased edges.
    """
    values, counts = colour_counts(frames)
    order = np.lexsort((values, -counts))
    values, counts = values[order], counts[order]

    exact = [int(c[1:3], 16) | int(c[3:5], 16) << 8 | int(c[5:7], 16) << 16 for c in keep]
    chosen = list(dict.fromkeys(exact))
    if len(values) + len(chosen) <= COLOURS:
        chosen += [int(v) for v in values if int(v) not in chosen]
    else:
        for value in values[:160]:
            if int(value) not in chosen:
                chosen.append(int(value))
        rest = np.setdiff1d(values, np.array(chosen, dtype=np.uint32))
        room = COLOURS - len(chosen)
        if len(rest) and room > 0:
            mask = np.isin(values, rest)
            pixels = np.repeat(values[mask], counts[mask])
            rgb = np.stack([pixels & 0xFF, (pixels >> 8) & 0xFF, (pixels >> 16) & 0xFF],
                           axis=1).astype(np.uint8).reshape(1, -1, 3)
            image = Image.fromarray(rgb, "RGB").quantize(
                colors=room, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            extra = np.array(image.getpalette()[:3 * room], dtype=np.uint32).reshape(-1, 3)
            used = np.unique(np.asarray(image))
            for r, g, b in extra[used]:
                value = int(r) | int(g) << 8 | int(b) << 16
                if value not in chosen:
                    chosen.append(value)
    chosen = chosen[:COLOURS]
    colours = np.array([[v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF] for v in chosen],
                       dtype=np.uint8)
    return Palette(colours)
