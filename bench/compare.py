"""Compare this project's renderer with FuncAnimation on the same frames.

Runs each case in a fresh process, ours and the baseline alternately, and
prints one row per case: frames, wall time, peak memory and file size of each,
with the ratio ours/theirs. For the OR gate it also prints the time from
after the imports to the written file. Memory is the peak, sampled every
50 ms, of the summed proportional set size (PSS) of the process and its
children, so pages that forked workers share are counted once.

Run: python bench/compare.py [--repeat N] [--quick]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CASES = [
    # (name, scene, format, size, fps, smooth)
    ("classifier gif", "classifier", "gif", (1280, 720), 20, 0),
    ("classifier mp4", "classifier", "mp4", (1280, 720), 20, 0),
    ("classifier gif 4x", "classifier", "gif", (1280, 720), 20, 9),
    ("classifier mp4 4x", "classifier", "mp4", (1280, 720), 20, 9),
    ("or_gate gif", "or_gate", "gif", (1280, 720), 1, 0),
]

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {here!r})
import viz
from viz.scene import get_scene
from viz.timeline import plan
who, scene_name, path, width, height, fps, smooth = json.loads(sys.argv[1])
scene = get_scene(scene_name)
history = viz.history(scene, seed=0)
frames = plan(history, fps=fps, start_hold=scene.start_hold, end_hold=scene.end_hold,
              smooth=smooth)
# Each side's imports come before the clock starts, for the second number.
if who == "ours":
    import viz.renderer, viz.stream, viz.writers
else:
    import matplotlib.pyplot, matplotlib.animation
    from baseline import render_baseline, render_gate_baseline
start = time.perf_counter()
if who == "ours":
    viz.render(scene, path, size=(width, height), fps=fps, smooth=smooth, seed=0)
else:
    draw = render_gate_baseline if scene.layout == "gate" else render_baseline
    draw(history, frames, path, size=(width, height), fps=fps)
print(len(frames), time.perf_counter() - start)
"""

# The imports that any matplotlib renderer needs before it draws: numpy, the
# figure and the Agg canvas.
IMPORTS = "import matplotlib.figure, matplotlib.backends.backend_agg"


def pss(pid: int) -> int:
    """Return the proportional set size of a process in bytes, or 0 once it ended."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def tree_pss(process: psutil.Process) -> int:
    """Return the summed PSS in bytes of a process and all its children."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    return sum(pss(member.pid) for member in members)


def run(who: str, case, folder: Path) -> dict:
    """Run one render in a child process; return its time, memory and output."""
    name, scene, fmt, size, fps, smooth = case
    path = folder / f"{who}-{name.replace(' ', '-')}.{fmt}"
    arguments = json.dumps([who, scene, str(path), size[0], size[1], fps, smooth])
    code = CHILD.format(root=str(ROOT), here=str(HERE))
    start = time.perf_counter()
    child = psutil.Popen([sys.executable, "-c", code, arguments],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_pss(child))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    out, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"{who} {name} failed:\n{err}")
    frames, drawing = out.strip().splitlines()[-1].split()
    return {"seconds": elapsed, "peak": peak, "bytes": path.stat().st_size,
            "frames": int(frames), "drawing": float(drawing), "path": str(path)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each side per case; the fastest counts")
    parser.add_argument("--quick", action="store_true",
                        help="run only the first and last case")
    parser.add_argument("--case", action="append", default=[],
                        help="run only cases whose name contains this text")
    parser.add_argument("--folder", default=str(ROOT / "bench" / "out"),
                        help="where the rendered files go")
    options = parser.parse_args()
    folder = Path(options.folder)
    folder.mkdir(parents=True, exist_ok=True)
    # An installed package loads compiled bytecode. The children import this
    # checkout, so compile it once, or each run would compile it again.
    for source in (ROOT / "viz", ROOT / "scenes", HERE):
        compileall.compile_dir(source, quiet=1)
    cases = [CASES[0], CASES[-1]] if options.quick else CASES
    if options.case:
        cases = [c for c in cases if any(text in c[0] for text in options.case)]

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python "
          f"{platform.python_version()}")
    header = (f"{'case':<19}{'frames':>7}  {'time ours/theirs (s)':>24}  "
              f"{'peak MB ours/theirs':>24}  {'size KB ours/theirs':>26}")
    print(header)
    results = {}
    for case in cases:
        runs = {"ours": [], "theirs": []}
        for _ in range(options.repeat):
            for who in ("ours", "theirs"):
                runs[who].append(run(who, case, folder))
        ours = min(runs["ours"], key=lambda r: r["seconds"])
        theirs = min(runs["theirs"], key=lambda r: r["seconds"])
        results[case[0]] = {"ours": ours, "theirs": theirs}
        print(f"{case[0]:<19}{ours['frames']:>7}  "
              f"{ours['seconds']:>7.2f}/{theirs['seconds']:<7.2f}"
              f"={ours['seconds'] / theirs['seconds']:>6.3f}x  "
              f"{ours['peak'] / 1e6:>7.0f}/{theirs['peak'] / 1e6:<7.0f}"
              f"={ours['peak'] / theirs['peak']:>6.3f}x  "
              f"{ours['bytes'] / 1e3:>8.0f}/{theirs['bytes'] / 1e3:<8.0f}"
              f"={ours['bytes'] / theirs['bytes']:>6.3f}x", flush=True)

    growth = {}
    for fmt in ("gif", "mp4"):
        one, four = f"classifier {fmt}", f"classifier {fmt} 4x"
        if one in results and four in results:
            growth[fmt] = results[four]["ours"]["peak"] / results[one]["ours"]["peak"]
            print(f"memory growth ours, {fmt}, 4x frames: {growth[fmt]:.3f}x")

    if "or_gate gif" in results:
        # A renderer built on matplotlib, started in a new process, takes at
        # least this long.
        floor = min(timed([sys.executable, "-c", IMPORTS]) for _ in range(3))
        theirs = results["or_gate gif"]["theirs"]["seconds"]
        print(f"or_gate floor: Python and the matplotlib imports take {floor:.2f} s, "
              f"{floor / theirs:.3f}x of the baseline's or_gate time")
        ours = results["or_gate gif"]["ours"]["drawing"]
        theirs = results["or_gate gif"]["theirs"]["drawing"]
        print(f"or_gate after the imports: {ours:.2f}/{theirs:.2f} s = "
              f"{ours / theirs:.3f}x")

    elapsed = timed([sys.executable, "-m", "viz.cli", "list"])
    print(f"render list: {elapsed:.3f} s wall")


def timed(command: list[str]) -> float:
    """Run a command in the project folder and return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
