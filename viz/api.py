"""The Python API: train a scene, or render it to a file."""

from __future__ import annotations

import logging
import math
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

FORMATS = ("gif", "mp4", "png")
SUFFIXES = {".gif": "gif", ".mp4": "mp4", ".png": "png"}
HISTORY_FORMATS = ("json", "csv")
HISTORY_SUFFIXES = {".json": "json", ".csv": "csv"}
DEFAULT_SIZE = (1280, 720)
OUTPUT_FOLDER = Path("output")


@dataclass(frozen=True)
class RenderResult:
    """What a render wrote: the file, its frames and playing time, and the history."""

    path: Path
    format: str
    frames: int
    duration: float
    bytes: int
    size: tuple[int, int]
    history: History = field(repr=False)
    alt_text: str = ""

    def _repr_html_(self) -> str:
        from html import escape

        if self.format == "mp4":
            return (f'<video src="{escape(str(self.path))}" controls loop autoplay '
                    f'muted title="{escape(self.alt_text)}"></video>')
        import base64

        data = base64.b64encode(self.path.read_bytes()).decode("ascii")
        kind = "gif" if self.format == "gif" else "png"
        return (f'<img src="data:image/{kind};base64,{data}" '
                f'alt="{escape(self.alt_text)}">')


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
    _check_destination(path)
    text = recorded.to_json() if chosen == "json" else recorded.to_csv()
    from viz.writers import AtomicFile

    target = AtomicFile(path)
    try:
        target.temporary.write_text(text, encoding="utf-8")
        target.commit()
    except BaseException:
        target.discard()
        raise
    return path, recorded


def load_history(path: str | Path, scene: Scene) -> History:
    """Read a history file for `scene`, raising ValueError if it is damaged or foreign."""
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
    if not recorded.steps or len(recorded.samples) != len(recorded.targets):
        raise ValueError(f"history file {str(path)!r} holds no training steps")
    return recorded


def resolve_output(scene_name: str, out: str | Path | None,
                   format: str | None) -> tuple[Path, str]:
    """Decide the output path and format from `--out` and `--format`.

    The suffix of `out` picks the format unless `format` is given, and then the
    two must agree. Without `out` the file is output/<scene>.<format>.
    """
    return _resolve(scene_name, out, format, SUFFIXES, "gif")


def _resolve(scene_name, out, format, suffixes: dict, default: str) -> tuple[Path, str]:
    formats = sorted(set(suffixes.values()))
    if format is not None and format not in formats:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(formats)}")
    if out is None:
        chosen = format or default
        return OUTPUT_FOLDER / f"{scene_name}.{chosen}", chosen
    path = Path(out)
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


def _check_destination(path: Path) -> None:
    if path.is_dir():
        raise ValueError(f"output {str(path)!r} is a directory; give a file path "
                         f"such as {str(path / 'animation.gif')!r}")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise ValueError(f"output {str(path)!r} goes through {str(parent)!r}, "
                             "which is a file; choose another folder")
    path.parent.mkdir(parents=True, exist_ok=True)


def _check_fps(fps) -> float:
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not math.isfinite(fps):
        raise TypeError(f"fps must be a number, got {fps!r}")
    if fps <= 0:
        raise ValueError(f"fps must be above 0, got {fps!r}")
    if fps > MAX_FPS:
        warnings.warn(f"fps {fps!r} is above {MAX_FPS}, the fastest rate a GIF plays "
                      f"in browsers; using {MAX_FPS}", stacklevel=3)
        return float(MAX_FPS)
    return fps


