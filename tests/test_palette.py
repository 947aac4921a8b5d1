"""The GIF palette: colour counts, exact colours and independence of pixel order."""

import numpy as np

from viz.palette import build_palette, colour_counts


def frame_of(rgb_rows) -> np.ndarray:
    rgb = np.asarray(rgb_rows, dtype=np.uint8)
    alpha = np.full(rgb.shape[:2] + (1,), 255, dtype=np.uint8)
    return np.concatenate([rgb, alpha], axis=2)


def test_colour_counts_adds_runs_across_rows_and_frames():
    red, blue = (255, 0, 0), (0, 0, 255)
    first = frame_of([[red, red, blue], [blue, red, red]])
    second = frame_of([[red, red, red]])
    values, counts = colour_counts([first, second])
    assert values.tolist() == [0x0000FF, 0xFF0000]
    assert counts.tolist() == [7, 2]


def test_palette_keeps_few_colours_exact():
    colours = [(250, 250, 250), (0, 114, 178), (213, 94, 0), (20, 20, 20)]
    frame = frame_of([colours * 4] * 3)
    palette = build_palette([frame])
    assert sorted(map(tuple, palette.colours.tolist())) == sorted(colours)
    assert np.array_equal(palette.colours[palette.indices(frame)], frame[..., :3])


def test_palette_ignores_pixel_order():
    # 600 colours are more than a palette holds, so the median cut runs too.
    rng = np.random.default_rng(7)
    colours = rng.integers(0, 256, (600, 3), dtype=np.uint8)
    pixels = np.repeat(colours, rng.integers(1, 40, 600), axis=0)
    ordered = frame_of(pixels[None, :, :])
    shuffled = frame_of(rng.permutation(pixels)[None, :, :])
    from_ordered = build_palette([ordered]).colours
    from_shuffled = build_palette([shuffled]).colours
    assert len(from_ordered) == 255
    assert np.array_equal(from_ordered, from_shuffled)
