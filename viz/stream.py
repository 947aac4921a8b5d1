"""Draws the frames of a timeline in order, in this process or in worker processes.

Workers are forked after the renderer is built, so each starts with a ready
figure. They write finished frames into a few slots of memory shared with this
process and report only which slot is ready, so frames are never pickled.
At most two frames per worker are in flight, so memory stays flat however long
the animation is.
"""

from __future__ import annotations

import gc
import mmap
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator

import numpy as np

from viz.renderer import Renderer
from viz.timeline import Frame

__all__ = ["draw_frames", "default_jobs"]

# Below this many frames per worker, starting workers costs more than it saves.
FRAMES_PER_WORKER = 24

_worker_renderer: Renderer | None = None
_worker_frames: list[Frame] = []
_worker_convert: Callable | None = None
_worker_slots: mmap.mmap | None = None
_worker_slot_size = 0


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


def _draw_into_slot(index: int, slot: int) -> tuple[tuple[int, ...], str]:
    """Draw frame `index` into shared slot `slot`; return its shape and dtype."""
    pixels = _worker_renderer.draw_view(_worker_frames[index])
    if _worker_convert is not None:
        pixels = _worker_convert(pixels)
    target = np.frombuffer(_worker_slots, dtype=pixels.dtype, count=pixels.size,
                           offset=slot * _worker_slot_size).reshape(pixels.shape)
    np.copyto(target, pixels)
    del target
    return pixels.shape, pixels.dtype.str


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
            if convert is None:
                yield renderer.draw_rgba(frame)
            else:
                yield convert(renderer.draw_view(frame))
        return
    yield from _draw_in_workers(renderer, frames, workers, convert)


def _draw_in_workers(renderer, frames, workers, convert) -> Iterator[np.ndarray]:
    global _worker_renderer, _worker_frames, _worker_convert
    global _worker_slots, _worker_slot_size
    count = 2 * workers
    # A converted frame is never larger than its RGBA pixels.
    slot_size = renderer.width * renderer.height * 4
    slots = mmap.mmap(-1, count * slot_size)
    _worker_renderer, _worker_frames, _worker_convert = renderer, frames, convert
    _worker_slots, _worker_slot_size = slots, slot_size
    context = multiprocessing.get_context("fork")
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
        free = deque(range(count))
        while position < len(frames) or pending:
            while position < len(frames) and free:
                slot = free.popleft()
                pending.append((slot, pool.apply_async(_draw_into_slot,
                                                       (position, slot))))
                position += 1
            slot, result = pending.popleft()
            shape, dtype = result.get()
            start = slot * slot_size
            view = np.frombuffer(slots, dtype=dtype, count=int(np.prod(shape)),
                                 offset=start)
            frame = view.reshape(shape).copy()
            del view
            free.append(slot)
            yield frame
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _worker_renderer, _worker_frames, _worker_convert = None, [], None
        _worker_slots = None
        slots.close()
