"""Writers that stream frames into GIF, MP4 and PNG files.

Every writer writes to a temporary file in the destination folder and renames
it into place only after the last byte is written, so a failed or interrupted
render leaves any earlier file at the destination untouched.
"""

from __future__ import annotations

import math
import os
import signal
import struct
import subprocess
import tempfile
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import GifImagePlugin, Image

from viz.palette import TRANSPARENT, Palette

__all__ = ["AtomicFile", "GifWriter", "Mp4Writer", "PngWriter", "WRITERS",
           "video_fps", "video_frame_counts", "rgba_to_yuv420", "Yuv420"]

# Ctrl-C and SIGTERM, which the command line turns into exceptions. Code that
# creates a temporary file or starts ffmpeg defers them, so that the exception
# cannot come after the creation but before the code that cleans up.
_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def hold_signals():
    """Hold SIGINT and SIGTERM until `release_signals`, and return its argument.

    The signals are blocked in this thread, which forked children inherit, and
    their Python handlers are swapped for one that only records them. Blocking
    alone is not enough: a signal sent to the process can reach another
    thread, such as one of numpy's BLAS threads, and Python then runs the
    handler in the main thread all the same.
    """
    mask = None
    if hasattr(signal, "pthread_sigmask"):
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, set(_HELD_SIGNALS))
    caught: list[int] = []
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in _HELD_SIGNALS:
            previous[signum] = signal.signal(signum,
                                             lambda number, _: caught.append(number))
    return mask, previous, caught


def release_signals(held_signals) -> None:
    """Undo `hold_signals`. A signal that arrived meanwhile raises here."""
    mask, previous, caught = held_signals
    for signum, handler in previous.items():
        signal.signal(signum, handler)
    if mask is not None:
        # A signal still blocked now reaches the handler just restored.
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if caught:
        handler = previous[caught[0]]
        if callable(handler):
            handler(caught[0], None)
        elif handler == signal.SIG_DFL:
            os.kill(os.getpid(), caught[0])


