"""The colours a deck template gives its text: a placeholder's inherited run colour, resolved
through the master's colour map and theme, and whether the template's link colour reads on its
layouts' backgrounds.

Part of the deck writer stage (deck.py, and slide_art.py for the drawn slides).
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from builder.brand_checks import TEXT, contrast
from builder.errors import Problem
from builder.writers.pptx_template import FOOTERS, TITLES, KindLayout, Shape, placeholder


def text_color(layout: Shape, idx: int | None) -> str | None:
    """Return '#RRGGBB' that the template gives placeholder idx's text (body text when None).

    Used where our own text boxes should match the template's text; None when it sets none.
    """
    for rpr in _run_defaults(layout, idx):
        fill = rpr.find(qn("a:solidFill"))
        if fill is not None and len(fill):
            return resolve_color(fill[0], layout)
    return None


def _run_defaults(layout: Shape, idx: int | None) -> list[Any]:
    """Return the level-1 run defaults a placeholder's text inherits, nearest first.

    The layout's placeholder, then the master's of the same kind, then the master text styles.
    """
    master = layout.slide_master
    shape = placeholder(layout, idx) if idx is not None else None
    kind = shape.placeholder_format.type if shape is not None else PP_PLACEHOLDER.BODY
    title = kind in TITLES
    base = master.placeholders.get(
        PP_PLACEHOLDER.TITLE if title else kind if kind in FOOTERS else PP_PLACEHOLDER.BODY
    )
    path = f"{qn('a:lvl1pPr')}/{qn('a:defRPr')}"
    found = [
        el.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{path}")
        for el in (shape.element if shape is not None else None, base.element if base else None)
        if el is not None
    ]
    style = qn("p:titleStyle" if title else "p:bodyStyle")
    found.append(master.element.find(f"{qn('p:txStyles')}/{style}/{path}"))
    return [rpr for rpr in found if rpr is not None]


def resolve_color(color: Any, layout: Shape) -> str | None:
    """Return a DrawingML colour element as '#RRGGBB', applying lumMod/lumOff."""
    tag = etree.QName(color).localname
    if tag == "srgbClr":
        rgb = color.get("val")
    elif tag == "schemeClr":
        rgb = _scheme(layout, color.get("val"))
    elif tag == "sysClr":
        rgb = color.get("lastClr")
    else:
        return None
    if not rgb or len(rgb) != 6:
        return None
    mod = color.find(qn("a:lumMod"))
    off = color.find(qn("a:lumOff"))
    if mod is None and off is None:
        return f"#{rgb.upper()}"
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    light = light * int(mod.get("val")) / 100000 if mod is not None else light
    light = min(1.0, light + (int(off.get("val")) / 100000 if off is not None else 0.0))
    return "#" + "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, light, sat))


def _scheme(layout: Shape, name: str | None) -> str | None:
    """Return the theme colour a scheme name (tx1, bg2, accent1, ...) maps to for this layout."""
    master = layout.slide_master
    mapping = master.element.find(qn("p:clrMap"))
    override = layout.element.find(f"{qn('p:clrMapOvr')}/{qn('a:overrideClrMapping')}")
    mapping = override if override is not None else mapping
    slot = mapping.get(name, name) if mapping is not None and name else name
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    entry = theme.find(f".//{qn('a:clrScheme')}/{qn('a:' + str(slot))}")
    if entry is None or not len(entry):
        return None
    value = entry[0].get("val" if etree.QName(entry[0]).localname == "srgbClr" else "lastClr")
    return str(value) if value else None


def background_color(layout: Any) -> str | None:
    """Return the layout's background colour, else its master's (solid fills only)."""
    for owner in (layout, layout.slide_master):
        bg = owner.element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if bg is None:
            continue
        holder = bg.find(f"{qn('p:bgPr')}/{qn('a:solidFill')}")
        holder = bg.find(qn("p:bgRef")) if holder is None else holder
        if holder is not None and len(holder):
            return resolve_color(holder[0], layout)
    return None


def link_problem(kinds: Mapping[str, KindLayout], source: str) -> Problem | None:
    """Return why a corporate template's hyperlink colour is unreadable, or None.

    Clients draw links in the theme's hlink colour, not the run's, so it must reach 4.5:1 on
    the background (bg1) of every layout that carries text.
    """
    for kind, chosen in sorted(kinds.items()):
        link, ground = _scheme(chosen.layout, "hlink"), _scheme(chosen.layout, "bg1")
        if link is None or ground is None or contrast(f"#{link}", f"#{ground}") >= TEXT:
            continue
        ratio = contrast(f"#{link}", f"#{ground}")
        return Problem(
            source,
            0,
            f"expected the template's hyperlink color to reach {TEXT}:1 on the background of "
            f"its {chosen.layout.name!r} layout ({kind} slides), got {ratio:.2f}:1 (#{link} on "
            f"#{ground}); change hlink in the template's theme colors",
            "template",
        )
    return None
