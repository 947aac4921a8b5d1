import csv
import json

import pytest
from click.testing import CliRunner

import viz
from viz.cli import main

SIZE = "320x180"


def run(*arguments):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def record(folder, name, *options, file_name="run.json"):
    """Run `render history NAME` into `folder` and return (result, loaded history)."""
    path = folder / file_name
    result = run("history", name, "--out", path, *options)
    assert result.exit_code == 0, result.output
    return result, viz.History.load(path)


def visit_order(history):
    return [step.index for step in history.steps]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("histories")


@pytest.fixture(scope="module")
def classifier_file(folder):
    path = folder / "classifier.json"
    result = run("history", "classifier", "--out", path, "--seed", 0)
    assert result.exit_code == 0, result.output
    return path


def test_shuffle_same_seed_same_history(tmp_path):
    _, first = record(tmp_path, "classifier", "--order", "shuffle", "--seed", 5,
                      file_name="first.json")
    _, second = record(tmp_path, "classifier", "--order", "shuffle", "--seed", 5,
                       file_name="second.json")

    assert first == second


def test_shuffle_differs_from_fixed(tmp_path):
    _, shuffled = record(tmp_path, "classifier", "--order", "shuffle", "--seed", 5,
                         file_name="shuffled.json")
    _, fixed = record(tmp_path, "classifier", "--seed", 5, file_name="fixed.json")

    assert visit_order(shuffled) != visit_order(fixed)
    assert visit_order(fixed)[:7] == list(range(7))


def test_shuffle_other_seed_differs(tmp_path):
    _, first = record(tmp_path, "classifier", "--order", "shuffle", "--seed", 5,
                      file_name="five.json")
    _, second = record(tmp_path, "classifier", "--order", "shuffle", "--seed", 6,
                       file_name="six.json")

    assert visit_order(first) != visit_order(second)


def test_shuffle_records_seed_and_orders(tmp_path):
    _, history = record(tmp_path, "classifier", "--order", "shuffle", "--seed", 5)
    epoch_orders = [[step.index for step in history.steps if step.epoch == epoch]
                    for epoch in range(1, history.epochs_run + 1)]

    assert history.settings.seed == 5
    assert history.settings.order == "shuffle"
    assert [list(order) for order in history.orders] == epoch_orders
    assert all(sorted(order) == list(range(7)) for order in epoch_orders)


def test_no_seed_records_seed_zero(tmp_path):
    path = tmp_path / "run.json"

    result = run("history", "classifier", "--order", "shuffle", "--out", path)
    seed = json.loads(path.read_text(encoding="utf-8"))["settings"]["seed"]

    assert result.exit_code == 0, result.output
    assert seed == 0


def test_no_seed_same_file_twice(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for path in (first, second):
        result = run("history", "classifier", "--order", "shuffle", "--init", "random",
                     "--out", path)
        assert result.exit_code == 0, result.output

    assert first.read_bytes() == second.read_bytes()


def test_random_init_same_seed_same(tmp_path):
    _, first = record(tmp_path, "classifier", "--init", "random", "--seed", 3,
                      file_name="first.json")
    _, second = record(tmp_path, "classifier", "--init", "random", "--seed", 3,
                       file_name="second.json")

    assert first == second


def test_random_init_differs_from_zeros(tmp_path):
    _, random_start = record(tmp_path, "classifier", "--init", "random", "--seed", 3,
                             file_name="random.json")
    _, zero_start = record(tmp_path, "classifier", "--seed", 3, file_name="zeros.json")
    weights = random_start.settings.initial_weights

    assert zero_start.settings.initial_weights == (0.0, 0.0, 0.0)
    assert weights != zero_start.settings.initial_weights
    assert all(-0.5 <= w <= 0.5 for w in weights)
    assert random_start.steps[0].weights_before == weights


def test_random_init_other_seed_differs(tmp_path):
    _, first = record(tmp_path, "classifier", "--init", "random", "--seed", 3,
                      file_name="three.json")
    _, second = record(tmp_path, "classifier", "--init", "random", "--seed", 4,
                       file_name="four.json")

    assert first.settings.initial_weights != second.settings.initial_weights


def test_history_json_matches_training(tmp_path):
    result, history = record(tmp_path, "or_gate", "--seed", 0)

    assert history == viz.history("or_gate", seed=0)
    assert result.stdout.startswith(f"Wrote {tmp_path / 'run.json'}: 4 steps, ")


def test_history_csv_one_row_per_step(tmp_path, classifier_history):
    path = tmp_path / "run.csv"

    result = run("history", "classifier", "--format", "csv", "--out", path,
                 "--seed", 0)
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))

    assert result.exit_code == 0, result.output
    assert len(rows) == len(classifier_history.steps)
    assert [int(row["index"]) for row in rows] == visit_order(classifier_history)
    assert rows[-1]["epoch"] == str(classifier_history.epochs_run)


