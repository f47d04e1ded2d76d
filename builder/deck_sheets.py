"""A slide as a client paints it, for the deck audit (deck_audit.py): its layout, master and
theme; colours resolved through the colour map and theme; and every shape of master, layout
and slide in paint order with its box on the slide.
"""

from __future__ import annotations

import colorsys
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "ahyp": "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor",
}
SHAPES = ("sp", "grpSp", "graphicFrame", "pic", "cxnSp", "contentPart")
TITLES = ("title", "ctrTitle")
FURNITURE = ("dt", "ftr", "sldNum")
WHITE = "FFFFFF"


def q(name: str) -> str:
    """Return a prefixed name ("a:rPr") in Clark notation."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@functools.cache
def compiled(path: str) -> Any:
    """Return an XPath compiled once, with our prefixes."""
    return etree.XPath(path, namespaces=NS)


def xpath(element: Any, path: str) -> list[Any]:
    """Return what an XPath finds (python-pptx's elements refuse the namespaces argument)."""
    return list(compiled(path)(element))


# ---- one slide with its layout, master and theme -----------------------------------------------


@dataclass(frozen=True)
class Sheets:
    """A slide's shape trees and what their colours and text styles resolve through."""

    slide: Any
    layout: Any
    master: Any
    scheme: dict[str, str]  # theme slot (dk1, accent1, ...) -> RRGGBB
    mapping: dict[str, str]  # colour map (bg1 -> lt1, ...)
    default_style: Any  # the presentation's a:defaultTextStyle, or None
    links: dict[str, str] = field(default_factory=dict)  # the slide's relationship id -> target


def sheets_of(slide: Any, default_style: Any) -> Sheets:
    """Return the slide with its layout, master, theme and colour map."""
    layout = slide.slide_layout
    master = layout.slide_master
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme = {}
    for entry in xpath(theme, ".//a:clrScheme/*"):
        color = entry[0] if len(entry) else None
        value = None if color is None else color.get("lastClr") or color.get("val")
        scheme[etree.QName(entry).localname] = str(value or WHITE)
    mapping = {}
    for owner in (master.element, layout.element, slide.element):
        for node in xpath(owner, "./p:clrMap | ./p:clrMapOvr/a:overrideClrMapping"):
            mapping = dict(node.attrib)
    links = {rid: rel.target_ref for rid, rel in slide.part.rels.items() if rel.is_external}
    elements = slide.element, layout.element, master.element
    return Sheets(*elements, scheme, mapping, default_style, links)


# ---- colours -----------------------------------------------------------------------------------


def resolve_color(element: Any, sheets: Sheets, placeholder: str = WHITE) -> str | None:
    """Return a DrawingML colour element (srgbClr, schemeClr, ...) as 'RRGGBB', or None."""
    tag = etree.QName(element).localname
    if tag == "srgbClr":
        value = element.get("val")
    elif tag == "schemeClr":
        name = element.get("val")
        value = (
            placeholder if name == "phClr" else sheets.scheme.get(sheets.mapping.get(name, name))
        )
    elif tag == "sysClr":
        value = element.get("lastClr")
    elif tag == "prstClr":
        value = {"black": "000000", "white": "FFFFFF"}.get(element.get("val"))
    else:
        return None
    value = str(value or "").upper()
    return _adjusted(value, element) if re.fullmatch(r"[0-9A-F]{6}", value) else None


def _adjusted(rgb: str, element: Any) -> str:
    """Apply lumMod, lumOff, tint and shade to a colour."""
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for change in element:
        name, value = etree.QName(change).localname, int(change.get("val", "100000")) / 100000
        if name == "shade":
            r, g, b = r * value, g * value, b * value
        elif name == "tint":
            r, g, b = (c + (1 - c) * (1 - value) for c in (r, g, b))
        elif name in ("lumMod", "lumOff"):
            hue, light, sat = colorsys.rgb_to_hls(r, g, b)
            light = light * value if name == "lumMod" else min(1.0, light + value)
            r, g, b = colorsys.hls_to_rgb(hue, light, sat)
    return "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in (r, g, b))


def fill_colors(owner: Any, sheets: Sheets) -> list[str] | None:
    """Return the colours a fill (spPr, tcPr, bgPr) paints, [] for none, None when it says none.

    A solid fill is one colour, a gradient its stops; no fill, a picture or a pattern paints
    no colour the audit can read.
    """
    for fill in owner:
        tag = etree.QName(fill).localname
        if tag == "solidFill":
            return [c for c in (resolve_color(x, sheets) for x in fill) if c]
        if tag == "gradFill":
            return [
                c for c in (resolve_color(x, sheets) for x in xpath(fill, "./a:gsLst/a:gs/*")) if c
            ]
        if tag in ("noFill", "blipFill", "pattFill", "grpFill"):
            return []
    return None


def background(sheets: Sheets) -> list[str]:
    """Return the colours of the slide's background: the slide's, else the layout's, master's."""
    for owner in (sheets.slide, sheets.layout, sheets.master):
        for bg in xpath(owner, "./p:cSld/p:bg/*"):
            if etree.QName(bg).localname == "bgPr":
                colors = fill_colors(bg, sheets)
                return colors or [WHITE]
            color = (
                resolve_color(bg[0], sheets) if len(bg) else None
            )  # bgRef: the theme fill's colour
            return [color or WHITE]
    return [WHITE]


# ---- shapes in paint order, with their boxes ----------------------------------------------------

Box = tuple[float, float, float, float]  # x, y, w, h in EMU


@dataclass(frozen=True)
class Painted:
    """A shape painted on the slide: where it comes from, its box and its placeholder type."""

    element: Any
    sheet: str  # "slide", "layout" or "master"
    box: Box | None
    ph: str | None  # placeholder type (title, body, ftr, ...), None for other shapes


def ph_of(element: Any) -> Any:
    """Return the placeholder element (p:ph) of a shape, or None."""
    found = xpath(element, "./*[1]/p:nvPr/p:ph")
    return found[0] if found else None


def ph_type(ph: Any) -> str:
    """Return a placeholder's type ("body" when it says none)."""
    return str(ph.get("type", "obj"))


def _ph_match(tree: Any, ph: Any, by_idx: bool) -> Any:
    """Return the shape of a layout or master placeholder that ph inherits from, or None."""
    kind = ph_type(ph)
    family = "title" if kind in TITLES else kind if kind in FURNITURE else "body"
    for shape in xpath(tree, "./p:cSld/p:spTree/p:sp"):
        theirs = ph_of(shape)
        if theirs is None:
            continue
        if by_idx and theirs.get("idx", "0") == ph.get("idx", "0"):
            return shape
        other = ph_type(theirs)
        if not by_idx and (other in TITLES if family == "title" else other == family):
            return shape
        if not by_idx and family == "body" and other in ("body", "obj", "subTitle"):
            return shape
    return None


def inherited(element: Any, sheets: Sheets) -> list[Any]:
    """Return the layout and master placeholders a slide placeholder inherits from."""
    ph = ph_of(element)
    if ph is None:
        return []
    found = [_ph_match(sheets.layout, ph, True)]
    found.append(_ph_match(sheets.master, ph, False))
    return [f for f in found if f is not None]


def _own_box(element: Any) -> Box | None:
    found = xpath(element, "./p:spPr/a:xfrm | ./p:xfrm | ./p:grpSpPr/a:xfrm")
    if not found:
        return None
    off, ext = found[0].find(q("a:off")), found[0].find(q("a:ext"))
    if off is None or ext is None:
        return None
    return (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _box(element: Any, sheets: Sheets) -> Box | None:
    """Return a shape's box in its group's child space (a placeholder inherits it)."""
    for candidate in (element, *inherited(element, sheets)):
        box = _own_box(candidate)
        if box is not None:
            return box
    return None


def _mapper(group: Any) -> Any:
    """Return a function from a group's child space to its parent's space."""
    xfrm = xpath(group, "./p:grpSpPr/a:xfrm")
    points = [
        xpath(xfrm[0], f"./a:{n}")[:1] if xfrm else [] for n in ("off", "ext", "chOff", "chExt")
    ]
    if not all(points):
        return lambda box: box
    off, ext, ch_off, ch_ext = (p[0] for p in points)
    ox, oy = int(off.get("x")), int(off.get("y"))
    cx, cy = int(ch_off.get("x")), int(ch_off.get("y"))
    sx = int(ext.get("cx")) / max(int(ch_ext.get("cx")), 1)
    sy = int(ext.get("cy")) / max(int(ch_ext.get("cy")), 1)

    def mapped(box: Box) -> Box:
        """Return a box of the group's child space as placed on the slide."""
        return (ox + (box[0] - cx) * sx, oy + (box[1] - cy) * sy, box[2] * sx, box[3] * sy)

    return mapped


def _walk(tree: Any, sheet: str, sheets: Sheets, outer: Any = None) -> Iterator[Painted]:
    """Yield a shape tree's shapes in paint order, groups opened after the group itself."""
    for element in tree:
        if etree.QName(element).localname not in SHAPES:
            continue
        ph = ph_of(element)
        if sheet != "slide" and ph is not None:
            continue  # layout and master placeholders are not painted on slides
        box = _box(element, sheets)
        if box is not None and outer is not None:
            box = outer(box)
        yield Painted(element, sheet, box, ph_type(ph) if ph is not None else None)
        if etree.QName(element).localname == "grpSp":
            inner = _mapper(element)
            chain = inner if outer is None else (lambda b, i=inner, o=outer: o(i(b)))
            yield from _walk(element, sheet, sheets, chain)


def painted(sheets: Sheets) -> list[Painted]:
    """Return everything painted on the slide, in order: master, layout, then slide shapes."""
    shows = [sheets.slide.get("showMasterSp", "1"), sheets.layout.get("showMasterSp", "1")]
    out: list[Painted] = []
    if "0" not in shows:
        out += _walk(xpath(sheets.master, "./p:cSld/p:spTree")[0], "master", sheets)
    if shows[0] != "0":
        out += _walk(xpath(sheets.layout, "./p:cSld/p:spTree")[0], "layout", sheets)
    return out + list(_walk(xpath(sheets.slide, "./p:cSld/p:spTree")[0], "slide", sheets))


def name_of(element: Any) -> str:
    """Return a shape's name."""
    found = xpath(element, "./*[1]/p:cNvPr")
    return str(found[0].get("name", "")) if found else ""


def decorative(element: Any) -> bool:
    """Return whether a shape is marked decorative."""
    return bool(xpath(element, "./*[1]/p:cNvPr/a:extLst/a:ext/adec:decorative[@val='1']"))


def text_of(element: Any) -> str:
    """Return the text of a shape, all paragraphs joined."""
    return "".join(xpath(element, ".//a:t/text()"))
