import base64
import re
import shutil

import matplotlib.style
import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure
from PIL import Image, ImageSequence

import viz
from viz import gallery
from viz.cli import main
from viz.renderer import make_renderer
from viz.stills import sheet_frames
from viz.theme import (MARK_CONTRAST, TEXT_CONTRAST, contrast, get_theme,
                       theme_from_style)
from viz.timeline import plan

SIZE = (320, 180)
SIZE_TEXT = "320x180"


def run(*arguments):
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


def timeline_of(name, history, fps=None, smooth=0):
    scene = viz.get_scene(name)
    return plan(history, fps=fps or scene.fps, start_hold=scene.start_hold,
                end_hold=scene.end_hold, smooth=smooth)


def gif_frames(path):
    with Image.open(path) as image:
        return [np.asarray(frame.convert("RGB"))
                for frame in ImageSequence.Iterator(image)]


def hex_rgb(colour):
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def colour_count(pixels, colour):
    """Count the pixels within 4 levels per channel of a hex colour."""
    difference = np.abs(pixels[..., :3].astype(int) - hex_rgb(colour)).max(-1)
    return int((difference <= 4).sum())


def corner_luminance(pixels):
    """Return the mean Rec. 709 luminance of the four corner pixels, 0 to 255."""
    corners = pixels[[0, 0, -1, -1], [0, -1, 0, -1], :3].astype(float)
    return float((corners @ np.array([0.2126, 0.7152, 0.0722])).mean())


@pytest.fixture(scope="module")
def or_gif(tmp_path_factory):
    """Render the OR gate as a small GIF with its alt text file."""
    out = tmp_path_factory.mktemp("or_gate") / "or_gate.gif"
    result = run("scene", "or_gate", "--out", out, "--size", SIZE_TEXT, "--alt-text",
                 "--quiet")
    return result, out


@pytest.fixture(scope="module")
def classifier_png(tmp_path_factory):
    """Render the last frame of the full classifier run as a small PNG."""
    out = tmp_path_factory.mktemp("classifier") / "classifier.png"
    result = run("scene", "classifier", "--out", out, "--size", SIZE_TEXT, "--quiet")
    return result, out


# Presets.

@pytest.mark.parametrize(("preset", "size"), [
    ("readme", (960, 540)),
    ("slides", (1280, 720)),
    ("hd", (1920, 1080)),
    ("square", (1080, 1080)),
], ids=["readme", "slides", "hd", "square"])
def test_preset_sets_frame_size(tmp_path, preset, size):
    out = tmp_path / "or_gate.png"

    result = run("scene", "or_gate", "--preset", preset, "--out", out, "--quiet")

    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size == size


def test_size_overrides_preset(tmp_path):
    out = tmp_path / "or_gate.png"

    result = run("scene", "or_gate", "--preset", "hd", "--size", SIZE_TEXT, "--out",
                 out, "--quiet")

    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size == SIZE


# Themes, styles and transparency.

def render_theme(folder, theme):
    """Render the OR gate's last frame with `theme` and return the result and pixels."""
    out = folder / "or_gate.png"
    result = run("scene", "or_gate", "--theme", theme, "--out", out, "--size",
                 SIZE_TEXT, "--quiet")
    return result, np.asarray(Image.open(out).convert("RGB"))


def test_dark_theme_dark_corners(tmp_path):
    result, pixels = render_theme(tmp_path, "dark")

    assert result.exit_code == 0, result.output
    assert corner_luminance(pixels) < 60


def test_light_theme_light_corners(tmp_path):
    result, pixels = render_theme(tmp_path, "light")

    assert result.exit_code == 0, result.output
    assert corner_luminance(pixels) > 200


def test_transparent_png_clear_corner(tmp_path):
    out = tmp_path / "or_gate.png"

    result = run("scene", "or_gate", "--transparent", "--out", out, "--size",
                 SIZE_TEXT, "--quiet")
    with Image.open(out) as image:
        mode = image.mode
        pixels = np.asarray(image)

    assert result.exit_code == 0, result.output
    assert mode == "RGBA"
    assert pixels[0, 0, 3] == 0
    assert pixels[..., 3].max() == 255


