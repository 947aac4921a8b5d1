"""Colour themes built on the Okabe–Ito palette, which stays distinct under the
common forms of colour blindness."""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass

__all__ = ["Theme", "THEMES", "OKABE_ITO", "get_theme", "check_style"]

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


def mix(colour: str, background: str, amount: float) -> str:
    """Return `amount` of `colour` over `background` as an opaque hex colour."""
    a = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(background[i:i + 2], 16) for i in (1, 3, 5)]
    rgb = [round(amount * x + (1 - amount) * y) for x, y in zip(a, b)]
    return "#" + "".join(f"{v:02X}" for v in rgb)


@dataclass(frozen=True)
class Theme:
    """The colours of every part of a frame.

    Regions and highlights are opaque mixes with the background, so that a frame
    contains few distinct colours and a GIF palette can hold them all exactly.
    """

    name: str
    background: str
    foreground: str
    muted: str
    grid: str
    positive: str
    negative: str
    positive_region: str
    negative_region: str
    boundary: str
    arrow: str
    highlight: str
    right: str
    wrong: str
    ring: str
    zero_weight: str


def _theme(name: str, background: str, foreground: str, muted: str, grid: str,
           positive: str, negative: str, region_amount: float,
           highlight: str | None = None, right: str | None = None,
           wrong: str | None = None) -> Theme:
    return Theme(
        name=name,
        background=background,
        foreground=foreground,
        muted=muted,
        grid=grid,
        positive=positive,
        negative=negative,
        positive_region=mix(OKABE_ITO["sky_blue"], background, region_amount),
        negative_region=mix(OKABE_ITO["orange"], background, region_amount),
        boundary=foreground,
        arrow=OKABE_ITO["bluish_green"],
        highlight=highlight or mix(OKABE_ITO["yellow"], background, 0.45),
        right=right or OKABE_ITO["bluish_green"],
        wrong=wrong or OKABE_ITO["vermillion"],
        ring=foreground,
        zero_weight=muted,
    )


THEMES = {
    "light": _theme("light", "#FFFFFF", "#1A1A1A", "#6B6B6B", "#D9D9D9",
                    OKABE_ITO["blue"], OKABE_ITO["vermillion"], 0.22),
    # On a dark background a yellow highlight turns olive and hides green text, so
    # the dark theme highlights with a neutral grey and lightens right and wrong.
    "dark": _theme("dark", "#16191F", "#EDEDED", "#A0A0A0", "#3A3F48",
                   OKABE_ITO["sky_blue"], OKABE_ITO["orange"], 0.28,
                   highlight="#3B4252",
                   right=mix(OKABE_ITO["bluish_green"], "#FFFFFF", 0.75),
                   wrong=mix(OKABE_ITO["vermillion"], "#FFFFFF", 0.8)),
}