def render(
    scene: Scene | str,
    out: str | Path | None = None,
    *,
    format: str | None = None,
    fps: float | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
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
    jobs: int | None = None,
    loop: bool = True,
    from_history: History | str | Path | None = None,
    data=None,
    progress=None,
) -> RenderResult:
    """Train a scene and render its training to a GIF, MP4 or PNG file.

    `out` defaults to output/<scene>.<format>; its suffix picks the format unless
    `format` is given. `fps` is the rate of step frames (default: the scene's),
    `size` the frame size in pixels, `hold` the seconds the last frame stays up,
    and `frames` one of "steps", "updates" or "epochs". `jobs` is the number of
    drawing processes (default: the CPU cores). `data` is a CSV path or a
    viz.data.Dataset to train on; `from_history` a History, or a JSON file from
    `write_history`, to render in place of training. `progress`, if given, is called
    as progress(done, total) after each frame is written. An existing file at
    `out` is replaced only when the new one is complete.
    """
    from viz import renderer as renderer_module
    from viz.stream import default_jobs, draw_frames
    from viz.writers import GifWriter, Mp4Writer, PngWriter

    scene = _with_data(scene, data)
    if isinstance(from_history, (str, Path)):
        from_history = load_history(from_history, scene)
    if from_history is not None:
        history_ = from_history
        scene = with_data(scene, history_.samples, history_.targets,
                          history_.class_names, history_.feature_names)
    else:
        history_ = train_scene(scene, epochs=epochs, learning_rate=learning_rate,
                               rule=rule, order=order, seed=seed, init=init)
    fps = _check_fps(scene.fps if fps is None else fps)
    mode = frames or scene.frames
    if mode not in FRAME_MODES:
        raise ValueError(f"unknown frames mode {mode!r}; expected one of "
                         f"{', '.join(FRAME_MODES)}")
    size = renderer_module.check_size(size)
    path, chosen = resolve_output(scene.name, out, format)
    if chosen == "mp4" and (size[0] % 2 or size[1] % 2):
        even = (size[0] - size[0] % 2, size[1] - size[1] % 2)
        warnings.warn(f"MP4 needs an even width and height; rendering {even[0]}x"
                      f"{even[1]} instead of {size[0]}x{size[1]}", stacklevel=2)
        size = even
    jobs = default_jobs() if jobs is None else jobs
    timeline = plan(history_, fps=fps, mode=mode, start_hold=scene.start_hold,
                    end_hold=scene.end_hold if hold is None else hold, smooth=smooth)
    if chosen == "png":
        timeline = timeline[-1:]
    _check_destination(path)

    drawer = renderer_module.make_renderer(history_, scene, size=size, theme=theme)
    try:
        convert = None
        if chosen == "gif":
            from viz.palette import build_palette

            palette = build_palette(_sample(drawer, timeline), keep=_key_colours(drawer))
            writer = GifWriter(path, size, palette, loop=loop)
            convert = palette.indices
        elif chosen == "mp4":
            writer = Mp4Writer(path, size, fps)
        else:
            writer = PngWriter(path, size)
        with writer:
            done = 0
            for pixels, frame in zip(draw_frames(drawer, timeline, jobs, convert),
                                     timeline):
                writer.add(pixels, frame.duration)
                done += 1
                if progress is not None:
                    progress(done, len(timeline))
            writer.finish()
    finally:
        drawer.close()

    duration = total_duration(timeline)
    if chosen == "mp4":
        duration = writer.video_frames / writer.rate
    elif chosen == "png":
        duration = 0.0
    logger.info("wrote %s: %d frames", path, len(timeline))
    return RenderResult(path=path, format=chosen, frames=len(timeline),
                        duration=duration, bytes=path.stat().st_size, size=size,
                        history=history_,
                        alt_text=captions.alt_text(history_, scene.title))


def _sample(drawer, timeline, count: int = 8):
    """Draw a few frames spread over the timeline, for choosing a palette."""
    picks = sorted({round(i * (len(timeline) - 1) / (count - 1)) for i in range(count)})
    return [drawer.draw_rgba(timeline[i]) for i in picks]


def _key_colours(drawer) -> list[str]:
    theme = drawer.theme
    return [theme.background, theme.foreground, theme.muted, theme.positive,
            theme.negative, theme.positive_region, theme.negative_region, theme.arrow,
            theme.highlight, theme.right, theme.wrong, theme.grid]
