"""An accessibility audit of a .pptx: PowerPoint's Accessibility Checker rules, plus size and
contrast, read from the file itself (issue 13).

`audit_deck(path)` returns one Finding per problem; a deck ready for every audience has none.
It reads what a client shows: the slides, and the shapes of their layouts and masters that are
painted on them (layout and master placeholders are not painted, so they are not read).
Notes pages are not slides and are not read.

Rules (the `rule` of each Finding):
- title: every slide has a title placeholder (title or ctrTitle) with text.
- unique-title: no two slides share a title (whitespace collapsed, case folded); continuation
  slides must say so in their titles ("(cont.)", "(cont. 2)").
- title-order: the title is the first shape in reading order, which is the slide's shape tree
  order; decorative shapes do not count.
- alt-text: every picture, graphic frame (table, chart, diagram), group, connector and shape
  without text on a slide has alt text (cNvPr descr) or is marked decorative (the adec:decorative
  val="1" extension).
- table-header: every table marks its first row as a header row (a:tblPr firstRow="1").
- merged-cell: no table cell spans or is spanned (gridSpan, rowSpan, hMerge, vMerge).
- language: every run and field with text carries its own lang (on a:rPr): clients and screen
  readers pick the voice and proofing language from it, footers and slide numbers included.
- text-size: every run with visible text is 18 pt or more, its size resolved as clients do: the
  run, then the shape's list styles, the layout's and the master's placeholder of the same kind,
  the master's text styles, the presentation's default text style (18 pt when nothing says),
  scaled by the text frame's autofit fontScale. Page furniture is exempt, as a PDF's artifacts
  are: footer, date and slide-number placeholders, and the text a template paints from its
  layouts and masters (a corporate wordmark); language and contrast still apply to them.
- contrast: every run with visible text reaches 4.5:1 (3:1 for large text: 18 pt bold or 24 pt)
  against every colour behind it: the slide (then layout, then master) background, then every
  filled shape painted before it that overlaps the text's shape (master, layout, then slide
  shapes; a shape covering the whole text shape hides what lies under it), then the shape's own
  fill or its table cell's. Colours resolve through the colour map and theme (lumMod, lumOff,
  tint, shade); a gradient counts every stop. A hyperlink is drawn in the theme's hlink colour,
  as clients do, unless its run asks for the text colour (the hlinkClr val="tx" extension).
  Pictures are not read as backgrounds.
- link-text: a hyperlink's text (its consecutive runs with one target) has meaning: not a bare
  URL (http://, https://, www., mailto:) and not the target itself.
"""

from __future__ import annotations

import colorsys
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from builder.brand_checks import LARGE, TEXT, contrast

__all__ = ["Finding", "audit_deck"]

_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "ahyp": "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor",
}
MIN_PT = 18.0
_SHAPES = ("sp", "grpSp", "graphicFrame", "pic", "cxnSp", "contentPart")
_TITLES = ("title", "ctrTitle")
_FURNITURE = ("dt", "ftr", "sldNum")
_BARE_URL = re.compile(r"^(?:https?://|www\.|mailto:)\S*$", re.IGNORECASE)
_WHITE = "FFFFFF"


@dataclass(frozen=True)
class Finding:
    """One accessibility problem: the slide (1-based), the shape's name, the rule, what is wrong."""

    slide: int
    shape: str
    rule: str
    message: str


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


@functools.cache
def _compiled(path: str) -> Any:
    return etree.XPath(path, namespaces=_NS)


def _x(element: Any, path: str) -> list[Any]:
    """Return what an XPath finds (python-pptx's elements refuse the namespaces argument)."""
    return list(_compiled(path)(element))


# ---- one slide with its layout, master and theme -----------------------------------------------


@dataclass(frozen=True)
class _Sheets:
    """A slide's shape trees and what their colours and text styles resolve through."""

    slide: Any
    layout: Any
    master: Any
    scheme: dict[str, str]  # theme slot (dk1, accent1, ...) -> RRGGBB
    mapping: dict[str, str]  # colour map (bg1 -> lt1, ...)
    default_style: Any  # the presentation's a:defaultTextStyle, or None
    links: dict[str, str] = field(default_factory=dict)  # the slide's relationship id -> target


