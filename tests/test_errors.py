"""Expected errors: bad options and arguments, unusable outputs, failed renders.

Every expected error ends the command with one `Error:` line that names the
value and the fix, and leaves the files that were there before as they were.
"""

import errno
import os

import imageio.v3 as iio
import matplotlib.figure
import pytest
from click.testing import CliRunner
from PIL import Image, ImageSequence

import viz
import viz.renderer
import viz.writers
from viz.cli import main

OLD_BYTES = b"an earlier render that a failed one must not touch"
# /proc/x.gif cannot be created, even by root, where /proc is Linux's procfs.
NEEDS_PROC = pytest.mark.skipif(not os.path.isdir("/proc/self"),
                                reason="needs the /proc file system of Linux")
SMALL = ["--size", "320x180", "--quiet"]
# What click prints before the Error line of a usage error (exit status 2).
USAGE_LINES = ["Usage: main scene [OPTIONS] NAME", "Try 'main scene --help' for help.",
               ""]


def snapshot(folder):
    """Map each path under `folder` to its bytes, or to None for a folder."""
    return {str(path.relative_to(folder)): None if path.is_dir() else path.read_bytes()
            for path in sorted(folder.rglob("*"))}


def temporary_files(folder):
    return sorted(path.name for path in folder.rglob(".*.part"))


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


@pytest.fixture
def old_gif(tmp_path):
    """An earlier file at the --out path that every failing render must keep."""
    path = tmp_path / "old.gif"
    path.write_bytes(OLD_BYTES)
    return path


# Each case: the arguments after `render` ({out} is a file that exists, {tmp} its
# folder), the exit status, and words the Error line must contain.
BAD_OPTIONS = [
    pytest.param(["scene", "or_gat", "--out", "{out}"], 2,
                 ["'or_gat'", "did you mean 'or_gate'?", "scenes: or_gate, and_gate",
                  "classifier"], id="unknown-scene"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--format", "avi"], 2,
                 ["--format", "'avi'", "'gif'", "'mp4'", "'sheet'"], id="format-avi"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--rule", "hebb"], 2,
                 ["--rule", "'hebb'", "'delta'", "'perceptron'"], id="rule-hebb"),
    pytest.param(["scene", "or_gate", "--out", "{tmp}/x.avi"], 1,
                 ["x.avi'", "cannot tell the format", ".gif, .mp4"], id="suffix-avi"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--format", "mp4"], 1,
                 ["format 'mp4'", "old.gif'", "use a .mp4 path"],
                 id="format-contradicts-suffix"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--fps", "0"], 2,
                 ["--fps", "0.0 is below 0.1"], id="fps-0"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--fps", "0.0001"], 2,
                 ["--fps", "0.0001 is below 0.1", "(one frame per 10 s)"],
                 id="fps-tiny"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--fps", "-3"], 2,
                 ["--fps", "-3.0 is below 0.1"], id="fps-negative"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--fps", "abc"], 2,
                 ["--fps", "'abc'", "not a valid float"], id="fps-abc"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--fps", "nan"], 2,
                 ["--fps", "nan", "not a finite number"], id="fps-nan"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--size", "abc"], 2,
                 ["--size", "'abc'", "WIDTHxHEIGHT, such as 1280x720"], id="size-abc"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--size", "0x0"], 2,
                 ["--size", "'0x0'", "must be positive"], id="size-zero"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--size", "-5x10"], 2,
                 ["--size", "'-5x10'", "must be positive"], id="size-negative"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--size", "8000x5000"], 2,
                 ["--size", "8000x5000", "160–7680", "120–4320"], id="size-too-large"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--size", "1x1"], 2,
                 ["--size", "size 1x1 is out of range"], id="size-too-small"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--hold", "600.5"], 2,
                 ["--hold", "600.5 is not from 0 to 600 seconds"], id="hold-long"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--hold", "-1"], 2,
                 ["--hold", "-1.0 is not from 0 to 600 seconds"], id="hold-negative"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--epochs", "0"], 2,
                 ["--epochs", "0 is not in the range 1<=x<=10000"], id="epochs-0"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--epochs", "1000000"], 2,
                 ["--epochs", "1000000 is not in the range"], id="epochs-million"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--learning-rate", "0"], 2,
                 ["--learning-rate", "0.0 is not above 0", "such as 0.1"],
                 id="learning-rate-0"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--learning-rate", "-1"], 2,
                 ["--learning-rate", "-1.0 is not above 0"], id="learning-rate-negative"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--learning-rate", "nan"], 2,
                 ["--learning-rate", "nan", "not a finite number"],
                 id="learning-rate-nan"),
    pytest.param(["scene", "or_gate", "--out", "{out}", "--learning-rate", "inf"], 2,
                 ["--learning-rate", "inf", "not a finite number"],
                 id="learning-rate-inf"),
    pytest.param(["scene", "or_gate", "--out", "{tmp}/folder"], 1,
                 ["folder' is a directory", "folder/or_gate.gif'"], id="out-folder"),
    pytest.param(["scene", "or_gate", "--out", "{tmp}/folder", "--format", "gif"], 1,
                 ["folder' is a directory", "folder/or_gate.gif'"],
                 id="out-folder-with-format"),
    pytest.param(["scene", "or_gate", "--out", "{tmp}/folder.gif"], 1,
                 ["folder.gif' is a directory", "folder.gif/or_gate.gif'"],
                 id="out-folder-with-suffix"),
    pytest.param(["scene", "or_gate", "--out", "{tmp}/some.gif/x.gif"], 1,
                 ["some.gif/x.gif'", "goes through", "which is a file"],
                 id="out-through-file"),
    pytest.param(["scene", "or_gate", "--out", "/proc/x.gif"], 1,
                 ["cannot write '/proc/x.gif'", "choose another --out path"],
                 id="out-unwritable", marks=NEEDS_PROC),
    pytest.param(["scene", "or_gate", "--format", "frames", "--out", "{tmp}/notes"], 1,
                 ["notes' is a file", "give a new folder path"], id="frames-over-file"),
]


