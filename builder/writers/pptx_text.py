"""Text into python-pptx frames exactly as measure laid it out: sizes, bullets, links, breaks.

Shared by the deck writer and its figures. python-pptx escapes XML itself, so text goes in
unescaped; explicit sizes everywhere, never auto-fit (python-pptx #973).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby, repeat
from typing import Any

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder.brand import Brand
from builder.client_wrap import drawn_runs
from builder.document import Meta, Run
from builder.fonts import FontFamily, metrics
from builder.measure import (
    BODY_SPACING,
    MARKED_STYLES,
    TEXT_INSETS,
    Box,
    Insets,
    Para,
    indent,
    para_size,
    space_before,
)
from builder.placement import QuotePart, TextPart

# re-exported: slide_text and the tests import them from here
from builder.writers.links import link_targets as link_targets
from builder.writers.links import safe_url as safe_url

Shape = Any  # a python-pptx shape, text frame or presentation object (partly typed upstream)

PT = 12700  # EMU per point


def emu(points: float) -> Emu:
    return Emu(round(points * PT))


def rect(box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    return emu(box.x), emu(box.y), emu(box.w), emu(box.h)


def rgb(color: str) -> Any:
    make: Any = RGBColor  # its constructor is untyped upstream
    return make(int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def frame_setup(frame: Shape, insets: Insets) -> None:
    """Explicit sizes only: no auto-fit (python-pptx #973), wrapping on (add_textbox sets none).

    Written into bodyPr as python-pptx's word_wrap, auto_size and margin setters write it.
    """
    body_pr = frame._txBody.find(_BODY_PR)
    body_pr.set("wrap", "square")
    for child in list(body_pr):
        if child.tag in _AUTOFITS:
            body_pr.remove(child)
    no_autofit = body_pr.makeelement(_NO_AUTOFIT, {})
    after = next((c for tag in _AFTER_AUTOFIT if (c := body_pr.find(tag)) is not None), None)
    if after is None:
        body_pr.append(no_autofit)
    else:
        after.addprevious(no_autofit)
    sides = (insets.x, insets.x, insets.top, insets.bottom)
    for (name, default), points in zip(_INSETS, sides, strict=True):
        value = emu(points)
        if value == default:  # python-pptx leaves a default inset unwritten
            body_pr.attrib.pop(name, None)
        else:
            body_pr.set(name, str(int(value)))


_BODY_PR, _NO_AUTOFIT = qn("a:bodyPr"), qn("a:noAutofit")
_AUTOFITS = frozenset(qn(f"a:{t}") for t in ("noAutofit", "normAutofit", "spAutoFit"))
_AFTER_AUTOFIT = tuple(qn(f"a:{t}") for t in ("scene3d", "sp3d", "flatTx", "extLst"))
_INSETS = (("lIns", 91440), ("rIns", 91440), ("tIns", 45720), ("bIns", 45720))


def fill(
    frame: Shape,
    part: TextPart | QuotePart,
    brand: Brand,
    meta: Meta,
    color: str | None,
    floor: int = 0,
    inner: float | None = None,
) -> None:
    """Write paragraphs into a text frame exactly as layout measured them.

    inner is the frame's width inside its insets (default: a text frame's); the line breaks
    measure made inside long words and URLs are written as explicit breaks.
    """
    width = part.box.w - 2 * TEXT_INSETS.x if inner is None else inner
    body = frame._txBody
    for i, para in enumerate(part.paras):
        # python-pptx's paragraphs[0] and add_paragraph(): the first a:p, else a new last one
        p = body.find(_P) if i == 0 else etree.SubElement(body, _P)
        paragraph = _Paragraph(p, frame)
        size = para_size(para, part.size, floor or brand.body_min_pt)
        _format_paragraph(_paragraph_properties(p), para, size, i > 0, brand)
        bold = para.style in ("heading", "name")
        drawn = drawn_runs(para, brand.body_font, size, width)
        runs = tuple(Run(r.text, r.bold or bold, r.italic) for r in drawn)
        left, first = indent(para, size)
        start = left if para.style in MARKED_STYLES else left + first
        wraps = client_wraps(runs, brand.body_font, size, (width - start, width - left))
        runs, targets = break_links(runs, link_targets(runs), wraps)
        tint = brand.colors.primary if para.style == "name" else color
        font = brand.body_font.deck_name
        add_runs(paragraph, runs, size, font, tint, meta.lang, targets=targets)


@dataclass(frozen=True)
class _Paragraph:
    """An a:p and the frame it is in, as add_runs takes a python-pptx paragraph."""

    _p: Any
    frame: Shape

    @property
    def part(self) -> Any:
        return self.frame.part


def _paragraph_properties(p: Any) -> Any:
    """Return the paragraph's a:pPr, made its first child if it has none (get_or_add_pPr)."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = p.makeelement(_PPR, {})
        p.insert(0, ppr)
    return ppr


