"""The Python API: train a scene, or render it to a file."""

from __future__ import annotations

import logging
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from viz import captions
from viz.history import History
from viz.scene import Scene, get_scene, train_scene, with_data
from viz.timeline import FRAME_MODES, MAX_FPS, plan, total_duration

__all__ = ["render", "history", "write_history", "load_history", "RenderResult",
           "FORMATS", "HISTORY_FORMATS", "DEFAULT_SIZE", "resolve_output"]

logger = logging.getLogger(__name__)

FORMATS = ("gif", "mp4", "png", "frames", "sheet")
SUFFIXES = {".gif": "gif", ".mp4": "mp4", ".png": "png", ".pdf": "sheet"}
HISTORY_FORMATS = ("json", "csv")
HISTORY_SUFFIXES = {".json": "json", ".csv": "csv"}
DEFAULT_SIZE = (1280, 720)
OUTPUT_FOLDER = Path("output")


@dataclass(frozen=True)
class RenderResult:
    """The result of a render: the file, its frames and playing time, and the history."""

    path: Path
    format: str
    frames: int
    duration: float
    bytes: int
    size: tuple[int, int]
    history: History = field(repr=False)
    alt_text: str = ""

    def _repr_html_(self) -> str:
        """Show the file inline in a Jupyter notebook."""
        import base64
        from html import escape

        alt = escape(self.alt_text)
        if self.format == "mp4":
            return (f'<video src="{escape(str(self.path))}" controls loop autoplay '
                    f'muted title="{alt}"></video>')
        if self.path.suffix.lower() == ".pdf":
            return (f'<object data="{escape(str(self.path))}" type="application/pdf" '
                    f'width="100%" height="600">{alt}</object>')
        image_path = self.path
        if self.format == "frames":
            image_path = sorted(self.path.glob("frame_*.png"))[-1]
        data = base64.b64encode(image_path.read_bytes()).decode("ascii")
        kind = "gif" if self.format == "gif" else "png"
        return f'<img src="data:image/{kind};base64,{data}" alt="{alt}">'


def history(scene: Scene | str, data=None, **options) -> History:
    """Train a scene and return its history without rendering anything.

    `data` is a viz.data.Dataset, or a CSV path, to train on in place of the
    scene's samples. Takes the training options of `render`: epochs,
    learning_rate, rule, order, seed and init.
    """
    return train_scene(_with_data(scene, data), **options)


def _with_data(scene: Scene | str, data) -> Scene:
    """Return the scene, trained on `data` when it is given."""
    if isinstance(scene, str):
        scene = get_scene(scene)
    if data is None:
        return scene
    from viz.data import Dataset, load_csv

    if not isinstance(data, Dataset):
        data = load_csv(data)
    if scene.layout != "plane":
        raise ValueError(f"scene {scene.name!r} has fixed inputs; --data works with "
                         "scenes that show points in the plane, such as 'classifier'")
    return with_data(scene, data.samples, data.targets, data.class_names,
                     data.feature_names)


def write_history(scene: Scene | str, out: str | Path | None = None,
                  format: str | None = None, data=None, **options) -> tuple[Path, History]:
    """Train a scene and write its history as JSON or CSV, without rendering.

    The suffix of `out` (.json or .csv) picks the format unless `format` is given;
    without `out` the file is output/<scene>.<format>.
    """
    scene = _with_data(scene, data)
    recorded = train_scene(scene, **options)
    path, chosen = _resolve(scene.name, out, format, HISTORY_SUFFIXES, "json")
    _check_destination(path, inputs=[data])
    text = recorded.to_json() if chosen == "json" else recorded.to_csv()
    _write_text(path, text)
    return path, recorded


def load_history(path: str | Path, scene: Scene) -> History:
    """Read a history file for `scene`, raising ValueError if it is damaged or foreign."""
    from viz.model import replay

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"history file {str(path)!r} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read history file {str(path)!r}: {exc}") from None
    try:
        recorded = History.from_json(text)
    except ValueError as exc:
        raise ValueError(f"history file {str(path)!r} is damaged: {exc}; write it "
                         "again with 'render history'") from None
    if recorded.scene != scene.name:
        raise ValueError(f"history file {str(path)!r} records scene "
                         f"{recorded.scene!r}, not {scene.name!r}; render it with "
                         f"'render scene {recorded.scene} --from-history {path}'")
    if not recorded.steps:
        raise ValueError(f"history file {str(path)!r} contains no training steps")
    try:
        check_history(recorded)
        replay(recorded)
    except ValueError as exc:
        raise ValueError(f"history file {str(path)!r} is damaged: {exc}; write it "
                         "again with 'render history'") from None
    return recorded