def test_transparent_sheet_clear_corner(tmp_path):
    out = tmp_path / "sheet.png"

    result = run("scene", "or_gate", "--format", "sheet", "--transparent", "--out",
                 out, "--size", SIZE_TEXT, "--quiet")
    with Image.open(out) as image:
        pixels = np.asarray(image.convert("RGBA"))

    assert result.exit_code == 0, result.output
    assert pixels[0, 0, 3] == 0


@pytest.mark.parametrize("fmt", ["gif", "mp4"])
def test_transparent_rejected_for_video(tmp_path, fmt):
    out = tmp_path / f"or_gate.{fmt}"

    result = run("scene", "or_gate", "--transparent", "--out", out, "--size",
                 SIZE_TEXT)

    assert result.exit_code == 1
    assert result.stderr == (f"Error: transparent backgrounds work for png, frames and "
                             f"sheet, not {fmt}; drop --transparent or change the "
                             "format\n")
    assert not out.exists()


def test_style_ggplot_colours(tmp_path):
    out = tmp_path / "or_gate.png"
    ggplot_colours = matplotlib.style.library["ggplot"]["axes.prop_cycle"]
    first, second = ggplot_colours.by_key()["color"][:2]
    light = get_theme("light")

    result = run("scene", "or_gate", "--style", "ggplot", "--out", out, "--size",
                 SIZE_TEXT, "--quiet")
    pixels = np.asarray(Image.open(out).convert("RGB"))

    assert result.exit_code == 0, result.output
    assert colour_count(pixels, first) > 0
    assert colour_count(pixels, second) > 0
    assert colour_count(pixels, light.positive) == 0
    assert colour_count(pixels, light.negative) == 0


def test_style_ggplot_edges_stay_visible():
    # ggplot's axes edges are white, like its figure background.
    with matplotlib.style.context("ggplot"):
        theme = theme_from_style("ggplot", get_theme("light"))

    assert contrast(theme.muted, theme.background) >= MARK_CONTRAST
    assert contrast(theme.foreground, theme.background) >= TEXT_CONTRAST


def test_style_unreadable_text_warns_and_turns_white(tmp_path):
    style = tmp_path / "black.mplstyle"
    style.write_text("figure.facecolor: black\n")
    out = tmp_path / "black.png"

    result = run("scene", "or_gate", "--style", style, "--out", out, "--size", SIZE_TEXT,
                 "--quiet")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    pixels = np.asarray(Image.open(out).convert("RGB"))

    assert result.exit_code == 0, result.output
    assert len(warnings) == 1
    assert "contrast of 1.0:1; frames use #FFFFFF for text" in warnings[0]
    assert colour_count(pixels, "#FFFFFF") > 0


# Folders of frames.

def test_frames_folder_numbered(tmp_path, or_history):
    out = tmp_path / "frames"
    count = len(timeline_of("or_gate", or_history))

    result = run("scene", "or_gate", "--format", "frames", "--out", out, "--size",
                 SIZE_TEXT, "--quiet")
    names = sorted(path.name for path in out.iterdir())

    assert result.exit_code == 0, result.output
    assert names == [f"frame_{number:04d}.png" for number in range(1, count + 1)]
    with Image.open(out / "frame_0001.png") as image:
        assert image.size == SIZE


def test_frames_replace_old_frames(tmp_path, or_history):
    out = tmp_path / "frames"
    out.mkdir()
    (out / "frame_0099.png").write_bytes(b"old")
    count = len(timeline_of("or_gate", or_history))

    result = run("scene", "or_gate", "--format", "frames", "--out", out, "--size",
                 SIZE_TEXT, "--quiet")

    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == count
    assert not (out / "frame_0099.png").exists()