def _sheets(slide: Any, default_style: Any) -> _Sheets:
    layout = slide.slide_layout
    master = layout.slide_master
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme = {}
    for entry in _x(theme, ".//a:clrScheme/*"):
        color = entry[0] if len(entry) else None
        value = None if color is None else color.get("lastClr") or color.get("val")
        scheme[etree.QName(entry).localname] = str(value or _WHITE)
    mapping = {}
    for owner in (master.element, layout.element, slide.element):
        for node in _x(owner, "./p:clrMap | ./p:clrMapOvr/a:overrideClrMapping"):
            mapping = dict(node.attrib)
    links = {rid: rel.target_ref for rid, rel in slide.part.rels.items() if rel.is_external}
    elements = slide.element, layout.element, master.element
    return _Sheets(*elements, scheme, mapping, default_style, links)


# ---- colours -----------------------------------------------------------------------------------


def _color(element: Any, sheets: _Sheets, placeholder: str = _WHITE) -> str | None:
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


def _fill_colors(owner: Any, sheets: _Sheets) -> list[str] | None:
    """Return the colours a fill (spPr, tcPr, bgPr) paints, [] for none, None when it says none.

    A solid fill is one colour, a gradient its stops; no fill, a picture or a pattern paints
    no colour the audit can read.
    """
    for fill in owner:
        tag = etree.QName(fill).localname
        if tag == "solidFill":
            return [c for c in (_color(x, sheets) for x in fill) if c]
        if tag == "gradFill":
            return [c for c in (_color(x, sheets) for x in _x(fill, "./a:gsLst/a:gs/*")) if c]
        if tag in ("noFill", "blipFill", "pattFill", "grpFill"):
            return []
    return None


def _background(sheets: _Sheets) -> list[str]:
    """Return the colours of the slide's background: the slide's, else the layout's, master's."""
    for owner in (sheets.slide, sheets.layout, sheets.master):
        for bg in _x(owner, "./p:cSld/p:bg/*"):
            if etree.QName(bg).localname == "bgPr":
                colors = _fill_colors(bg, sheets)
                return colors or [_WHITE]
            color = _color(bg[0], sheets) if len(bg) else None  # bgRef: the theme fill's colour
            return [color or _WHITE]
    return [_WHITE]


# ---- shapes in paint order, with their boxes ----------------------------------------------------

Box = tuple[float, float, float, float]  # x, y, w, h in EMU


@dataclass(frozen=True)
class _Painted:
    """A shape painted on the slide: where it comes from, its box and its placeholder type."""

    element: Any
    sheet: str  # "slide", "layout" or "master"
    box: Box | None
    ph: str | None  # placeholder type (title, body, ftr, ...), None for other shapes


def _ph_of(element: Any) -> Any:
    found = _x(element, "./*[1]/p:nvPr/p:ph")
    return found[0] if found else None


def _ph_type(ph: Any) -> str:
    return str(ph.get("type", "obj"))


def _ph_match(tree: Any, ph: Any, by_idx: bool) -> Any:
    """Return the shape of a layout or master placeholder that ph inherits from, or None."""
    kind = _ph_type(ph)
    family = "title" if kind in _TITLES else kind if kind in _FURNITURE else "body"
    for shape in _x(tree, "./p:cSld/p:spTree/p:sp"):
        theirs = _ph_of(shape)
        if theirs is None:
            continue
        if by_idx and theirs.get("idx", "0") == ph.get("idx", "0"):
            return shape
        other = _ph_type(theirs)
        if not by_idx and (other in _TITLES if family == "title" else other == family):
            return shape
        if not by_idx and family == "body" and other in ("body", "obj", "subTitle"):
            return shape
    return None


