"""The `render` command: a thin layer over the Python API in viz.api.

matplotlib loads only when a command draws, so `render --help` and
`render list` return quickly.
"""

from __future__ import annotations

import errno
import math
import signal
import sys
import traceback
import warnings

import click

from viz import __version__
from viz.api import (FORMATS, HISTORY_FORMATS, MIN_FPS, MIN_MAX_SIZE, PRESETS,
                     parse_bytes, parse_size)
from viz.model import MAX_EPOCHS, ORDERS, RULES
from viz.scene import INITS, get_scene, scene_names, unknown_scene_message
from viz.theme import THEMES
from viz.timeline import FRAME_MODES



class Terminated(BaseException):
    """Raised in the main process when it receives SIGTERM.

    Like KeyboardInterrupt, it is not an Exception, so handlers of ordinary
    errors let it pass. imageio-ffmpeg, for one, waits for ffmpeg to finish
    after an Exception but kills ffmpeg after any other exception.
    """


def _on_sigterm(signum, frame):
    raise Terminated()


def _size(ctx, param, value: str | None) -> tuple[int, int] | None:
    """Parse WIDTHxHEIGHT, such as 1280x720, into a pair of ints."""
    if value is None:
        return None
    try:
        width, height = parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    if width <= 0 or height <= 0:
        raise click.BadParameter(f"{value!r} has a width or height of 0 or less; both "
                                 "must be positive, such as 1280x720", ctx=ctx,
                                 param=param)
    from viz.renderer import check_size

    try:
        return check_size((width, height))
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _finite(ctx, param, value):
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value!r} is not a finite number", ctx=ctx,
                                 param=param)
    return value


def _fps(ctx, param, value):
    value = _finite(ctx, param, value)
    if value is not None and value < MIN_FPS:
        raise click.BadParameter(f"{value!r} is below {MIN_FPS:g}, the slowest rate (one "
                                 f"frame per {1 / MIN_FPS:g} s); give a larger rate",
                                 ctx=ctx, param=param)
    return value


def _hold(ctx, param, value):
    value = _finite(ctx, param, value)
    if value is not None and not 0 <= value <= 600:
        raise click.BadParameter(f"{value!r} is not from 0 to 600 seconds", ctx=ctx,
                                 param=param)
    return value


def _learning_rate(ctx, param, value):
    value = _finite(ctx, param, value)
    if value is not None and value <= 0:
        raise click.BadParameter(f"{value!r} is not above 0; give a rate such as 0.1",
                                 ctx=ctx, param=param)
    return value


