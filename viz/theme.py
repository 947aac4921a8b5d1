"""Colour themes built on the Okabe–Ito palette, which stays distinct under the
common forms of colour blindness."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Theme", "THEMES", "OKABE_ITO", "get_theme"]

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
           positive: str, negative: str, region_amount: float) -> Theme:
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
        highlight=mix(OKABE_ITO["yellow"], background, 0.45),
        right=OKABE_ITO["bluish_green"],
        wrong=OKABE_ITO["vermillion"],
        ring=foreground,
        zero_weight=muted,
    )


THEMES = {
    "light": _theme("light", "#FFFFFF", "#1A1A1A", "#6B6B6B", "#D9D9D9",
                    OKABE_ITO["blue"], OKABE_ITO["vermillion"], 0.22),
    "dark": _theme("dark", "#16191F", "#EDEDED", "#A0A0A0", "#3A3F48",
                   OKABE_ITO["sky_blue"], OKABE_ITO["orange"], 0.28),
}


def get_theme(name: str) -> Theme:
    """Look a theme up by name, raising ValueError with the known names."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
    return THEMES[name]
