import math
import os
import subprocess
import sys

import imageio.v3 as iio
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image, ImageSequence

import viz
from viz.geometry import boundary_segment
from viz.renderer import make_renderer
from viz.scene import get_scene
from viz.stream import FRAMES_PER_WORKER
from viz.timeline import plan, total_duration

SMALL = (640, 360)
# Pixel checks use only points at least this far, in data units, from markers,
# arrows and the view's edge, because those artists may cover them.
CLEARANCE = 0.4
SIDE_OFFSET = 0.5


def hex_rgb(colour):
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def colour_error(pixels, colour):
    """Return the largest channel difference of each pixel from a hex colour."""
    return np.abs(pixels.astype(int) - hex_rgb(colour)).max(axis=-1)


def window(image, row, col, radius=2):
    return image[row - radius:row + radius + 1, col - radius:col + radius + 1]


def timeline_of(history, scene, fps=50):
    return plan(history, fps=fps, mode=scene.frames, start_hold=scene.start_hold,
                end_hold=scene.end_hold)


def shown_weights(history, frame):
    if frame.step < 0:
        return history.settings.initial_weights
    return history.steps[frame.step].weights_after


def line_geometry(renderer, weights):
    """Return (c, a, b), a point on the line and its unit normal and direction."""
    c, a, b = renderer.panel.line_coefficients(weights)
    norm = math.hypot(a, b)
    foot = np.array([-c * a, -c * b]) / norm**2
    normal = np.array([a, b]) / norm
    direction = np.array([-normal[1], normal[0]])
    return (c, a, b), foot, normal, direction


def inside_view(renderer, point, margin):
    (x0, x1), (y0, y1) = renderer.plane_axes.get_xlim(), renderer.plane_axes.get_ylim()
    inside_x = x0 + margin <= point[0] <= x1 - margin
    inside_y = y0 + margin <= point[1] <= y1 - margin
    return inside_x and inside_y


def arrow_base(renderer, weights):
    """Return where the weight arrow starts: the middle of the visible boundary."""
    coefficients = renderer.panel.line_coefficients(weights)
    start, end = boundary_segment(*coefficients, renderer.plane_axes.get_xlim(),
                                  renderer.plane_axes.get_ylim())
    return (np.array(start) + np.array(end)) / 2


def clear_of(point, centres, distance):
    return all(np.hypot(*(point - np.array(centre))) >= distance for centre in centres)


def points_on_line(renderer, weights, avoid, count=81):
    """Yield points on the boundary of `weights`, with their sides, clear of `avoid`."""
    _, foot, normal, direction = line_geometry(renderer, weights)
    span = 2 * max(abs(v) for v in renderer.plane_axes.get_xlim()
                   + renderer.plane_axes.get_ylim())
    for t in np.linspace(-span, span, count):
        point = foot + t * direction
        sides = [point + SIDE_OFFSET * normal, point - SIDE_OFFSET * normal]
        if not all(inside_view(renderer, p, CLEARANCE) for p in [point, *sides]):
            continue
        if all(clear_of(p, avoid, CLEARANCE) for p in [point, *sides]):
            yield point, sides


@pytest.fixture(scope="module")
def classifier_scene():
    return viz.get_scene("classifier")


@pytest.fixture(scope="module")
def large_renderer(classifier_history, classifier_scene):
    renderer = make_renderer(classifier_history, classifier_scene, (1280, 720))
    yield renderer
    renderer.close()


@pytest.fixture(scope="module")
def small_renderer(classifier_history, classifier_scene):
    renderer = make_renderer(classifier_history, classifier_scene, SMALL)
    yield renderer
    renderer.close()


@pytest.fixture(scope="module")
def final_point(large_renderer, classifier_history):
    """Find a point on the final boundary clear of markers and the arrow.

    Returns the point and the two points SIDE_OFFSET away from it on either side.
    """
    weights = classifier_history.final_weights
    avoid = list(classifier_history.samples)
    base = arrow_base(large_renderer, weights)
    for point, sides in points_on_line(large_renderer, weights, avoid):
        if np.hypot(*(point - base)) >= 2 * CLEARANCE + SIDE_OFFSET:
            return point, sides
    pytest.fail("no clear point on the final boundary")


@pytest.fixture(scope="module")
def final_image(large_renderer, classifier_history, classifier_scene):
    return large_renderer.draw(timeline_of(classifier_history, classifier_scene)[-1])


def test_boundary_drawn_on_line(large_renderer, final_image, final_point):
    point, _ = final_point
    row, col = large_renderer.pixel(large_renderer.plane_axes, *point)

    errors = colour_error(window(final_image, row, col), large_renderer.theme.boundary)

    assert errors.min() <= 8


@pytest.mark.parametrize(("side", "region"), [
    (0, "positive_region"), (1, "negative_region"),
], ids=["positive", "negative"])
def test_regions_beside_boundary(large_renderer, final_image, final_point, side,
                                 region):
    _, sides = final_point
    row, col = large_renderer.pixel(large_renderer.plane_axes, *sides[side])
    expected = getattr(large_renderer.theme, region)

    assert colour_error(final_image[row, col], expected) == 0


