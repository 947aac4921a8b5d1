"""Plans which history steps become frames and how long each is shown."""

from __future__ import annotations

from dataclasses import dataclass

from viz.history import History

__all__ = ["Frame", "FRAME_MODES", "MAX_FPS", "plan", "gif_delay"]

FRAME_MODES = ("steps", "updates", "epochs")

# GIF delays are whole hundredths of a second, and browsers play delays under
# 20 ms far slower than asked, so 50 frames per second is the fastest honest rate.
MAX_FPS = 50
MIN_DELAY_MS = 20


@dataclass(frozen=True)
class Frame:
    """One frame of an animation.

    `step` is the index of the history step whose outcome the frame shows, or -1 for
    the state before training. `kind` is "start", "step", "between" or "end".
    A "between" frame shows weights `blend` of the way from the step's weights
    before to its weights after. `duration` is in milliseconds.
    """

    step: int
    kind: str
    duration: int
    blend: float = 1.0


def gif_delay(milliseconds: float) -> int:
    """Round a duration to what a GIF can store: whole 10 ms, at least 20 ms."""
    return max(MIN_DELAY_MS, int(round(milliseconds / 10.0)) * 10)


def _chosen_steps(history: History, mode: str) -> list[int]:
    steps = history.steps
    if mode == "steps":
        return list(range(len(steps)))
    if mode == "updates":
        return [i for i, step in enumerate(steps) if step.updated]
    if mode == "epochs":
        return [i for i, step in enumerate(steps)
                if i + 1 == len(steps) or steps[i + 1].epoch != step.epoch]
    raise ValueError(f"unknown frames mode {mode!r}; expected one of "
                     f"{', '.join(FRAME_MODES)}")


def plan(
    history: History,
    *,
    fps: float,
    mode: str = "steps",
    start_hold: float = 1.5,
    end_hold: float = 3.0,
    smooth: int = 0,
) -> list[Frame]:
    """Plan the frames of an animation of `history`.

    `fps` is the rate of step frames, at most 50. `start_hold` and `end_hold` are
    the seconds the first and last frames stay up. `smooth` adds that many
    in-between frames before each weight update. Each lasts 1/(smooth + 1) of
    the step time, and the update's own frame the rest, but no frame lasts less
    than 20 ms, so a high `smooth` at a high `fps` makes updates last longer.
    """
    if not isinstance(fps, (int, float)) or not 0 < fps <= MAX_FPS:
        raise ValueError(f"fps must be a number above 0 and at most {MAX_FPS}, "
                         f"got {fps!r}")
    if not isinstance(smooth, int) or not 0 <= smooth <= 100:
        raise ValueError(f"smooth must be a whole number from 0 to 100, got {smooth!r}")
    for name, value in (("start_hold", start_hold), ("end_hold", end_hold)):
        if not 0 <= value <= 600:
            raise ValueError(f"{name} must be from 0 to 600 seconds, got {value!r}")

    step_ms = gif_delay(1000.0 / fps)
    between_ms = gif_delay(step_ms / (smooth + 1)) if smooth else 0
    frames = [Frame(-1, "start", gif_delay(max(start_hold * 1000, step_ms)))]
    for index in _chosen_steps(history, mode):
        duration = step_ms
        if smooth and history.steps[index].updated:
            for k in range(1, smooth + 1):
                frames.append(Frame(index, "between", between_ms, k / (smooth + 1)))
            duration = max(MIN_DELAY_MS, step_ms - smooth * between_ms)
        frames.append(Frame(index, "step", duration))
    last = len(history.steps) - 1
    frames.append(Frame(last, "end", gif_delay(max(end_hold * 1000, step_ms))))
    return frames


def total_duration(frames: list[Frame]) -> float:
    """Return the playing time of `frames` in seconds."""
    return sum(frame.duration for frame in frames) / 1000.0