@pytest.mark.parametrize(("arguments", "status", "words"), BAD_OPTIONS)
def test_bad_option_one_error_line(tmp_path, old_gif, arguments, status, words):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder.gif").mkdir()
    (tmp_path / "some.gif").write_bytes(OLD_BYTES)
    (tmp_path / "notes").write_bytes(OLD_BYTES)
    before = snapshot(tmp_path)
    arguments = [a.format(out=old_gif, tmp=tmp_path) for a in arguments]

    # A --size in the case comes later, and the last one counts.
    result = CliRunner().invoke(main, arguments[:2] + SMALL + arguments[2:])
    lines = result.stderr.splitlines()

    assert result.exit_code == status, result.output
    assert lines[:-1] == (USAGE_LINES if status == 2 else [])
    assert lines[-1].startswith("Error: ")
    for word in words:
        assert word in lines[-1]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(tmp_path) == before


def test_debug_shows_traceback(tmp_path):
    (tmp_path / "some.gif").write_bytes(OLD_BYTES)
    out = tmp_path / "some.gif" / "x.gif"

    result = CliRunner().invoke(main, ["--debug", "scene", "or_gate", "--out", str(out)]
                                + SMALL)
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1].startswith("Error: output ")
    assert "which is a file" in lines[-1]


@NEEDS_PROC
@pytest.mark.parametrize("arguments", [
    pytest.param(["--out", "/proc/x.gif"], id="gif"),
    pytest.param(["--format", "frames", "--out", "/proc/frames"], id="frames"),
])
def test_unwritable_out_names_no_temporary(arguments):
    result = CliRunner().invoke(main, ["scene", "or_gate", *arguments, *SMALL])

    assert result.exit_code == 1
    assert f"cannot write '{arguments[-1]}'" in result.stderr
    assert ".part" not in result.stderr
    assert "free some space" not in result.stderr


