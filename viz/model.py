"""The perceptron, its learning rules, and training that records every step."""

from __future__ import annotations

import math
from collections.abc import Sequence

from viz.history import History, Settings, Step

__all__ = ["RULES", "ORDERS", "MAX_EPOCHS", "predict", "apply_rule", "train", "replay"]

RULES = ("delta", "perceptron")
ORDERS = ("fixed", "shuffle")

# One frame per sample visit at this limit is already hours of animation.
MAX_EPOCHS = 10_000
# Weights beyond this size only grow until they overflow, so training stops.
DIVERGED = 1e100


def weighted_sum(weights: Sequence[float], inputs: Sequence[float]) -> float:
    """Return w·x, summed left to right so that replays reproduce it exactly."""
    total = 0.0
    for w, x in zip(weights, inputs):
        total += w * x
    return total


def predict(total: float, threshold: float, signed: bool) -> float:
    """Return the step output for a weighted sum.

    With 0/1 labels the output is 1 above the threshold and 0 otherwise. With -1/+1
    labels it is +1 above, -1 below, and 0 exactly at the threshold, which matches
    neither label, so a sum on the boundary always counts as a mistake.
    """
    if total > threshold:
        return 1.0
    if signed and total < threshold:
        return -1.0
    return 0.0


def apply_rule(
    rule: str,
    weights: tuple[float, ...],
    inputs: tuple[float, ...],
    target: float,
    learning_rate: float,
    threshold: float,
    signed: bool,
) -> tuple[float, float, float, tuple[float, ...]]:
    """Visit one sample: return (weighted sum, prediction, error, new weights).

    `delta` updates whenever s ≠ y, by w ← w + η(y − s)x. `perceptron` updates on a
    wrong step output, by w ← w + η(y − ŷ)x for 0/1 labels and w ← w + η·y·x for
    -1/+1 labels.
    """
    total = weighted_sum(weights, inputs)
    output = predict(total, threshold, signed)
    if rule == "delta":
        error = target - total
        factor = learning_rate * error if total != target else 0.0
    elif rule == "perceptron":
        error = target - output
        if signed:
            wrong = target * (total - threshold) <= 0
            factor = learning_rate * target if wrong else 0.0
        else:
            factor = learning_rate * error
    else:
        raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
    if factor == 0.0:
        return total, output, error, weights
    new = tuple(w + factor * x for w, x in zip(weights, inputs))
    return total, output, error, new


def _is_signed(targets: Sequence[float]) -> bool:
    values = set(targets)
    if values <= {0.0, 1.0}:
        return False
    if values <= {-1.0, 1.0}:
        return True
    raise ValueError(
        f"targets must be 0/1 or -1/+1, got {sorted(values)!r}; map the two classes "
        "to one of these encodings"
    )


def _diverged(weights) -> bool:
    """Return whether a weight is not finite or has grown to DIVERGED or beyond."""
    return not all(math.isfinite(w) and abs(w) < DIVERGED for w in weights)


def _all_right(weights, rows, targets, threshold, signed) -> bool:
    for inputs, target in zip(rows, targets):
        total = weighted_sum(weights, inputs)
        if signed and target * (total - threshold) <= 0:
            return False
        if predict(total, threshold, signed) != target:
            return False
    return True


def _check_settings(settings: Settings, size: int) -> None:
    if settings.rule not in RULES:
        raise ValueError(
            f"unknown rule {settings.rule!r}; expected one of {', '.join(RULES)}"
        )
    if settings.order not in ORDERS:
        raise ValueError(
            f"unknown order {settings.order!r}; expected one of {', '.join(ORDERS)}"
        )
    rate = settings.learning_rate
    if not isinstance(rate, (int, float)) or not math.isfinite(rate) or rate <= 0:
        raise ValueError(f"the learning rate must be a finite number above 0, got {rate!r}")
    epochs = settings.epochs
    if (isinstance(epochs, bool) or not isinstance(epochs, int)
            or not 1 <= epochs <= MAX_EPOCHS):
        raise ValueError(
            f"epochs must be a whole number from 1 to {MAX_EPOCHS}, "
            f"got {settings.epochs!r}"
        )
    if len(settings.initial_weights) != size:
        raise ValueError(
            f"initial_weights must have {size} values, "
            f"got {len(settings.initial_weights)}"
        )


