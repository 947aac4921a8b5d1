"""Measure what one frame costs in a single process: drawing and YUV conversion.

Draws every frame of a scene's timeline with three renderers in turn, so that
load from other programs falls on all three alike. The first caches text for
measuring and drawing (the default), the second for drawing only, and the
third not at all. Then times the conversion of each frame to YUV 4:2:0 for MP4.

Run: python bench/frame_costs.py [--scene NAME] [--size WxH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# The project is imported from this checkout, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import viz
from viz.renderer import make_renderer
from viz.scene import get_scene
from viz.timeline import plan
from viz.writers import Yuv420


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="classifier")
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT in pixels")
    options = parser.parse_args()
    width, height = (int(v) for v in options.size.split("x"))

    scene = get_scene(options.scene)
    history = viz.history(scene, seed=0)
    timeline = plan(history, fps=scene.fps, start_hold=scene.start_hold,
                    end_hold=scene.end_hold)
    renderers = {name: make_renderer(history, scene, size=(width, height))
                 for name in ("cache", "draw-only cache", "no cache")}
    del renderers["draw-only cache"]._renderer.get_text_width_height_descent
    del renderers["no cache"]._renderer.get_text_width_height_descent
    del renderers["no cache"]._renderer.draw_text

    seconds = dict.fromkeys(renderers, 0.0)
    for frame in timeline:
        for name, renderer in renderers.items():
            start = time.perf_counter()
            renderer.draw_view(frame)
            seconds[name] += time.perf_counter() - start

    convert = Yuv420(width, height)
    drawer = renderers["cache"]
    conversion = 0.0
    for frame in timeline:
        pixels = drawer.draw_view(frame)
        start = time.perf_counter()
        convert(pixels)
        conversion += time.perf_counter() - start

    count = len(timeline)
    print(f"{options.scene} at {width}x{height}, {count} frames, ms per frame:")
    for name, total in seconds.items():
        print(f"  draw, {name + ':':<17}{1000 * total / count:6.2f}")
    print(f"  convert to YUV 4:2:0: {1000 * conversion / count:6.2f}")


if __name__ == "__main__":
    main()