@NEEDS_PROC
def test_unwritable_gallery_folder_names_folder_option():
    result = CliRunner().invoke(main, ["all", "--folder", "/proc/gallery"])

    assert result.exit_code == 1
    assert error_lines(result) == ["Error: cannot write '/proc/gallery': No such file or "
                                   "directory; choose another --folder path"]


@pytest.mark.parametrize("folder", ["", "  "])
def test_empty_gallery_folder_rejected(folder):
    result = CliRunner().invoke(main, ["all", "--folder", folder])

    assert result.exit_code == 2
    assert "--folder: the folder path is empty" in error_lines(result)[0]


def test_fps_60_clamped_to_50(tmp_path):
    out = tmp_path / "fast.gif"

    result = CliRunner().invoke(main, ["scene", "or_gate", "--fps", "60", "--out",
                                       str(out)] + SMALL)
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("Warning:")]
    with Image.open(out) as image:
        delays = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]

    assert result.exit_code == 0, result.output
    assert len(warnings) == 1
    assert "fps 60.0 is above the maximum of 50" in warnings[0]
    assert "using 50" in warnings[0]
    assert delays[1:-1] == [20] * (len(delays) - 2)
    assert min(delays) == 20


def test_odd_mp4_size_rounded_down(tmp_path):
    out = tmp_path / "odd.mp4"

    result = CliRunner().invoke(main, ["scene", "or_gate", "--format", "mp4", "--out",
                                       str(out), "--size", "321x181", "--quiet"])
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("Warning:")]

    assert result.exit_code == 0, result.output
    assert warnings == ["Warning: MP4 needs an even width and height; rendering "
                        "320x180 instead of 321x181"]
    assert iio.immeta(out, plugin="FFMPEG")["size"] == (320, 180)


@pytest.mark.parametrize(("fmt", "name"), [
    ("gif", "a.gif"), ("mp4", "a.mp4"), ("png", "a.png"), ("sheet", "a.pdf"),
    ("frames", "a"),
])
def test_missing_folders_created(tmp_path, fmt, name):
    out = tmp_path / "new" / "deeper" / name

    result = CliRunner().invoke(main, ["scene", "or_gate", "--format", fmt, "--out",
                                       str(out)] + SMALL)

    assert result.exit_code == 0, result.output
    assert out.exists()
    assert temporary_files(tmp_path) == []


def test_xor_warns_not_separable(tmp_path):
    out = tmp_path / "xor.gif"

    result = CliRunner().invoke(main, ["scene", "xor_gate", "--out", str(out)] + SMALL)
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("Warning:")]

    assert result.exit_code == 0, result.output
    assert len(warnings) == 1
    assert "Not linearly separable" in warnings[0]
    assert out.is_file()


# Failures while writing.

def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_keeps_old_file(tmp_path, old_gif, monkeypatch):
    monkeypatch.setattr(viz.writers.GifWriter, "_write_frame", no_space)

    result = CliRunner().invoke(main, ["scene", "or_gate", "--out", str(old_gif),
                                       "--jobs", "1"] + SMALL)
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert lines[0].startswith("Error: cannot write ")
    assert "No space left" in lines[0]
    assert str(old_gif) in lines[0]
    assert "free some space" in lines[0]
    assert old_gif.read_bytes() == OLD_BYTES
    assert temporary_files(tmp_path) == []


STILL_FORMATS = [("gif", "old.gif"), ("mp4", "old.mp4"), ("png", "old.png"),
                 ("sheet", "old.png")]


@pytest.mark.parametrize(("fmt", "name"), STILL_FORMATS)
def test_library_error_keeps_old_file(tmp_path, fmt, name):
    out = tmp_path / name
    out.write_bytes(OLD_BYTES)

    # Any text passes the option's parsing, and the library finds no such style.
    result = CliRunner().invoke(main, ["scene", "or_gate", "--format", fmt, "--out",
                                       str(out), "--style", "no_such_style"] + SMALL)

    assert result.exit_code == 1
    assert error_lines(result)[0].startswith("Error: unknown style 'no_such_style'")
    assert out.read_bytes() == OLD_BYTES
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