_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")


def client_wraps(
    runs: tuple[Run, ...], family: FontFamily, size: float, widths: tuple[float, float]
) -> list[int]:
    """Return the offsets of the runs' text where a client wraps a line (greedy, by word).

    widths are the first line's and the other lines' widths; explicit breaks are kept.
    """
    text = "".join(r.text for r in runs)
    advances: list[float] = []
    for r in runs:  # one face lookup a run, not a character
        widths_of = metrics(family.face(r.bold, r.italic)).advances.get
        advances += [widths_of(ord(c), 0.6) * size for c in r.text]
    wraps: list[int] = []
    limit, used, space, started = widths[0], 0.0, 0.0, False
    for m in _TOKEN.finditer(text):
        token, (a, b) = m.group(), m.span()
        if token == "\n":
            limit, used, space, started = widths[1], 0.0, 0.0, False
        elif token.isspace():
            space = sum(advances[a:b]) if started else 0.0
        elif started and used + space + sum(advances[a:b]) > limit:
            wraps.append(a)
            limit, used, space = widths[1], sum(advances[a:b]), 0.0
        else:
            used, space, started = used + space + sum(advances[a:b]), 0.0, True
    return wraps


def break_links(
    runs: tuple[Run, ...], targets: list[str], wraps: list[int]
) -> tuple[tuple[Run, ...], list[str]]:
    """Return runs and link targets with an explicit break where a line wraps inside a link.

    LibreOffice holds a hyperlink together as one field and moves it whole to the next line
    when it does not fit, so every client gets the measured lines only if they are explicit.
    The space before the break goes, as measure's own breaks do (builder.client_wrap).
    """
    links = list(targets)
    if not wraps or not any(links):  # nothing to break: only the runs' merging below
        return _merged(runs), links
    chars = [(c, r.bold, r.italic) for r in runs for c in r.text]
    for at in sorted(wraps, reverse=True):
        before = at
        while before > 0 and chars[before - 1][0].isspace():
            before -= 1
        if not links[at] or before == 0 or links[before - 1] != links[at]:
            continue
        chars[before:at] = [("\n", *chars[before - 1][1:])]
        links[before:at] = [""]
    styled = groupby(chars, key=lambda c: (c[1], c[2]))
    return tuple(Run("".join(c[0] for c in group), *style) for style, group in styled), links