def test_history_csv_not_json(tmp_path):
    path = tmp_path / "run.csv"

    run("history", "or_gate", "--format", "csv", "--out", path)

    assert path.read_text(encoding="utf-8").startswith("epoch,index,")


@pytest.mark.parametrize(("name", "training", "drawing"), [
    ("or_gate", [], []),
    ("classifier", ["--epochs", "5"], ["--fps", "50"]),
], ids=["or_gate", "classifier-5-epochs"])
def test_from_history_matches_direct(tmp_path, name, training, drawing):
    recorded = tmp_path / "run.json"
    run("history", name, "--out", recorded, *training)
    replayed = tmp_path / "replayed.gif"
    direct = tmp_path / "direct.gif"

    from_file = run("scene", name, "--from-history", recorded, "--out", replayed,
                    "--size", SIZE, "--quiet", *drawing)
    trained = run("scene", name, "--out", direct, "--size", SIZE, "--quiet",
                  *training, *drawing)

    assert from_file.exit_code == 0, from_file.output
    assert trained.exit_code == 0, trained.output
    assert replayed.read_bytes() == direct.read_bytes()


def test_from_history_other_scene_fails(tmp_path, classifier_file):
    out = tmp_path / "or_gate.gif"

    result = run("scene", "or_gate", "--from-history", classifier_file, "--out", out,
                 "--size", SIZE)
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: history file {str(classifier_file)!r}")
    assert "records scene 'classifier', not 'or_gate'" in lines[0]
    assert not out.exists()


