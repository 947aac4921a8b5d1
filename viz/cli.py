"""The `render` command: a thin layer over the Python API in viz.api.

matplotlib loads only when a command draws, so `render --help` and
`render list` answer quickly.
"""

from __future__ import annotations

import re
import signal
import sys
import traceback
import warnings

import click

from viz import __version__
from viz.api import FORMATS
from viz.model import RULES
from viz.scene import get_scene, scene_names, unknown_scene_message
from viz.timeline import FRAME_MODES

SIZE_PATTERN = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")


class Terminated(Exception):
    """Raised in the main process when it receives SIGTERM."""


def _on_sigterm(signum, frame):
    raise Terminated()


def parse_size(value: str) -> tuple[int, int]:
    """Parse WIDTHxHEIGHT, such as 1280x720, into a pair of ints."""
    match = SIZE_PATTERN.match(value)
    if not match:
        raise click.BadParameter(f"{value!r} is not of the form WIDTHxHEIGHT, such as "
                                 "1280x720", param_hint="'--size'")
    return int(match.group(1)), int(match.group(2))


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


def _run(ctx: click.Context, action):
    """Run `action`, turning expected errors into one `Error:` line."""
    debug = ctx.find_root().params.get("debug", False)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
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
            raise click.ClickException(_describe(exc)) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            for item in caught:
                click.echo(f"Warning: {item.message}", err=True)


def _describe(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" {exc.filename!r}" if exc.filename else ""
        return f"cannot write{where}: {exc.strerror}; choose another --out path"
    return str(exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="render")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error.")
def main(debug: bool) -> None:
    """Render animations of a perceptron learning, as GIF, MP4 or PNG."""


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
        click.option("--epochs", type=int, help="Maximum number of epochs."),
        click.option("--learning-rate", "learning_rate", type=float,
                     help="Learning rate η, a number above 0."),
        click.option("--rule", type=click.Choice(RULES, case_sensitive=False),
                     help="Learning rule (default: the scene's)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command("scene")
@click.argument("name", callback=_scene_name)
@click.option("--format", "format_", type=click.Choice(FORMATS, case_sensitive=False),
              help="Output format (default: from the --out suffix, else gif).")
@click.option("--out", type=click.Path(dir_okay=True), help="Output file "
              "(default: output/NAME.FORMAT). Missing folders are created.")
@click.option("--fps", type=float, help="Step frames per second, at most 50 "
              "(default: the scene's).")
@click.option("--size", default="1280x720", show_default=True,
              help="Frame size in pixels, WIDTHxHEIGHT.")
@training_options
@click.option("--frames", "frames_mode", type=click.Choice(FRAME_MODES),
              help="One frame per sample visit (steps), per weight update, or per "
              "epoch.")
@click.option("--hold", type=float, help="Seconds the last frame stays up.")
@click.option("--jobs", type=int, help="Drawing processes (default: CPU cores).")
@click.option("--once", is_flag=True, help="Play a GIF once instead of looping.")
@click.option("--quiet", "-q", is_flag=True, help="Print no progress bar.")
@click.pass_context
def scene_command(ctx, name, format_, out, fps, size, epochs, learning_rate, rule,
                  frames_mode, hold, jobs, once, quiet):
    """Render scene NAME to a file and print its path, frames, duration and size."""
    from viz.api import render

    width_height = parse_size(size)
    bar = None
    if not quiet and sys.stderr.isatty():
        bar = click.progressbar(length=1, label="Rendering", file=sys.stderr)

    def progress(done, total):
        if bar is not None:
            bar.length = total
            bar.update(1)

    def action():
        try:
            return render(name, out, format=format_, fps=fps, size=width_height,
                          epochs=epochs, learning_rate=learning_rate,
                          rule=rule.lower() if rule else None, frames=frames_mode,
                          hold=hold, jobs=jobs, loop=not once, progress=progress)
        finally:
            if bar is not None:
                bar.render_finish()

    result = _run(ctx, action)
    click.echo(f"Wrote {result.path}: {result.frames} frames, "
               f"{result.duration:.1f} s, {human_bytes(result.bytes)}")


if __name__ == "__main__":
    main()
