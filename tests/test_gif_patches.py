"""The patch a GIF frame stores shows the frame over the one before it."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from viz.palette import TRANSPARENT
from viz.writers import transparent_unchanged

# Few colours, so that runs and repeats are common.
frames = arrays(np.uint8, st.tuples(st.integers(1, 6), st.integers(1, 9)),
                elements=st.integers(0, 3))


def shown(previous, patch):
    """Return what a viewer shows: `patch` over `previous`, transparent pixels left."""
    return np.where(patch == TRANSPARENT, previous, patch)


@given(frames, st.data())
def test_patch_over_previous_shows_frame(frame, data):
    previous = data.draw(arrays(np.uint8, frame.shape, elements=st.integers(0, 3)))

    patch = transparent_unchanged(frame, frame != previous)

    assert np.array_equal(shown(previous, patch), frame)


@given(frames)
def test_unchanged_frame_all_transparent(frame):
    patch = transparent_unchanged(frame, np.zeros(frame.shape, dtype=bool))

    assert (patch == TRANSPARENT).all()


def test_changed_run_kept_whole():
    previous = np.array([[1, 1, 2, 2, 2, 3]], dtype=np.uint8)
    frame = np.array([[1, 2, 2, 2, 2, 3]], dtype=np.uint8)

    patch = transparent_unchanged(frame, frame != previous)

    # The run of 2s changed at its first pixel, so it is stored whole; the 1
    # and the 3 did not change.
    assert patch.tolist() == [[TRANSPARENT, 2, 2, 2, 2, TRANSPARENT]]


def test_runs_end_at_row_ends():
    previous = np.array([[0, 0], [0, 0]], dtype=np.uint8)
    frame = np.array([[0, 5], [5, 0]], dtype=np.uint8)

    patch = transparent_unchanged(frame, frame != previous)

    assert patch.tolist() == [[TRANSPARENT, 5], [5, TRANSPARENT]]
