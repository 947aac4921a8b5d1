"""Text drawn from the cache of rasterised lines matches Agg's own drawing."""

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import viz
from viz.glyphs import TextCache
from viz.renderer import make_renderer
from viz.scene import get_scene
from viz.timeline import plan


def draw_texts(cached: bool, angle: float, limit: int = 2_000_000) -> np.ndarray:
    figure = Figure(figsize=(4, 3), dpi=100)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    cache = TextCache(renderer, limit)
    if cached:
        cache.install()
    texts = [figure.text(0.1 + 0.2 * i, 0.5, f"w{i} = −0.{i}5", rotation=angle,
                         fontsize=9 + i, weight="bold" if i % 2 else "normal")
             for i in range(4)]
    # The second pass draws every line again, from the cache when one is installed.
    for _ in range(2):
        canvas.restore_region(canvas.copy_from_bbox(figure.bbox))
        for text in texts:
            text.draw(renderer)
    if cached:
        # Each line was rasterised once, when first measured, and so was the
        # "lp" line that gives the line height of each of the four fonts.
        assert cache.misses == 2 * len(texts)
        assert cache.hits >= 2 * len(texts)
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("angle", [0, 30, 90])
def test_cached_text_matches_agg(angle):
    assert np.array_equal(draw_texts(True, angle), draw_texts(False, angle))


@pytest.mark.parametrize("name", ["or_gate", "classifier"])
def test_cached_frames_match_uncached(name):
    scene = get_scene(name)
    history = viz.history(scene, seed=0)
    timeline = plan(history, fps=20, smooth=2)[:40]
    cached = make_renderer(history, scene, size=(640, 360))
    plain = make_renderer(history, scene, size=(640, 360))
    # Without the instance attribute, the renderer's own draw_text runs.
    del plain._renderer.draw_text
    for frame in timeline + timeline[::-1]:
        assert np.array_equal(cached.draw_rgba(frame), plain.draw_rgba(frame))
    assert cached.text_cache.hits > 0


def test_text_cache_stays_under_limit():
    figure = Figure(figsize=(4, 3), dpi=100)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    cache = TextCache(renderer, limit=20_000)
    cache.install()
    text = figure.text(0.1, 0.5, "")
    for i in range(200):
        text.set_text(f"line number {i} of a long caption")
        text.draw(renderer)
    # One more miss for the "lp" line that measures the line height.
    assert cache.misses == 201
    assert 0 < cache.size <= 20_000
    assert len(cache.entries) < 200


def test_cached_text_follows_hinting_changes():
    figure = Figure(figsize=(4, 1), dpi=100)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    TextCache(renderer).install()
    text = figure.text(0.05, 0.4, "w1 = 0.25 → 0.5", fontsize=11)
    drawn = {}
    # The first and last pass use the same settings and must match.
    for hinting in ("default", "none", "default"):
        with matplotlib.rc_context({"text.hinting": hinting}):
            canvas.restore_region(canvas.copy_from_bbox(figure.bbox))
            figure.patch.draw(renderer)
            text.draw(renderer)
            drawn.setdefault(hinting, []).append(np.asarray(canvas.buffer_rgba()).copy())

    assert not np.array_equal(drawn["default"][0], drawn["none"][0])
    assert np.array_equal(drawn["default"][0], drawn["default"][1])
