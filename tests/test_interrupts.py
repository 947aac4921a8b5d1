"""Ctrl-C and SIGTERM during a render: exit 130 or 143, earlier file intact.

Each test starts `render` as a child process, waits until its temporary file
exists, signals only that child, and checks what it leaves behind.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

OLD_BYTES = b"an earlier render that an interrupted one must not touch"
# Long enough for a render that is slow under load, short enough to fail fast.
START_TIMEOUT = 60
EXIT_TIMEOUT = 60


def start_render(folder, name):
    """Start rendering the classifier to `name` in `folder`, as a child process."""
    command = [sys.executable, "-m", "viz.cli", "scene", "classifier", "--out", name,
               "--fps", "50", "--size", "1280x720", "--quiet"]
    # A shell that starts the tests in the background makes them ignore SIGINT,
    # which the child would inherit. A handler, unlike SIG_IGN, is reset on exec.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, previous)


def wait_for_temporary(child, folder, name):
    """Return once the render has created its temporary file, or fail."""
    deadline = time.monotonic() + START_TIMEOUT
    while not list(folder.glob(f".{name}.*.part")):
        if child.poll() is not None:
            pytest.fail(f"render exited with {child.returncode} before it began "
                        f"writing: {child.stderr.read().decode()}")
        if time.monotonic() > deadline:
            pytest.fail(f"render made no temporary file in {START_TIMEOUT} s")
        time.sleep(0.01)


@pytest.fixture
def interrupted(tmp_path):
    """Return run(fmt, signum): render over an existing file and signal mid-render.

    run returns the exit status, the stderr text and the folder.
    """
    children = []

    def run(fmt, signum):
        name = f"OLD.{fmt}"
        (tmp_path / name).write_bytes(OLD_BYTES)
        child = start_render(tmp_path, name)
        children.append(child)
        wait_for_temporary(child, tmp_path, name)
        os.kill(child.pid, signum)
        _, stderr = child.communicate(timeout=EXIT_TIMEOUT)
        return child.returncode, stderr.decode(), tmp_path

    yield run
    for child in children:
        if child.poll() is None:
            child.kill()
            child.communicate()


CASES = [
    pytest.param("gif", signal.SIGINT, 130, "Interrupted", id="gif-sigint"),
    pytest.param("gif", signal.SIGTERM, 143, "Terminated", id="gif-sigterm"),
    pytest.param("mp4", signal.SIGINT, 130, "Interrupted", id="mp4-sigint"),
    pytest.param("mp4", signal.SIGTERM, 143, "Terminated", id="mp4-sigterm"),
]


@pytest.mark.parametrize(("fmt", "signum", "status", "word"), CASES)
def test_signal_keeps_old_file(interrupted, fmt, signum, status, word):
    returncode, stderr, folder = interrupted(fmt, signum)
    lines = stderr.splitlines()

    assert returncode == status, stderr
    assert (folder / f"OLD.{fmt}").read_bytes() == OLD_BYTES
    assert sorted(path.name for path in folder.iterdir()) == [f"OLD.{fmt}"]
    assert len(lines) == 1, stderr
    assert lines[0] == f"{word}; no file was changed."


def test_mp4_abort_right_after_start_leaves_nothing(tmp_path):
    # An ffmpeg killed while it starts could still create its output file, so
    # the writer removes the file only after ffmpeg has exited.
    from viz.writers import Mp4Writer

    for attempt in range(20):
        writer = Mp4Writer(tmp_path / f"run{attempt}.mp4", (320, 180), 20.0)
        process = writer.process
        writer.abort()

        assert process.poll() is not None
    time.sleep(0.5)

    assert list(tmp_path.iterdir()) == []


def test_held_signal_from_other_thread_waits_for_release():
    # A signal sent to the process can reach any thread that does not block it,
    # such as one of numpy's BLAS threads. Python still runs the handler in the
    # main thread.
    from viz.writers import hold_signals, release_signals

    ready, stop = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (ready.set(), stop.wait()))
    other.start()
    ready.wait()
    held_signals = hold_signals()
    try:
        signal.pthread_kill(other.ident, signal.SIGINT)
        time.sleep(0.2)
        raised_early = False
    except KeyboardInterrupt:
        raised_early = True
    finally:
        stop.set()
        other.join()

    with pytest.raises(KeyboardInterrupt):
        release_signals(held_signals)
    assert not raised_early
