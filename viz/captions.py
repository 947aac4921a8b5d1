"""The words and numbers a frame shows, built from a history without drawing."""

from __future__ import annotations

from viz.history import History, Step

__all__ = ["number", "count", "vector", "short", "short_names", "step_caption",
           "start_caption", "outcome", "alt_text"]

MINUS = "\u2212"
# The maximum length of a class or feature name that frames show in full. Longer
# names run past the legend's panel or into the axis labels.
NAME_LIMIT = 28


def number(value: float) -> str:
    """Format a weight or input compactly, with a true minus sign."""
    if value != value:
        return "nan"
    text = f"{value:.4g}"
    if "e" not in text and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "0"):
        text = "0"
    return text.replace("-", MINUS)


def count(amount: int, noun: str) -> str:
    """Return `amount` with `noun`, plural unless the amount is 1: "1 epoch", "2 epochs"."""
    return f"{amount} {noun}" if amount == 1 else f"{amount} {noun}s"


def vector(values) -> str:
    """Format a vector as (a, b, c)."""
    return "(" + ", ".join(number(v) for v in values) + ")"


def short(name: str, limit: int = NAME_LIMIT) -> str:
    """Return `name`, cut to `limit` characters with an ellipsis if longer.

    Tabs, line breaks and runs of spaces become single spaces, because the
    fonts have no glyph for control characters.
    """
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    return name[:limit - 1].rstrip() + "…"


def short_names(names, limit: int = NAME_LIMIT) -> tuple[str, ...]:
    """Return `names` cut by `short`, but kept apart where cutting makes two equal.

    Names that share their first characters are cut in the middle instead,
    and if that still makes two equal, they are numbered.
    """
    names = tuple(" ".join(name.split()) for name in names)
    cut = tuple(short(name, limit) for name in names)
    if len(set(cut)) == len(set(names)):
        return cut
    head = (limit - 1) // 2
    tail = limit - 1 - head
    cut = tuple(name if len(name) <= limit else f"{name[:head]}…{name[-tail:]}"
                for name in names)
    if len(set(cut)) == len(set(names)):
        return cut
    return tuple(name if len(name) <= limit else f"{name[:max(limit - 5, 1)]}… ({i})"
                 for i, name in enumerate(names, start=1))


def label(history: History, value: float) -> str:
    """Return the class name for a label value, or the value for other outputs."""
    values = (-1.0, 1.0) if -1.0 in history.targets else (0.0, 1.0)
    if value in values:
        return short_names(history.class_names)[values.index(value)]
    return number(value)


def weight_names(history: History) -> list[str]:
    """Return the weight names: b first when the scene has a bias input, then w1, w2."""
    names = [f"w{i}" for i in range(1, len(history.feature_names) + 1)]
    return (["b"] + names) if history.settings.bias else names


def start_caption(history: History) -> list[str]:
    """Describe the untrained neuron and its settings, one list item per line."""
    settings = history.settings
    names = ", ".join(weight_names(history))
    return [
        f"Before training: ({names}) = {vector(settings.initial_weights)}",
        f"Rule: {settings.rule}, learning rate η = {number(settings.learning_rate)}, "
        f"threshold θ = {number(settings.threshold)}",
        f"{count(len(history.samples), 'sample')} in {settings.order} order; at most "
        f"{count(settings.epochs, 'epoch')}",
    ]


def _update_formula(history: History, step: Step) -> str:
    settings = history.settings
    rate = number(settings.learning_rate)
    before = vector(step.weights_before)
    after = vector(step.weights_after)
    x = vector(step.inputs)
    if settings.rule == "delta":
        factor = f"{rate}·({number(step.target)} {MINUS} {number(step.weighted_sum)})"
    elif -1.0 in history.targets:
        factor = f"{rate}·({number(step.target)})"
    else:
        factor = f"{rate}·({number(step.target)} {MINUS} {number(step.prediction)})"
    return f"w ← {before} + {factor}·{x} = {after}"


def step_caption(history: History, index: int) -> list[str]:
    """Describe step `index`: the sample, the sum, the verdict and the update."""
    step = history.steps[index]
    count = len(history.samples)
    sample = history.samples[step.index]
    right = step.prediction == step.target
    if -1.0 in history.targets and step.weighted_sum == history.settings.threshold:
        right = False
    verdict = "right" if right else "wrong"
    target = label(history, step.target)
    output = label(history, step.prediction)
    line1 = (f"Epoch {step.epoch}, sample {step.index + 1} of {count}: "
             f"x = {vector(sample)}, target {target}")
    line2 = (f"w·x = {number(step.weighted_sum)}, prediction {output}, "
             f"target {target}: {verdict}")
    if step.updated:
        line3 = _update_formula(history, step)
    elif history.settings.rule == "delta":
        line3 = "No update: w·x equals the target, so y − w·x = 0"
    else:
        line3 = "No update: the prediction is right"
    return [line1, line2, line3.replace("y − ", f"y {MINUS} ")]


def outcome(history: History) -> tuple[str, str]:
    """Say how training ended: a headline and a line of detail."""
    epochs = count(history.epochs_run, "epoch")
    updates = count(history.updates, "update")
    if history.converged:
        return (f"Converged after {epochs} and {updates}",
                "Every sample now gets its target output.")
    if history.diverged:
        return (f"Diverged: the weights grew without bound by epoch {history.epochs_run}",
                "Training stopped; a smaller learning rate keeps the weights finite.")
    if history.cycle is not None:
        first, second = history.cycle
        return ("Not linearly separable: training cycles and never converges",
                f"The weights after epoch {second} repeat those after epoch {first}. "
                f"Stopped at the limit of {epochs}, {updates}.")
    return (f"Stopped at the epoch limit of {epochs}, {updates}",
            "Some samples still get the wrong output.")


def end_caption(history: History) -> list[str]:
    """Describe the end of training: the outcome and the final weights."""
    names = ", ".join(weight_names(history))
    headline, detail = outcome(history)
    return [headline, detail, f"Final ({names}) = {vector(history.final_weights)}"]


def alt_text(history: History, title: str, kind: str = "Animation") -> str:
    """Describe a rendering of `history` in one sentence for screen readers.

    `kind` names what the file is, such as "Animation" or "Image".
    """
    values = [number(w) for w in history.final_weights]
    final = ", ".join(values[:-1]) + " and " + values[-1]
    subject = title or f"A perceptron trains on {history.scene}"
    epochs = count(history.epochs_run, "epoch")
    updates = count(history.updates, "weight update")
    if history.converged:
        how = f"converges in {epochs} with {updates}"
    elif history.diverged:
        how = f"diverges: the weights grow without bound by epoch {history.epochs_run}"
    elif history.cycle is not None:
        how = (f"never converges because the data are not linearly separable; it "
               f"stops after {epochs} and {updates}")
    else:
        how = f"does not converge within {epochs} ({updates})"
    return f"{kind}: {subject}. Training {how}; final weights {final}."


def cycle_note(history: History, end: bool = False) -> str:
    """Describe the detected cycle of weights, or return "" without one.

    With `end`, a second line explains the dashed boundaries of the last frame.
    """
    if history.cycle is None:
        return ""
    first, second = history.cycle
    note = f"Cycle: the weights after epoch {second}\nrepeat those after epoch {first}"
    if end:
        note += ";\ndashed: the boundaries it cycles through"
    return note
