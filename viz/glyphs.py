"""A cache of rasterised text lines for matplotlib's Agg renderer.

Much of the text in a frame repeats from the frames before it: truth-table
cells, weight labels and status lines change only when the weights do. Agg
lays out and rasterises a string again on every draw, which is a large part of
a frame's cost. The cache keeps the bitmap and offsets of recent strings and
places them exactly as `RendererAgg.draw_text` does, so frames come out the
same pixel for pixel.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

__all__ = ["TextCache"]

# Roughly 60 caption lines of a 1280x720 frame, or a few hundred table cells.
DEFAULT_LIMIT = 2_000_000


class TextCache:
    """Bitmaps of the text lines an Agg renderer drew last, up to `limit` bytes.

    `install` makes the renderer draw plain text through the cache. Math text
    still goes the usual way.

    NOTE: this relies on internals of matplotlib 3.10's RendererAgg
    (`_prepare_font` and `_renderer`). pyproject.toml pins matplotlib to
    3.10.x, and tests/test_glyphs.py compares cached frames with Agg's own.
    """

    def __init__(self, renderer: RendererAgg, limit: int = DEFAULT_LIMIT):
        self.renderer = renderer
        self.limit = limit
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    def install(self) -> None:
        """Route the renderer's text measuring and drawing through this cache."""
        self.renderer.draw_text = self.draw_text
        self.renderer.get_text_width_height_descent = self.text_metrics

    def text_metrics(self, s, prop, ismath) -> tuple[float, float, float]:
        """Return a line's width, height and descent in pixels, as Agg measures them.

        A line is measured just before it is drawn, so it is rasterised here
        too: laying it out once serves both.
        """
        if ismath:
            return RendererAgg.get_text_width_height_descent(self.renderer, s, prop, ismath)
        entry = self._entry(s, prop, mpl.rcParams["text.antialiased"])
        return entry[4], entry[5], entry[1]

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:
        """Draw one line of text as `RendererAgg.draw_text` would."""
        if ismath:
            RendererAgg.draw_text(self.renderer, gc, x, y, s, prop, angle, ismath, mtext)
            return
        image, descent, x_offset, y_offset, _, _ = self._entry(s, prop,
                                                               gc.get_antialiased())

        # The same placement as RendererAgg.draw_text in matplotlib 3.10: the
        # bitmap is unrotated, and Agg rotates it about the shifted origin.
        x_descent = descent * math.sin(math.radians(angle))
        y_descent = descent * math.cos(math.radians(angle))
        x = round(x + x_offset + x_descent)
        y = round(y + y_offset + y_descent)
        self.renderer._renderer.draw_text_image(image, x, y + 1, angle, gc)

    def _entry(self, s, prop, antialiased) -> tuple:
        """Return (bitmap, descent, x offset, y offset, width, height) for a line."""
        # The rcParams that change how Agg lays out and rasterises a line.
        params = mpl.rcParams
        key = (s, tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
               prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(),
               prop.get_file(), bool(antialiased), params["text.hinting"],
               params["text.hinting_factor"], params["text.kerning_factor"])
        entry = self.entries.get(key)
        if entry is None:
            entry = self._rasterise(s, prop, antialiased)
            self._store(key, entry)
            self.misses += 1
        else:
            self.entries.move_to_end(key)
            self.hits += 1
        return entry

    def _rasterise(self, s, prop, antialiased) -> tuple:
        font = self.renderer._prepare_font(prop)
        font.set_text(s, 0, flags=get_hinting_flag())
        width, height = font.get_width_height()
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        x_offset, y_offset = font.get_bitmap_offset()
        image = np.array(font.get_image())
        return (image, font.get_descent() / 64.0, x_offset / 64.0, y_offset / 64.0,
                width / 64.0, height / 64.0)

    def _store(self, key, entry) -> None:
        self.entries[key] = entry
        self.size += entry[0].nbytes
        while self.size > self.limit and len(self.entries) > 1:
            _, (image, *_) = self.entries.popitem(last=False)
            self.size -= image.nbytes
