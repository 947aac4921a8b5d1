"""Properties of training, histories and frames over random data (hypothesis)."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import viz
from viz.history import History, Settings
from viz.model import MAX_EPOCHS, replay, train, weighted_sum
from viz.renderer import make_renderer
from viz.scene import Scene
from viz.timeline import FRAME_MODES, plan

# Every point is at least this far from the line that labels it.
MARGIN = 0.5

coordinate = st.floats(min_value=-5, max_value=5, allow_nan=False)


@st.composite
def separable_points(draw):
    """Draw points labelled by a random line, each MARGIN or more from it.

    Return the line as (c, a, b) for c + a·x1 + b·x2 = 0 with a² + b² = 1,
    the points and their labels, -1 or +1.
    """
    angle = draw(st.floats(min_value=0, max_value=2 * math.pi))
    a, b = math.cos(angle), math.sin(angle)
    c = draw(st.floats(min_value=-2, max_value=2))
    points = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1,
                           max_size=20))
    samples, targets = [], []
    for x1, x2 in points:
        distance = c + a * x1 + b * x2
        side = 1.0 if distance >= 0 else -1.0
        if abs(distance) < MARGIN:
            # Move the point along the normal until it is MARGIN from the line.
            push = side * (MARGIN - abs(distance))
            x1, x2 = x1 + push * a, x2 + push * b
        samples.append((x1, x2))
        targets.append(side)
    return (c, a, b), samples, targets


def mistake_bound(line, samples, targets) -> float:
    """Return (R/γ)², Novikoff's bound on the perceptron's updates from zero.

    The inputs carry the bias input 1 first. R is the largest input norm and γ
    the smallest distance of an input from the hyperplane through the origin
    whose unit normal is the generating line's (c, a, b), normalised.
    """
    length = math.sqrt(sum(v * v for v in line))
    normal = [v / length for v in line]
    inputs = [(1.0, x1, x2) for x1, x2 in samples]
    radius = max(math.sqrt(sum(v * v for v in x)) for x in inputs)
    margin = min(y * sum(n * v for n, v in zip(normal, x))
                 for x, y in zip(inputs, targets))
    return (radius / margin) ** 2


def train_perceptron(samples, targets, learning_rate, order, seed, epochs):
    options = Settings(rule="perceptron", learning_rate=learning_rate, threshold=0.0,
                       initial_weights=(0.0, 0.0, 0.0), bias=True, order=order,
                       seed=seed, epochs=epochs)
    return train("separable", samples, targets, options)


@settings(max_examples=50, deadline=None)
@given(data=separable_points(),
       learning_rate=st.floats(min_value=1e-3, max_value=10),
       order=st.sampled_from(["fixed", "shuffle"]),
       seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_perceptron_converges_within_bound(data, learning_rate, order, seed):
    line, samples, targets = data
    bound = mistake_bound(line, samples, targets)
    # Every epoch before the last makes at least one update.
    epochs = min(MAX_EPOCHS, math.floor(bound) + 2)

    history = train_perceptron(samples, targets, learning_rate, order, seed, epochs)
    weights = history.final_weights

    assert history.converged
    for (x1, x2), target in zip(samples, targets):
        assert target * weighted_sum(weights, (1.0, x1, x2)) > 0
    assert history.updates <= bound * (1 + 1e-9)


@st.composite
def random_scenes(draw, layout="plane", max_samples=8):
    """Draw a scene of random points, labels in either encoding, bias or not."""
    count = draw(st.integers(min_value=1, max_value=max_samples))
    points = st.tuples(st.floats(-3, 3), st.floats(-3, 3))
    samples = draw(st.lists(points, min_size=count, max_size=count))
    encoding = draw(st.sampled_from([(0.0, 1.0), (-1.0, 1.0)]))
    targets = draw(st.lists(st.sampled_from(encoding), min_size=count,
                            max_size=count))
    class_names = ("-1", "+1") if encoding[0] == -1.0 else ("0", "1")
    return Scene(name="random_points", description="Random points for tests.",
                 samples=tuple(samples), targets=tuple(targets), layout=layout,
                 rule=draw(st.sampled_from(["delta", "perceptron"])),
                 learning_rate=draw(st.floats(min_value=0.01, max_value=1)),
                 bias=draw(st.booleans()), class_names=class_names)


training_options = {
    "epochs": st.integers(min_value=1, max_value=10),
    "order": st.sampled_from(["fixed", "shuffle"]),
    "seed": st.integers(min_value=0, max_value=2**32 - 1),
    "init": st.sampled_from(["zeros", "random"]),
}


@settings(max_examples=50, deadline=None)
@given(scene=random_scenes(), **training_options)
def test_replay_gives_final_weights(scene, epochs, order, seed, init):
    history = viz.history(scene, epochs=epochs, order=order, seed=seed, init=init)

    assert replay(history) == history.final_weights


@settings(max_examples=50, deadline=None)
@given(scene=random_scenes(), **training_options)
def test_json_round_trip_unchanged(scene, epochs, order, seed, init):
    history = viz.history(scene, epochs=epochs, order=order, seed=seed, init=init)

    assert History.from_json(history.to_json()) == history


small_training = {
    "epochs": st.integers(min_value=1, max_value=3),
    "order": st.sampled_from(["fixed", "shuffle"]),
    "seed": st.integers(min_value=0, max_value=2**32 - 1),
    "init": st.sampled_from(["zeros", "random"]),
}


# Drawing is slow, so there are few examples of few frames. The sizes cover the
# wide and the tall layout.
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(scene=st.sampled_from(["plane", "gate"]).flatmap(
           lambda layout: random_scenes(layout, max_samples=4)),
       size=st.sampled_from([(320, 180), (160, 240), (200, 200)]),
       mode=st.sampled_from(FRAME_MODES),
       smooth=st.integers(min_value=0, max_value=2),
       **small_training)
def test_random_frames_planned_size(scene, size, mode, smooth, epochs, order, seed,
                                    init):
    history = viz.history(scene, epochs=epochs, order=order, seed=seed, init=init)
    frames = plan(history, fps=50, mode=mode, smooth=smooth)
    renderer = make_renderer(history, scene, size=size)

    shapes = {renderer.draw(frame).shape for frame in frames}

    assert shapes == {(size[1], size[0], 3)}
