"""Logic gates on the four rows of a two-input truth table."""

from viz.scene import Scene, register

INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))

# OR learns with the rule on the raw weighted sum, from zero weights, with neither a
# bias nor a threshold, as in the classic worked example. AND, NAND and NOR have no
# such solution through the origin, so they train with a bias input. Their
# learning rate of 0.25 is a binary fraction, so every weight and sum is exact:
# with 0.1, NAND ends with 0.2 - 0.2 = 4e-17 > 0 for the row (1, 0), right only
# by rounding, where the exact sum 0 gives the wrong output.
GATE_RATE = 0.25
OR_GATE = register(Scene(
    name="or_gate",
    description="OR truth table, delta rule, no bias: learns in 1 epoch.",
    title="A perceptron learns OR",
    samples=INPUTS,
    targets=(0.0, 1.0, 1.0, 1.0),
    layout="gate",
    rule="delta",
    fps=1,
))

AND_GATE = register(Scene(
    name="and_gate",
    description="AND truth table, perceptron rule with a bias input.",
    title="A perceptron learns AND",
    samples=INPUTS,
    targets=(0.0, 0.0, 0.0, 1.0),
    layout="gate",
    learning_rate=GATE_RATE,
    bias=True,
    fps=2,
))

NAND_GATE = register(Scene(
    name="nand_gate",
    description="NAND truth table, perceptron rule with a bias input.",
    title="A perceptron learns NAND",
    samples=INPUTS,
    targets=(1.0, 1.0, 1.0, 0.0),
    layout="gate",
    learning_rate=GATE_RATE,
    bias=True,
    fps=2,
))

NOR_GATE = register(Scene(
    name="nor_gate",
    description="NOR truth table, perceptron rule with a bias input.",
    title="A perceptron learns NOR",
    samples=INPUTS,
    targets=(1.0, 0.0, 0.0, 0.0),
    layout="gate",
    learning_rate=GATE_RATE,
    bias=True,
    fps=2,
))

XOR_GATE = register(Scene(
    name="xor_gate",
    description="XOR truth table: not linearly separable, so training never converges.",
    title="A perceptron cannot learn XOR",
    samples=INPUTS,
    targets=(0.0, 1.0, 1.0, 0.0),
    layout="gate",
    learning_rate=GATE_RATE,
    bias=True,
    epochs=12,
    fps=4,
))