def test_frames_folder_other_files_rejected(tmp_path):
    out = tmp_path / "frames"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")

    result = run("scene", "or_gate", "--format", "frames", "--out", out, "--size",
                 SIZE_TEXT)

    assert result.exit_code == 1
    assert result.stderr == (f"Error: folder {str(out)!r} contains files other than "
                             "frames, such as 'notes.txt'; give a new or empty "
                             "folder\n")
    assert [path.name for path in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


# Storyboard sheets.

@pytest.fixture
def saved_axes(monkeypatch):
    """Record the number of axes of every figure saved with Figure.savefig."""
    counts = []
    original = Figure.savefig

    def savefig(figure, *args, **kwargs):
        counts.append(len(figure.axes))
        return original(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return counts


@pytest.mark.parametrize(("name", "panels"), [("or_gate", 5), ("classifier", 12)],
                         ids=["or_gate", "classifier"])
def test_sheet_one_axes_per_panel(tmp_path, saved_axes, name, panels):
    out = tmp_path / "sheet.png"
    history = viz.history(name, seed=0)
    chosen = sheet_frames(timeline_of(name, history), history)

    result = run("scene", name, "--format", "sheet", "--out", out, "--size",
                 SIZE_TEXT, "--quiet")

    assert result.exit_code == 0, result.output
    assert saved_axes == [len(chosen)]
    assert len(chosen) == panels
    assert result.stdout.startswith(f"Wrote {out}: {panels} frames, ")
    # A still has no playing time to report.
    assert " s, " not in result.stdout.splitlines()[0]


def test_sheet_png_written(tmp_path):
    out = tmp_path / "sheet.png"

    result = run("scene", "or_gate", "--format", "sheet", "--out", out, "--size",
                 SIZE_TEXT, "--quiet")

    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "PNG"


def test_sheet_pdf_by_suffix(tmp_path):
    out = tmp_path / "handout.pdf"

    result = run("scene", "or_gate", "--out", out, "--size", SIZE_TEXT, "--quiet")

    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


# Smoothing.

@pytest.mark.parametrize(("name", "epochs", "fps"), [
    ("or_gate", None, None),
    ("classifier", 5, 50),
], ids=["or_gate", "classifier-5-epochs"])
def test_smooth_adds_between_frames(tmp_path, name, epochs, fps):
    out = tmp_path / "smooth.gif"
    history = viz.history(name, seed=0, epochs=epochs)
    timeline = timeline_of(name, history, fps=fps, smooth=3)
    between = [frame for frame in timeline if frame.kind == "between"]
    options = []
    if epochs is not None:
        options += ["--epochs", epochs, "--fps", fps]

    result = run("scene", name, "--smooth", 3, "--out", out, "--size", SIZE_TEXT,
                 "--quiet", *options)
    with Image.open(out) as image:
        count = image.n_frames

    assert result.exit_code == 0, result.output
    assert len(between) == 3 * history.updates
    assert count == len(history.steps) + 2 + 3 * history.updates
    assert count == len(timeline)


def test_smooth_frames_all_differ(tmp_path):
    out = tmp_path / "smooth.gif"

    run("scene", "or_gate", "--smooth", 3, "--out", out, "--size", SIZE_TEXT, "--quiet")
    frames = gif_frames(out)
    repeated = [number for number in range(1, len(frames))
                if np.array_equal(frames[number - 1], frames[number])]

    assert len(frames) > 6
    assert repeated == []


def boundary_x(renderer, weights, y):
    """Return where the boundary of `weights` crosses the horizontal line at `y`."""
    c, a, b = renderer.panel.line_coefficients(weights)
    return -(c + b * y) / a


def test_smooth_boundary_moves_monotonically():
    scene = viz.get_scene("classifier")
    history = viz.history("classifier", seed=0, epochs=5)
    timeline = timeline_of("classifier", history, fps=50, smooth=4)
    renderer = make_renderer(history, scene, SIZE)
    y = sum(renderer.plane_axes.get_ylim()) / 2
    checked, backward = 0, []
    for index, step in enumerate(history.steps):
        # Only a line that stays off the horizontal crosses the row at every blend.
        a_before, a_after = step.weights_before[1], step.weights_after[1]
        if not step.updated or a_before * a_after <= 0:
            continue
        frames = [frame for frame in timeline if frame.step == index
                  and frame.kind in ("between", "step")]
        weights = [step.weights_before]
        weights += [renderer.state(frame).weights for frame in frames]
        positions = np.array([boundary_x(renderer, w, y) for w in weights])
        moves = np.sign(np.diff(positions))
        checked += 1
        if not (np.all(moves > 0) or np.all(moves < 0)):
            backward.append((index, positions.tolist()))
    renderer.close()

    assert checked >= 2
    assert backward == []


def test_smooth_last_blend_reaches_update():
    history = viz.history("classifier", seed=0, epochs=5)
    renderer = make_renderer(history, viz.get_scene("classifier"), SIZE)
    timeline = timeline_of("classifier", history, fps=50, smooth=4)
    step_frames = [frame for frame in timeline
                   if frame.kind == "step" and history.steps[frame.step].updated]
    displayed = [renderer.state(frame).weights for frame in step_frames]
    renderer.close()

    expected = [history.steps[frame.step].weights_after for frame in step_frames]

    assert displayed == expected


# Maximum GIF size.

def test_max_size_fits_and_warns(tmp_path, classifier_history):
    out = tmp_path / "classifier.gif"

    # One frame per update already exceeds 300 KB at this size, and starting there
    # skips the first attempt at one frame per step.
    result = run("scene", "classifier", "--frames", "updates", "--max-size", "300KB",
                 "--out", out, "--size", SIZE_TEXT, "--fps", 50, "--quiet")
    with Image.open(out) as image:
        count = image.n_frames

    assert result.exit_code == 0, result.output
    assert out.stat().st_size <= 300_000
    assert ("Warning: reduced the GIF to fit 300000 bytes: one frame per epoch\n"
            in result.stderr)
    assert count == classifier_history.epochs_run + 2
    assert result.stdout.startswith(f"Wrote {out}: {count} frames, ")


def test_max_size_impossible_fails(tmp_path):
    out = tmp_path / "xor_gate.gif"

    result = run("scene", "xor_gate", "--max-size", "10KB", "--out", out, "--size",
                 SIZE_TEXT)
    lines = result.stderr.splitlines()

    assert result.exit_code == 1
    assert len(lines) == 1
    assert re.fullmatch(r"Error: cannot fit the GIF in 10000 bytes: it is still \d+ "
                        r"bytes after one frame per update, one frame per epoch; "
                        r"allow a larger --max-size or use --format mp4", lines[0])
    assert list(tmp_path.iterdir()) == []


def test_max_size_keeps_old_file(tmp_path):
    out = tmp_path / "xor_gate.gif"
    out.write_bytes(b"earlier render")

    result = run("scene", "xor_gate", "--max-size", "10KB", "--out", out, "--size",
                 SIZE_TEXT)

    assert result.exit_code == 1
    assert out.read_bytes() == b"earlier render"
    assert [path.name for path in tmp_path.iterdir()] == ["xor_gate.gif"]


# The gallery and its check.

@pytest.fixture(scope="module")
def gallery_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gallery") / "output"
    result = run("all", "--folder", folder)
    return result, folder


def test_all_writes_every_file(gallery_folder):
    result, folder = gallery_folder
    names = sorted(entry.name for entry in gallery.GALLERY)

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == names
    assert result.stdout.count("Wrote ") == len(names)


def test_all_check_passes(gallery_folder):
    _, folder = gallery_folder

    result = run("all", "--check", "--folder", folder)

    assert result.exit_code == 0, result.output
    assert result.stdout == (f"All {len(gallery.GALLERY)} files in {folder} match a "
                             "fresh render.\n")


def test_all_check_names_changed_file(gallery_folder, tmp_path):
    _, folder = gallery_folder
    copy = tmp_path / "output"
    shutil.copytree(folder, copy)
    changed = next(entry for entry in gallery.GALLERY if entry.name.endswith(".gif"))
    rerender = run("scene", changed.scene, "--out", copy / changed.name, "--size",
                   SIZE_TEXT, "--quiet")

    result = run("all", "--check", "--folder", copy)
    stale = [line for line in result.stderr.splitlines() if line.startswith("stale: ")]

    assert rerender.exit_code == 0, rerender.output
    assert result.exit_code == 1
    assert len(stale) == 1
    assert stale[0].startswith(f"stale: {copy / changed.name}: frame 1 is 320x180")
    assert (f"Error: 1 of {len(gallery.GALLERY)} files in {copy} differ from a fresh "
            "render" in result.stderr)


def test_gallery_compare_names_loop_change(tmp_path):
    looping, once = tmp_path / "looping.gif", tmp_path / "once.gif"
    viz.render("or_gate", looping, size=(320, 180))
    viz.render("or_gate", once, size=(320, 180), loop=False)

    assert gallery.compare(once, looping) == "loop count None, expected 0"
    assert gallery.compare(looping, looping) == ""


def test_gallery_compare_names_damaged_file(tmp_path):
    fresh, damaged = tmp_path / "fresh.png", tmp_path / "damaged.png"
    viz.render("or_gate", fresh, size=(320, 180))
    data = bytearray(fresh.read_bytes())
    data[100:140] = bytes(40)
    damaged.write_bytes(bytes(data))

    assert gallery.compare(damaged, fresh).startswith("unreadable (")


# Alt text.

def test_alt_text_or_gate_counts(or_gif):
    result, _ = or_gif
    lines = result.stdout.splitlines()

    assert result.exit_code == 0, result.output
    assert lines[1].startswith("Alt text: Animation: A perceptron learns OR.")
    assert "converges in 1 epoch with 3 weight updates" in lines[1]


def test_alt_text_classifier_counts(classifier_png):
    result, _ = classifier_png
    lines = result.stdout.splitlines()

    assert result.exit_code == 0, result.output
    assert lines[1].startswith("Alt text: Image: ")
    assert "converges in 71 epochs with 168 weight updates" in lines[1]


@pytest.mark.parametrize("rendered", ["or_gif", "classifier_png"])
def test_markdown_embeds_output(request, rendered):
    result, out = request.getfixturevalue(rendered)
    lines = result.stdout.splitlines()
    alt = lines[1].removeprefix("Alt text: ")

    assert len(lines) == 3
    assert lines[2] == f"Markdown: ![{alt}]({out.as_posix()})"


def test_alt_text_file_written(or_gif):
    result, out = or_gif
    alt = result.stdout.splitlines()[1].removeprefix("Alt text: ")

    assert out.with_suffix(".txt").read_text(encoding="utf-8") == alt + "\n"


def test_no_alt_text_file_by_default(classifier_png):
    _, out = classifier_png

    assert not out.with_suffix(".txt").exists()


# Notebook display.

def test_repr_html_gif_inline(tmp_path):
    result = viz.render("or_gate", tmp_path / "or_gate.gif", size=SIZE)
    html = result._repr_html_()
    match = re.fullmatch(r'<img src="data:image/gif;base64,([A-Za-z0-9+/=]+)" '
                         r'alt="([^"]*)">', html)

    assert match is not None
    assert base64.b64decode(match.group(1)) == result.path.read_bytes()
    assert "converges in 1 epoch" in match.group(2)


def test_repr_html_mp4_video(tmp_path):
    result = viz.render("or_gate", tmp_path / "or_gate.mp4", size=SIZE)
    html = result._repr_html_()

    assert html.startswith(f'<video src="{result.path}" controls')
    assert html.endswith("></video>")
    assert "base64" not in html
