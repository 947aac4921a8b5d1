"""Frames of odd weights and odd data: every frame draws, at the planned size.

Weights are set by replacing a history's steps, so each case shows exactly
the weights it names, including ones that training would never reach.
"""

import dataclasses
import math

import pytest

import viz
from viz import captions
from viz.renderer import make_renderer
from viz.scene import Scene
from viz.timeline import plan

SIZE = (320, 180)
FRAME_SHAPE = (180, 320, 3)
INF = float("inf")
NAN = float("nan")
# Four points in [1, 4] x [1, 4], so the boundary x1 = 2.5 runs through the view.
POINTS = ((1.0, 1.0), (2.0, 3.0), (3.0, 1.0), (4.0, 4.0))
LABELS = (1.0, 1.0, -1.0, -1.0)


def plane_scene(samples=POINTS, targets=LABELS):
    return Scene(name="odd_geometry", description="Odd geometry for tests.",
                 samples=tuple(samples), targets=tuple(targets), layout="plane",
                 bias=True, epochs=2, fps=10)


def with_weights(history, weights):
    """Return `history` whose first step moves from zero to `weights`, then stays."""
    zeros = (0.0,) * len(weights)
    steps = [dataclasses.replace(step, weights_before=weights, weights_after=weights)
             for step in history.steps]
    steps[0] = dataclasses.replace(steps[0], weights_before=zeros)
    settings = dataclasses.replace(history.settings, initial_weights=zeros)
    return dataclasses.replace(history, steps=tuple(steps), settings=settings)


def draw_all(history, scene):
    """Draw every planned frame, in-between frames included.

    Returns the renderer, the pictures and the frames.
    """
    renderer = make_renderer(history, scene, size=SIZE)
    frames = plan(history, fps=10, smooth=2)
    return renderer, [renderer.draw(frame) for frame in frames], frames


@pytest.fixture(scope="module")
def plane_history():
    return viz.history(plane_scene(), seed=0)


@pytest.fixture(scope="module")
def or_history():
    return viz.history("or_gate", seed=0)


# Weights (b, w1, w2) for the plane, with a bias input.
PLANE_WEIGHTS = [
    pytest.param((-2.5, 1.0, 0.0), id="vertical-boundary"),
    pytest.param((0.0, 0.0, 0.0), id="zero"),
    pytest.param((1.0, 0.0, 0.0), id="bias-only"),
    pytest.param((-5e12, 1e12, 1e12), id="huge"),
    pytest.param((-5e-12, 1e-12, 1e-12), id="tiny"),
    pytest.param((NAN, 1.0, 1.0), id="nan"),
    pytest.param((1.0, INF, -INF), id="infinite"),
    pytest.param((1e308, -1e308, 1e308), id="largest-float"),
]

# Weights (w1, w2) for the OR gate, which has no bias input.
GATE_WEIGHTS = [
    pytest.param((1.0, 0.0), id="vertical-boundary"),
    pytest.param((0.0, 0.0), id="zero"),
    pytest.param((1e12, -1e12), id="huge"),
    pytest.param((1e-12, -1e-12), id="tiny"),
    pytest.param((NAN, 1.0), id="nan"),
    pytest.param((INF, -INF), id="infinite"),
]


@pytest.mark.parametrize("weights", PLANE_WEIGHTS)
def test_plane_frames_planned_size(plane_history, weights):
    history = with_weights(plane_history, weights)

    _, pictures, frames = draw_all(history, plane_scene())

    assert len(pictures) == len(frames)
    assert {picture.shape for picture in pictures} == {FRAME_SHAPE}


@pytest.mark.parametrize("weights", GATE_WEIGHTS)
def test_gate_frames_planned_size(or_history, weights):
    history = with_weights(or_history, weights)

    _, pictures, frames = draw_all(history, viz.get_scene("or_gate"))

    assert len(pictures) == len(frames)
    assert {picture.shape for picture in pictures} == {FRAME_SHAPE}


def scene_with_weights(layout, weights, plane_history, or_history):
    if layout == "plane":
        return plane_scene(), with_weights(plane_history, weights)
    return viz.get_scene("or_gate"), with_weights(or_history, weights)


@pytest.mark.parametrize(("layout", "weights", "x"), [
    ("plane", (-2.5, 1.0, 0.0), 2.5),
    ("or_gate", (1.0, 0.0), 0.0),
], ids=["plane", "gate"])
def test_vertical_boundary_drawn_at_x(plane_history, or_history, layout, weights, x):
    scene, history = scene_with_weights(layout, weights, plane_history, or_history)

    renderer, _, _ = draw_all(history, scene)
    xs, ys = renderer.panel.line.get_data()

    assert list(xs) == [x, x]
    assert ys[0] != ys[1]
    assert renderer.panel.note.get_text() == ""


