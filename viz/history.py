"""Training records: one step per sample visit, and the run that contains them."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

__all__ = ["Step", "Settings", "History", "HISTORY_FORMAT"]

HISTORY_FORMAT = 1


@dataclass(frozen=True)
class Step:
    """One visit of one sample: what the neuron saw, output and learned."""

    epoch: int
    index: int
    inputs: tuple[float, ...]
    target: float
    weighted_sum: float
    prediction: float
    error: float
    weights_before: tuple[float, ...]
    weights_after: tuple[float, ...]

    @property
    def updated(self) -> bool:
        """Whether this visit changed the weights."""
        return self.weights_before != self.weights_after


@dataclass(frozen=True)
class Settings:
    """The training options that, with the data, determine a run."""

    rule: str
    learning_rate: float
    threshold: float
    initial_weights: tuple[float, ...]
    bias: bool
    order: str
    seed: int
    epochs: int


@dataclass(frozen=True)
class History:
    """An immutable record of one training run.

    `samples` are the feature vectors without the bias input, and `targets` their
    labels in the encoding the rule used (0/1 or -1/+1). `class_names` maps the two
    label values, negative class first, to the names a frame shows.
    """

    scene: str
    settings: Settings
    samples: tuple[tuple[float, ...], ...]
    targets: tuple[float, ...]
    class_names: tuple[str, str]
    feature_names: tuple[str, ...]
    steps: tuple[Step, ...]
    converged: bool
    epochs_run: int
    cycle: tuple[int, int] | None = None
    orders: tuple[tuple[int, ...], ...] = field(default=())
    diverged: bool = False

    @property
    def final_weights(self) -> tuple[float, ...]:
        """The weights after the last step, or the initial ones without steps."""
        if not self.steps:
            return self.settings.initial_weights
        return self.steps[-1].weights_after

    @property
    def updates(self) -> int:
        """The number of steps that changed the weights."""
        return sum(step.updated for step in self.steps)

    def updates_per_epoch(self) -> list[int]:
        """Count the weight updates made in each epoch, first epoch first."""
        counts = [0] * self.epochs_run
        for step in self.steps:
            if step.updated:
                counts[step.epoch - 1] += 1
        return counts

    def to_dict(self) -> dict:
        """Convert to plain JSON types."""
        data = asdict(self)
        data["format"] = HISTORY_FORMAT
        return data

    @classmethod
    def from_dict(cls, data: dict) -> History:
        """Build a history from `to_dict` output, raising ValueError on bad data."""
        if not isinstance(data, dict):
            raise ValueError(f"history must be a JSON object, got {type(data).__name__}")
        if data.get("format") != HISTORY_FORMAT:
            raise ValueError(
                f"unsupported history format {data.get('format')!r}; "
                f"expected {HISTORY_FORMAT}"
            )
        try:
            converged, epochs_run = data["converged"], data["epochs_run"]
        except KeyError as exc:
            raise ValueError(f"history is missing or has a bad field: {exc}") from None
        if not isinstance(converged, bool):
            raise ValueError(f"converged must be true or false, got {converged!r}")
        if isinstance(epochs_run, bool) or not isinstance(epochs_run, int):
            raise ValueError(f"epochs_run must be a whole number, got {epochs_run!r}")
        try:
            settings = Settings(**_tupled(data["settings"], Settings))
            steps = tuple(Step(**_tupled(step, Step)) for step in data["steps"])
            cycle = data.get("cycle")
            return cls(
                scene=str(data["scene"]),
                settings=settings,
                samples=tuple(tuple(float(v) for v in s) for s in data["samples"]),
                targets=tuple(float(t) for t in data["targets"]),
                class_names=tuple(str(n) for n in data["class_names"]),
                feature_names=tuple(str(n) for n in data["feature_names"]),
                steps=steps,
                converged=converged,
                epochs_run=epochs_run,
                cycle=tuple(cycle) if cycle is not None else None,
                orders=tuple(tuple(int(i) for i in o) for o in data.get("orders", ())),
                diverged=bool(data.get("diverged", False)),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"history is missing or has a bad field: {exc}") from None

    def to_json(self) -> str:
        """Serialise to JSON text that `from_json` reads back unchanged."""
        return json.dumps(self.to_dict(), indent=1)

    @classmethod
    def from_json(cls, text: str) -> History:
        """Parse JSON text written by `to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"history is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    def to_csv(self) -> str:
        """Write one row per step, with vectors spread over numbered columns."""
        size = len(self.settings.initial_weights)
        inputs = [f"x{i}" for i in range(size)]
        before = [f"w{i}_before" for i in range(size)]
        after = [f"w{i}_after" for i in range(size)]
        header = ["epoch", "index", *inputs, "target", "weighted_sum", "prediction",
                  "error", *before, *after, "updated"]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for step in self.steps:
            writer.writerow([
                step.epoch, step.index, *map(repr, step.inputs), repr(step.target),
                repr(step.weighted_sum), repr(step.prediction), repr(step.error),
                *map(repr, step.weights_before), *map(repr, step.weights_after),
                int(step.updated),
            ])
        return buffer.getvalue()

    def save(self, path: str | Path) -> None:
        """Write the history as JSON to `path`."""
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> History:
        """Read a history written by `save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _tupled(data: dict, kind: type) -> dict:
    """Turn JSON lists back into the tuples and floats the dataclass holds."""
    out = {}
    for item in fields(kind):
        value = data[item.name]
        if isinstance(value, list):
            value = tuple(float(v) for v in value)
        elif "float" in str(item.type) and isinstance(value, int):
            value = float(value)
        out[item.name] = value
    return out
