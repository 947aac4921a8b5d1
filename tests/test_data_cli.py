import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.text import Text
from PIL import Image, ImageSequence

import viz
from viz import captions
from viz.cli import main
from viz.data import MAX_POINTS
from viz.renderer import make_renderer
from viz.timeline import plan

PETS = """weight,height,animal
1.0,1.5,cat
1.5,2.0,cat
2.0,1.0,cat
1.2,0.8,cat
2.5,1.8,cat
0.5,2.2,cat
4.0,4.5,dog
4.5,3.5,dog
5.0,5.0,dog
3.8,5.2,dog
5.5,4.0,dog
4.2,3.9,dog
"""
SIZE = (320, 180)
FPS = 50


def point_rows(count):
    """Return `count` distinct points as CSV rows, labelled cat and dog in turn."""
    return "".join(f"{i},{i % 7},{'cat' if i % 2 else 'dog'}\n" for i in range(count))


# (file content or None for a missing file, where the error points, words in it)
BAD_FILES = [
    pytest.param(None, None, ["file not found"], id="missing"),
    pytest.param("", None, ["empty"], id="empty"),
    pytest.param("x,y,label\n", "line 1", ["no data rows"], id="header-only"),
    pytest.param("x,y,label\n1,2,cat\nabc,4,dog\n", "line 3, column 1",
                 ["'abc' is not a number"], id="non-numeric"),
    pytest.param("x,y,label\n1,2,cat\n3,nan,dog\n", "line 3, column 2",
                 ["'nan' is not a finite number"], id="nan"),
    pytest.param("x,y,label\n1,2,cat\n3,4,dog,5\n", "line 3",
                 ["found 4 fields, expected 3"], id="four-columns"),
    pytest.param("x,y,label\n1,2,cat\n3,4\n", "line 3",
                 ["found 2 fields, expected 3"], id="two-columns"),
    pytest.param("x,y,label\n1,2,cat\n3,4,cat\n", None, ["'cat'", "two classes"],
                 id="one-class"),
    pytest.param("x,y,label\n1,2,cat\n3,4,dog\n5,6,bird\n", "line 4, column 3",
                 ["third label 'bird'"], id="three-classes"),
    pytest.param("x,y,label\n1,2,cat\n3,4,dog\n1,2,dog\n", "lines 2 and 4",
                 ["(1.0, 2.0)", "no line can separate"], id="conflicting-labels"),
    pytest.param("x,y,label\n" + point_rows(MAX_POINTS + 1), f"line {MAX_POINTS + 2}",
                 [f"more than {MAX_POINTS} points"], id="too-many-points"),
]


