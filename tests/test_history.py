import csv
import io
import json

import pytest

import viz
from viz.history import History


@pytest.fixture(scope="module")
def xor_history():
    return viz.history("xor_gate", seed=0)


@pytest.fixture(scope="module")
def shuffled_history():
    return viz.history("classifier", order="shuffle", init="random", seed=7, epochs=5)


@pytest.mark.parametrize("name", [
    "or_history", "classifier_history", "xor_history", "shuffled_history",
])
def test_json_round_trip_equal(request, name):
    history = request.getfixturevalue(name)

    assert History.from_json(history.to_json()) == history


def test_save_load_round_trip(classifier_history, tmp_path):
    path = tmp_path / "classifier.json"

    classifier_history.save(path)

    assert History.load(path) == classifier_history


def test_csv_header_and_rows(or_history):
    rows = list(csv.reader(io.StringIO(or_history.to_csv())))
    header = rows[0]

    assert header[:2] == ["epoch", "index"]
    assert header[-1] == "updated"
    assert len(rows) == len(or_history.steps) + 1
    assert {len(row) for row in rows} == {len(header)}


def test_csv_values_match_steps(or_history):
    records = list(csv.DictReader(io.StringIO(or_history.to_csv())))
    second = records[1]

    assert second["epoch"] == "1"
    assert second["index"] == "1"
    assert float(second["w1_after"]) == pytest.approx(0.1)
    assert sum(int(record["updated"]) for record in records) == or_history.updates


def test_csv_classifier_one_row_per_step(classifier_history):
    rows = list(csv.reader(io.StringIO(classifier_history.to_csv())))

    assert len(rows) == len(classifier_history.steps) + 1


def _edited(history, **changes):
    data = history.to_dict()
    data.update(changes)
    return json.dumps(data)


def _without(history, key):
    data = history.to_dict()
    del data[key]
    return json.dumps(data)


def _step_without_field(history):
    data = history.to_dict()
    del data["steps"][0]["weights_after"]
    return json.dumps(data)


BAD_TEXTS = {
    "empty": lambda h: "",
    "truncated": lambda h: h.to_json()[:-20],
    "not-json": lambda h: "epoch 1, step 0",
    "json-list": lambda h: "[1, 2, 3]",
    "format-2": lambda h: _edited(h, format=2),
    "format-0": lambda h: _edited(h, format=0),
    "format-string": lambda h: _edited(h, format="1"),
    "format-missing": lambda h: _without(h, "format"),
    "steps-missing": lambda h: _without(h, "steps"),
    "steps-null": lambda h: _edited(h, steps=None),
    "step-field-missing": _step_without_field,
    "settings-number": lambda h: _edited(h, settings=5),
}


@pytest.mark.parametrize("make_text", list(BAD_TEXTS.values()), ids=list(BAD_TEXTS))
def test_from_json_bad_text_raises(or_history, make_text):
    with pytest.raises(ValueError):
        History.from_json(make_text(or_history))


def test_from_json_names_bad_format(or_history):
    with pytest.raises(ValueError, match="unsupported history format 2"):
        History.from_json(_edited(or_history, format=2))