def _inherited(element: Any, sheets: _Sheets) -> list[Any]:
    """Return the layout and master placeholders a slide placeholder inherits from."""
    ph = _ph_of(element)
    if ph is None:
        return []
    found = [_ph_match(sheets.layout, ph, True)]
    found.append(_ph_match(sheets.master, ph, False))
    return [f for f in found if f is not None]


def _own_box(element: Any) -> Box | None:
    found = _x(element, "./p:spPr/a:xfrm | ./p:xfrm | ./p:grpSpPr/a:xfrm")
    if not found:
        return None
    off, ext = found[0].find(_q("a:off")), found[0].find(_q("a:ext"))
    if off is None or ext is None:
        return None
    return (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _box(element: Any, sheets: _Sheets) -> Box | None:
    """Return a shape's box in its group's child space (a placeholder inherits it)."""
    for candidate in (element, *_inherited(element, sheets)):
        box = _own_box(candidate)
        if box is not None:
            return box
    return None


def _mapper(group: Any) -> Any:
    """Return a function from a group's child space to its parent's space."""
    xfrm = _x(group, "./p:grpSpPr/a:xfrm")
    points = [_x(xfrm[0], f"./a:{n}")[:1] if xfrm else [] for n in ("off", "ext", "chOff", "chExt")]
    if not all(points):
        return lambda box: box
    off, ext, ch_off, ch_ext = (p[0] for p in points)
    ox, oy = int(off.get("x")), int(off.get("y"))
    cx, cy = int(ch_off.get("x")), int(ch_off.get("y"))
    sx = int(ext.get("cx")) / max(int(ch_ext.get("cx")), 1)
    sy = int(ext.get("cy")) / max(int(ch_ext.get("cy")), 1)

    def mapped(box: Box) -> Box:
        return (ox + (box[0] - cx) * sx, oy + (box[1] - cy) * sy, box[2] * sx, box[3] * sy)

    return mapped


def _walk(tree: Any, sheet: str, sheets: _Sheets, outer: Any = None) -> Iterator[_Painted]:
    """Yield a shape tree's shapes in paint order, groups opened after the group itself."""
    for element in tree:
        if etree.QName(element).localname not in _SHAPES:
            continue
        ph = _ph_of(element)
        if sheet != "slide" and ph is not None:
            continue  # layout and master placeholders are not painted on slides
        box = _box(element, sheets)
        if box is not None and outer is not None:
            box = outer(box)
        yield _Painted(element, sheet, box, _ph_type(ph) if ph is not None else None)
        if etree.QName(element).localname == "grpSp":
            inner = _mapper(element)
            chain = inner if outer is None else (lambda b, i=inner, o=outer: o(i(b)))
            yield from _walk(element, sheet, sheets, chain)


def _painted(sheets: _Sheets) -> list[_Painted]:
    """Return everything painted on the slide, in order: master, layout, then slide shapes."""
    shows = [sheets.slide.get("showMasterSp", "1"), sheets.layout.get("showMasterSp", "1")]
    out: list[_Painted] = []
    if "0" not in shows:
        out += _walk(_x(sheets.master, "./p:cSld/p:spTree")[0], "master", sheets)
    if shows[0] != "0":
        out += _walk(_x(sheets.layout, "./p:cSld/p:spTree")[0], "layout", sheets)
    return out + list(_walk(_x(sheets.slide, "./p:cSld/p:spTree")[0], "slide", sheets))


def _name(element: Any) -> str:
    found = _x(element, "./*[1]/p:cNvPr")
    return str(found[0].get("name", "")) if found else ""


def _decorative(element: Any) -> bool:
    return bool(_x(element, "./*[1]/p:cNvPr/a:extLst/a:ext/adec:decorative[@val='1']"))


def _text(element: Any) -> str:
    return "".join(_x(element, ".//a:t/text()"))


# ---- titles ------------------------------------------------------------------------------------


def _title_findings(number: int, sheets: _Sheets) -> tuple[list[Finding], str]:
    """Return the slide's title and order findings, and its title text for the uniqueness rule."""
    tree = _x(sheets.slide, "./p:cSld/p:spTree")[0]
    shapes = [e for e in tree if etree.QName(e).localname in _SHAPES and not _decorative(e)]
    titles = [e for e in shapes if (ph := _ph_of(e)) is not None and _ph_type(ph) in _TITLES]
    text = " ".join(_text(titles[0]).split()) if titles else ""
    if not text:
        return [Finding(number, "", "title", "expected a title placeholder with text")], ""
    if shapes[0] is not titles[0]:
        message = f"expected the title first in reading order, got {_name(shapes[0])!r} first"
        return [Finding(number, _name(titles[0]), "title-order", message)], text
    return [], text


def _unique_findings(titles: list[tuple[int, str, str]]) -> list[Finding]:
    seen: dict[str, int] = {}
    out = []
    for number, name, text in titles:
        key = text.casefold()
        if key in seen:
            message = f"expected a title unlike slide {seen[key]}'s, got {text!r} again"
            out.append(Finding(number, name, "unique-title", message))
        seen.setdefault(key, number)
    return out


# ---- alt text and tables -----------------------------------------------------------------------


def _needs_alt(item: _Painted) -> bool:
    kind = etree.QName(item.element).localname
    if kind == "sp":
        return item.ph is None and not _text(item.element).strip()
    return kind in ("pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")


def _alt_findings(number: int, items: list[_Painted]) -> list[Finding]:
    out = []
    for item in items:
        if item.sheet != "slide" or not _needs_alt(item) or _decorative(item.element):
            continue
        descr = _x(item.element, "./*[1]/p:cNvPr/@descr")
        if not (descr and str(descr[0]).strip()):
            message = "expected alt text (descr) or the shape marked decorative"
            out.append(Finding(number, _name(item.element), "alt-text", message))
    return out


def _table_findings(number: int, items: list[_Painted]) -> list[Finding]:
    out = []
    for item in items:
        for table in _x(item.element, "./a:graphic/a:graphicData/a:tbl"):
            name = _name(item.element)
            if not _x(table, "./a:tblPr[@firstRow='1' or @firstRow='true']"):
                out.append(Finding(number, name, "table-header", "expected a header row"))
            merged = _x(table, ".//a:tc[@gridSpan>1 or @rowSpan>1 or @hMerge or @vMerge]")
            merged = [c for c in merged if c.get("hMerge") not in ("0", "false")]
            if merged:
                message = f"expected no merged cells, got {len(merged)}"
                out.append(Finding(number, name, "merged-cell", message))
    return out


# ---- runs: language, size, contrast --------------------------------------------------------------


@dataclass(frozen=True)
class _Look:
    """A run's resolved size (pt), boldness and colour ('RRGGBB')."""

    size: float
    bold: bool
    color: str


def _styles(item: _Painted, level: int, sheets: _Sheets) -> list[Any]:
    """Return the a:defRPr elements a paragraph's runs inherit from, nearest first."""
    lvl = f"a:lvl{level + 1}pPr/a:defRPr"
    owners = [item.element]
    if item.sheet == "slide":
        owners += _inherited(item.element, sheets)
    found = [d for o in owners for d in _x(o, f"./p:txBody/a:lstStyle/{lvl}")]
    found += _x(item.element, "./p:style/a:fontRef")  # a shape's theme style: colour only
    if item.ph is not None:
        style = "titleStyle" if item.ph in _TITLES else "bodyStyle"
        style = "otherStyle" if item.ph in _FURNITURE else style
        found += _x(sheets.master, f"./p:txStyles/p:{style}/{lvl}")
    else:
        found += _x(sheets.master, f"./p:txStyles/p:otherStyle/{lvl}")
    if sheets.default_style is not None:
        found += _x(sheets.default_style, f"./{lvl}")
    return found


def _look(run: Any, inherited: list[Any], scale: float, sheets: _Sheets) -> _Look:
    rpr = run.find(_q("a:rPr"))
    chain = ([rpr] if rpr is not None else []) + inherited
    size = next((int(s) for e in chain if (s := e.get("sz")) is not None), 1800) / 100
    bold = next((e.get("b") in ("1", "true") for e in chain if e.get("b") is not None), False)
    color = "000000"
    for e in chain:
        fill = e.find(_q("a:solidFill"))
        paint = fill[0] if fill is not None and len(fill) else None
        if etree.QName(e).localname == "fontRef" and len(e):
            paint = e[0]
        if paint is not None and (found := _color(paint, sheets)):
            color = found
            break
    if _link(run) is not None and not _x(run, "./a:rPr/a:hlinkClick//ahyp:hlinkClr[@val='tx']"):
        color = sheets.scheme.get(sheets.mapping.get("hlink", "hlink"), color)
    return _Look(size * scale, bold, color)


def _link(run: Any) -> str | None:
    found = _x(run, "./a:rPr/a:hlinkClick/@r:id")
    return str(found[0]) if found else None


def _scale(body: Any) -> float:
    found = _x(body, "./a:bodyPr/a:normAutofit/@fontScale")
    return int(found[0]) / 100000 if found else 1.0


def _grounds(item: _Painted, under: list[_Painted], sheets: _Sheets) -> list[str]:
    """Return every colour behind a shape's text: background, overlapping fills, its own."""
    grounds = _background(sheets)
    for below in [*under, item]:
        colors = _shape_fill(below, sheets)
        if not colors or item.box is None or below.box is None:
            continue
        if _covers(below.box, item.box):
            grounds = colors
        elif _overlaps(below.box, item.box):
            grounds = grounds + colors
    return grounds


def _shape_fill(item: _Painted, sheets: _Sheets) -> list[str] | None:
    owners = [item.element] + (_inherited(item.element, sheets) if item.sheet == "slide" else [])
    for owner in owners:
        spr = owner.find(_q("p:spPr"))
        colors = _fill_colors(spr, sheets) if spr is not None else None
        if colors is not None:
            return colors
    ref = _x(item.element, "./p:style/a:fillRef[@idx>0]/*")
    return [c for c in (_color(ref[0], sheets),) if c] if ref else None


def _covers(a: Box, b: Box) -> bool:
    """Whether box a covers all of box b."""
    inside = a[0] <= b[0] and a[1] <= b[1]
    return inside and a[0] + a[2] >= b[0] + b[2] and a[1] + a[3] >= b[1] + b[3]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _bodies(item: _Painted) -> Iterator[tuple[Any, list[str] | None, Any]]:
    """Yield a shape's text bodies with their table cell's fill element (None outside tables)."""
    for body in _x(item.element, "./p:txBody"):
        yield body, None, None
    for cell in _x(item.element, "./a:graphic/a:graphicData/a:tbl/a:tr/a:tc"):
        for body in _x(cell, "./a:txBody"):
            yield body, cell.find(_q("a:tcPr")), cell


def _run_findings(number: int, items: list[_Painted], sheets: _Sheets) -> list[Finding]:
    out = []
    for i, item in enumerate(items):
        grounds: list[str] | None = None
        for body, tcpr, _cell in _bodies(item):
            if grounds is None:
                grounds = _grounds(item, items[:i], sheets)
            cell = _fill_colors(tcpr, sheets) if tcpr is not None else None
            where = cell or grounds
            out += _body_findings(number, item, body, where, sheets)
    return out


def _body_findings(
    number: int, item: _Painted, body: Any, grounds: list[str], sheets: _Sheets
) -> list[Finding]:
    out = []
    name, scale = _name(item.element), _scale(body)
    for paragraph in _x(body, "./a:p"):
        level = int(_compiled("string(./a:pPr/@lvl)")(paragraph) or 0)
        inherited = _styles(item, level, sheets)
        for run in _x(paragraph, "./a:r | ./a:fld"):
            text = "".join(_x(run, "./a:t/text()"))
            if not text:
                continue
            out += _language(number, name, run, text)
            if not text.strip():
                continue
            look = _look(run, inherited, scale, sheets)
            out += _size(number, item, name, look, text)
            out += _contrast(number, name, look, text, grounds)
        out += _link_findings(number, name, paragraph, sheets)
    return out


def _language(number: int, name: str, run: Any, text: str) -> list[Finding]:
    if _x(run, "./a:rPr/@lang"):
        return []
    return [Finding(number, name, "language", f"expected a lang on the run {_short(text)!r}")]


def _size(number: int, item: _Painted, name: str, look: _Look, text: str) -> list[Finding]:
    if look.size >= MIN_PT or item.ph in _FURNITURE or item.sheet != "slide":
        return []
    message = f"expected text of {MIN_PT:g} pt or more, got {look.size:g} pt in {_short(text)!r}"
    return [Finding(number, name, "text-size", message)]


def _contrast(number: int, name: str, look: _Look, text: str, grounds: list[str]) -> list[Finding]:
    large = look.size >= 24 or (look.bold and look.size >= 18)
    need = LARGE if large else TEXT
    for ground in dict.fromkeys(grounds):
        ratio = contrast(f"#{look.color}", f"#{ground}")
        if ratio < need:
            message = (
                f"expected contrast of {need}:1 or more, got {ratio:.2f}:1 "
                f"(#{look.color} on #{ground}) in {_short(text)!r}"
            )
            return [Finding(number, name, "contrast", message)]
    return []


def _link_findings(number: int, name: str, paragraph: Any, sheets: _Sheets) -> list[Finding]:
    """Return a finding for each link in a paragraph whose text is a bare URL or its target."""
    spans: list[tuple[str, str]] = []  # (relationship id, text) of consecutive linked runs
    for run in _x(paragraph, "./a:r | ./a:br | ./a:fld"):
        rid = _link(run) if etree.QName(run).localname == "r" else None
        if etree.QName(run).localname == "br" and spans:
            continue  # a link broken over lines stays one link
        if rid is not None and spans and spans[-1][0] == rid:
            spans[-1] = (rid, spans[-1][1] + "".join(_x(run, "./a:t/text()")))
        elif rid is not None:
            spans.append((rid, "".join(_x(run, "./a:t/text()"))))
        else:
            spans.append(("", ""))
    out = []
    for rid, text in spans:
        if rid and _bare(text.strip(), sheets.links.get(rid, "")):
            message = f"expected link text with meaning, got the bare URL {_short(text)!r}"
            out.append(Finding(number, name, "link-text", message))
    return out


def _bare(text: str, target: str) -> bool:
    def plain(url: str) -> str:
        return re.sub(r"^(?:https?://|mailto:)(?:www\.)?", "", url.strip()).rstrip("/").casefold()

    return bool(_BARE_URL.match(text)) or (bool(target) and plain(text) == plain(target))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


# ---- the deck ----------------------------------------------------------------------------------


def audit_deck(path: Path | str | bytes) -> list[Finding]:
    """Return the accessibility findings of a .pptx (a path or its bytes), by slide."""
    source = io.BytesIO(path) if isinstance(path, bytes) else str(path)
    prs = Presentation(source)
    defaults = _x(prs.part._element, "./p:defaultTextStyle")
    default_style = defaults[0] if defaults else None
    findings: list[Finding] = []
    titles: list[tuple[int, str, str]] = []
    for number, slide in enumerate(prs.slides, start=1):
        sheets = _sheets(slide, default_style)
        found, title = _title_findings(number, sheets)
        findings += found
        if title:
            titles.append((number, _title_name(sheets), title))
        items = _painted(sheets)
        findings += _alt_findings(number, items)
        findings += _table_findings(number, items)
        findings += _run_findings(number, items, sheets)
    findings += _unique_findings(titles)
    return sorted(findings, key=lambda f: f.slide)


def _title_name(sheets: _Sheets) -> str:
    for element in _x(sheets.slide, "./p:cSld/p:spTree/p:sp"):
        ph = _ph_of(element)
        if ph is not None and _ph_type(ph) in _TITLES:
            return _name(element)
    return ""
