"""The RGBA to YUV 4:2:0 conversion that feeds ffmpeg."""

import numpy as np
import pytest

from viz.writers import Yuv420, rgba_to_yuv420


def reference(frame: np.ndarray) -> np.ndarray:
    """The BT.709 TV-range formulas, in 64-bit integers and without reused buffers."""
    rgb = frame[..., :3].astype(np.int64)
    luma = ((47 * rgb[..., 0] + 157 * rgb[..., 1] + 16 * rgb[..., 2] + 128) >> 8) + 16
    blocks = rgb[0::2, 0::2] + rgb[1::2, 0::2] + rgb[0::2, 1::2] + rgb[1::2, 1::2]
    red, green, blue = blocks[..., 0], blocks[..., 1], blocks[..., 2]
    cb = ((-26 * red - 86 * green + 112 * blue + 512) >> 10) + 128
    cr = ((112 * red - 102 * green - 10 * blue + 512) >> 10) + 128
    planes = [luma, np.clip(cb, 0, 255), np.clip(cr, 0, 255)]
    return np.concatenate([p.ravel() for p in planes]).astype(np.uint8)


def random_frame(seed: int, width: int = 64, height: int = 36) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)


def test_yuv420_matches_formulas_on_random_pixels():
    frame = random_frame(1)
    assert np.array_equal(Yuv420(64, 36)(frame), reference(frame))


def test_yuv420_keeps_extreme_colours_in_range():
    # A pure blue 2x2 block on the left and a pure red one on the right.
    frame = np.zeros((2, 4, 4), dtype=np.uint8)
    frame[:, :2, 2] = 255
    frame[:, 2:, 0] = 255
    out = Yuv420(4, 2)(frame)
    assert np.array_equal(out, reference(frame))
    # Cb of the blue block and Cr of the red block reach the top of TV range.
    assert out[8] == 240
    assert out[11] == 240


def test_yuv420_greys_have_neutral_chroma():
    levels = np.repeat(np.arange(0, 256, 4, dtype=np.uint8), 2)
    frame = np.broadcast_to(levels[None, :, None], (2, levels.size, 4)).copy()
    out = Yuv420(levels.size, 2)(frame)
    chroma = out[2 * levels.size:]
    assert set(chroma.tolist()) == {128}
    assert out[0] == 16
    assert out[levels.size - 1] == 16 + (252 * 220 + 128) // 256


def test_yuv420_reuse_keeps_no_old_pixels():
    convert = Yuv420(64, 36)
    first, second = random_frame(2), random_frame(3)
    convert(first)
    assert np.array_equal(convert(second), reference(second))


def test_rgba_to_yuv420_returns_new_array():
    frame = random_frame(4)
    first, second = rgba_to_yuv420(frame), rgba_to_yuv420(frame)
    assert first is not second
    assert np.array_equal(first, reference(frame))


def test_yuv420_rejects_other_frame_size():
    with pytest.raises(ValueError, match="invalid frame size 64x36: this converter takes 32x36"):
        Yuv420(32, 36)(random_frame(5))


def test_yuv420_rejects_odd_size():
    with pytest.raises(ValueError, match="even width and height, got 33x36"):
        Yuv420(33, 36)
