import dataclasses

import numpy as np
import pytest

import viz
from viz.history import Settings
from viz.model import apply_rule, replay, train

TRUTH_TABLE_INPUTS = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]

GATE_TARGETS = {
    "and_gate": [0.0, 0.0, 0.0, 1.0],
    "nand_gate": [1.0, 1.0, 1.0, 0.0],
    "nor_gate": [1.0, 0.0, 0.0, 0.0],
    "or_gate": [0.0, 1.0, 1.0, 1.0],
}

CLASSIFIER_POINTS = [(1.0, 1.0), (1.0, 3.0), (3.0, 1.0), (1.8, 4.8), (2.0, 5.0),
                     (4.0, 3.0), (5.0, 2.0)]
CLASSIFIER_ZERO_ONE = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0]


def step_outputs(weights, samples, bias, threshold=0.0):
    """Compute the 0/1 step output of each sample with numpy, bias input first."""
    inputs = np.array(samples, dtype=float)
    if bias:
        inputs = np.column_stack([np.ones(len(inputs)), inputs])
    return (inputs @ np.array(weights) > threshold).astype(float).tolist()


PERCEPTRON_WITH_BIAS = Settings(rule="perceptron", learning_rate=0.1, threshold=0.0,
                                initial_weights=(0.0, 0.0, 0.0), bias=True,
                                order="fixed", seed=0, epochs=100)


# Worked by hand: w ← w + 0.1·(y − w·x)·x from w = (0, 0), rows in truth-table order.
@pytest.mark.parametrize(("index", "inputs", "weights_after"), [
    (0, (0.0, 0.0), (0.0, 0.0)),
    (1, (0.0, 1.0), (0.0, 0.1)),
    (2, (1.0, 0.0), (0.1, 0.1)),
    (3, (1.0, 1.0), (0.18, 0.18)),
], ids=["x=00", "x=01", "x=10", "x=11"])
def test_or_delta_epoch_one_weights(or_history, index, inputs, weights_after):
    step = or_history.steps[index]

    assert step.epoch == 1
    assert step.inputs == inputs
    assert step.weights_after == pytest.approx(weights_after)


def test_or_delta_zero_input_no_update(or_history):
    step = or_history.steps[0]

    assert not step.updated
    assert step.weights_after == (0.0, 0.0)


def test_or_delta_converges_in_one_epoch(or_history):
    assert or_history.converged
    assert or_history.epochs_run == 1
    assert or_history.updates == 3


def test_or_perceptron_converges_in_one_epoch():
    history = viz.history("or_gate", rule="perceptron", seed=0)

    assert history.converged
    assert history.epochs_run == 1
    assert history.updates == 2
    assert history.final_weights == pytest.approx((0.1, 0.1))


def test_classifier_converges_at_epoch_71(classifier_history):
    assert classifier_history.converged
    assert classifier_history.epochs_run == 71
    assert classifier_history.steps[-1].epoch == 71
    assert classifier_history.updates == 168
    assert classifier_history.final_weights == pytest.approx((2.4, -0.42, -0.32))


@pytest.mark.parametrize(("weights", "target"), [
    ((0.0, 0.0), 1.0),
    ((0.0, 0.0), -1.0),
    ((0.5, -0.5), 1.0),
    ((0.5, -0.5), -1.0),
], ids=["zero-weights-plus", "zero-weights-minus", "balanced-plus", "balanced-minus"])
def test_apply_rule_zero_sum_is_mistake(weights, target):
    inputs = (1.0, 1.0)

    total, prediction, _, new = apply_rule("perceptron", weights, inputs, target,
                                           0.1, 0.0, True)

    assert total == 0.0
    assert prediction != target
    assert new == pytest.approx(tuple(w + 0.1 * target * x
                                      for w, x in zip(weights, inputs)))
    assert target * float(np.dot(new, inputs)) > 0


def test_perceptron_zero_one_targets_learn():
    history = train("points", CLASSIFIER_POINTS, CLASSIFIER_ZERO_ONE,
                    PERCEPTRON_WITH_BIAS)
    outputs = step_outputs(history.final_weights, CLASSIFIER_POINTS, bias=True)

    assert history.converged
    assert outputs == CLASSIFIER_ZERO_ONE


@pytest.mark.parametrize("targets", [
    (0.0, 2.0, 0.0, 2.0),
    (-1.0, 0.0, 0.0, -1.0),
    (-1.0, 0.0, 1.0, 1.0),
], ids=["zero-two", "minus-one-zero", "three-values"])
def test_train_bad_targets_raise(targets):
    with pytest.raises(ValueError, match="targets must be 0/1 or -1/"):
        train("bad", TRUTH_TABLE_INPUTS, targets, PERCEPTRON_WITH_BIAS)


def test_classifier_epoch_limit_reached():
    history = viz.history("classifier", epochs=5, seed=0)

    assert not history.converged
    assert history.epochs_run == 5
    assert len(history.steps) == 5 * 7


def test_xor_never_converges_and_cycles():
    history = viz.history("xor_gate", seed=0)

    assert not history.converged
    assert history.cycle is not None
    assert history.epochs_run == viz.get_scene("xor_gate").epochs


@pytest.mark.parametrize("scene", ["or_gate", "classifier"])
@pytest.mark.parametrize("rule", ["delta", "perceptron"])
def test_replay_matches_final_weights(scene, rule):
    history = viz.history(scene, rule=rule, seed=0)

    assert replay(history) == history.final_weights


def test_replay_detects_altered_step(classifier_history):
    steps = list(classifier_history.steps)
    steps[5] = dataclasses.replace(steps[5], weights_after=(9.0, 9.0, 9.0))
    altered = dataclasses.replace(classifier_history, steps=tuple(steps))

    with pytest.raises(ValueError, match="step 5"):
        replay(altered)


@pytest.mark.parametrize("name", list(GATE_TARGETS))
def test_gate_learns_truth_table(name):
    history = viz.history(name, seed=0)
    outputs = step_outputs(history.final_weights, TRUTH_TABLE_INPUTS,
                           bias=history.settings.bias,
                           threshold=history.settings.threshold)

    assert history.converged
    assert outputs == GATE_TARGETS[name]


def test_shuffle_new_order_each_epoch():
    history = viz.history("classifier", order="shuffle", seed=5, epochs=3)

    assert len(history.orders) == 3
    assert len(set(history.orders)) == 3
    assert all(sorted(order) == list(range(7)) for order in history.orders)


def test_shuffle_seed_reproduces_run():
    first = viz.history("classifier", order="shuffle", epochs=3)
    again = viz.history("classifier", order="shuffle", epochs=3,
                        seed=first.settings.seed)

    assert isinstance(first.settings.seed, int)
    assert again == first


def test_fixed_order_by_default(classifier_history):
    first_epoch = [step.index for step in classifier_history.steps[:7]]

    assert classifier_history.settings.order == "fixed"
    assert classifier_history.orders == ()
    assert first_epoch == list(range(7))


def test_delta_large_rate_diverges():
    history = viz.history("classifier", rule="delta", learning_rate=1.0, seed=0)

    assert history.diverged
    assert not history.converged
    assert history.epochs_run < viz.get_scene("classifier").epochs
