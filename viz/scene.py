"""Scenes: named datasets with training settings and a frame layout."""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass, replace

from viz.history import History, Settings
from viz.model import train

__all__ = ["Scene", "register", "get_scene", "scene_names", "train_scene"]

LAYOUTS = ("gate", "plane")
INITS = ("zeros", "random")


@dataclass(frozen=True)
class Scene:
    """A dataset, how a perceptron trains on it, and how its frames look.

    `layout` is "gate" for a truth table with a neuron diagram, or "plane" for a
    scatter of points with a weight arrow and a mistakes-per-epoch plot. `fps` is
    the default rate of step frames; `start_hold` and `end_hold` are in seconds.
    """

    name: str
    description: str
    samples: tuple[tuple[float, float], ...]
    targets: tuple[float, ...]
    layout: str
    rule: str = "perceptron"
    learning_rate: float = 0.1
    threshold: float = 0.0
    bias: bool = False
    epochs: int = 100
    class_names: tuple[str, str] = ("0", "1")
    feature_names: tuple[str, str] = ("x1", "x2")
    title: str = ""
    fps: int = 2
    start_hold: float = 1.5
    end_hold: float = 3.0
    frames: str = "steps"


_SCENES: dict[str, Scene] = {}


def register(scene: Scene) -> Scene:
    """Add a scene to the registry under its name and return it."""
    if scene.layout not in LAYOUTS:
        raise ValueError(f"scene {scene.name!r} has unknown layout {scene.layout!r}; "
                         f"expected one of {', '.join(LAYOUTS)}")
    _SCENES[scene.name] = scene
    return scene


def _load() -> None:
    importlib.import_module("scenes")


def scene_names() -> list[str]:
    """Return the registered scene names in registration order."""
    _load()
    return list(_SCENES)


def get_scene(name: str) -> Scene:
    """Look a scene up by name, ignoring case, or raise ValueError listing the names."""
    _load()
    if not isinstance(name, str):
        raise TypeError(f"scene must be a name, got {type(name).__name__}")
    key = name.strip().lower().replace("-", "_")
    if key in _SCENES:
        return _SCENES[key]
    raise ValueError(unknown_scene_message(name))


def unknown_scene_message(name: str) -> str:
    """Build the error for an unknown scene: the closest name, then every name."""
    names = list(_SCENES)
    key = str(name).strip().lower()
    close = [n for n in (key, f"{key}_gate") if n in names]
    close = close or difflib.get_close_matches(key, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown scene {name!r}; {hint}scenes: {', '.join(names)}"


DEFAULT_SEED = 0


def train_scene(
    scene: Scene | str,
    *,
    epochs: int | None = None,
    learning_rate: float | None = None,
    rule: str | None = None,
    order: str = "fixed",
    seed: int | None = None,
    init: str = "zeros",
) -> History:
    """Train a scene's perceptron with its defaults, each overridable, and return the history.

    `init` is "zeros" or "random"; random initial weights are drawn uniformly from
    [-0.5, 0.5) with `seed`, which also drives the shuffled order. The default
    seed is 0, so that the same options always give the same history.
    """
    if isinstance(scene, str):
        scene = get_scene(scene)
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; expected one of {', '.join(INITS)}")
    if seed is None:
        seed = DEFAULT_SEED
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")

    size = len(scene.samples[0]) + (1 if scene.bias else 0)
    if init == "zeros":
        weights = (0.0,) * size
    else:
        import numpy as np

        # A generator of its own keeps the initial weights apart from the order.
        draws = np.random.default_rng([seed, 1]).uniform(-0.5, 0.5, size)
        weights = tuple(round(float(w), 2) for w in draws)

    settings = Settings(
        rule=rule if rule is not None else scene.rule,
        learning_rate=learning_rate if learning_rate is not None else scene.learning_rate,
        threshold=scene.threshold,
        initial_weights=weights,
        bias=scene.bias,
        order=order,
        seed=seed,
        epochs=epochs if epochs is not None else scene.epochs,
    )
    return train(scene.name, scene.samples, scene.targets, settings,
                 class_names=scene.class_names, feature_names=scene.feature_names)


def with_data(scene: Scene, samples, targets, class_names,
              feature_names=None) -> Scene:
    """Return a copy of `scene` that trains on other samples."""
    return replace(scene, samples=tuple(tuple(s) for s in samples),
                   targets=tuple(targets), class_names=tuple(class_names),
                   feature_names=tuple(feature_names or scene.feature_names))
