import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

import viz
from viz import captions
from viz.cli import main
from viz.renderer import GateRenderer, make_renderer
from viz.timeline import plan

# The rows of a two-input truth table, in the order the gate scenes list them.
TRUTH_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
FIRST, SECOND = TRUTH_INPUTS[:, 0] == 1, TRUTH_INPUTS[:, 1] == 1

# (scene, expected outputs, whether the scene trains with a bias input)
LEARNABLE = [
    pytest.param("or_gate", FIRST | SECOND, False, id="or"),
    pytest.param("and_gate", FIRST & SECOND, True, id="and"),
    pytest.param("nand_gate", ~(FIRST & SECOND), True, id="nand"),
    pytest.param("nor_gate", ~(FIRST | SECOND), True, id="nor"),
]
GATE_NAMES = ["or_gate", "and_gate", "nand_gate", "nor_gate", "xor_gate"]
BIAS_GATES = ["and_gate", "nand_gate", "nor_gate", "xor_gate"]
SIZE = (320, 180)


def step_outputs(history, inputs):
    """Compute the step output of the final weights for each row of `inputs`."""
    weights = np.array(history.final_weights)
    if history.settings.bias:
        inputs = np.column_stack([np.ones(len(inputs)), inputs])
    return inputs @ weights > history.settings.threshold


def weights_after_epoch(history, epoch):
    return [step.weights_after for step in history.steps if step.epoch == epoch][-1]


