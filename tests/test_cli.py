import importlib.metadata
import re
import sys

import imageio.v3 as iio
import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

import viz
from viz.cli import main
from viz.timeline import plan, total_duration

SCENE_NAMES = ["or_gate", "and_gate", "nand_gate", "nor_gate", "xor_gate", "classifier"]

# The classifier has about 500 steps, so its files are rendered small and at 50 fps.
RENDER_OPTIONS = {
    "or_gate": {"fps": None, "size": (1280, 720)},
    "classifier": {"fps": 50, "size": (640, 360)},
}
FORMATS = ["gif", "mp4", "png"]


def render_arguments(name, fmt, out):
    options = RENDER_OPTIONS[name]
    arguments = ["scene", name, "--format", fmt, "--out", str(out), "--quiet",
                 "--size", "{}x{}".format(*options["size"])]
    if options["fps"] is not None:
        arguments += ["--fps", str(options["fps"])]
    return arguments


def planned_frames(name):
    """Plan the frames that `render scene NAME` draws, from a separate training run."""
    scene = viz.get_scene(name)
    fps = RENDER_OPTIONS[name]["fps"] or scene.fps
    return plan(viz.history(name, seed=0), fps=fps, mode=scene.frames,
                start_hold=scene.start_hold, end_hold=scene.end_hold)


def size_text(count):
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.2f} MiB"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Run `render scene` once per scene and format, returning (result, path)."""
    results = {}

    def run(name, fmt):
        if (name, fmt) not in results:
            out = tmp_path_factory.mktemp(f"{name}-{fmt}") / f"{name}.{fmt}"
            result = CliRunner().invoke(main, render_arguments(name, fmt, out))
            results[name, fmt] = result, out
        return results[name, fmt]

    return run


def test_list_names_every_scene():
    result = CliRunner().invoke(main, ["list"])
    names = [line.split()[0] for line in result.stdout.splitlines()]

    assert result.exit_code == 0
    assert names == viz.scene_names()
    assert set(SCENE_NAMES) <= set(names)


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_list_shows_description(name):
    result = CliRunner().invoke(main, ["list"])
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    description = viz.get_scene(name).description

    assert description
    assert lines[name].split(None, 1)[1] == description


def test_version_option():
    result = CliRunner().invoke(main, ["--version"])

    assert result.exit_code == 0
    assert result.stdout == f"render, version {viz.__version__}\n"
    assert viz.__version__ == importlib.metadata.version("perceptron-viz")


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_scene_writes_file(rendered, name, fmt):
    result, out = rendered(name, fmt)

    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert out.stat().st_size > 0


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_scene_prints_wrote_line(rendered, name, fmt):
    result, out = rendered(name, fmt)
    frames = planned_frames(name)
    count = 1 if fmt == "png" else len(frames)
    playing = "" if fmt == "png" else f"{total_duration(frames):.1f} s, "
    noun = "frame" if count == 1 else "frames"
    expected = f"Wrote {out}: {count} {noun}, {playing}{size_text(out.stat().st_size)}"

    assert result.stdout.splitlines()[0] == expected


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_gif_frames_match_plan(rendered, name):
    _, out = rendered(name, "gif")
    frames = planned_frames(name)

    with Image.open(out) as image:
        assert image.n_frames == len(frames)
        assert image.info["loop"] == 0


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_gif_delays_read_back(rendered, name):
    _, out = rendered(name, "gif")
    frames = planned_frames(name)

    with Image.open(out) as image:
        delays = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]

    assert min(delays) >= 20
    assert all(delay % 10 == 0 for delay in delays)
    assert delays[0] == frames[0].duration
    assert delays[-1] == frames[-1].duration
    assert delays == [frame.duration for frame in frames]


