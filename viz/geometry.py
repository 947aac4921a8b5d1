"""Intersections of a decision boundary c + a·x + b·y = 0 with a rectangular view."""

from __future__ import annotations

import math

__all__ = ["normalise", "half_plane", "boundary_segment"]

Point = tuple[float, float]


def normalise(c: float, a: float, b: float) -> tuple[float, float, float] | None:
    """Scale (c, a, b) so that the largest magnitude is 1, or None if all are 0.

    Scaling keeps weights of 1e12 or 1e-12 from overflowing or vanishing in the
    arithmetic below without moving the line.
    """
    values = (c, a, b)
    if not all(math.isfinite(v) for v in values):
        return None
    scale = max(abs(v) for v in values)
    if scale == 0:
        return None
    return c / scale, a / scale, b / scale


def _corners(xlim, ylim) -> list[Point]:
    (x0, x1), (y0, y1) = xlim, ylim
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def half_plane(c: float, a: float, b: float, xlim, ylim, sign: int = 1) -> list[Point]:
    """Return the polygon of the view where sign·(c + a·x + b·y) > 0.

    The polygon is empty when no part of the view lies on that side, and the whole
    view when all of it does.
    """
    coefficients = normalise(c, a, b)
    if coefficients is None:
        return []
    c, a, b = (sign * v for v in coefficients)

    def side(p: Point) -> float:
        return c + a * p[0] + b * p[1]

    corners = _corners(xlim, ylim)
    polygon: list[Point] = []
    for i, current in enumerate(corners):
        following = corners[(i + 1) % 4]
        s0, s1 = side(current), side(following)
        if s0 > 0:
            polygon.append(current)
        if (s0 > 0) != (s1 > 0) and s0 != s1:
            t = s0 / (s0 - s1)
            polygon.append((current[0] + t * (following[0] - current[0]),
                            current[1] + t * (following[1] - current[1])))
    return polygon


def boundary_segment(c: float, a: float, b: float, xlim, ylim) -> tuple[Point, Point] | None:
    """Return the part of the line c + a·x + b·y = 0 inside the view, or None."""
    coefficients = normalise(c, a, b)
    if coefficients is None:
        return None
    c, a, b = coefficients
    if a == 0 and b == 0:
        return None
    (x0, x1), (y0, y1) = xlim, ylim
    points: list[Point] = []
    if b != 0:
        for x in (x0, x1):
            y = -(c + a * x) / b
            if y0 <= y <= y1:
                points.append((x, y))
    if a != 0:
        for y in (y0, y1):
            x = -(c + b * y) / a
            if x0 <= x <= x1:
                points.append((x, y))
    unique = sorted(set(points))
    if len(unique) < 2:
        return None
    return unique[0], unique[-1]