@pytest.fixture
def failing_write(tmp_path, monkeypatch):
    """Make a render fail while its temporary file exists, and record that it did."""
    seen = {"temporary": False}

    def fail_if_writing():
        if temporary_files(tmp_path):
            seen["temporary"] = True
            raise RuntimeError("drawing failed on purpose")

    draw_view = viz.renderer.Renderer.draw_view
    savefig = matplotlib.figure.Figure.savefig

    def failing_draw(self, frame):
        fail_if_writing()
        return draw_view(self, frame)

    def failing_savefig(self, fname, **kwargs):
        savefig(self, fname, **kwargs)
        fail_if_writing()

    # A short GIF is drawn whole for its palette before the file is opened, so
    # its failure comes when the writer adds a frame.
    add_gif_frame = viz.writers.GifWriter.add

    def failing_gif_add(self, frame, duration):
        fail_if_writing()
        return add_gif_frame(self, frame, duration)

    monkeypatch.setattr(viz.renderer.Renderer, "draw_view", failing_draw)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", failing_savefig)
    monkeypatch.setattr(viz.writers.GifWriter, "add", failing_gif_add)
    return seen


@pytest.mark.parametrize(("fmt", "name"), STILL_FORMATS)
def test_failed_write_keeps_old_file(tmp_path, failing_write, fmt, name):
    out = tmp_path / name
    out.write_bytes(OLD_BYTES)

    result = CliRunner().invoke(main, ["scene", "or_gate", "--format", fmt, "--out",
                                       str(out), "--jobs", "1"] + SMALL)

    assert failing_write["temporary"]
    assert result.exit_code == 1
    assert error_lines(result) == ["Error: drawing failed on purpose"]
    assert out.read_bytes() == OLD_BYTES
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


def test_write_protected_output_kept(tmp_path):
    out = tmp_path / "kept.gif"
    out.write_bytes(OLD_BYTES)
    out.chmod(0o444)

    result = CliRunner().invoke(main, ["scene", "or_gate", "--out", str(out)] + SMALL)

    assert result.exit_code == 1
    assert error_lines(result) == [f"Error: output {str(out)!r} is write-protected; "
                                   "make it writable or choose another --out path"]
    assert out.read_bytes() == OLD_BYTES
    assert out.stat().st_mode & 0o777 == 0o444


# The Python API.

NAN = float("nan")

