"""Draws the frames of a timeline in order, in this process or in worker processes.

Workers are forked after the renderer is built, so each starts with a ready
figure. At most a few chunks of frames are in flight at any time, so memory
stays flat however long the animation is.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator

import numpy as np

from viz.renderer import Renderer
from viz.timeline import Frame

__all__ = ["draw_frames", "default_jobs"]

CHUNK = 1
# Below this many frames per worker, starting workers costs more than it saves.
FRAMES_PER_WORKER = 24

_worker_renderer: Renderer | None = None
_worker_frames: list[Frame] = []
_worker_convert: Callable | None = None


def default_jobs() -> int:
    """Return the number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _ignore_interrupts() -> None:
    # The parent handles Ctrl-C and SIGTERM and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _draw_chunk(indices: list[int]) -> list[np.ndarray]:
    frames = []
    for index in indices:
        pixels = _worker_renderer.draw_rgba(_worker_frames[index])
        frames.append(_worker_convert(pixels) if _worker_convert else pixels)
    return frames


def draw_frames(
    renderer: Renderer,
    frames: list[Frame],
    jobs: int = 1,
    convert: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Iterator[np.ndarray]:
    """Yield the RGBA pixels of each frame in order, or `convert` of them.

    With `jobs` above 1 the frames are drawn by that many forked processes.
    The output is the same for every `jobs`.
    """
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, got {jobs!r}")
    workers = min(jobs, len(frames) // FRAMES_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for frame in frames:
            pixels = renderer.draw_rgba(frame)
            yield convert(pixels) if convert else pixels
        return
    yield from _draw_in_workers(renderer, frames, workers, convert)


def _draw_in_workers(renderer, frames, workers, convert) -> Iterator[np.ndarray]:
    global _worker_renderer, _worker_frames, _worker_convert
    _worker_renderer, _worker_frames, _worker_convert = renderer, frames, convert
    context = multiprocessing.get_context("fork")
    chunks = [list(range(i, min(i + CHUNK, len(frames))))
              for i in range(0, len(frames), CHUNK)]
    # Objects moved out of the collector's reach before the fork are not touched
    # by collections in the workers, so their memory pages stay shared.
    gc.freeze()
    try:
        pool = context.Pool(workers, initializer=_ignore_interrupts)
    finally:
        gc.unfreeze()
    try:
        pending: deque = deque()
        position = 0
        while position < len(chunks) or pending:
            while position < len(chunks) and len(pending) < 2 * workers:
                pending.append(pool.apply_async(_draw_chunk, (chunks[position],)))
                position += 1
            yield from pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _worker_renderer, _worker_frames, _worker_convert = None, [], None