def _parse_bytes(ctx, param, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        count = parse_bytes(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
    if count < MIN_MAX_SIZE:
        raise click.BadParameter(f"{value!r} is below the smallest limit, "
                                 f"{MIN_MAX_SIZE} bytes; give 10KB or more", ctx=ctx,
                                 param=param)
    return count


def human_bytes(count: int) -> str:
    """Format a byte count as B, KiB or MiB."""
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / 1024 / 1024:.2f} MiB"


def _scene_name(ctx, param, value):
    if value is None:
        return value
    try:
        return get_scene(value).name
    except ValueError:
        raise click.BadParameter(unknown_scene_message(value), ctx=ctx,
                                 param=param) from None


def run_reporting_errors(ctx: click.Context, action, option: str = "--out"):
    """Run `action`, turning expected errors into one `Error:` line.

    An unwritable file gets an error that suggests changing `option`, which sets its path.

    Warnings raised inside become `Warning:` lines on stderr. Ctrl-C exits with
    status 130 and SIGTERM with 143; the writers have then removed their
    temporary files, so the files at the destination are unchanged.
    """
    debug = ctx.find_root().params.get("debug", False)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # ResourceWarning is for developers, such as "subprocess ... is still
        # running" for an ffmpeg that an interrupted render has just killed.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return action()
        except KeyboardInterrupt:
            click.echo("Interrupted; no file was changed.", err=True)
            ctx.exit(130)
        except Terminated:
            click.echo("Terminated; no file was changed.", err=True)
            ctx.exit(143)
        except (ValueError, TypeError, OSError, RuntimeError) as exc:
            if debug:
                traceback.print_exc()
            raise click.ClickException(_describe(exc, option)) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            for item in caught:
                click.echo(f"Warning: {item.message}", err=True)


def _describe(exc: Exception, option: str) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" {exc.filename!r}" if exc.filename else ""
        fix = "free some space or choose" if exc.errno == errno.ENOSPC else "choose"
        return f"cannot write{where}: {exc.strerror}; {fix} another {option} path"
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


def _warn_outcome(recorded) -> None:
    if recorded.converged:
        return
    from viz.captions import outcome

    headline, detail = outcome(recorded)
    click.echo(f"Warning: {headline}. {detail}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="render")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
def main(debug: bool) -> None:
    """Render animations of a perceptron learning, as GIF, MP4 or PNG.

    Start with 'render list', then 'render scene or_gate'.
    """


@main.command("list")
def list_scenes() -> None:
    """List the scenes with a one-line description each."""
    names = scene_names()
    width = max(len(name) for name in names)
    for name in names:
        click.echo(f"{name:<{width}}  {get_scene(name).description}")


def training_options(command):
    """Add the options that change training to a command."""
    options = [
        click.option("--epochs", type=click.IntRange(1, MAX_EPOCHS),
                     help=f"Maximum number of epochs, 1 to {MAX_EPOCHS}."),
        click.option("--learning-rate", "learning_rate", type=float,
                     callback=_learning_rate, help="Learning rate η, a number above 0."),
        click.option("--rule", type=click.Choice(RULES, case_sensitive=False),
                     help="Learning rule (default: the scene's)."),
        click.option("--order", type=click.Choice(ORDERS), default="fixed",
                     show_default=True, help="Sample order in each epoch."),
        click.option("--seed", type=click.IntRange(min=0),
                     help="Seed for --order shuffle and --init random "
                     "(default: 0)."),
        click.option("--init", type=click.Choice(INITS), default="zeros",
                     show_default=True, help="Initial weights."),
        click.option("--data", type=str, help="CSV of x1,x2,label rows to train on "
                     "(scenes that show points in the plane)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _training(options: dict) -> dict:
    rule = options.pop("rule")
    return dict(epochs=options.pop("epochs"), learning_rate=options.pop("learning_rate"),
                rule=rule.lower() if rule else None, order=options.pop("order"),
                seed=options.pop("seed"), init=options.pop("init"))


@main.command("scene")
@click.argument("name", callback=_scene_name)
@click.option("--format", "format_", type=click.Choice(FORMATS, case_sensitive=False),
              help="Output format (default: from the --out suffix, else gif).")
@click.option("--out", type=str, help="Output file (default: output/NAME.FORMAT). "
              "Missing folders are created.")
@click.option("--fps", type=float, callback=_fps,
              help=f"Step frames per second, at least {MIN_FPS:g}; above 50 is lowered to "
              "50, the fastest a GIF plays (default: the scene's).")
@click.option("--size", callback=_size, help="Frame size in pixels, WIDTHxHEIGHT, "
              "from 160x120 to 7680x4320 (default: 1280x720). MP4 rounds odd sizes down "
              "to even.")
@click.option("--preset", type=click.Choice(list(PRESETS)),
              help="Frame size for a use: readme 960x540, slides 1280x720, hd "
              "1920x1080, square 1080x1080. --size overrides it.")
@training_options
@click.option("--from-history", "from_history", type=str,
              help="Render a history JSON from 'render history' instead of training.")
@click.option("--frames", "frames_mode", type=click.Choice(FRAME_MODES),
              help="One frame per sample visit (steps), per weight update, or per "
              "epoch.")
@click.option("--hold", type=float, callback=_hold,
              help="Seconds the last frame stays up, 0 to 600; at least one step "
              "frame's time (default: the scene's).")
@click.option("--smooth", type=click.IntRange(0, 100), default=0,
              help="In-between frames that move the boundary before each update.")
@click.option("--theme", type=click.Choice(list(THEMES)), default="light",
              show_default=True, help="Colour theme.")
@click.option("--style", help="A matplotlib style name or .mplstyle file whose "
              "colours and fonts replace the theme's.")
@click.option("--transparent", is_flag=True,
              help="Transparent background for png, frames and sheet.")
@click.option("--max-size", "max_size", callback=_parse_bytes,
              help="Largest GIF file, such as 5MB or 800KB; frames, then pixel size "
              "are reduced until it fits.")
@click.option("--alt-text", "alt_text", is_flag=True,
              help="Also write the alt text to a .txt file beside the output.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Drawing processes (default: CPU cores).")
@click.option("--once", is_flag=True, help="Play a GIF once instead of looping.")
@click.option("--quiet", "-q", is_flag=True, help="Print no progress bar.")
@click.pass_context
def scene_command(ctx, name, format_, out, fps, size, preset, from_history,
                  frames_mode, hold, smooth, theme, style, transparent, max_size,
                  alt_text, jobs, once, quiet, data, **options):
    """Render scene NAME to a file and print its path, frames, duration and size."""
    from viz.api import render

    training = _training(options)
    bar = None
    if not quiet and sys.stderr.isatty():
        bar = click.progressbar(length=1, label="Rendering", file=sys.stderr)

    def progress(done, total):
        if bar is not None:
            bar.length = total
            bar.update(1)

    def action():
        try:
            return render(name, out, format=format_.lower() if format_ else None,
                          fps=fps, size=size, preset=preset, frames=frames_mode,
                          hold=hold, smooth=smooth, theme=theme, style=style,
                          transparent=transparent, max_size=max_size,
                          alt_text_file=alt_text, jobs=jobs, loop=not once,
                          progress=progress, data=data, from_history=from_history,
                          **training)
        finally:
            if bar is not None:
                bar.render_finish()

    result = run_reporting_errors(ctx, action)
    report(result)
    _warn_outcome(result.history)


def report(result) -> None:
    """Print what a render wrote, its alt text, and Markdown that embeds it."""
    frames = "frame" if result.frames == 1 else "frames"
    # A still has no playing time.
    playing = "" if result.format in ("png", "sheet") else f"{result.duration:.1f} s, "
    click.echo(f"Wrote {result.path}: {result.frames} {frames}, {playing}"
               f"{human_bytes(result.bytes)}")
    click.echo(f"Alt text: {result.alt_text}")
    if result.format != "frames":
        click.echo(f"Markdown: ![{result.alt_text}]({result.path.as_posix()})")


@main.command("all")
@click.option("--check", is_flag=True, help="Render into a scratch folder and exit 1 "
              "naming each file in the folder that differs.")
@click.option("--folder", default="output", show_default=True,
              help="Folder of the gallery files.")
@click.pass_context
def all_command(ctx, check, folder):
    """Render every scene into output/, the files the README shows."""
    from viz import gallery

    def progress(name):
        click.echo(f"rendered {name}", err=True)

    if not folder.strip():
        raise click.BadParameter("the folder path is empty; give a folder such as "
                                 "output", param_hint="--folder")
    if not check:
        results = run_reporting_errors(
            ctx, lambda: gallery.render_gallery(folder, progress=progress), "--folder")
        for result in results:
            report(result)
        return
    stale = run_reporting_errors(ctx, lambda: gallery.check_gallery(folder), "--folder")
    for name, difference in stale:
        click.echo(f"stale: {name}: {difference}", err=True)
    if stale:
        raise click.ClickException(f"{len(stale)} of {len(gallery.GALLERY)} files in "
                                   f"{folder} differ from a fresh render; run "
                                   "'render all' and commit them")
    click.echo(f"All {len(gallery.GALLERY)} files in {folder} match a fresh render.")


@main.command("history")
@click.argument("name", callback=_scene_name)
@click.option("--format", "format_", type=click.Choice(HISTORY_FORMATS),
              help="json (default; renders back with --from-history) or csv.")
@click.option("--out", type=str, help="Output file (default: output/NAME.FORMAT).")
@training_options
@click.pass_context
def history_command(ctx, name, format_, out, data, **options):
    """Train scene NAME and write its recorded history, without rendering."""
    from viz.api import write_history

    training = _training(options)
    path, recorded = run_reporting_errors(
        ctx, lambda: write_history(name, out, format_, data=data, **training))
    from viz.captions import count

    click.echo(f"Wrote {path}: {count(len(recorded.steps), 'step')}, "
               f"{count(recorded.epochs_run, 'epoch')}, {count(recorded.updates, 'update')}")
    _warn_outcome(recorded)


if __name__ == "__main__":
    main()
