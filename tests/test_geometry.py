import pytest

from viz.geometry import boundary_segment, half_plane

XLIM = (0.0, 2.0)
YLIM = (0.0, 2.0)
VIEW_AREA = 4.0


def flat(points):
    """Flatten a sequence of (x, y) points into one list for pytest.approx."""
    return [v for point in points for v in point]


def polygon_area(points):
    """Return the area of a polygon by the shoelace formula."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


@pytest.mark.parametrize(("coefficients", "segment"), [
    ((-1.0, 1.0, 0.0), ((1.0, 0.0), (1.0, 2.0))),
    ((-1.0, 0.0, 1.0), ((0.0, 1.0), (2.0, 1.0))),
    ((0.0, 1.0, -1.0), ((0.0, 0.0), (2.0, 2.0))),
    ((-1.0, 0.5, 1.0), ((0.0, 1.0), (2.0, 0.0))),
], ids=["vertical", "horizontal", "diagonal", "sloped"])
def test_boundary_segment_crosses_view(coefficients, segment):
    found = boundary_segment(*coefficients, XLIM, YLIM)

    assert found is not None
    assert flat(found) == pytest.approx(flat(segment))


@pytest.mark.parametrize("c", [0.0, 1.0, -1.0], ids=["c=0", "c=1", "c=-1"])
def test_boundary_segment_no_line_without_slope(c):
    assert boundary_segment(c, 0.0, 0.0, XLIM, YLIM) is None


@pytest.mark.parametrize("scale", [1e12, 1e-12, 1e300, 1e-300],
                         ids=["1e12", "1e-12", "1e300", "1e-300"])
def test_boundary_segment_scale_invariant(scale):
    coefficients = (-1.0, 0.5, 1.0)
    scaled = [scale * v for v in coefficients]

    found = boundary_segment(*scaled, XLIM, YLIM)

    assert found is not None
    assert flat(found) == pytest.approx(flat(boundary_segment(*coefficients, XLIM,
                                                              YLIM)))


@pytest.mark.parametrize("coefficients", [
    (10.0, 1.0, 1.0),
    (-5.0, 1.0, 0.0),
    (3.0, 0.0, 1.0),
    (0.0, 1.0, 1.0),
], ids=["below-left", "right-vertical", "below-horizontal", "corner-only"])
def test_boundary_segment_outside_view_none(coefficients):
    assert boundary_segment(*coefficients, XLIM, YLIM) is None


@pytest.mark.parametrize(("sign", "x_range"), [(1, (1.0, 2.0)), (-1, (0.0, 1.0))],
                         ids=["positive", "negative"])
def test_half_plane_vertical_line(sign, x_range):
    polygon = half_plane(-1.0, 1.0, 0.0, XLIM, YLIM, sign)
    xs = [x for x, _ in polygon]

    assert polygon_area(polygon) == pytest.approx(2.0)
    assert min(xs) == pytest.approx(x_range[0])
    assert max(xs) == pytest.approx(x_range[1])


@pytest.mark.parametrize(("coefficients", "sign", "area"), [
    ((1.0, 0.0, 0.0), 1, VIEW_AREA),
    ((1.0, 0.0, 0.0), -1, 0.0),
    ((0.0, 0.0, 0.0), 1, 0.0),
    ((0.0, 0.0, 0.0), -1, 0.0),
    ((10.0, 1.0, 1.0), 1, VIEW_AREA),
    ((10.0, 1.0, 1.0), -1, 0.0),
], ids=["bias-only-positive", "bias-only-negative", "all-zero-positive",
        "all-zero-negative", "outside-positive", "outside-negative"])
def test_half_plane_whole_or_empty(coefficients, sign, area):
    polygon = half_plane(*coefficients, XLIM, YLIM, sign)

    assert polygon_area(polygon) == pytest.approx(area)


@pytest.mark.parametrize("scale", [1e12, 1e-12], ids=["1e12", "1e-12"])
def test_half_plane_scale_invariant(scale):
    coefficients = (-1.0, 0.5, 1.0)
    scaled = [scale * v for v in coefficients]

    found = half_plane(*scaled, XLIM, YLIM)

    assert flat(found) == pytest.approx(flat(half_plane(*coefficients, XLIM, YLIM)))
