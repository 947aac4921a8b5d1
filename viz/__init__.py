"""Animations of a perceptron learning, for slides, READMEs and handouts.

Importing this package loads neither matplotlib nor the renderer; they load
on the first render.
"""

from viz.api import RenderResult, history, render
from viz.history import History, Settings, Step
from viz.scene import Scene, get_scene, register, scene_names

__all__ = ["render", "history", "RenderResult", "History", "Settings", "Step",
           "Scene", "get_scene", "register", "scene_names", "__version__"]

__version__ = "0.1.0"