def check_history(recorded: History) -> None:
    """Raise ValueError if the parts of a history do not fit together.

    Checks what a frame relies on: names, encodings, numbers, sample indices,
    epochs, weight counts and the cycle. `load_history` also replays the
    updates, which checks the numbers against each other.
    """
    from viz.model import MAX_EPOCHS, ORDERS, RULES

    settings = recorded.settings
    if settings.rule not in RULES:
        raise ValueError(f"rule {settings.rule!r} is unknown; expected one of "
                         f"{', '.join(RULES)}")
    if settings.order not in ORDERS:
        raise ValueError(f"order {settings.order!r} is unknown; expected one of "
                         f"{', '.join(ORDERS)}")
    if not _is_whole(settings.seed) or settings.seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more, got {settings.seed!r}")
    if not _is_whole(settings.epochs) or not 1 <= settings.epochs <= MAX_EPOCHS:
        raise ValueError(f"the epoch limit must be a whole number from 1 to {MAX_EPOCHS}, "
                         f"got {settings.epochs!r}")
    if not 1 <= recorded.epochs_run <= settings.epochs:
        raise ValueError(f"epochs_run must be from 1 to the epoch limit "
                         f"{settings.epochs}, got {recorded.epochs_run}")
    if len(recorded.samples) != len(recorded.targets):
        raise ValueError(f"there are {len(recorded.samples)} samples but "
                         f"{len(recorded.targets)} targets")
    numbers = [settings.learning_rate, settings.threshold, *settings.initial_weights]
    if not all(_is_number(v) and math.isfinite(v) for v in numbers):
        raise ValueError("the learning rate, threshold and initial weights must be "
                         "finite numbers")
    if settings.learning_rate <= 0:
        raise ValueError(f"the learning rate must be above 0, got "
                         f"{settings.learning_rate!r}")
    if len(recorded.class_names) != 2:
        raise ValueError(f"there must be 2 class names, got {len(recorded.class_names)}")
    features = len(recorded.feature_names)
    if features != 2:
        raise ValueError(f"there must be 2 feature names, got {features}")
    for number, sample in enumerate(recorded.samples):
        if len(sample) != 2:
            raise ValueError(f"sample {number} must have 2 features, got {len(sample)}")
    if set(recorded.targets) - {0.0, 1.0} and set(recorded.targets) - {-1.0, 1.0}:
        raise ValueError(f"targets must all be 0 or 1, or all -1 or +1, got "
                         f"{sorted(set(recorded.targets))}")
    size = features + (1 if settings.bias else 0)
    if len(settings.initial_weights) != size:
        raise ValueError(f"there must be {size} initial weights, got "
                         f"{len(settings.initial_weights)}")
    previous = 1
    for number, step in enumerate(recorded.steps):
        vectors = (step.inputs, step.weights_before, step.weights_after)
        if not all(isinstance(vector, tuple) for vector in vectors):
            raise ValueError(f"step {number} must list its inputs and weights")
        if not _is_whole(step.index):
            raise ValueError(f"step {number} visits sample {step.index!r}, which is not "
                             "a whole number")
        values = [step.target, step.weighted_sum, step.prediction, step.error,
                  *step.inputs, *step.weights_before, *step.weights_after]
        if not all(_is_number(v) for v in values):
            raise ValueError(f"step {number} contains a value that is not a number")
        # Only a run that diverged reaches infinite or undefined weights.
        if not recorded.diverged and not all(math.isfinite(v) for v in values):
            raise ValueError(f"step {number} contains a value that is not finite, in a "
                             "run that did not diverge")
        if not 0 <= step.index < len(recorded.samples):
            raise ValueError(f"step {number} visits sample {step.index}, but there are "
                             f"{len(recorded.samples)} samples")
        if not _is_whole(step.epoch) or step.epoch < 1:
            raise ValueError(f"step {number} is in epoch {step.epoch!r}; epochs start at 1")
        if step.epoch < previous:
            raise ValueError(f"step {number} is in epoch {step.epoch}, before the epoch "
                             f"{previous} of the step before it")
        previous = step.epoch
        lengths = {len(step.inputs), len(step.weights_before), len(step.weights_after)}
        if lengths != {size}:
            raise ValueError(f"step {number} must have {size} inputs and weights")
    last = recorded.steps[-1].epoch
    if recorded.epochs_run != last:
        raise ValueError(f"epochs_run is {recorded.epochs_run}, but the last step is in "
                         f"epoch {last}")
    if recorded.cycle is not None:
        cycle = recorded.cycle
        if (len(cycle) != 2 or not all(isinstance(e, int) for e in cycle)
                or not 1 <= cycle[0] < cycle[1] <= last):
            raise ValueError(f"cycle {list(cycle)} must be two epochs from 1 to {last}, "
                             "the first before the second")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def resolve_output(scene_name: str, out: str | Path | None,
                   format: str | None) -> tuple[Path, str]:
    """Decide the output path and format from `--out` and `--format`.

    The suffix of `out` picks the format unless `format` is given, and then the
    two must agree. Without `out` the file is output/<scene>.<format>.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if format == "frames":
        if out is None:
            return OUTPUT_FOLDER / f"{scene_name}_frames", format
        path = Path(out)
        if path.suffix.lower() in SUFFIXES:
            raise ValueError(f"format 'frames' writes a folder, but {str(path)!r} "
                             "names a file; give a folder path without a suffix")
        return path, format
    if format == "sheet":
        if out is None:
            return OUTPUT_FOLDER / f"{scene_name}_sheet.png", format
        path = Path(out)
        _check_not_folder(path, f"{scene_name}_sheet.png")
        suffix = path.suffix.lower()
        if not suffix:
            return path.with_name(path.name + ".png"), format
        if suffix not in (".png", ".pdf"):
            raise ValueError(f"a sheet is a .png or .pdf file, not {str(path)!r}; "
                             "end the path in .png or .pdf")
        return path, format
    return _resolve(scene_name, out, format, SUFFIXES, "gif")


def _resolve(scene_name, out, format, suffixes: dict, default: str) -> tuple[Path, str]:
    formats = sorted(set(suffixes.values()))
    if format is not None and format not in formats:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(formats)}")
    if out is None:
        chosen = format or default
        return OUTPUT_FOLDER / f"{scene_name}.{chosen}", chosen
    path = Path(out)
    _check_not_folder(path, f"{scene_name}.{format or default}")
    suffix = path.suffix.lower()
    by_suffix = suffixes.get(suffix)
    if format is None:
        if by_suffix is None:
            raise ValueError(
                f"cannot tell the format from {str(path)!r}; end the path in "
                f"{', '.join(suffixes)} or pass a format"
            )
        return path, by_suffix
    if suffix and by_suffix != format:
        raise ValueError(f"format {format!r} contradicts the suffix of {str(path)!r}; "
                         f"use a .{format} path or drop the format")
    if not suffix:
        path = path.with_name(path.name + f".{format}")
    return path, format


def _check_not_folder(path: Path, example: str) -> None:
    # A folder path without a suffix would otherwise get the format's suffix,
    # and the render would write a file beside the folder.
    if path.is_dir():
        raise ValueError(f"output {str(path)!r} is a directory; give a file path "
                         f"such as {str(path / example)!r}")


def _check_destination(path: Path, format: str = "gif", inputs=()) -> None:
    """Raise ValueError unless `path` can take the output without losing data.

    `inputs` are the files the render reads, such as a --data CSV, which the
    output must not replace.
    """
    for source in inputs:
        if isinstance(source, (str, Path)) and path.exists() and Path(source).exists():
            if os.path.samefile(path, source):
                raise ValueError(f"output {str(path)!r} is the input file {str(source)!r}; "
                                 "choose another --out path or rename the input")
    if format == "frames" and path.is_dir():
        # Only a folder of earlier frames may be replaced, never other files.
        others = [item.name for item in path.iterdir()
                  if not (item.name.startswith("frame_") and item.suffix == ".png")]
        if others:
            raise ValueError(f"folder {str(path)!r} contains files other than frames, "
                             f"such as {others[0]!r}; give a new or empty folder")
    elif format == "frames" and path.exists():
        raise ValueError(f"output {str(path)!r} is a file, and frames go into a folder; "
                         "give a new folder path")
    elif path.is_dir():
        raise ValueError(f"output {str(path)!r} is a directory; give a file path "
                         f"such as {str(path / 'animation.gif')!r}")
    elif path.is_file() and not path.stat().st_mode & 0o222:
        # Replacing the file by renaming would ignore its mode, even for root.
        raise ValueError(f"output {str(path)!r} is write-protected; make it writable "
                         "or choose another --out path")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise ValueError(f"output {str(path)!r} goes through {str(parent)!r}, "
                             "which is a file; choose another folder")
    path.parent.mkdir(parents=True, exist_ok=True)


# A step frame lasts at most 10 s. Slower rates only make huge files: an MP4
# repeats a long frame to hold it.
MIN_FPS = 0.1


def _check_fps(fps) -> float:
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not math.isfinite(fps):
        raise TypeError(f"fps must be a number, got {fps!r}")
    if fps < MIN_FPS:
        raise ValueError(f"fps must be at least {MIN_FPS} (one frame per "
                         f"{1 / MIN_FPS:g} s), got {fps!r}")
    if fps > MAX_FPS:
        warnings.warn(f"fps {fps!r} is above the maximum of {MAX_FPS}; using {MAX_FPS}",
                      stacklevel=3)
        return float(MAX_FPS)
    return fps


@dataclass(frozen=True)
class Job:
    """Everything one render needs, checked: what to draw, how, and where."""

    scene: Scene
    history: History
    timeline: list
    size: tuple[int, int]
    format: str
    fps: float
    theme: str
    style: str | None
    transparent: bool
    loop: bool
    jobs: int
    smooth: int = 0


def render(
    scene: Scene | str,
    out: str | Path | None = None,
    *,
    format: str | None = None,
    fps: float | None = None,
    size: tuple[int, int] | str | None = None,
    preset: str | None = None,
    epochs: int | None = None,
    learning_rate: float | None = None,
    rule: str | None = None,
    order: str = "fixed",
    seed: int | None = None,
    init: str = "zeros",
    frames: str | None = None,
    hold: float | None = None,
    smooth: int = 0,
    theme: str = "light",
    style: str | None = None,
    transparent: bool = False,
    max_size: int | str | None = None,
    alt_text_file: bool = False,
    jobs: int | None = None,
    loop: bool = True,
    from_history: History | str | Path | None = None,
    data=None,
    progress=None,
) -> RenderResult:
    """Train a scene and render its training to a file.

    `format` is gif, mp4, png (the last frame), frames (a folder of numbered PNGs)
    or sheet (a storyboard, PNG or PDF by suffix). `out` defaults to
    output/<scene>.<format>; its suffix picks the format unless `format` is given.
    `fps` is the rate of step frames (default: the scene's). `size` is the frame
    size in pixels, (1280, 720) or "1280x720", or `preset` one of readme, slides, hd
    and square. `hold` is the seconds the last frame stays up, `frames` one of
    "steps", "updates" or "epochs", and `smooth` the in-between frames before each
    update. `style` is a matplotlib style name or file whose colours replace the
    theme's. `transparent` makes still backgrounds transparent. `max_size`, in bytes
    or as text such as "5MB", makes a GIF shrink until it fits. `jobs` is the number
    of drawing processes (default: the CPU cores). `data` is a CSV path or a
    viz.data.Dataset to train on. `from_history` is a History, or a JSON file from
    `write_history`, that is rendered in place of training. `progress`, if given, is
    called as progress(done, total) after each frame. An existing file at `out` is
    replaced only when the new one is complete.
    """
    from viz.renderer import check_size
    from viz.stream import default_jobs

    scene = _with_data(scene, data)
    inputs = [data, from_history]
    if isinstance(from_history, (str, Path)):
        from_history = load_history(from_history, scene)
    if from_history is not None:
        training = {"epochs": epochs, "learning rate": learning_rate, "rule": rule,
                    "seed": seed}
        ignored = [name for name, value in training.items() if value is not None]
        ignored += ["order"] if order != "fixed" else []
        ignored += ["initial weights"] if init != "zeros" else []
        ignored += ["data"] if data is not None else []
        if ignored:
            warnings.warn(f"a history is rendered as recorded, so the options for "
                          f"{', '.join(ignored)} had no effect", stacklevel=2)
        check_history(from_history)
        recorded = from_history
        scene = with_data(scene, recorded.samples, recorded.targets,
                          recorded.class_names, recorded.feature_names)
    else:
        recorded = train_scene(scene, epochs=epochs, learning_rate=learning_rate,
                               rule=rule, order=order, seed=seed, init=init)
    for names in (recorded.class_names, recorded.feature_names):
        for name, displayed in zip(names, captions.short_names(names)):
            if displayed == name:
                continue
            quoted = repr(name) if len(name) <= 60 else f"{name[:57]!r}…"
            if len(" ".join(name.split())) > captions.NAME_LIMIT:
                reason = f"has {len(name)} characters, more than {captions.NAME_LIMIT}"
            else:
                reason = "has tabs, line breaks or repeated spaces"
            warnings.warn(f"the name {quoted} {reason}; frames show {displayed!r}",
                          stacklevel=2)
    fps = _check_fps(scene.fps if fps is None else fps)
    if hold is not None and (isinstance(hold, bool) or not isinstance(hold, (int, float))
                             or not 0 <= hold <= 600):
        raise ValueError(f"hold must be a number of seconds from 0 to 600, got {hold!r}")
    mode = frames or scene.frames
    if mode not in FRAME_MODES:
        raise ValueError(f"unknown frames mode {mode!r}; expected one of "
                         f"{', '.join(FRAME_MODES)}")
    size = check_size(_frame_size(size, preset))
    path, chosen = resolve_output(scene.name, out, format)
    if chosen == "mp4" and (size[0] % 2 or size[1] % 2):
        even = (size[0] - size[0] % 2, size[1] - size[1] % 2)
        warnings.warn(f"MP4 needs an even width and height; rendering {even[0]}x"
                      f"{even[1]} instead of {size[0]}x{size[1]}", stacklevel=2)
        size = even
    if transparent and chosen in ("gif", "mp4"):
        raise ValueError(f"transparent backgrounds work for png, frames and sheet, "
                         f"not {chosen}; drop --transparent or change the format")
    if max_size is not None and chosen != "gif":
        raise ValueError(f"a maximum file size works for gif only, not {chosen}")
    if isinstance(max_size, str):
        max_size = parse_bytes(max_size)
    if max_size is not None and (not isinstance(max_size, int) or max_size < MIN_MAX_SIZE):
        raise ValueError(f"the maximum file size must be at least {MIN_MAX_SIZE} bytes, "
                         f"got {max_size!r}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int)
                             or jobs < 1):
        raise ValueError(f"jobs must be a whole number of 1 or more, got {jobs!r}")
    timeline = plan(recorded, fps=fps, mode=mode, start_hold=scene.start_hold,
                    end_hold=scene.end_hold if hold is None else hold, smooth=smooth)
    if style is not None:
        from viz.theme import check_style

        check_style(style)
    _check_destination(path, chosen, inputs)
    if alt_text_file:
        _check_destination(path.with_suffix(".txt"), "txt", inputs)
    job = Job(scene=scene, history=recorded, timeline=timeline, size=size,
              format=chosen, fps=fps, theme=theme, style=style,
              transparent=transparent, loop=loop,
              jobs=default_jobs() if jobs is None else jobs, smooth=smooth)

    if max_size is not None:
        job = _write_within(job, path, max_size, progress)
    else:
        _write(job, path, progress)
    result = _result(job, path)
    if alt_text_file:
        _write_text(path.with_suffix(".txt"), result.alt_text + "\n")
    logger.info("wrote %s: %d frames", path, result.frames)
    return result


PRESETS = {"readme": (960, 540), "slides": (1280, 720), "hd": (1920, 1080),
           "square": (1080, 1080)}


SIZE_PATTERN = re.compile(r"^\s*(-?\d+)\s*[xX×]\s*(-?\d+)\s*$")
BYTE_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3,
              "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}
MIN_MAX_SIZE = 10_000


def parse_size(text: str) -> tuple[int, int]:
    """Parse WIDTHxHEIGHT, such as 1280x720, into a pair of ints."""
    match = SIZE_PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not of the form WIDTHxHEIGHT, such as 1280x720")
    return int(match.group(1)), int(match.group(2))


def parse_bytes(text: str) -> int:
    """Parse a file size such as 5MB, 800KB, 2MiB or 1048576 into bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    unit = match.group(2).upper() if match else ""
    if not match or unit not in BYTE_UNITS:
        raise ValueError(f"{text!r} is not a size such as 5MB, 800KB or 1048576")
    return int(float(match.group(1)) * BYTE_UNITS[unit])


def _frame_size(size, preset) -> tuple[int, int]:
    if isinstance(size, str):
        return parse_size(size)
    if size is not None:
        return size
    if preset is None:
        return DEFAULT_SIZE
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; expected one of "
                         f"{', '.join(PRESETS)}")
    return PRESETS[preset]


