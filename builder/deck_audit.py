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

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation

from builder.brand_checks import LARGE, TEXT, contrast
from builder.deck_sheets import (
    FURNITURE,
    SHAPES,
    TITLES,
    Box,
    Painted,
    Sheets,
    background,
    compiled,
    decorative,
    fill_colors,
    inherited,
    name_of,
    painted,
    ph_of,
    ph_type,
    q,
    resolve_color,
    sheets_of,
    text_of,
    xpath,
)

__all__ = ["Finding", "audit_deck"]

MIN_PT = 18.0
_BARE_URL = re.compile(r"^(?:https?://|www\.|mailto:)\S*$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One accessibility problem: the slide (1-based), the shape's name, the rule, what is wrong."""

    slide: int
    shape: str
    rule: str
    message: str


# ---- titles ------------------------------------------------------------------------------------


def _title_findings(number: int, sheets: Sheets) -> tuple[list[Finding], str]:
    """Return the slide's title and order findings, and its title text for the uniqueness rule."""
    tree = xpath(sheets.slide, "./p:cSld/p:spTree")[0]
    shapes = [e for e in tree if etree.QName(e).localname in SHAPES and not decorative(e)]
    titles = [e for e in shapes if (ph := ph_of(e)) is not None and ph_type(ph) in TITLES]
    text = " ".join(text_of(titles[0]).split()) if titles else ""
    if not text:
        return [Finding(number, "", "title", "expected a title placeholder with text")], ""
    if shapes[0] is not titles[0]:
        message = f"expected the title first in reading order, got {name_of(shapes[0])!r} first"
        return [Finding(number, name_of(titles[0]), "title-order", message)], text
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


def _needs_alt(item: Painted) -> bool:
    kind = etree.QName(item.element).localname
    if kind == "sp":
        return item.ph is None and not text_of(item.element).strip()
    return kind in ("pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")


def _alt_findings(number: int, items: list[Painted]) -> list[Finding]:
    out = []
    for item in items:
        if item.sheet != "slide" or not _needs_alt(item) or decorative(item.element):
            continue
        descr = xpath(item.element, "./*[1]/p:cNvPr/@descr")
        if not (descr and str(descr[0]).strip()):
            message = "expected alt text (descr) or the shape marked decorative"
            out.append(Finding(number, name_of(item.element), "alt-text", message))
    return out


def _table_findings(number: int, items: list[Painted]) -> list[Finding]:
    out = []
    for item in items:
        for table in xpath(item.element, "./a:graphic/a:graphicData/a:tbl"):
            name = name_of(item.element)
            if not xpath(table, "./a:tblPr[@firstRow='1' or @firstRow='true']"):
                out.append(Finding(number, name, "table-header", "expected a header row"))
            merged = xpath(table, ".//a:tc[@gridSpan>1 or @rowSpan>1 or @hMerge or @vMerge]")
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


def _styles(item: Painted, level: int, sheets: Sheets) -> list[Any]:
    """Return the a:defRPr elements a paragraph's runs inherit from, nearest first."""
    lvl = f"a:lvl{level + 1}pPr/a:defRPr"
    owners = [item.element]
    if item.sheet == "slide":
        owners += inherited(item.element, sheets)
    found = [d for o in owners for d in xpath(o, f"./p:txBody/a:lstStyle/{lvl}")]
    found += xpath(item.element, "./p:style/a:fontRef")  # a shape's theme style: colour only
    if item.ph is not None:
        style = "titleStyle" if item.ph in TITLES else "bodyStyle"
        style = "otherStyle" if item.ph in FURNITURE else style
        found += xpath(sheets.master, f"./p:txStyles/p:{style}/{lvl}")
    else:
        found += xpath(sheets.master, f"./p:txStyles/p:otherStyle/{lvl}")
    if sheets.default_style is not None:
        found += xpath(sheets.default_style, f"./{lvl}")
    return found


def _look(run: Any, inherited: list[Any], scale: float, sheets: Sheets) -> _Look:
    rpr = run.find(q("a:rPr"))
    chain = ([rpr] if rpr is not None else []) + inherited
    size = next((int(s) for e in chain if (s := e.get("sz")) is not None), 1800) / 100
    bold = next((e.get("b") in ("1", "true") for e in chain if e.get("b") is not None), False)
    color = "000000"
    for e in chain:
        fill = e.find(q("a:solidFill"))
        paint = fill[0] if fill is not None and len(fill) else None
        if etree.QName(e).localname == "fontRef" and len(e):
            paint = e[0]
        if paint is not None and (found := resolve_color(paint, sheets)):
            color = found
            break
    if _link(run) is not None and not xpath(run, "./a:rPr/a:hlinkClick//ahyp:hlinkClr[@val='tx']"):
        color = sheets.scheme.get(sheets.mapping.get("hlink", "hlink"), color)
    return _Look(size * scale, bold, color)


def _link(run: Any) -> str | None:
    found = xpath(run, "./a:rPr/a:hlinkClick/@r:id")
    return str(found[0]) if found else None


def _scale(body: Any) -> float:
    found = xpath(body, "./a:bodyPr/a:normAutofit/@fontScale")
    return int(found[0]) / 100000 if found else 1.0


def _grounds(item: Painted, under: list[Painted], sheets: Sheets) -> list[str]:
    """Return every colour behind a shape's text: background, overlapping fills, its own."""
    grounds = background(sheets)
    for below in [*under, item]:
        colors = _shape_fill(below, sheets)
        if not colors or item.box is None or below.box is None:
            continue
        if _covers(below.box, item.box):
            grounds = colors
        elif _overlaps(below.box, item.box):
            grounds = grounds + colors
    return grounds


def _shape_fill(item: Painted, sheets: Sheets) -> list[str] | None:
    owners = [item.element] + (inherited(item.element, sheets) if item.sheet == "slide" else [])
    for owner in owners:
        spr = owner.find(q("p:spPr"))
        colors = fill_colors(spr, sheets) if spr is not None else None
        if colors is not None:
            return colors
    ref = xpath(item.element, "./p:style/a:fillRef[@idx>0]/*")
    return [c for c in (resolve_color(ref[0], sheets),) if c] if ref else None


def _covers(a: Box, b: Box) -> bool:
    """Whether box a covers all of box b."""
    inside = a[0] <= b[0] and a[1] <= b[1]
    return inside and a[0] + a[2] >= b[0] + b[2] and a[1] + a[3] >= b[1] + b[3]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _bodies(item: Painted) -> Iterator[tuple[Any, list[str] | None, Any]]:
    """Yield a shape's text bodies with their table cell's fill element (None outside tables)."""
    for body in xpath(item.element, "./p:txBody"):
        yield body, None, None
    for cell in xpath(item.element, "./a:graphic/a:graphicData/a:tbl/a:tr/a:tc"):
        for body in xpath(cell, "./a:txBody"):
            yield body, cell.find(q("a:tcPr")), cell


def _run_findings(number: int, items: list[Painted], sheets: Sheets) -> list[Finding]:
    out = []
    for i, item in enumerate(items):
        grounds: list[str] | None = None
        for body, tcpr, _cell in _bodies(item):
            if grounds is None:
                grounds = _grounds(item, items[:i], sheets)
            cell = fill_colors(tcpr, sheets) if tcpr is not None else None
            where = cell or grounds
            out += _body_findings(number, item, body, where, sheets)
    return out


def _body_findings(
    number: int, item: Painted, body: Any, grounds: list[str], sheets: Sheets
) -> list[Finding]:
    out = []
    name, scale = name_of(item.element), _scale(body)
    for paragraph in xpath(body, "./a:p"):
        level = int(compiled("string(./a:pPr/@lvl)")(paragraph) or 0)
        inherited = _styles(item, level, sheets)
        for run in xpath(paragraph, "./a:r | ./a:fld"):
            text = "".join(xpath(run, "./a:t/text()"))
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
    if xpath(run, "./a:rPr/@lang"):
        return []
    return [Finding(number, name, "language", f"expected a lang on the run {_short(text)!r}")]


def _size(number: int, item: Painted, name: str, look: _Look, text: str) -> list[Finding]:
    if look.size >= MIN_PT or item.ph in FURNITURE or item.sheet != "slide":
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


def _link_findings(number: int, name: str, paragraph: Any, sheets: Sheets) -> list[Finding]:
    """Return a finding for each link in a paragraph whose text is a bare URL or its target."""
    spans: list[tuple[str, str]] = []  # (relationship id, text) of consecutive linked runs
    for run in xpath(paragraph, "./a:r | ./a:br | ./a:fld"):
        rid = _link(run) if etree.QName(run).localname == "r" else None
        if etree.QName(run).localname == "br" and spans:
            continue  # a link broken over lines stays one link
        if rid is not None and spans and spans[-1][0] == rid:
            spans[-1] = (rid, spans[-1][1] + "".join(xpath(run, "./a:t/text()")))
        elif rid is not None:
            spans.append((rid, "".join(xpath(run, "./a:t/text()"))))
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
    defaults = xpath(prs.part._element, "./p:defaultTextStyle")
    default_style = defaults[0] if defaults else None
    findings: list[Finding] = []
    titles: list[tuple[int, str, str]] = []
    for number, slide in enumerate(prs.slides, start=1):
        sheets = sheets_of(slide, default_style)
        found, title = _title_findings(number, sheets)
        findings += found
        if title:
            titles.append((number, _title_name(sheets), title))
        items = painted(sheets)
        findings += _alt_findings(number, items)
        findings += _table_findings(number, items)
        findings += _run_findings(number, items, sheets)
    findings += _unique_findings(titles)
    return sorted(findings, key=lambda f: f.slide)


def _title_name(sheets: Sheets) -> str:
    for element in xpath(sheets.slide, "./p:cSld/p:spTree/p:sp"):
        ph = ph_of(element)
        if ph is not None and ph_type(ph) in TITLES:
            return name_of(element)
    return ""