def test_gif_fps_above_50_clamped(tmp_path):
    out = tmp_path / "fast.gif"

    result = CliRunner().invoke(main, ["scene", "or_gate", "--fps", "60", "--out",
                                       str(out), "--size", "320x180", "--quiet"])
    with Image.open(out) as image:
        delays = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]

    assert result.exit_code == 0, result.output
    assert "Warning: fps 60.0 is above the maximum of 50" in result.stderr
    assert min(delays) >= 20
    assert all(delay % 10 == 0 for delay in delays)


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_gif_one_even_size(rendered, name):
    _, out = rendered(name, "gif")
    width, height = RENDER_OPTIONS[name]["size"]

    with Image.open(out) as image:
        sizes = {frame.size for frame in ImageSequence.Iterator(image)}

    assert sizes == {(width, height)}
    assert width % 2 == 0
    assert height % 2 == 0


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_gif_imageio_frames_one_shape(rendered, name):
    _, out = rendered(name, "gif")
    width, height = RENDER_OPTIONS[name]["size"]

    frames = iio.imread(out, index=None)

    assert frames.shape[0] == len(planned_frames(name))
    assert frames.shape[1:3] == (height, width)


def probe_video(path):
    """Read codec, pixel format, size and duration with imageio's ffmpeg plugin."""
    meta = iio.immeta(path, plugin="FFMPEG")
    return meta["codec"], meta["pix_fmt"], meta["size"], meta["duration"]


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_mp4_h264_yuv420p(rendered, name):
    _, out = rendered(name, "mp4")

    codec, pixel_format, _, _ = probe_video(out)

    assert codec == "h264"
    assert pixel_format.split("(")[0] == "yuv420p"


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_mp4_size_and_duration(rendered, name):
    _, out = rendered(name, "mp4")
    width, height = RENDER_OPTIONS[name]["size"]

    _, _, size, duration = probe_video(out)

    assert size == (width, height)
    assert width % 2 == 0
    assert height % 2 == 0
    assert duration == pytest.approx(total_duration(planned_frames(name)), abs=0.1)


@pytest.mark.parametrize("name", list(RENDER_OPTIONS))
def test_png_one_image_planned_size(rendered, name):
    _, out = rendered(name, "png")

    with Image.open(out) as image:
        assert image.format == "PNG"
        assert getattr(image, "n_frames", 1) == 1
        assert image.size == RENDER_OPTIONS[name]["size"]


@pytest.mark.parametrize(("typed", "suggestion"), [
    ("or_gat", "or_gate"),
    ("xor", "xor_gate"),
    ("clasifier", "classifier"),
], ids=["typo", "short", "missing-letter"])
def test_unknown_scene_suggests_name(typed, suggestion):
    result = CliRunner().invoke(main, ["scene", typed])

    assert result.exit_code == 2
    assert f"unknown scene {typed!r}; did you mean {suggestion!r}?" in result.stderr


def test_format_contradicts_suffix(tmp_path):
    out = tmp_path / "x.gif"

    result = CliRunner().invoke(main, ["scene", "or_gate", "--out", str(out),
                                       "--format", "mp4", "--size", "320x180"])
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert re.fullmatch(r"Error: .*'mp4'.*x\.gif'.*", lines[0])
    assert list(tmp_path.iterdir()) == []


def test_scene_name_case_normalised(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, ["scene", "OR_GATE", "--size", "320x180",
                                       "--format", "png"])
    written = sorted(path.name for path in (tmp_path / "output").iterdir())

    assert result.exit_code == 0, result.output
    assert written == ["or_gate.png"]
    assert result.stdout.startswith("Wrote output/or_gate.png: ")


@pytest.mark.parametrize("fmt", FORMATS)
def test_scene_creates_missing_folder(tmp_path, fmt):
    out = tmp_path / "new" / "folder" / f"or_gate.{fmt}"

    result = CliRunner().invoke(main, ["scene", "or_gate", "--out", str(out),
                                       "--size", "320x180", "--quiet"])

    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_mp4_without_ffmpeg_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)
    out = tmp_path / "or_gate.mp4"

    result = CliRunner().invoke(main, ["scene", "or_gate", "--out", str(out),
                                       "--size", "320x180"])
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert "pip install imageio-ffmpeg" in lines[0]
    assert not out.exists()


def test_mp4_without_ffmpeg_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)

    CliRunner().invoke(main, ["scene", "or_gate", "--out", str(tmp_path / "a.mp4"),
                              "--size", "320x180"])

    assert sorted(path.name for path in tmp_path.iterdir()) == []
