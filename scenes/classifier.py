"""Seven labelled points in the plane that a line with an offset separates."""

from viz.scene import Scene, register

CLASSIFIER = register(Scene(
    name="classifier",
    description="Seven 2D points, labels -1/+1, perceptron rule with a bias input.",
    title="A perceptron learns a line that separates two classes",
    samples=((1.0, 1.0), (1.0, 3.0), (3.0, 1.0), (1.8, 4.8), (2.0, 5.0), (4.0, 3.0),
             (5.0, 2.0)),
    targets=(1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0),
    layout="plane",
    rule="perceptron",
    bias=True,
    epochs=100,
    class_names=("-1", "+1"),
    fps=20,
    start_hold=1.5,
    end_hold=3.0,
))