def truncated(text):
    return text[:len(text) // 2]


def other_format(text):
    data = json.loads(text)
    data["format"] = 2
    return json.dumps(data)


def edited(change):
    """Return a damage function that edits the parsed history with `change`."""
    def damage(text):
        data = json.loads(text)
        change(data)
        return json.dumps(data)
    return damage


def set_in(path, value):
    """Return a change that sets data[path[0]][path[1]]... to `value`."""
    def change(data):
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value
    return change


@pytest.mark.parametrize(("damage", "words"), [
    (truncated, "is not valid JSON"),
    (other_format, "unsupported history format 2; expected 1"),
    (lambda text: "", "is not valid JSON"),
    (edited(set_in(["steps", 3, "index"], 99)), "step 3 visits sample 99"),
    (edited(set_in(["steps", 0, "weights_after"], [0.1])), "step 0 must have 3 inputs"),
    (edited(set_in(["feature_names"], ["x1"])), "2 feature names, got 1"),
    (edited(set_in(["samples", 2], [1.0])), "sample 2 must have 2 features, got 1"),
    (edited(set_in(["class_names"], ["a"])), "2 class names, got 1"),
    (edited(set_in(["settings", "threshold"], None)), "must be finite numbers"),
    (edited(set_in(["settings", "rule"], "magic")), "rule 'magic' is unknown"),
    (edited(set_in(["targets"], [7.0] * 7)), "got [7.0]"),
    (edited(set_in(["steps", 0, "epoch"], 0)), "epochs start at 1"),
    (edited(set_in(["cycle"], [1])), "cycle [1] must be two epochs"),
    (edited(set_in(["cycle"], [2, 500])), "cycle [2, 500] must be two epochs"),
    (edited(set_in(["epochs_run"], 5)),
     "epochs_run is 5, but the last step is in epoch 71"),
    (edited(set_in(["epochs_run"], 500)), "epochs_run must be from 1 to the epoch limit"),
    (edited(set_in(["epochs_run"], 10**30)), "epochs_run must be from 1"),
    (edited(set_in(["diverged"], True)), "records that training diverged, but its final"),
    (edited(set_in(["targets", 0], -1.0)), "step 0 records inputs"),
    (edited(set_in(["steps", 0, "weighted_sum"], 42)), "step 0 records w·x = 42"),
    (edited(set_in(["steps", 0, "prediction"], 1.0)), "prediction 1.0"),
    (edited(set_in(["steps", 3, "index"], 0.0)), "step 3 visits sample 0.0"),
    (edited(set_in(["steps", 3, "index"], False)), "step 3 visits sample False"),
    (edited(set_in(["steps", 3, "weights_after"], 5)), "step 3 must list its inputs"),
    (edited(set_in(["settings", "epochs"], 0)), "epoch limit must be a whole number"),
    (edited(set_in(["settings", "order"], "bogus")), "order 'bogus' is unknown"),
    (edited(set_in(["settings", "seed"], "abc")), "seed must be a whole number"),
    (edited(set_in(["cycle"], [1, 2])), "both converged and cycled"),
    (edited(lambda data: data["samples"].append([9.0, 9.0])), "8 samples but 7 targets"),
    (edited(set_in(["epochs_run"], 70.5)), "epochs_run must be a whole number, got 70.5"),
    (edited(set_in(["converged"], "yes")), "converged must be true or false, got 'yes'"),
    (edited(set_in(["steps", 4, "weighted_sum"], "abc")), "step 4 contains a value that "
                                                          "is not a number"),
    (edited(set_in(["steps", 4, "weights_after"], [float("nan")] * 3)),
     "step 4 contains a value that is not finite"),
    (edited(set_in(["settings", "learning_rate"], -0.1)), "learning rate must be above 0"),
    (edited(set_in(["steps", 5, "epoch"], 3)), "step 6 is in epoch 1, before the epoch 3"),
    (edited(set_in(["steps", 0, "weights_after"], [9.0, 9.0, 9.0])), "replay"),
], ids=["truncated", "format-2", "empty", "index", "weights", "features", "sample",
        "classes", "threshold", "rule", "targets", "epoch", "cycle-short",
        "cycle-range", "epochs-run-low", "epochs-run-high", "epochs-run-huge",
        "diverged-flag", "target-flipped", "sum-edited", "prediction-edited",
        "index-float", "index-bool", "weights-number", "epoch-limit-0", "order-bogus",
        "seed-text", "cycle-on-converged", "extra-sample", "epochs-run-fraction",
        "converged-text", "sum-text", "nan-weights", "negative-rate", "epoch-order",
        "weights-edited"])
def test_from_history_damaged_fails(tmp_path, classifier_file, damage, words):
    damaged = tmp_path / "damaged.json"
    damaged.write_text(damage(classifier_file.read_text(encoding="utf-8")),
                       encoding="utf-8")
    out = tmp_path / "classifier.gif"

    result = run("scene", "classifier", "--from-history", damaged, "--out", out,
                 "--size", SIZE)
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: history file {str(damaged)!r} is damaged: ")
    assert words in lines[0]
    assert "write it again with 'render history'" in lines[0]
    assert not out.exists()


def test_from_history_missing_file_fails(tmp_path):
    missing = tmp_path / "missing.json"

    result = run("scene", "or_gate", "--from-history", missing, "--out",
                 tmp_path / "or_gate.gif", "--size", SIZE)

    assert result.exit_code == 1
    assert result.stderr == f"Error: history file {str(missing)!r} not found\n"


def test_from_history_warns_ignored_options(tmp_path, classifier_file):
    data = tmp_path / "points.csv"
    data.write_text("x,y,label\n1,2,a\n3,4,b\n1,3,a\n4,2,b\n")
    out = tmp_path / "replayed.png"

    result = run("scene", "classifier", "--from-history", classifier_file, "--data", data,
                 "--epochs", 3, "--out", out, "--size", SIZE)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]

    assert result.exit_code == 0, result.output
    assert warnings == ["Warning: a history is rendered as recorded, so the options for "
                        "epochs, data had no effect"]