@pytest.fixture(scope="module")
def gate_histories():
    return {name: viz.history(name, seed=0) for name in GATE_NAMES}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render each gate once into a small GIF and return (result, path)."""
    results = {}

    def run(name):
        if name not in results:
            out = tmp_path_factory.mktemp(name) / f"{name}.gif"
            result = CliRunner().invoke(main, [
                "scene", name, "--out", str(out), "--size", "{}x{}".format(*SIZE),
                "--quiet"])
            results[name] = result, out
        return results[name]

    return run


@pytest.fixture(scope="module")
def renderers(gate_histories):
    """Build one renderer per gate and draw its last frame to fill in the labels."""
    built = {}
    for name, history in gate_histories.items():
        scene = viz.get_scene(name)
        renderer = make_renderer(history, scene, SIZE)
        timeline = plan(history, fps=scene.fps, start_hold=scene.start_hold,
                        end_hold=scene.end_hold)
        renderer.draw(timeline[-1])
        built[name] = renderer
    yield built
    for renderer in built.values():
        renderer.close()


@pytest.mark.parametrize(("name", "expected", "bias"), LEARNABLE)
def test_gate_converges(gate_histories, name, expected, bias):
    assert gate_histories[name].converged


@pytest.mark.parametrize(("name", "expected", "bias"), LEARNABLE)
def test_gate_weights_give_truth_table(gate_histories, name, expected, bias):
    outputs = step_outputs(gate_histories[name], TRUTH_INPUTS)

    assert outputs.tolist() == expected.tolist()


@pytest.mark.parametrize(("name", "expected", "bias"), LEARNABLE)
def test_gate_bias_setting(gate_histories, name, expected, bias):
    history = gate_histories[name]

    assert history.settings.bias is bias
    assert len(history.final_weights) == 2 + bias


@pytest.mark.parametrize(("name", "expected", "bias"), LEARNABLE)
def test_gate_trains_on_truth_table(gate_histories, name, expected, bias):
    history = gate_histories[name]

    assert np.array(history.samples).tolist() == TRUTH_INPUTS.tolist()
    assert np.array(history.targets).tolist() == expected.astype(float).tolist()


def test_xor_not_converged(gate_histories):
    history = gate_histories["xor_gate"]

    assert not history.converged
    assert history.epochs_run == viz.get_scene("xor_gate").epochs


def test_xor_final_weights_wrong_somewhere(gate_histories):
    outputs = step_outputs(gate_histories["xor_gate"], TRUTH_INPUTS)

    assert outputs.tolist() != (FIRST ^ SECOND).tolist()


def test_xor_cycle_weights_repeat(gate_histories):
    history = gate_histories["xor_gate"]
    first, second = history.cycle

    assert first < second
    assert weights_after_epoch(history, first) == weights_after_epoch(history, second)


def test_xor_cycle_is_first_repeat(gate_histories):
    history = gate_histories["xor_gate"]
    _, second = history.cycle
    seen = [history.settings.initial_weights]
    seen += [weights_after_epoch(history, epoch) for epoch in range(1, second)]

    assert len(set(seen)) == len(seen)


def test_xor_render_warns_cycle(rendered, gate_histories):
    result, _ = rendered("xor_gate")
    first, second = gate_histories["xor_gate"].cycle

    assert "Warning: Not linearly separable: training cycles" in result.stderr
    assert (f"The weights after epoch {second} repeat those after epoch {first}."
            in result.stderr)


@pytest.mark.parametrize("name", GATE_NAMES)
def test_gate_render_exits_zero(rendered, name):
    result, out = rendered(name)

    assert result.exit_code == 0, result.output
    assert out.is_file()


@pytest.mark.parametrize("name", GATE_NAMES)
def test_gate_gif_frames_read_back(rendered, gate_histories, name):
    _, out = rendered(name)
    scene = viz.get_scene(name)
    timeline = plan(gate_histories[name], fps=scene.fps, start_hold=scene.start_hold,
                    end_hold=scene.end_hold)

    with Image.open(out) as image:
        sizes = {frame.size for frame in ImageSequence.Iterator(image)}
        count = image.n_frames

    assert count == len(timeline)
    assert sizes == {SIZE}


@pytest.mark.parametrize("name", GATE_NAMES)
def test_gate_renderer_has_table(renderers, name):
    renderer = renderers[name]

    assert isinstance(renderer, GateRenderer)
    assert renderer.table_axes in renderer.figure.axes
    assert len(renderer.cells) == len(TRUTH_INPUTS)


@pytest.mark.parametrize("name", BIAS_GATES)
def test_bias_gate_labels_bias_edge(renderers, gate_histories, name):
    labels = [label.get_text() for label in renderers[name].edge_labels]
    bias = gate_histories[name].final_weights[0]

    assert labels[0] == f"b = {captions.number(bias)}"
    assert len(labels) == 3


def test_or_gate_no_bias_label(renderers):
    labels = [label.get_text() for label in renderers["or_gate"].edge_labels]

    assert [text for text in labels if text.startswith("b =")] == []
    assert len(labels) == 2


def test_step_frame_labels_changed_weights_before_and_after(gate_histories):
    # The OR gate's first update: sample (0, 1) moves w2 from 0 to 0.1.
    history = gate_histories["or_gate"]
    scene = viz.get_scene("or_gate")
    timeline = plan(history, fps=scene.fps, start_hold=scene.start_hold,
                    end_hold=scene.end_hold)
    frame = next(f for f in timeline if f.kind == "step" and history.steps[f.step].updated)
    renderer = make_renderer(history, scene, SIZE)
    try:
        renderer.draw(frame)
        labels = [label.get_text() for label in renderer.edge_labels]
        sum_text = renderer.sum_text.get_text()
    finally:
        renderer.close()

    assert labels == ["w1 = 0", "w2 = 0 → 0.1"]
    assert sum_text == "s = 0"


def test_one_epoch_one_update_singular():
    # AND with a one-epoch limit stops after a single update.
    history = viz.history("and_gate", epochs=1)

    assert (history.epochs_run, history.updates) == (1, 1)
    assert captions.outcome(history)[0] == "Stopped at the epoch limit of 1 epoch, 1 update"
    assert "within 1 epoch (1 weight update)" in captions.alt_text(history, "AND")