# Each case: the function, its keyword arguments, the exception, and the words
# its message must contain: the argument's name or its meaning, and the bad value.
BAD_ARGUMENTS = [
    pytest.param("render", {"fps": "x"}, TypeError, ["fps", "'x'"], id="fps-text"),
    pytest.param("render", {"fps": 0}, ValueError, ["fps", "got 0"], id="fps-0"),
    pytest.param("render", {"size": (0, 10)}, ValueError, ["size", "0x10"],
                 id="size-zero-width"),
    pytest.param("render", {"size": "big"}, ValueError, ["'big'", "WIDTHxHEIGHT"],
                 id="size-text"),
    pytest.param("render", {"size": "10x10"}, ValueError, ["size 10x10", "out of range"],
                 id="size-text-small"),
    pytest.param("render", {"max_size": "5 parsecs"}, ValueError,
                 ["'5 parsecs'", "such as 5MB"], id="max-size-text"),
    pytest.param("render", {"jobs": 0}, ValueError, ["jobs", "got 0"], id="jobs-0"),
    pytest.param("render", {"size": (True, 360)}, TypeError, ["size", "(True, 360)"],
                 id="size-bool"),
    pytest.param("render", {"epochs": True}, ValueError, ["epochs", "got True"],
                 id="epochs-bool"),
    pytest.param("render", {"jobs": -1}, ValueError, ["jobs", "got -1"],
                 id="jobs-negative"),
    pytest.param("render", {"epochs": 0}, ValueError, ["epochs", "got 0"],
                 id="epochs-0"),
    pytest.param("render", {"learning_rate": NAN}, ValueError,
                 ["learning rate", "got nan"], id="learning-rate-nan"),
    pytest.param("render", {"rule": "hebb"}, ValueError, ["rule", "'hebb'"],
                 id="rule-hebb"),
    pytest.param("render", {"order": "random"}, ValueError, ["order", "'random'"],
                 id="order-random"),
    pytest.param("render", {"init": "ones"}, ValueError, ["init", "'ones'"],
                 id="init-ones"),
    pytest.param("render", {"seed": -1}, ValueError, ["seed", "got -1"],
                 id="seed-negative"),
    pytest.param("render", {"format": "avi"}, ValueError, ["format", "'avi'"],
                 id="format-avi"),
    pytest.param("render", {"frames": "all"}, ValueError, ["frames", "'all'"],
                 id="frames-all"),
    pytest.param("render", {"smooth": -1}, ValueError, ["smooth", "got -1"],
                 id="smooth-negative"),
    pytest.param("render", {"max_size": 5}, ValueError, ["maximum file size", "got 5"],
                 id="max-size-5"),
    pytest.param("history", {"epochs": 0}, ValueError, ["epochs", "got 0"],
                 id="history-epochs-0"),
    pytest.param("history", {"learning_rate": NAN}, ValueError,
                 ["learning rate", "got nan"], id="history-learning-rate-nan"),
    pytest.param("history", {"rule": "hebb"}, ValueError, ["rule", "'hebb'"],
                 id="history-rule-hebb"),
    pytest.param("history", {"order": "random"}, ValueError, ["order", "'random'"],
                 id="history-order-random"),
    pytest.param("history", {"init": "ones"}, ValueError, ["init", "'ones'"],
                 id="history-init-ones"),
    pytest.param("history", {"seed": -1}, ValueError, ["seed", "got -1"],
                 id="history-seed-negative"),
]


@pytest.mark.parametrize(("function", "options", "kind", "words"), BAD_ARGUMENTS)
def test_bad_argument_names_value(tmp_path, function, options, kind, words):
    if function == "render":
        options = {"size": (320, 180), **options}

        def call():
            viz.render("or_gate", tmp_path / "x.gif", **options)
    else:
        def call():
            viz.history("or_gate", **options)

    with pytest.raises(kind) as caught:
        call()

    for word in words:
        assert word in str(caught.value)
    assert list(tmp_path.iterdir()) == []


# Each case: the lines of a style file, and words its Error line must contain.
BAD_STYLES = [
    pytest.param("font.size: huge\n", ["'font.size: huge'", "line 1", "remove that line"],
                 id="bad-value"),
    pytest.param("axes.grid: True\nnot.a.key: 3\n", ["not.a.key", "line 2"], id="bad-key"),
    pytest.param("figure.facecolor: none\n", ["figure.facecolor", "'none'", "opaque"],
                 id="see-through-background"),
    pytest.param("font.family: NoSuchFont, DejaVu Sans\n",
                 ["'NoSuchFont'", "not installed", "font.family"], id="missing-font"),
    pytest.param("font.family: sans-serif\nfont.sans-serif: NoSuchFont\n",
                 ["none of those in font.sans-serif is installed"],
                 id="missing-generic-fonts"),
]