def train(
    scene: str,
    samples: Sequence[Sequence[float]],
    targets: Sequence[float],
    settings: Settings,
    class_names: tuple[str, str] = ("0", "1"),
    feature_names: tuple[str, ...] = ("x1", "x2"),
) -> History:
    """Train from `settings.initial_weights` and record one step per sample visit.

    Training stops after the first epoch whose final weights give every sample its
    target output, after `settings.epochs` epochs, or after an epoch that leaves a
    weight above 1e100 in size or not finite (`History.diverged`). With the fixed order, weights
    that repeat at the end of an epoch are recorded in `History.cycle` as
    (earlier epoch, later epoch), because from then on training only repeats itself.
    """
    samples = tuple(tuple(float(v) for v in s) for s in samples)
    targets = tuple(float(t) for t in targets)
    rows = [(1.0, *s) if settings.bias else s for s in samples]
    signed = _is_signed(targets)
    _check_settings(settings, len(rows[0]) if rows else 0)

    # numpy loads here, not at import, so that listing scenes stays fast.
    import numpy as np

    rng = np.random.default_rng(settings.seed)
    weights = tuple(float(w) for w in settings.initial_weights)
    steps: list[Step] = []
    orders: list[tuple[int, ...]] = []
    seen = {weights: 0}
    cycle = None
    converged = False
    diverged = False
    epoch = 0
    for epoch in range(1, settings.epochs + 1):
        order = tuple(range(len(rows)))
        if settings.order == "shuffle":
            order = tuple(int(i) for i in rng.permutation(len(rows)))
            orders.append(order)
        for index in order:
            total, output, error, new = apply_rule(
                settings.rule, weights, rows[index], targets[index],
                settings.learning_rate, settings.threshold, signed,
            )
            steps.append(Step(epoch, index, rows[index], targets[index], total,
                              output, error, weights, new))
            weights = new

        if _diverged(weights):
            diverged = True
            break
        if _all_right(weights, rows, targets, settings.threshold, signed):
            converged = True
            break
        if settings.order == "fixed" and cycle is None:
            if weights in seen:
                cycle = (seen[weights], epoch)
            seen[weights] = epoch

    return History(
        scene=scene, settings=settings, samples=samples, targets=targets,
        class_names=tuple(class_names), feature_names=tuple(feature_names),
        steps=tuple(steps), converged=converged, epochs_run=epoch, cycle=cycle,
        orders=tuple(orders), diverged=diverged,
    )


def replay(history: History) -> tuple[float, ...]:
    """Recompute every step from the initial weights and return the final weights.

    Raises ValueError at the first step whose recorded inputs, target, sum,
    prediction, error or weights differ from the recomputed ones, or when the
    recorded outcome (converged, diverged, stopped at the limit) does not
    follow from the final weights. NaN in a diverged run equals NaN.
    """
    settings = history.settings
    signed = _is_signed(history.targets)
    rows = [(1.0, *s) if settings.bias else tuple(s) for s in history.samples]
    weights = settings.initial_weights
    for number, step in enumerate(history.steps):
        row = rows[step.index]
        if not _same(tuple(step.inputs), row) or step.target != history.targets[step.index]:
            raise ValueError(f"step {number} records inputs {step.inputs} and target "
                             f"{step.target}, but sample {step.index} is {row} with target "
                             f"{history.targets[step.index]}")
        if not _same(step.weights_before, weights):
            raise ValueError(f"step {number} starts from {step.weights_before}, "
                             f"but the replay reached {weights}")
        total, output, error, weights = apply_rule(
            settings.rule, weights, row, step.target, settings.learning_rate,
            settings.threshold, signed)
        recorded = (step.weighted_sum, step.prediction, step.error)
        if not _same(recorded, (total, output, error)):
            raise ValueError(f"step {number} records w·x = {step.weighted_sum}, "
                             f"prediction {step.prediction} and error {step.error}, but "
                             f"the replay computed {total}, {output} and {error}")
        if not _same(weights, step.weights_after):
            raise ValueError(f"step {number} recorded {step.weights_after}, "
                             f"but the replay computed {weights}")
    _check_outcome(history, weights, rows, signed)
    return weights


def _same(a, b) -> bool:
    """Compare numbers or tuples of numbers, taking NaN as equal to NaN."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b)))
    return a == b or (a != a and b != b)


def _check_outcome(history: History, weights, rows, signed: bool) -> None:
    settings = history.settings
    diverged = _diverged(weights)
    if history.diverged != diverged:
        if history.diverged:
            raise ValueError("the history records that training diverged, but its "
                             "final weights stay below 1e100")
        raise ValueError("the final weights grow past 1e100, but the history does "
                         "not record that training diverged")
    if diverged:
        return
    right = _all_right(weights, rows, history.targets, settings.threshold, signed)
    if history.converged != right:
        if history.converged:
            raise ValueError("the history records that training converged, but its "
                             "final weights give some samples the wrong output")
        raise ValueError("the final weights give every sample its target, but the "
                         "history does not record that training converged")
    if history.converged and history.cycle is not None:
        raise ValueError("the history records that training both converged and cycled")
    if not history.converged and history.epochs_run != settings.epochs:
        raise ValueError(f"training stopped after {history.epochs_run} epochs without "
                         f"converging, before its limit of {settings.epochs}")
