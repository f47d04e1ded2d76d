"""Colours as brand.yml allows them: any CSS colour, read as '#RRGGBB' (used by `builder.brand`).

Pillow's ImageColor reads the forms (names, #RGB, #RRGGBBAA, rgb(), hsl(), hsv()); CSS's own
alpha (0 to 1, or a percentage) is read here first, and a translucent colour is taken as it
looks over white. A value that is no colour is a problem at the palette entry it names, or at
its own line.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from builder.errors import Problem
from builder.loader import line_of

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_FORMS = "#RRGGBB, #RGB, #RRGGBBAA, a CSS name, rgb(), rgba(), hsl() or hsv()"
_CSS_ALPHA = re.compile(  # rgba(), hsla(), hsva() with a CSS alpha: their 4th argument
    r"(?P<func>rgb|hsl|hsv)a\((?P<args>[^,]*,[^,]*,[^,]*),\s*(?P<alpha>[\d.]+%?)\s*\)", re.I
)


def css_color(value: str) -> str | None:
    """Return a CSS colour (#RRGGBB, #RGB, #RRGGBBAA, a name, rgb(), rgba(), hsl(), hsv()) as
    '#RRGGBB', or None when it is none of these."""
    text = value.strip()
    if _HEX.fullmatch(text):  # as most kits write them: no need to import Pillow
        return text.upper()
    from PIL import ImageColor

    alpha = 1.0
    found = _CSS_ALPHA.fullmatch(text)
    if found:  # CSS alpha is 0-1 or a percentage; Pillow reads rgba()'s as 0-255, hsla() not
        text, alpha = f"{found['func']}({found['args']})", _alpha(found["alpha"])
    try:
        rgba = ImageColor.getrgb(text)
    except ValueError:
        return None
    if len(rgba) == 4:  # #RRGGBBAA, #RGBA
        alpha = rgba[3] / 255
    return _over_white(rgba[:3], alpha)


def _alpha(text: str) -> float:
    """Return a CSS alpha ('0.5', '50%') as 0 to 1."""
    number = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    return min(max(number, 0.0), 1.0)


def _over_white(rgb: tuple[int, ...], alpha: float) -> str:
    """Return rgb with alpha as '#RRGGBB': composited over white, as it looks on white paper,
    since the deck and handout draw every brand colour opaque (and check its contrast so)."""
    return "#" + "".join(f"{round(c * alpha + 255 * (1 - alpha)):02X}" for c in rgb)


def color_problem(value: str, palette: list[str], tree: Any, path: str, name: str) -> Problem:
    """Return the problem of a colour that is no CSS colour: at the palette entry it names, if
    it names one (brand_yml has put that entry's value in its place), else at its own line."""
    forms = f"expected a colour ({_FORMS})"
    entry = _palette_entry(tree, name)
    if entry:
        field = f"color.palette.{entry}"
        line = line_of(tree, "color", "palette", entry)
        return Problem(path, line, f"{forms}, got {value!r}", field)
    from PIL import ImageColor

    hint = difflib.get_close_matches(value, [*palette, *ImageColor.colormap], n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    names = f" or a palette name ({', '.join(palette)})" if palette else ""
    message = f"{forms}{names}, got {value!r}{tail}"
    return Problem(path, line_of(tree, "color", name), message, f"color.{name}")


def _palette_entry(tree: Any, name: str) -> str | None:
    """Return the last palette name color.<name> leads to (through names naming names)."""
    color = tree.get("color") if isinstance(tree, dict) else None
    if not isinstance(color, dict) or not isinstance(color.get("palette"), dict):
        return None
    palette = color["palette"]
    entry, value, seen = None, color.get(name), set()
    while isinstance(value, str) and value in palette and value not in seen:
        entry, value = value, palette[value]
        seen.add(entry)
    return entry