@pytest.mark.parametrize("size", [(160, 120), (641, 361), (1280, 720)],
                         ids=["min", "odd", "hd"])
@pytest.mark.parametrize("name", ["or_gate", "classifier"])
def test_draw_frames_one_shape(size, name):
    scene = viz.get_scene(name)
    history = viz.history(name, seed=0)
    timeline = timeline_of(history, scene)
    chosen = timeline[:5] + timeline[len(timeline) // 2:][:3] + timeline[-2:]
    renderer = make_renderer(history, scene, size)
    try:
        images = [renderer.draw(frame) for frame in chosen]
    finally:
        renderer.close()
    shapes = {image.shape for image in images}
    dtypes = {image.dtype for image in images}

    assert shapes == {(size[1], size[0], 3)}
    assert dtypes == {np.dtype(np.uint8)}


@pytest.mark.parametrize("name", ["or_gate", "classifier", "xor_gate"])
def test_draw_adds_no_artists(name):
    scene = viz.get_scene(name)
    history = viz.history(name, seed=0)
    timeline = timeline_of(history, scene)
    renderer = make_renderer(history, scene, (320, 180))
    try:
        before = len(renderer.figure.findobj())
        for frame in timeline[:30] + timeline[-2:]:
            renderer.draw(frame)
        after = len(renderer.figure.findobj())
    finally:
        renderer.close()

    assert after == before


@pytest.fixture(scope="module")
def classifier_gif(tmp_path_factory):
    path = tmp_path_factory.mktemp("classifier") / "classifier.gif"
    viz.render("classifier", path, size=SMALL, fps=50, seed=0)
    return path


@pytest.fixture(scope="module")
def small_timeline(classifier_history, classifier_scene):
    return timeline_of(classifier_history, classifier_scene)


@pytest.fixture(scope="module")
def ghost_point(small_renderer, classifier_history, small_timeline):
    """Find an early frame whose boundary lies far from the final one in the view.

    Returns the frame's index and a point on its boundary that is clear of markers,
    both weight arrows and the final boundary.
    """
    final = classifier_history.final_weights
    (c, a, b), _, _, _ = line_geometry(small_renderer, final)
    final_base = arrow_base(small_renderer, final)
    samples = list(classifier_history.samples)
    for index, frame in enumerate(small_timeline[1:len(small_timeline) // 4], start=1):
        weights = shown_weights(classifier_history, frame)
        segment = boundary_segment(*small_renderer.panel.line_coefficients(weights),
                                   small_renderer.plane_axes.get_xlim(),
                                   small_renderer.plane_axes.get_ylim())
        if segment is None:
            continue
        avoid = samples + [final_base, arrow_base(small_renderer, weights)]
        for point, _ in points_on_line(small_renderer, weights, avoid):
            from_final = abs(c + a * point[0] + b * point[1]) / math.hypot(a, b)
            if from_final >= SIDE_OFFSET and clear_of(point, avoid, 3 * CLEARANCE):
                return index, point
    pytest.fail("no early boundary lies clear of the final one")


@pytest.fixture(scope="module")
def gif_frames(classifier_gif, small_timeline, ghost_point):
    """Decode the frames that the tests compare, as RGB arrays keyed by index."""
    last = len(small_timeline) - 1
    needed = {0, 1, last // 2, last - 1, last, ghost_point[0]}
    frames = {}
    with Image.open(classifier_gif) as image:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index in needed:
                frames[index] = np.asarray(frame.convert("RGB"))
        frames["count"] = image.n_frames
    return frames


def test_gif_frame_count_matches_plan(gif_frames, small_timeline):
    assert gif_frames["count"] == len(small_timeline)


def test_gif_early_frame_shows_line(gif_frames, ghost_point, small_renderer):
    index, point = ghost_point
    row, col = small_renderer.pixel(small_renderer.plane_axes, *point)

    errors = colour_error(window(gif_frames[index], row, col),
                          small_renderer.theme.boundary)

    assert errors.min() <= 8


def test_gif_old_line_gone_later(gif_frames, ghost_point, small_renderer,
                                 small_timeline):
    _, point = ghost_point
    row, col = small_renderer.pixel(small_renderer.plane_axes, *point)
    pixel = gif_frames[len(small_timeline) - 1][row, col]
    theme = small_renderer.theme
    regions = [tuple(hex_rgb(theme.positive_region)),
               tuple(hex_rgb(theme.negative_region))]

    assert colour_error(pixel, theme.boundary) > 100
    assert tuple(int(v) for v in pixel) in regions


@pytest.mark.parametrize("position", ["first", "second", "middle", "last-step", "end"])
def test_gif_frame_matches_draw(gif_frames, small_renderer, small_timeline, position):
    last = len(small_timeline) - 1
    index = {"first": 0, "second": 1, "middle": last // 2, "last-step": last - 1,
             "end": last}[position]

    expected = small_renderer.draw(small_timeline[index]).astype(int)
    difference = np.abs(gif_frames[index].astype(int) - expected)

    assert gif_frames[index].shape == expected.shape
    assert difference.mean() < 2


CLASSIFIER_POINTS = [((1.0, 1.0), 1), ((1.0, 3.0), 1), ((3.0, 1.0), 1),
                     ((1.8, 4.8), 1), ((2.0, 5.0), -1), ((4.0, 3.0), -1),
                     ((5.0, 2.0), -1)]


@pytest.mark.parametrize(("point", "label"), CLASSIFIER_POINTS,
                         ids=[f"{x}-{y}" for (x, y), _ in CLASSIFIER_POINTS])
def test_gif_marker_colour_kept(gif_frames, small_renderer, small_timeline, point,
                                label):
    row, col = small_renderer.pixel(small_renderer.plane_axes, *point)
    pixel = gif_frames[len(small_timeline) - 1][row, col]
    theme = small_renderer.theme
    expected = theme.positive if label == 1 else theme.negative

    assert colour_error(pixel, expected) <= 4


def test_render_leaves_no_figure_open(tmp_path):
    viz.render("or_gate", tmp_path / "or_gate.gif", size=(320, 180), jobs=1)

    assert plt.get_fignums() == []


def test_render_ignores_interactive_backend(tmp_path):
    out = tmp_path / "or_gate.png"
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["MPLBACKEND"] = "TkAgg"

    finished = subprocess.run(
        [sys.executable, "-m", "viz.cli", "scene", "or_gate", "--format", "png",
         "--size", "320x180", "--out", str(out)],
        env=environment, capture_output=True, text=True, timeout=120,
    )

    assert finished.returncode == 0, finished.stderr
    assert out.is_file()


@pytest.fixture(scope="module")
def short_renders(tmp_path_factory):
    """Render ten epochs of the classifier, once per (format, jobs, run)."""
    folder = tmp_path_factory.mktemp("short")
    results = {}

    def run(fmt, jobs, number=1):
        key = fmt, jobs, number
        if key not in results:
            path = folder / f"jobs{jobs}-run{number}.{fmt}"
            results[key] = viz.render("classifier", path, size=(320, 180), fps=50,
                                      epochs=10, seed=0, jobs=jobs)
        return results[key]

    return run


@pytest.mark.parametrize("fmt", ["gif", "mp4"])
def test_parallel_matches_serial(short_renders, fmt):
    serial = short_renders(fmt, jobs=1)
    parallel = short_renders(fmt, jobs=2)

    # Below this many frames the renderer draws in one process for any `jobs`.
    assert parallel.frames >= 2 * FRAMES_PER_WORKER
    assert parallel.path.read_bytes() == serial.path.read_bytes()


@pytest.mark.parametrize("fmt", ["gif", "mp4"])
def test_two_runs_identical(short_renders, fmt):
    first = short_renders(fmt, jobs=2, number=1)
    second = short_renders(fmt, jobs=2, number=2)

    assert first.path.read_bytes() == second.path.read_bytes()


def test_mp4_duration_follows_plan_fps30(tmp_path, classifier_scene):
    result = viz.render("classifier", tmp_path / "fps30.mp4", size=(320, 180), fps=30,
                        epochs=10, seed=0, jobs=1)
    planned = plan(result.history, fps=30, start_hold=classifier_scene.start_hold,
                   end_hold=classifier_scene.end_hold)

    duration = iio.immeta(result.path, plugin="FFMPEG")["duration"]

    assert duration == pytest.approx(total_duration(planned), abs=0.1)


def test_gif_once_has_no_loop(tmp_path):
    path = tmp_path / "once.gif"

    viz.render("or_gate", path, size=(320, 180), loop=False, jobs=1)

    with Image.open(path) as image:
        assert "loop" not in image.info
        assert image.n_frames == 6


@pytest.mark.parametrize("size", [(640, 360), (2560, 1440)])
def test_markers_cover_same_share_at_any_size(size):
    scene = get_scene("classifier")
    history = viz.history(scene, seed=0)
    last = plan(history, fps=20)[-1]

    def marker_share(frame_size):
        renderer = make_renderer(history, scene, size=frame_size)
        pixels = renderer.draw_rgba(last)
        box = renderer.plane_axes.get_window_extent()
        top = renderer.height - int(box.y1)
        crop = pixels[top:renderer.height - int(box.y0), int(box.x0):int(box.x1), :3]
        colour = [int(renderer.theme.positive[i:i + 2], 16) for i in (1, 3, 5)]
        return (crop == colour).all(axis=2).mean()

    # Markers are sized in points, which the dpi already scales with the frame.
    assert marker_share(size) == pytest.approx(marker_share((1280, 720)), rel=0.25)