def _result(job: Job, path: Path) -> RenderResult:
    frames = len(job.timeline)
    duration = total_duration(job.timeline)
    if job.format == "mp4":
        from viz.writers import video_fps, video_frame_counts

        durations = [f.duration for f in job.timeline]
        rate = video_fps(durations)
        duration = sum(video_frame_counts(durations, rate)) / rate
    elif job.format in ("png", "sheet"):
        from viz.stills import sheet_frames

        frames = 1 if job.format == "png" else len(sheet_frames(job.timeline,
                                                                job.history))
        duration = 0.0
    if path.is_dir():
        size = sum(item.stat().st_size for item in path.iterdir())
    else:
        size = path.stat().st_size
    kind = {"png": "Image", "sheet": "Storyboard", "frames": "Frames"}.get(
        job.format, "Animation")
    text = captions.alt_text(job.history, job.scene.title, kind=kind)
    return RenderResult(path=path, format=job.format, frames=frames, duration=duration,
                        bytes=size, size=job.size, history=job.history, alt_text=text)


def _write_text(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place."""
    from viz.writers import AtomicFile

    target = AtomicFile(path)
    try:
        target.temporary.write_text(text, encoding="utf-8")
        target.commit()
    except BaseException:
        target.discard()
        raise


def _write(job: Job, path: Path, progress=None) -> None:
    """Draw the job's frames and write them to `path` through the format's writer."""
    import contextlib

    from viz.renderer import make_renderer

    context = contextlib.nullcontext()
    if job.style is not None:
        import matplotlib.style

        context = matplotlib.style.context(job.style)
    with context:
        theme = job.theme
        if job.style is not None:
            from viz.theme import get_theme, theme_from_style

            theme = theme_from_style(job.style, get_theme(job.theme))
        drawer = make_renderer(job.history, job.scene, size=job.size, theme=theme,
                               transparent=job.transparent)
        try:
            _stream(job, drawer, path, progress)
        except OSError as exc:
            if exc.filename is not None or exc.errno is None:
                raise
            # Writes to an open file, such as one that fills the disk, raise
            # without a path; name the output so that the message does.
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        finally:
            drawer.close()


def _stream(job: Job, drawer, path: Path, progress) -> None:
    from functools import partial

    from viz.stream import draw_frames
    from viz.writers import GifWriter, Mp4Writer, PngWriter, hold_signals, release_signals

    timeline = job.timeline
    convert = None
    if job.format == "sheet":
        from viz.stills import sheet_frames, write_sheet

        chosen = sheet_frames(timeline, job.history)
        pictures = list(draw_frames(drawer, chosen, 1))
        write_sheet(path, chosen, pictures, job.history, drawer.title, drawer.theme,
                    transparent=job.transparent)
        return
    if job.format == "png":
        timeline = timeline[-1:]
    frames = None
    writer = None
    try:
        if job.format == "gif":
            from viz.palette import build_palette

            picks = _sample_positions(len(timeline))
            samples = [drawer.draw_rgba(timeline[i]) for i in picks]
            palette = build_palette(samples, keep=_key_colours(drawer))
            convert = palette.indices
            if len(picks) == len(timeline):
                # A short animation was drawn whole for the palette.
                frames = (convert(pixels) for pixels in samples)
            make = partial(GifWriter, path, job.size, palette, loop=job.loop)
        elif job.format == "mp4":
            from viz.writers import Yuv420, video_fps

            convert = Yuv420(*job.size)
            make = partial(Mp4Writer, path, job.size,
                           video_fps([f.duration for f in timeline]))
        elif job.format == "frames":
            from viz.stills import FramesWriter

            make = partial(FramesWriter, path, job.size)
        else:
            make = partial(PngWriter, path, job.size, transparent=job.transparent)
        held_signals = hold_signals()
        try:
            writer = make()
        finally:
            # A Ctrl-C held while the writer was made raises here, once `writer`
            # names it, so the handler below removes its temporary file.
            release_signals(held_signals)
        with writer:
            done = 0
            if frames is None:
                frames = draw_frames(drawer, timeline, job.jobs, convert)
            for pixels, frame in zip(frames, timeline):
                writer.add(pixels, frame.duration)
                done += 1
                if progress is not None:
                    progress(done, len(timeline))
            writer.finish()
    except BaseException as exc:
        # A signal can arrive after a writer exists but before its with block
        # owns it, and the writer's own exit then removes its temporary file.
        if writer is not None and not writer.finished:
            writer.__exit__(type(exc), exc, exc.__traceback__)
        raise


def _smaller_jobs(job: Job):
    """Yield ever smaller versions of a GIF job with a note on what changed.

    First fewer frames (one per update, then one per epoch), then smaller
    frames, three quarters as wide each time, down to 320 pixels wide.
    """
    import dataclasses

    history_ = job.history
    end_hold = job.timeline[-1].duration / 1000
    start_hold = job.timeline[0].duration / 1000
    options = dict(fps=job.fps, start_hold=start_hold, end_hold=end_hold,
                   smooth=job.smooth)
    count = len(job.timeline)
    for mode in ("updates", "epochs"):
        timeline = plan(history_, mode=mode, **options)
        if len(timeline) < count:
            count = len(timeline)
            yield dataclasses.replace(job, timeline=timeline), f"one frame per {mode[:-1]}"
            job = dataclasses.replace(job, timeline=timeline)
    width, height = job.size
    while width * 3 // 4 >= 320:
        width, height = width * 3 // 4, height * 3 // 4
        yield dataclasses.replace(job, size=(width, height)), f"size {width}x{height}"


def _write_within(job: Job, path: Path, max_size: int, progress) -> Job:
    """Render a GIF, shrinking it step by step until it is at most `max_size` bytes."""
    import os
    import tempfile

    folder = path.parent
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".try", dir=folder)
    os.close(handle)
    attempt = Path(name)
    changes: list[str] = []
    try:
        _write(job, attempt, progress)
        if attempt.stat().st_size > max_size:
            for smaller, change in _smaller_jobs(job):
                changes.append(change)
                _write(smaller, attempt, progress)
                job = smaller
                if attempt.stat().st_size <= max_size:
                    break
        size = attempt.stat().st_size
        if size > max_size:
            raise ValueError(f"cannot fit the GIF in {max_size} bytes: it is still "
                             f"{size} bytes after {', '.join(changes)}; allow a "
                             "larger --max-size or use --format mp4")
        os.chmod(attempt, 0o644)
        os.replace(attempt, path)
    finally:
        attempt.unlink(missing_ok=True)
    if changes:
        warnings.warn(f"reduced the GIF to fit {max_size} bytes: "
                      f"{', then '.join(changes)}", stacklevel=3)
    return job


def _sample_positions(length: int, count: int = 8) -> list[int]:
    """Return the positions of up to `count` frames spread over a timeline."""
    return sorted({round(i * (length - 1) / (count - 1)) for i in range(count)})


def _key_colours(drawer) -> list[str]:
    theme = drawer.theme
    return [theme.background, theme.foreground, theme.muted, theme.positive,
            theme.negative, theme.positive_region, theme.negative_region, theme.arrow,
            theme.highlight, theme.right, theme.wrong, theme.grid]