def _merged(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Return the runs without empty ones, neighbours of the same style joined."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and (out[-1].bold, out[-1].italic) == (run.bold, run.italic):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic)
        else:
            out.append(Run(run.text, run.bold, run.italic))
    return tuple(out)


def sub(parent: Any, tag: str, **attrs: str) -> Any:
    """Append a child element named by prefix ("a:p") with attributes; return it."""
    name = _CLARK.get(tag)
    if name is None:
        name = _CLARK[tag] = qn(tag)
    return etree.SubElement(parent, name, attrs)


_CLARK: dict[str, str] = {}  # "a:p" -> "{http://...}p"


def _format_paragraph(ppr: Any, para: Para, size: int, after_first: bool, brand: Brand) -> None:
    """Write pPr from scratch, children in schema order: spacing, then the bullet."""
    for child in list(ppr):
        ppr.remove(child)
    left, first = indent(para, size)
    ppr.set("marL", str(emu(left)))
    ppr.set("indent", str(emu(first)))
    ppr.set("algn", "r" if para.style == "by" else "l")
    sub(sub(ppr, "a:lnSpc"), "a:spcPct", val=str(round(BODY_SPACING * 100000)))
    before = space_before(size) if after_first else 0
    sub(sub(ppr, "a:spcBef"), "a:spcPts", val=str(round(before * 100)))
    if para.style not in ("bullet", "number"):
        sub(ppr, "a:buNone")
        return
    sub(sub(ppr, "a:buClr"), "a:srgbClr", val=brand.colors.secondary[1:])
    sub(ppr, "a:buFont", typeface=brand.body_font.deck_name)
    if para.style == "number":
        sub(ppr, "a:buAutoNum", type="arabicPeriod", startAt=str(max(para.number, 1)))
    else:
        sub(ppr, "a:buChar", char="•")


def add_runs(
    paragraph: Shape,
    runs: tuple[Run, ...],
    size: int,
    font: str,
    color: str | None,
    lang: str,
    link: bool = True,
    targets: list[str] | None = None,
) -> None:
    """Add runs with explicit size, face, language and colour (None: the layout's); add links.

    "\n" becomes a line break. A URL's link goes on the words it belongs to, never on the URL
    itself (link_targets, unless targets gives them): screen readers list links by their text.
    The elements are the ones python-pptx's run, font and hyperlink setters write, made with
    plain lxml calls: those setters' lookups were a third of the deck's writing time.
    """
    if targets is None and link:
        targets = link_targets(runs)
    p = paragraph._p
    end = p.find(_END_PARA)  # runs and breaks go before it, as python-pptx puts them
    place = p.append if end is None else end.addprevious
    look = RunLook(str(Pt(size).centipoints), font, color[1:].upper() if color else "", lang)
    at = 0
    for run in runs:
        for piece, url in _pieces(run.text, targets[at : at + len(run.text)] if targets else None):
            if piece == "\n":
                place(p.makeelement(_BR, {}))
                continue
            rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True) if url else ""
            place(run_element(p, piece, run.bold, run.italic, look, rid))
        at += len(run.text)


@dataclass(frozen=True)
class RunLook:
    """What every run of one add_runs call shares: size (centipoints), face, colour, language."""

    sz: str
    font: str
    color: str  # "RRGGBB", or "" for the layout's
    lang: str


def run_element(
    p: Any, text: str, bold: bool | None, italic: bool | None, look: RunLook, rid: str = ""
) -> Any:
    """Return an a:r as python-pptx writes it: rPr (sz, b, i, lang; fill, latin, link), then t.

    Attribute and child order follow the order python-pptx's setters create them in.
    """
    r = p.makeelement(_R, {})
    rpr = etree.SubElement(r, _RPR, {"sz": look.sz} if look.sz else {})
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    if italic is not None:
        rpr.set("i", "1" if italic else "0")
    if look.lang:
        rpr.set("lang", look.lang)
    if look.color:
        etree.SubElement(etree.SubElement(rpr, _SOLID), _SRGB, val=look.color)
    if look.font:
        etree.SubElement(rpr, _LATIN, typeface=look.font)
    if rid:
        etree.SubElement(rpr, _HLINK).set(_RID, rid)
    etree.SubElement(r, _T).text = _CTRL.sub(_escaped, text)
    return r


def _escaped(match: re.Match[str]) -> str:
    """Return python-pptx's plain-text escape of a control character ("_x0007_")."""
    return f"_x{ord(match.group(1)):04X}_"


_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R, _RPR, _T, _BR, _END_PARA = (f"{_A}{t}" for t in ("r", "rPr", "t", "br", "endParaRPr"))
_P, _PPR = f"{_A}p", f"{_A}pPr"
_SOLID, _SRGB, _LATIN, _HLINK = (
    f"{_A}{t}" for t in ("solidFill", "srgbClr", "latin", "hlinkClick")
)
_RID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _pieces(text: str, targets: list[str] | None) -> list[tuple[str, str]]:
    """Split text into (piece, url) pairs at each change of link target, and ("\n", "") breaks."""
    out: list[tuple[str, str]] = []
    chars = zip(text, targets if targets else repeat(""), strict=False)  # repeat: endless
    for (newline, url), group in groupby(chars, key=lambda c: (c[0] == "\n", c[1])):
        if newline:
            out.extend(("\n", "") for _ in group)
        else:
            out.append(("".join(c for c, _ in group), url))
    return out or [("", "")]


def centred_label(shape: Shape, text: str, size: int, font: str, color: str, lang: str) -> None:
    """Write one bold line centred in a shape, no insets, no wrapping (a badge, a tag)."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    frame = shape.text_frame
    frame_setup(frame, Insets(0, 0, 0))
    frame.word_wrap = False
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    add_runs(paragraph, (Run(text, bold=True),), size, font, color, lang)