def get_theme(name: str) -> Theme:
    """Look a theme up by name, raising ValueError with the known names."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
    return THEMES[name]


# Family names that stand for the list of fonts in rcParams["font.<name>"].
GENERIC_FAMILIES = ("sans-serif", "serif", "monospace", "cursive", "fantasy")


def check_style(name: str) -> None:
    """Raise ValueError unless `name` is a matplotlib style that renders cleanly.

    The style must load, every line of a style file must set a known parameter
    to a valid value, the figure background must be opaque and each font
    family it names must be installed. Matplotlib itself only logs the first
    two faults, and draws a see-through background as black.
    """
    from matplotlib import colors

    records: list[logging.LogRecord] = []
    collector = logging.Handler(logging.WARNING)
    collector.emit = records.append
    logger = logging.getLogger("matplotlib")
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        # The render that follows shows matplotlib's own warnings about the style.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            background, missing = _read_style(name)
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate

    for record in records:
        text = record.getMessage().strip()
        if text.startswith("Bad "):
            line = text.splitlines()[0]
            raise ValueError(f"{line[0].lower()}{line[1:]}; fix or remove that line "
                             f"of the style")
    if colors.to_rgba(background)[3] < 1:
        raise ValueError(f"style {name!r} sets figure.facecolor to {background!r}, "
                         f"which is not opaque; give an opaque colour (--transparent "
                         f"makes PNG backgrounds see-through)")
    if missing and missing[0] in GENERIC_FAMILIES:
        key = f"font.{missing[0]}"
        raise ValueError(f"style {name!r} uses the {missing[0]} fonts, and none of those "
                         f"in {key} is installed; install one or name an installed "
                         f"font in {key}")
    if missing:
        raise ValueError(f"style {name!r} names the font family {missing[0]!r}, which "
                         f"is not installed; install it or remove it from font.family")


def _read_style(name: str) -> tuple[object, list[str]]:
    """Return a style's figure background and the font families not installed."""
    import matplotlib
    import matplotlib.style
    from matplotlib import font_manager

    if os.path.isdir(name):
        raise ValueError(f"style {name!r} is a folder; give a .mplstyle file or a "
                         "style name")
    try:
        context = matplotlib.style.context(name)
        context.__enter__()
    except UnicodeDecodeError as exc:
        raise ValueError(f"style file {name!r} is not UTF-8 text ({exc.reason} at byte "
                         f"{exc.start}); save it as UTF-8") from None
    except OSError:
        if name.endswith(".mplstyle") or os.sep in name:
            raise ValueError(f"style file {name!r} not found; check the path") from None
        known = ", ".join(sorted(matplotlib.style.available))
        raise ValueError(f"unknown style {name!r}; give a .mplstyle file or one of "
                         f"matplotlib's styles: {known}") from None
    try:
        missing = []
        for family in matplotlib.rcParams["font.family"]:
            # A list, because FontProperties reads a lone string such as
            # "sans-serif" as a fontconfig pattern.
            properties = font_manager.FontProperties(family=[family])
            try:
                font_manager.findfont(properties, fallback_to_default=False)
            except ValueError:
                missing.append(family)
        return matplotlib.rcParams["figure.facecolor"], missing
    finally:
        context.__exit__(None, None, None)


# The minimum contrast ratios, as WCAG defines them, for text and for marks and lines.
TEXT_CONTRAST = 4.5
MARK_CONTRAST = 1.5


def contrast(first: str, second: str) -> float:
    """Return the WCAG contrast ratio of two hex colours, from 1 to 21."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def theme_from_style(name: str, base: Theme) -> Theme:
    """Derive a theme from the active matplotlib style's rcParams.

    Background, text and edge colours come from the style, and the two classes
    take the first two colours of its property cycle. Text that would be hard
    to read on the background turns black or white, with a warning, and edge
    and class colours too close to the background are replaced. Call this
    inside `matplotlib.style.context`.
    """
    from matplotlib import colors, rcParams

    def hex_of(value) -> str:
        return colors.to_hex(value).upper()

    background = hex_of(rcParams["figure.facecolor"])
    foreground = hex_of(rcParams["text.color"])
    if contrast(foreground, background) < TEXT_CONTRAST:
        readable = max("#000000", "#FFFFFF", key=lambda c: contrast(c, background))
        warnings.warn(f"style {name!r} puts text of {foreground} on {background}, a "
                      f"contrast of {contrast(foreground, background):.1f}:1; frames "
                      f"use {readable} for text", stacklevel=2)
        foreground = readable
    muted = hex_of(rcParams["axes.edgecolor"])
    if contrast(muted, background) < MARK_CONTRAST:
        # Such as ggplot's white axes edges on a white figure.
        muted = mix(foreground, background, 0.6)
    cycle = [hex_of(c) for c in rcParams["axes.prop_cycle"].by_key().get("color", [])]
    cycle = [c for c in cycle if contrast(c, background) >= MARK_CONTRAST]
    positive, negative = (cycle + [base.positive, base.negative])[:2]
    return Theme(
        name=f"style:{name}", background=background, foreground=foreground,
        muted=muted, grid=hex_of(rcParams["grid.color"]), positive=positive,
        negative=negative, positive_region=mix(positive, background, 0.2),
        negative_region=mix(negative, background, 0.2), boundary=foreground,
        arrow=base.arrow, highlight=mix(base.highlight, background, 0.6),
        right=base.right, wrong=base.wrong, ring=foreground, zero_weight=muted,
    )