class AtomicFile:
    """A temporary file beside `path` that replaces `path` on `commit`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        held_signals = hold_signals()
        try:
            handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.",
                                            suffix=".part", dir=self.path.parent)
        except OSError as exc:
            release_signals(held_signals)
            # Name the destination, because the temporary name would puzzle a user.
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc
        os.close(handle)
        self.temporary = Path(name)
        try:
            # A signal that arrived meanwhile raises here.
            release_signals(held_signals)
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        os.chmod(self.temporary, 0o644)
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        try:
            self.temporary.unlink()
        except FileNotFoundError:
            pass


class Writer:
    """Base writer: open, `add` frames with their durations, then `finish`.

    Used as a context manager, it discards its temporary file when the block
    raises, including on KeyboardInterrupt.
    """

    def __init__(self, path: str | Path, size: tuple[int, int]):
        self.path = Path(path)
        self.size = size
        self.frames = 0
        self.file = AtomicFile(self.path)
        self.finished = False

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None or not self.finished:
            self.abort()

    def add(self, frame: np.ndarray, duration: int) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        self.close_stream()
        self.file.commit()
        self.finished = True

    def close_stream(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        try:
            self.close_stream()
        except Exception:
            pass
        self.file.discard()

    def _check(self, frame: np.ndarray) -> None:
        height, width = frame.shape[:2]
        if (width, height) != tuple(self.size):
            raise ValueError(f"frame is {width}x{height} but the file is "
                             f"{self.size[0]}x{self.size[1]}")


class GifWriter(Writer):
    """A GIF that loops forever (or plays once) on one global palette.

    Each frame after the first stores only the rectangle that changed, with
    pixels that did not change inside it marked transparent and the previous
    frame kept underneath, so unchanged regions are not stored again. Where
    `transparent_unchanged` gives a shorter block, unchanged pixels inside a
    changed run keep their colour instead.
    """

    def __init__(self, path, size, palette: Palette, loop: bool = True):
        super().__init__(path, size)
        self.palette = palette
        self.previous: np.ndarray | None = None
        try:
            self.stream = open(self.file.temporary, "wb")
            width, height = size
            self.stream.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7,
                                                      0, 0))
            self.stream.write(palette.gif_bytes())
            if loop:
                self.stream.write(b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00")
        except BaseException:
            # No `with` block owns the writer yet to remove its temporary file.
            self.abort()
            raise

    def add(self, frame: np.ndarray, duration: int) -> None:
        """Add a frame of palette indices, or of RGBA pixels, shown `duration` ms."""
        if frame.ndim == 3:
            frame = self.palette.indices(frame)
        self._check(frame)
        delay = max(2, int(round(duration / 10)))
        if self.previous is None:
            encoded = _encode(frame, (0, 0))
            transparency = None
        else:
            changed = frame != self.previous
            rows = np.flatnonzero(changed.any(axis=1))
            if len(rows) == 0:
                patch = np.full((1, 1), TRANSPARENT, dtype=np.uint8)
                encoded = _encode(patch, (0, 0))
            else:
                columns = np.flatnonzero(changed[rows[0]:rows[-1] + 1].any(axis=0))
                left, top = int(columns[0]), int(rows[0])
                area = (slice(top, int(rows[-1]) + 1), slice(left, int(columns[-1]) + 1))
                pixels, moved = frame[area], changed[area]
                # Of the two ways to mark unchanged pixels, either can be the
                # shorter, so both are encoded and the shorter is kept.
                plain = np.where(moved, pixels, np.uint8(TRANSPARENT))
                encoded = min(_encode(plain, (left, top)),
                              _encode(transparent_unchanged(pixels, moved), (left, top)),
                              key=len)
            transparency = TRANSPARENT
        self._write_frame(encoded, delay, transparency)
        self.previous = frame
        self.frames += 1

    def _write_frame(self, encoded: bytes, delay: int, transparency) -> None:
        flags = 0x04  # Disposal 1: leave the frame in place under the next one.
        if transparency is not None:
            flags |= 0x01
        self.stream.write(b"!\xf9\x04" + struct.pack("<BHBB", flags, delay,
                                                     transparency or 0, 0))
        self.stream.write(encoded)

    def close_stream(self) -> None:
        self.stream.close()

    def finish(self) -> None:
        if self.frames == 0:
            raise ValueError("a GIF needs at least one frame")
        self.stream.write(b";")
        super().finish()


def _encode(patch: np.ndarray, offset: tuple[int, int]) -> bytes:
    """Return the GIF image block of a patch of palette indices placed at `offset`."""
    # The LZW encoder codes the bytes of an "L" image as they are, which here
    # are palette indices.
    image = Image.fromarray(np.ascontiguousarray(patch))
    return b"".join(GifImagePlugin.getdata(image, offset=offset))


def transparent_unchanged(patch: np.ndarray, changed: np.ndarray) -> np.ndarray:
    """Return `patch` with its unchanged pixels marked TRANSPARENT, run by run.

    A run is a stretch of one colour along a row. A run with a changed pixel
    keeps its colour whole, unchanged pixels included, which shows the same
    image: one long run of a colour often compresses better than colour and
    transparency taking turns. A run with no changed pixel becomes transparent.
    """
    height, width = patch.shape
    flat = patch.ravel()
    starts = np.empty(flat.size, dtype=bool)
    starts[0] = True
    np.not_equal(flat[1:], flat[:-1], out=starts[1:])
    # Runs end with their row.
    starts[::width] = True
    first = np.flatnonzero(starts)
    touched = np.logical_or.reduceat(changed.ravel(), first)
    keep = np.repeat(touched, np.diff(first, append=flat.size))
    return np.where(keep, flat, np.uint8(TRANSPARENT)).reshape(height, width)


def video_fps(durations) -> float:
    """Return an MP4 frame rate that shows every frame for about its duration.

    The rate is a whole multiple of 1000 / (the shortest duration in ms), at
    least 10 frames per second, so the shortest frame gets one video frame. A
    long frame is repeated, because players do not hold a lone frame.
    """
    shortest = min(durations)
    base = 1000.0 / shortest
    return base * math.ceil(10 / base)


def video_frame_counts(durations, rate: float) -> list[int]:
    """Return how many video frames each duration gets at `rate`.

    The counts follow the running total of time, so rounding never drifts: the
    video lasts the sum of the durations to within one frame.
    """
    counts = []
    elapsed = 0.0
    written = 0
    for duration in durations:
        elapsed += duration
        total = math.floor(elapsed * rate / 1000 + 0.5)
        counts.append(max(1, total - written))
        written += counts[-1]
    return counts


# x264 and MP4 options after the input and codec.
ENCODER_OPTIONS = [
    "-crf", "23", "-preset", "ultrafast",
    # Without lookahead and B-frames x264 keeps a few frames instead of dozens,
    # which keeps its memory under 100 MB at 1280x720. Frames that barely change
    # compress well anyway.
    "-x264-params", "rc-lookahead=0:sync-lookahead=0:bframes=0",
    "-colorspace", "bt709", "-color_primaries", "bt709",
    "-color_trc", "bt709", "-color_range", "tv",
    "-f", "mp4", "-movflags", "+faststart", "-fflags", "+bitexact",
    "-flags:v", "+bitexact", "-map_metadata", "-1",
]


class Mp4Writer(Writer):
    """H.264 in yuv420p through the ffmpeg binary that imageio-ffmpeg ships.

    `rate` is the video frame rate; `video_fps` picks one for a timeline.
    """

    def __init__(self, path, size, rate: float):
        width, height = size
        if width % 2 or height % 2:
            raise ValueError(f"MP4 frames need an even width and height, got "
                             f"{width}x{height}")
        try:
            import imageio_ffmpeg
        except ImportError:
            raise RuntimeError("MP4 output needs imageio-ffmpeg; install it with "
                               "'pip install imageio-ffmpeg'") from None
        super().__init__(path, size)
        self.rate = rate
        self.video_frames = 0
        self.elapsed = 0.0
        self.process: subprocess.Popen | None = None
        self.convert: Yuv420 | None = None
        # ffmpeg's messages, read when it fails.
        self.messages = tempfile.TemporaryFile()

        # Ctrl-C or SIGTERM while ffmpeg starts would be lost in Popen's at-fork
        # hooks, or would orphan an ffmpeg that later recreates the temporary
        # file. NOTE: ffmpeg inherits the blocked signals. That is harmless,
        # because this writer stops ffmpeg by closing its input or with SIGKILL.
        held_signals = hold_signals()
        try:
            command = [
                imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-f", "rawvideo",
                "-vcodec", "rawvideo", "-s", f"{width}x{height}", "-pix_fmt", "yuv420p",
                "-r", str(Fraction(rate).limit_denominator()), "-i", "-", "-an",
                "-vcodec", "libx264", "-pix_fmt", "yuv420p", "-v", "error",
                *ENCODER_OPTIONS, str(self.file.temporary),
            ]
            # A session of its own keeps a terminal's Ctrl-C from reaching ffmpeg,
            # which this writer stops itself.
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                            stdout=subprocess.DEVNULL,
                                            stderr=self.messages, start_new_session=True)
            # A signal that arrived meanwhile raises here, and abort stops ffmpeg.
            release_signals(held_signals)
        except BaseException:
            self.abort()
            release_signals(held_signals)
            raise

    def add(self, frame: np.ndarray, duration: int) -> None:
        """Add a frame, repeated to last `duration` ms at the video rate.

        `frame` is RGBA pixels, or the bytes that `Yuv420` makes of them.
        """
        if frame.ndim == 3:
            self._check(frame)
            if self.convert is None:
                self.convert = Yuv420(*self.size)
            frame = self.convert(frame)
        elif frame.size != self.size[0] * self.size[1] * 3 // 2:
            raise ValueError(f"YUV frame has {frame.size} bytes but a "
                             f"{self.size[0]}x{self.size[1]} frame needs "
                             f"{self.size[0] * self.size[1] * 3 // 2}")
        self.elapsed += duration
        total = math.floor(self.elapsed * self.rate / 1000 + 0.5)
        repeats = max(1, total - self.video_frames)
        data = np.ascontiguousarray(frame)
        try:
            for _ in range(repeats):
                self.process.stdin.write(data)
        except BrokenPipeError:
            raise RuntimeError(f"ffmpeg stopped: {self._message()}") from None
        self.video_frames += repeats
        self.frames += 1

    def close_stream(self) -> None:
        if self.process is not None:
            process, self.process = self.process, None
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass
            status = process.wait()
            if status != 0:
                raise RuntimeError(f"ffmpeg failed with exit status {status}: "
                                   f"{self._message()}")
        self.messages.close()

    def abort(self) -> None:
        # Closing ffmpeg's input and waiting could hang, because drawing workers
        # forked after ffmpeg started hold that input open. So ffmpeg is killed,
        # and the file is removed only after it has exited, because an ffmpeg
        # that has not exited yet can still create the file again.
        if self.process is not None:
            process, self.process = self.process, None
            process.kill()
            process.wait()
            try:
                process.stdin.close()
            except OSError:
                pass
        self.messages.close()
        self.file.discard()

    def _message(self) -> str:
        """Return the last lines ffmpeg wrote to its error output, on one line."""
        self.messages.seek(0)
        text = self.messages.read().decode(errors="replace")
        lines = [line.strip().rstrip(".") for line in text.splitlines() if line.strip()]
        return "; ".join(lines[-3:]) if lines else "it printed no message"


class PngWriter(Writer):
    """A PNG still of the last frame added."""

    def __init__(self, path, size, transparent: bool = False):
        super().__init__(path, size)
        self.last: np.ndarray | None = None
        self.transparent = transparent

    def add(self, frame: np.ndarray, duration: int) -> None:
        self._check(frame)
        self.last = frame
        self.frames += 1

    def close_stream(self) -> None:
        pass

    def finish(self) -> None:
        if self.last is None:
            raise ValueError("a PNG needs a frame")
        if self.transparent:
            image = Image.fromarray(np.ascontiguousarray(self.last), "RGBA")
        else:
            image = Image.fromarray(np.ascontiguousarray(self.last[..., :3]), "RGB")
        image.save(self.file.temporary, format="PNG")
        super().finish()


WRITERS = {"gif": GifWriter, "mp4": Mp4Writer, "png": PngWriter}


# BT.709 coefficients in limited ("TV") range, which is what H.264 players
# assume for HD video; the MP4 writer tags its stream to match. They are scaled
# by 256 and rounded so that each chroma row sums to 0, which keeps greys grey.
_LUMA = (47, 157, 16)
_BLUE = (-26, -86, 112)
_RED = (112, -102, -10)


class Yuv420:
    """A converter from RGBA frames of one even size to planar YUV 4:2:0 bytes.

    The colours are BT.709 in TV range, and chroma comes from the sum of each
    2×2 block, in integers. Every call writes into the same buffers, so the
    array returned is valid only until the next call. New arrays for each
    frame took longer than the arithmetic itself: the kernel maps and clears
    their pages on first use.
    """

    def __init__(self, width: int, height: int):
        if width % 2 or height % 2:
            raise ValueError(f"YUV 4:2:0 needs an even width and height, got "
                             f"{width}x{height}; round each down to an even number")
        self.size = (width, height)
        area, quarter = width * height, (width // 2) * (height // 2)
        half = (height // 2, width // 2)
        self.out = np.empty(area + 2 * quarter, dtype=np.uint8)
        self.planes = (self.out[:area].reshape(height, width),
                       self.out[area:area + quarter].reshape(half),
                       self.out[area + quarter:].reshape(half))
        # 16-bit integers hold every luma sum (at most 220 * 255 + 128) and every
        # sum of four pixels, with half the memory traffic of 32-bit ones.
        self.luma = np.empty((height, width), dtype=np.uint16)
        self.term = np.empty((height, width), dtype=np.uint16)
        self.block = np.empty(half, dtype=np.uint16)
        self.sums = [np.empty(half, dtype=np.int32) for _ in range(3)]
        self.chroma = np.empty(half, dtype=np.int32)
        self.part = np.empty(half, dtype=np.int32)

    def __call__(self, frame: np.ndarray) -> np.ndarray:
        if frame.shape[:2] != self.size[::-1]:
            raise ValueError(f"invalid frame size {frame.shape[1]}x{frame.shape[0]}: "
                             f"this converter takes {self.size[0]}x{self.size[1]}; "
                             "make a Yuv420 of the frame's size")
        luma, term, block = self.luma, self.term, self.block
        for i in range(3):
            channel = frame[..., i]
            np.multiply(channel, np.uint16(_LUMA[i]), out=term if i else luma,
                        dtype=np.uint16)
            if i:
                luma += term
            np.add(channel[0::2, 0::2], channel[1::2, 0::2], out=block, dtype=np.uint16)
            np.add(block, channel[0::2, 1::2], out=block, dtype=np.uint16)
            np.add(block, channel[1::2, 1::2], out=block, dtype=np.uint16)
            np.copyto(self.sums[i], block)
        luma += np.uint16(128)
        luma >>= 8
        luma += np.uint16(16)
        np.copyto(self.planes[0], luma, casting="unsafe")

        chroma, part = self.chroma, self.part
        for weights, plane in ((_BLUE, self.planes[1]), (_RED, self.planes[2])):
            np.multiply(self.sums[0], weights[0], out=chroma)
            for total, weight in zip(self.sums[1:], weights[1:]):
                np.multiply(total, weight, out=part)
                chroma += part
            # Four pixels per block and a scale of 256 make a shift of 10 bits.
            chroma += 512
            chroma >>= 10
            chroma += 128
            np.clip(chroma, 0, 255, out=chroma)
            np.copyto(plane, chroma, casting="unsafe")
        return self.out


def rgba_to_yuv420(frame: np.ndarray) -> np.ndarray:
    """Convert one RGBA frame of even size to a new array of YUV 4:2:0 bytes."""
    return Yuv420(frame.shape[1], frame.shape[0])(frame).copy()