@pytest.mark.parametrize(("lines", "words"), BAD_STYLES)
def test_bad_style_file_one_error_line(tmp_path, old_gif, lines, words):
    style = tmp_path / "house.mplstyle"
    style.write_text(lines)
    before = snapshot(tmp_path)

    result = CliRunner().invoke(main, ["scene", "or_gate", *SMALL, "--style", str(style),
                                       "--out", str(old_gif)])

    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == error_lines(result)
    assert len(error_lines(result)) == 1
    for word in words:
        assert word in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("style", "words"), [
    pytest.param("no_such_style", ["'no_such_style'", "ggplot", "dark_background"],
                 id="unknown-name"),
    pytest.param("missing/house.mplstyle", ["'missing/house.mplstyle'", "not found"],
                 id="missing-file"),
])
def test_unknown_style_one_error_line(old_gif, style, words):
    result = CliRunner().invoke(main, ["scene", "or_gate", *SMALL, "--style", style,
                                       "--out", str(old_gif)])

    assert result.exit_code == 1, result.output
    assert len(error_lines(result)) == 1
    for word in words:
        assert word in error_lines(result)[0]
    assert old_gif.read_bytes() == OLD_BYTES


def test_history_out_onto_data_file_rejected(tmp_path):
    data = tmp_path / "points.csv"
    data.write_text("x,y,label\n1,2,a\n3,4,b\n1,3,a\n4,2,b\n")
    before = data.read_bytes()

    result = CliRunner().invoke(main, ["history", "classifier", "--data", str(data),
                                       "--out", str(data)])

    assert result.exit_code == 1
    assert error_lines(result) == [f"Error: output '{data}' is the input file '{data}'; "
                                   "choose another --out path or rename the input"]
    assert data.read_bytes() == before


def test_alt_text_onto_data_file_rejected(tmp_path):
    # --alt-text writes points.txt beside points.gif, which is the data file.
    data = tmp_path / "points.txt"
    data.write_text("x,y,label\n1,2,a\n3,4,b\n1,3,a\n4,2,b\n")
    before = data.read_bytes()

    result = CliRunner().invoke(main, ["scene", "classifier", "--data", str(data),
                                       "--out", str(tmp_path / "points.gif"),
                                       "--alt-text"] + SMALL)

    assert result.exit_code == 1
    assert f"is the input file '{data}'" in error_lines(result)[0]
    assert data.read_bytes() == before
    assert not (tmp_path / "points.gif").exists()


def test_render_takes_size_and_limit_as_text(tmp_path):
    out = tmp_path / "small.gif"

    result = viz.render("or_gate", out, size="320x180", max_size="5MB")

    assert result.path == out
    with Image.open(out) as image:
        assert image.size == (320, 180)
    assert out.stat().st_size <= 5_000_000


def test_ffmpeg_failure_one_line_keeps_old_file(tmp_path, monkeypatch):
    out = tmp_path / "old.mp4"
    out.write_bytes(OLD_BYTES)
    monkeypatch.setattr(viz.writers, "ENCODER_OPTIONS", ["-no_such_option", "1"])

    result = CliRunner().invoke(main, ["scene", "or_gate", "--out", str(out)] + SMALL)

    assert result.exit_code == 1
    assert len(error_lines(result)) == 1
    assert error_lines(result)[0].startswith("Error: ffmpeg ")
    assert "no_such_option" in error_lines(result)[0]
    assert out.read_bytes() == OLD_BYTES
    assert temporary_files(tmp_path) == []


def test_style_folder_and_binary_file_one_error_line(tmp_path, old_gif):
    folder = tmp_path / "house.mplstyle"
    folder.mkdir()
    binary = tmp_path / "binary.mplstyle"
    binary.write_bytes(b"axes.grid: True\n# \xff\xfe\n")
    lines = []
    for style in (folder, binary):
        result = CliRunner().invoke(main, ["scene", "or_gate", *SMALL, "--style",
                                           str(style), "--out", str(old_gif)])
        assert result.exit_code == 1
        lines += error_lines(result)

    assert lines == [f"Error: style '{folder}' is a folder; give a .mplstyle file or a "
                     "style name",
                     f"Error: style file '{binary}' is not UTF-8 text (invalid start byte "
                     "at byte 18); save it as UTF-8"]
    assert old_gif.read_bytes() == OLD_BYTES
