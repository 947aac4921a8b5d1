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
import time
from collections import deque
from collections.abc import Callable, Iterator

import numpy as np

from viz.renderer import Renderer
from viz.timeline import Frame
from viz.writers import hold_signals, release_signals

__all__ = ["draw_frames", "default_jobs"]

# Below this many frames per worker, starting workers costs more than it saves.
FRAMES_PER_WORKER = 24
_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# How long a stopped render waits for the frames its workers are drawing. A
# frame takes far less: one of 7680x4320, the largest size, drew in 0.05 s on a
# 2-core machine. Only a dead or stuck worker takes this long.
STOP_TIMEOUT = 30.0

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
    # The parent held both signals while forking. SIGTERM must reach a worker
    # again, because Pool.terminate stops workers with it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD_SIGNALS)


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


def _submit(pool, position: int, slot: int):
    # Pool.join waits for every job the pool has registered, so a signal must
    # not come between registering a job and returning it to the caller, who
    # tracks it.
    held_signals = hold_signals()
    try:
        return pool.apply_async(_draw_into_slot, (position, slot))
    finally:
        release_signals(held_signals)


def _stop(pool, pending: list) -> None:
    """Stop the pool once the frames in flight finish, letting the workers exit.

    Pool.terminate kills the workers, and one killed while it sends a result
    keeps the result queue's lock, so terminate then waits for that lock
    forever. Terminate is the fallback for a frame still missing after
    STOP_TIMEOUT seconds, because a worker died or hangs.
    """
    deadline = time.monotonic() + STOP_TIMEOUT
    for result in pending:
        result.wait(max(0.0, deadline - time.monotonic()))
    if all(result.ready() for result in pending):
        pool.close()
    else:
        pool.terminate()
    pool.join()


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
    # A signal that arrives inside os.fork's at-fork hooks raises where Python
    # only prints the exception, so Ctrl-C or SIGTERM would be lost and the
    # render would go on. Held signals wait until the workers exist.
    held_signals = hold_signals()
    try:
        pool = context.Pool(workers, initializer=_ignore_interrupts)
    except BaseException:
        release_signals(held_signals)
        raise
    finally:
        gc.unfreeze()

    pending: deque = deque()
    try:
        # A signal held while forking raises here, where the pool is stopped.
        release_signals(held_signals)
        position = 0
        free = deque(range(count))
        while position < len(frames) or pending:
            while position < len(frames) and free:
                slot = free.popleft()
                pending.append((slot, _submit(pool, position, slot)))
                position += 1
            slot, result = pending[0]
            shape, dtype = result.get()
            pending.popleft()
            start = slot * slot_size
            view = np.frombuffer(slots, dtype=dtype, count=int(np.prod(shape)),
                                 offset=start)
            frame = view.reshape(shape).copy()
            del view
            free.append(slot)
            yield frame
    finally:
        _stop(pool, [result for _, result in pending])
        _worker_renderer, _worker_frames, _worker_convert = None, [], None
        _worker_slots = None
        slots.close()