@pytest.mark.parametrize(("layout", "weights"), [
    ("plane", (0.0, 0.0, 0.0)),
    ("plane", (1.0, 0.0, 0.0)),
    ("or_gate", (0.0, 0.0)),
], ids=["plane-zero", "plane-bias-only", "gate-zero"])
def test_zero_weights_note_no_boundary(plane_history, or_history, layout, weights):
    scene, history = scene_with_weights(layout, weights, plane_history, or_history)

    renderer, _, _ = draw_all(history, scene)

    assert renderer.panel.note.get_text() == "No boundary yet: both input weights are 0"
    assert list(renderer.panel.line.get_xdata()) == []


@pytest.mark.parametrize("weights", [(NAN, 1.0, 1.0), (1.0, INF, -INF)],
                         ids=["nan", "infinite"])
def test_nonfinite_weights_note_says_so(plane_history, weights):
    history = with_weights(plane_history, weights)

    renderer, _, _ = draw_all(history, plane_scene())

    assert "not finite" in renderer.panel.note.get_text()
    assert list(renderer.panel.line.get_xdata()) == []


@pytest.mark.parametrize("scale", [1e12, 1e-12], ids=["huge", "tiny"])
def test_scaled_weights_same_boundary(plane_history, scale):
    weights = (-5.0, 1.0, 1.0)
    plain, _, _ = draw_all(with_weights(plane_history, weights), plane_scene())
    scaled, _, _ = draw_all(
        with_weights(plane_history, tuple(w * scale for w in weights)), plane_scene())

    expected = plain.panel.line.get_data()
    actual = scaled.panel.line.get_data()

    assert len(expected[0]) == 2
    for want, got in zip(expected, actual):
        assert list(got) == pytest.approx(list(want))


# Odd data, trained for real.
ODD_DATA = [
    pytest.param([(1.0, 1.0), (2.0, 3.0), (3.0, 1.0), (1e6, 1e6)], [1, 1, -1, -1],
                 id="point-far-outside"),
    pytest.param([(-1e6, -1e6), (1e6, 1e6), (1e6, -1e6)], [1, -1, 1],
                 id="all-far-apart"),
    pytest.param([(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)], [1, 1, -1, -1],
                 id="one-diagonal-line"),
    pytest.param([(1.0, 0.0), (1.0, 1.0), (1.0, 2.0), (1.0, 3.0)], [1, -1, 1, -1],
                 id="one-vertical-line"),
    pytest.param([(1.0, 1.0), (1.0, 1.0), (2.0, 3.0)], [1, -1, 1],
                 id="same-place-two-labels"),
    pytest.param([(2.0, 2.0), (2.0, 2.0)], [1, 1], id="same-place-only"),
]


@pytest.mark.parametrize(("samples", "targets"), ODD_DATA)
def test_odd_data_frames_planned_size(samples, targets):
    scene = plane_scene(samples, [float(t) for t in targets])
    history = viz.history(scene, seed=0)

    _, pictures, frames = draw_all(history, scene)

    assert len(pictures) == len(frames)
    assert {picture.shape for picture in pictures} == {FRAME_SHAPE}


# XOR: not linearly separable, so training cycles and never converges.

@pytest.fixture(scope="module")
def xor_history():
    return viz.history("xor_gate", seed=0)


def test_xor_history_not_converged(xor_history):
    assert xor_history.converged is False
    assert xor_history.diverged is False


def test_xor_history_records_cycle(xor_history):
    first, second = xor_history.cycle

    assert first < second
    assert second <= xor_history.epochs_run


def test_xor_end_frame_says_so(xor_history):
    scene = viz.get_scene("xor_gate")
    renderer = make_renderer(xor_history, scene, size=SIZE)
    frames = plan(xor_history, fps=scene.fps)

    renderer.draw(frames[-1])
    captions = [artist.get_text() for artist in renderer.caption]
    note = renderer.panel.note.get_text()

    assert frames[-1].kind == "end"
    assert captions[0] == "Not linearly separable: training cycles and never converges"
    assert note.startswith("Cycle: the weights after epoch")
    assert "dashed: the boundaries it cycles through" in note


def test_xor_alt_text_says_so(xor_history):
    text = captions.alt_text(xor_history, "XOR")

    assert "never converges because the data are not linearly separable" in text


def test_diverged_history_frames_draw():
    # A learning rate this large overflows the delta rule's weights to inf and
    # then nan within the first epoch.
    history = viz.history("classifier", rule="delta", learning_rate=1e300, seed=0)
    scene = viz.get_scene("classifier")

    renderer, pictures, frames = draw_all(history, scene)

    assert not all(math.isfinite(w) for w in history.final_weights)
    assert len(pictures) == len(frames)
    assert {picture.shape for picture in pictures} == {FRAME_SHAPE}
    assert "not finite" in renderer.panel.note.get_text()