@pytest.fixture(scope="module")
def pets_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "pets.csv"
    path.write_text(PETS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pets_history(pets_csv):
    return viz.history("classifier", data=pets_csv, seed=0)


@pytest.fixture(scope="module")
def pets_render(pets_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("render") / "pets.gif"
    result = CliRunner().invoke(main, [
        "scene", "classifier", "--data", str(pets_csv), "--out", str(out),
        "--size", "{}x{}".format(*SIZE), "--fps", str(FPS), "--quiet"])
    return result, out


@pytest.fixture(scope="module")
def pets_renderer(pets_history):
    renderer = make_renderer(pets_history, viz.get_scene("classifier"), SIZE)
    yield renderer
    renderer.close()


def test_data_render_exits_zero(pets_render):
    result, out = pets_render

    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_data_gif_frames_read_back(pets_render, pets_history):
    _, out = pets_render
    scene = viz.get_scene("classifier")
    timeline = plan(pets_history, fps=FPS, start_hold=scene.start_hold,
                    end_hold=scene.end_hold)

    with Image.open(out) as image:
        frames = [np.asarray(frame.convert("RGB"))
                  for frame in ImageSequence.Iterator(image)]

    assert len(frames) == len(timeline)
    assert {frame.shape for frame in frames} == {(SIZE[1], SIZE[0], 3)}
    assert not np.array_equal(frames[0], frames[-1])


def test_data_history_uses_file_points(pets_history):
    lines = PETS.splitlines()[1:]
    points = [tuple(float(v) for v in line.split(",")[:2]) for line in lines]
    signs = [1.0 if line.endswith("dog") else -1.0 for line in lines]

    assert pets_history.samples == tuple(points)
    assert pets_history.targets == tuple(signs)
    assert pets_history.feature_names == ("weight", "height")


def test_data_history_converges(pets_history):
    outputs = np.sign(np.column_stack([np.ones(12), pets_history.samples])
                      @ np.array(pets_history.final_weights))

    assert pets_history.converged
    assert outputs.tolist() == list(pets_history.targets)


def test_data_legend_names_classes(pets_renderer):
    texts = [text.get_text() for text in pets_renderer.figure.legends[0].get_texts()]

    assert any("cat" in text for text in texts)
    assert any("dog" in text for text in texts)


def test_data_axis_labels_from_header(pets_renderer):
    axes = pets_renderer.plane_axes

    assert axes.get_xlabel() == "weight"
    assert axes.get_ylabel() == "height"


@pytest.mark.parametrize("axis", [0, 1], ids=["x", "y"])
def test_data_view_holds_points(pets_renderer, pets_history, axis):
    axes = pets_renderer.plane_axes
    low, high = axes.get_xlim() if axis == 0 else axes.get_ylim()
    values = np.array(pets_history.samples)[:, axis]
    # A marker near the edge is cut off, so every point needs room around it.
    margin = 0.05 * (high - low)

    assert values.min() >= low + margin
    assert values.max() <= high - margin


@pytest.mark.parametrize(("content", "location", "words"), BAD_FILES)
def test_data_bad_file_fails(tmp_path, content, location, words):
    path = tmp_path / "points.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.gif"

    result = CliRunner().invoke(main, [
        "scene", "classifier", "--data", str(path), "--out", str(out),
        "--size", "{}x{}".format(*SIZE), "--quiet"])
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {path}")
    if location is not None:
        assert location in lines[0]
    for word in words:
        assert word in lines[0]
    assert not out.exists()


@pytest.mark.parametrize("command", ["scene", "history"])
def test_data_with_gate_fails(pets_csv, tmp_path, command):
    out = tmp_path / ("out.gif" if command == "scene" else "out.json")

    result = CliRunner().invoke(main, [command, "and_gate", "--data", str(pets_csv),
                                       "--out", str(out)])
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert lines[0].startswith("Error: scene 'and_gate' has fixed inputs")
    assert "'classifier'" in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["png", "sheet"])
def test_dollar_labels_render_as_text(tmp_path, fmt):
    data = tmp_path / "prices.csv"
    data.write_text("x1,x2,label\n1,2,$\\nosuchcmd\n2,1,b$\n3,3,$\\nosuchcmd\n4,1,b$\n")
    out = tmp_path / "prices.png"

    result = CliRunner().invoke(main, ["scene", "classifier", "--data", str(data),
                                       "--format", fmt, "--out", str(out), "--quiet"])

    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


LONG_NAMES = """petal length in centimetres measured at noon,sepal width after drying,species
1.0,2.0,Iris setosa from the northern meadow
2.0,1.0,Iris versicolor from the southern hills
3.0,3.5,Iris setosa from the northern meadow
4.0,1.5,Iris versicolor from the southern hills
"""


# Class names of wide letters that differ only at the end.
WIDE_NAMES = ("a,b,label\n1,2,{0}one\n2,1,{0}two\n3,3.5,{0}one\n4,1.5,{0}two\n"
              .format("W" * 25))


@pytest.mark.parametrize("size", [(640, 360), (1280, 720)], ids=["640", "1280"])
@pytest.mark.parametrize("names", [LONG_NAMES, WIDE_NAMES], ids=["long", "wide"])
def test_long_names_stay_inside_frame(tmp_path, size, names):
    data = tmp_path / "iris.csv"
    data.write_text(names, encoding="utf-8")
    history = viz.history("classifier", data=data, seed=0)
    scene = viz.get_scene("classifier")
    timeline = plan(history, fps=scene.fps, start_hold=scene.start_hold,
                    end_hold=scene.end_hold)
    renderer = make_renderer(history, scene, size)
    try:
        outside = []
        for frame in (timeline[1], timeline[-1]):
            renderer.draw(frame)
            canvas = renderer.figure.canvas.get_renderer()
            for text in renderer.figure.findobj(Text):
                # Tick labels outside the view exist but are not drawn, so
                # only texts with words are checked.
                words = any(character.isalpha() for character in text.get_text())
                if not text.get_visible() or not words:
                    continue
                box = text.get_window_extent(canvas)
                if box.x0 < 0 or box.y0 < 0 or box.x1 > size[0] or box.y1 > size[1]:
                    outside.append(text.get_text())
    finally:
        renderer.close()

    assert outside == []


def test_long_names_warn_and_shorten(tmp_path):
    data = tmp_path / "iris.csv"
    data.write_text(LONG_NAMES, encoding="utf-8")
    out = tmp_path / "iris.png"

    result = CliRunner().invoke(main, ["scene", "classifier", "--data", str(data),
                                       "--format", "png", "--out", str(out), "--quiet"])
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("Warning: the name")]

    assert result.exit_code == 0, result.output
    assert len(warnings) == 3
    assert any("frames show 'petal length in centimetres…'" in line for line in warnings)
    assert "'sepal width after drying'" not in result.stderr


def test_wide_names_stay_apart_in_legend(tmp_path):
    data = tmp_path / "wide.csv"
    data.write_text(WIDE_NAMES, encoding="utf-8")
    history = viz.history("classifier", data=data, seed=0)
    renderer = make_renderer(history, viz.get_scene("classifier"), (1280, 720))
    try:
        texts = [text.get_text() for text in renderer.figure.legends[0].get_texts()[:2]]
    finally:
        renderer.close()

    assert texts[0] != texts[1]
    assert texts[0].endswith("two")
    assert texts[1].endswith("one")


@pytest.mark.parametrize(("names", "expected"), [
    (("cat", "dog"), ("cat", "dog")),
    (("P" * 28 + "one", "P" * 28 + "two"), ("P" * 13 + "…" + "P" * 11 + "one",
                                              "P" * 13 + "…" + "P" * 11 + "two")),
    (("M" * 40 + "a" + "M" * 40, "M" * 40 + "b" + "M" * 40),
     ("M" * 23 + "… (1)", "M" * 23 + "… (2)")),
], ids=["short", "same-start", "same-start-and-end"])
def test_short_names_kept_apart(names, expected):
    assert captions.short_names(names) == expected


def test_tab_in_name_shown_as_space(tmp_path):
    data = tmp_path / "tab.csv"
    data.write_text('x,y,label\n1,2,"a\tb"\n2,1,c\n3,3.5,"a\tb"\n4,1.5,c\n')
    out = tmp_path / "tab.png"

    result = CliRunner().invoke(main, ["scene", "classifier", "--data", str(data),
                                       "--format", "png", "--out", str(out), "--quiet"])
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]

    assert result.exit_code == 0, result.output
    assert warnings == ["Warning: the name 'a\\tb' has tabs, line breaks or repeated "
                        "spaces; frames show 'a b'"]
