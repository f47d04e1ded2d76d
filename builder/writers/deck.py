"""The deck writer: a Deck and a Brand in, the bytes of an editable 16:9 .pptx out.

Last stage of the deck pipeline. `builder.layout` plans every slide (continuations, sizes, boxes);
this module draws the plan into the layouts of the built-in template or the brand's corporate
one (`builder.writers.pptx_template` opens it and picks the layouts). It works around python-pptx
gaps: footer and slide-number placeholders (#658), the notes master id list (#1051), picture alt
text (#1139), and zips that are not reproducible.
python-pptx is only partly typed, so its shapes and text frames pass through here as `Any`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder.brand import Brand
from builder.document import Deck, Meta, Paragraph, Run
from builder.errors import Problem, WriteError
from builder.layout import (
    BADGE,
    QUOTE_INSETS,
    STEP_INSETS,
    Geometry,
    Part,
    PlannedSlide,
    QuotePart,
    StepsPart,
    TablePart,
    TextPart,
    plan_deck,
    step_paras,
)
from builder.measure import (
    BODY_SPACING,
    CELL_INSETS,
    LINE_HEIGHT,
    TEXT_INSETS,
    TITLE_SPACING,
    Box,
    Insets,
    Para,
    indent,
    para_size,
    shorten,
    space_before,
)
from builder.writers.pptx_template import (
    KindLayout,
    Template,
    box_of,
    choose_layouts,
    frames_geometry,
    open_template,
    placeholder,
    text_color,
)

Shape = Any  # a python-pptx shape, text frame or presentation object (partly typed upstream)

_DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"]*[^\s<>\".,;:)\]]")
_PT = 12700  # EMU per point
_SLIDE_NUMBER = (
    '<a:fld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"/>'
)


@dataclass(frozen=True)
class _Ink:
    """Text colours of one slide kind; None keeps the colour a corporate template gives."""

    title: str | None
    subtitle: str | None
    body: str | None  # in the body placeholder (the title slide's: presenter details)
    drawn: str  # in text boxes we add: they inherit nothing from the layout
    footer: str | None


def build_deck(deck: Deck, brand: Brand) -> bytes:
    """Return the .pptx bytes of the deck drawn in the brand's look, or raise LayoutError.

    The brand's corporate template (brand.template) replaces the built-in one when set.
    """
    template = open_template(brand.template)
    prs = template.prs
    kinds = choose_layouts(template, brand.layouts)
    planned = plan_deck(deck, frames_geometry(prs, kinds), brand)
    if template.builtin:  # a corporate template keeps its own theme: it is the provider's look
        _apply_theme(prs, brand)
    inks = {kind: _ink(kind, chosen, brand, template) for kind, chosen in kinds.items()}
    logo = _logo_png(brand)
    for plan in planned:
        kind = plan.slide.kind
        _write_slide(prs, kinds[kind], plan, brand, deck.meta, logo, inks[kind])
    epoch = _epoch()
    _set_properties(prs, deck.meta, epoch)
    add_notes_master_id(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return repack(buffer.getvalue(), epoch)


def template_geometry(brand: Brand | None = None) -> Geometry:
    """Return the frames layout plans against: the brand's template, else the built-in one."""
    template = open_template(brand.template if brand else None)
    kinds = choose_layouts(template, brand.layouts if brand else ())
    return frames_geometry(template.prs, kinds)


# ---- colours ---------------------------------------------------------------------------------


def _ink(kind: str, chosen: KindLayout, brand: Brand, template: Template) -> _Ink:
    """Return the text colours of a kind: the built-in layouts' or the corporate template's."""
    c = brand.colors
    if not template.builtin:
        anchor = chosen.slots.subtitle if kind == "title" else chosen.slots.body
        return _Ink(None, None, None, text_color(chosen.layout, anchor) or c.foreground, None)
    if kind == "section":  # the whole slide is primary
        return _Ink(c.on_primary, None, c.on_primary, c.on_primary, c.on_primary)
    if kind == "title":  # title and subtitle sit on a primary band, the details below it
        return _Ink(c.on_primary, c.on_primary, c.foreground, c.foreground, None)
    return _Ink(c.primary, None, c.foreground, c.foreground, c.foreground)


# ---- theme ---------------------------------------------------------------------------------


def recolor_theme(blob: bytes, colors: dict[str, str], heading: str, body: str) -> bytes:
    """Return theme XML with the given scheme colours ('RRGGBB' by slot) and latin fonts."""
    xml = blob.decode("utf-8")
    for slot, rgb in colors.items():
        new = f'<a:{slot}><a:srgbClr val="{rgb}"/></a:{slot}>'
        xml = re.sub(rf"<a:{slot}>.*?</a:{slot}>", new, xml)
    xml = re.sub(r'(<a:majorFont><a:latin typeface=")[^"]*', rf"\g<1>{heading}", xml)
    xml = re.sub(r'(<a:minorFont><a:latin typeface=")[^"]*', rf"\g<1>{body}", xml)
    return xml.encode("utf-8")


def _apply_theme(prs: Shape, brand: Brand) -> None:
    """Recolour the masters' themes so slides a trainer adds later match the brand too."""
    c = brand.colors
    slots = {"dk1": c.foreground, "lt1": c.background, "dk2": c.primary, "lt2": c.light}
    slots |= {"accent1": c.primary, "accent2": c.secondary, "accent3": c.accent}
    colors = {slot: value[1:].upper() for slot, value in slots.items()}
    fonts = brand.heading_font.deck_name, brand.body_font.deck_name
    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        part.blob = recolor_theme(part.blob, colors, *fonts)


# ---- slides ----------------------------------------------------------------------------------


def _write_slide(
    prs: Shape,
    chosen: KindLayout,
    plan: PlannedSlide,
    brand: Brand,
    meta: Meta,
    logo: bytes | None,
    ink: _Ink,
) -> None:
    slide = prs.slides.add_slide(chosen.layout)
    slots = chosen.slots
    _write_title(placeholder(slide, slots.title), plan, brand, meta, ink.title)
    used = {slots.title}
    if plan.subtitle is not None and slots.subtitle is not None:
        used.add(slots.subtitle)
        _fill_placeholder(
            placeholder(slide, slots.subtitle), plan.subtitle, brand, meta, ink.subtitle
        )
    for part in plan.parts:
        if isinstance(part, TextPart) and slots.body is not None and slots.body not in used:
            used.add(slots.body)
            _fill_placeholder(placeholder(slide, slots.body), part, brand, meta, ink.body)
        else:
            _draw_part(slide.shapes, part, brand, meta, ink.drawn)
    for shape in list(slide.placeholders):  # an empty placeholder shows "Click to add text"
        if shape.placeholder_format.idx not in used:
            shape.element.getparent().remove(shape.element)
    if plan.slide.kind == "title":
        if logo:
            _title_logo(slide, logo, chosen.frame.body, prs.slide_width / _PT, brand)
    else:
        footer = brand.footer or meta.title
        on_band = plan.slide.kind == "section"  # a small logo would sit on the primary fill
        small = None if on_band else logo
        _add_footer(slide, chosen.layout, footer, len(prs.slides), ink.footer, small, brand)
    _write_notes(slide, plan.slide.notes, meta)


def _title_logo(slide: Shape, logo: bytes, details: Box, width: float, brand: Brand) -> None:
    """Put the logo beside the presenter details, up to the right margin they leave."""
    right = width - details.x
    left = max(details.x + details.w + 36, right - 216)
    if right - left >= 36:
        _picture(slide.shapes, logo, Box(left, details.y, right - left, details.h), brand)


def _write_title(
    shape: Shape, plan: PlannedSlide, brand: Brand, meta: Meta, color: str | None
) -> None:
    frame = shape.text_frame
    _frame_setup(frame, TEXT_INSETS)
    paragraph = frame.paragraphs[0]
    paragraph.line_spacing = TITLE_SPACING
    runs = (Run(plan.title, bold=True),)
    _add_runs(paragraph, runs, plan.title_pt, brand.heading_font.deck_name, color, meta.lang)


def _fill_placeholder(
    shape: Shape, part: TextPart, brand: Brand, meta: Meta, color: str | None
) -> None:
    if box_of(shape) != part.box:
        shape.left, shape.top, shape.width, shape.height = _rect(part.box)
    _frame_setup(shape.text_frame, TEXT_INSETS)
    _fill(shape.text_frame, part, brand, meta, color)


def _emu(points: float) -> Emu:
    return Emu(round(points * _PT))


def _rect(box: Box) -> tuple[Emu, Emu, Emu, Emu]:
    return _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h)


def _rgb(color: str) -> Any:
    make: Any = RGBColor  # its constructor is untyped upstream
    return make(int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16))


def _frame_setup(frame: Shape, insets: Insets) -> None:
    """Explicit sizes only: no auto-fit (python-pptx #973), wrapping on (add_textbox sets none)."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = _emu(insets.x)
    frame.margin_top, frame.margin_bottom = _emu(insets.top), _emu(insets.bottom)


def _fill(
    frame: Shape,
    part: TextPart | QuotePart,
    brand: Brand,
    meta: Meta,
    color: str | None,
    floor: int = 0,
) -> None:
    """Write paragraphs into a text frame exactly as layout measured them."""
    for i, para in enumerate(part.paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        size = para_size(para, part.size, floor or brand.body_min_pt)
        _format_paragraph(paragraph._p.get_or_add_pPr(), para, size, i > 0, brand)
        bold = para.style in ("heading", "name")
        runs = tuple(Run(r.text, r.bold or bold, r.italic) for r in para.runs)
        tint = brand.colors.primary if para.style == "name" else color
        _add_runs(paragraph, runs, size, brand.body_font.deck_name, tint, meta.lang)


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, qn(tag), attrs)


def _format_paragraph(ppr: Any, para: Para, size: int, after_first: bool, brand: Brand) -> None:
    """Write pPr from scratch, children in schema order: spacing, then the bullet."""
    for child in list(ppr):
        ppr.remove(child)
    left, first = indent(para, size)
    ppr.set("marL", str(_emu(left)))
    ppr.set("indent", str(_emu(first)))
    ppr.set("algn", "r" if para.style == "by" else "l")
    _sub(_sub(ppr, "a:lnSpc"), "a:spcPct", val=str(round(BODY_SPACING * 100000)))
    before = space_before(size) if after_first else 0
    _sub(_sub(ppr, "a:spcBef"), "a:spcPts", val=str(round(before * 100)))
    if para.style not in ("bullet", "number"):
        _sub(ppr, "a:buNone")
        return
    _sub(_sub(ppr, "a:buClr"), "a:srgbClr", val=brand.colors.secondary[1:])
    _sub(ppr, "a:buFont", typeface=brand.body_font.deck_name)
    if para.style == "number":
        _sub(ppr, "a:buAutoNum", type="arabicPeriod", startAt=str(max(para.number, 1)))
    else:
        _sub(ppr, "a:buChar", char="•")


def _add_runs(
    paragraph: Shape, runs: tuple[Run, ...], size: int, font: str, color: str | None, lang: str
) -> None:
    """Add runs with explicit size, face, language and colour (None: the layout's); link URLs."""
    for run in runs:
        for line_no, line in enumerate(run.text.split("\n")):
            if line_no:
                paragraph.add_line_break()
            for piece, url in _pieces(line):
                r = paragraph.add_run()
                r.text = piece  # python-pptx escapes XML itself: never pre-escape
                r.font.size, r.font.bold, r.font.italic = Pt(size), run.bold, run.italic
                r.font.name = font
                if color:
                    r.font.color.rgb = _rgb(color)
                if lang:
                    r._r.get_or_add_rPr().set("lang", lang)
                if url:
                    r.hyperlink.address = url


def _pieces(text: str) -> list[tuple[str, str]]:
    """Split text into (piece, url) pairs; url is empty unless the piece is a safe link."""
    out, start = [], 0
    for m in _URL.finditer(text):
        if m.start() > start:
            out.append((text[start : m.start()], ""))
        out.append((m.group(), m.group() if safe_url(m.group()) else ""))
        start = m.end()
    if start < len(text) or not out:
        out.append((text[start:], ""))
    return out


def safe_url(url: str) -> bool:
    """Return whether url may become a hyperlink: http, https or mailto only."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https", "mailto") and bool(parts.netloc or parts.path)


# ---- figures ---------------------------------------------------------------------------------


def _draw_part(shapes: Shape, part: Part, brand: Brand, meta: Meta, color: str) -> None:
    if isinstance(part, TextPart):
        box = shapes.add_textbox(*_rect(part.box))
        box.name = "Text"
        _frame_setup(box.text_frame, TEXT_INSETS)
        _fill(box.text_frame, part, brand, meta, color)
    elif isinstance(part, TablePart):
        _draw_table(shapes, part, brand, meta)
    elif isinstance(part, QuotePart):
        _draw_quote(shapes, part, brand, meta)
    else:
        _draw_steps(shapes, part, brand, meta)


def _solid(shape: Shape, color: str, line: str = "", width: float = 0) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(color)
    if line:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(width)
    else:
        shape.line.fill.background()
    _drop_style(shape)


def _drop_style(shape: Shape) -> None:
    """Remove the theme style python-pptx adds to new shapes: it brings a shadow."""
    for style in shape._element.findall(qn("p:style")):
        shape._element.remove(style)


def describe(shape: Shape, alt: str = "", decorative: bool = False) -> None:
    """Set a shape's alt text, or mark it decorative (adec:decorative) for screen readers."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", "" if decorative else alt)
    if decorative and not c_nv_pr.xpath(f"./a:extLst/a:ext[@uri='{_DECORATIVE_URI}']"):
        ext_lst = c_nv_pr.find(qn("a:extLst"))
        ext = _sub(_sub(c_nv_pr, "a:extLst") if ext_lst is None else ext_lst, "a:ext")
        ext.set("uri", _DECORATIVE_URI)
        etree.SubElement(ext, f"{{{_ADEC}}}decorative", nsmap={"adec": _ADEC}).set("val", "1")


def _draw_table(shapes: Shape, part: TablePart, brand: Brand, meta: Meta) -> None:
    c = brand.colors
    rows, cols = len(part.table.rows), len(part.columns)
    frame = shapes.add_table(rows, cols, *_rect(part.box))
    frame.name = "Table"
    table = frame.table
    table.first_row = any(r.header for r in part.table.rows)
    table.horz_banding = False
    for j, width in enumerate(part.columns):
        table.columns[j].width = _emu(width)
    one_line = part.size * LINE_HEIGHT + CELL_INSETS.top + CELL_INSETS.bottom
    for i in range(rows):
        # Row heights are minimums that clients grow to fit the text (#296). Layout made room
        # for the measured heights; writing the one-line minimum keeps rows even when a cell
        # wraps less than the safety margin assumed.
        table.rows[i].height = _emu(min(part.rows[i], one_line))
    # The frame claims the measured height, so the file says where the grown table ends.
    frame.height = _emu(sum(part.rows))
    for i, row in enumerate(part.table.rows):
        fill = c.primary if row.header else (c.light if i % 2 == 0 else c.background)
        for j in range(cols):
            cell = table.cell(i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.margin_left = cell.margin_right = _emu(CELL_INSETS.x)
            cell.margin_top, cell.margin_bottom = _emu(CELL_INSETS.top), _emu(CELL_INSETS.bottom)
            runs = row.cells[j] if j < len(row.cells) else ()
            paras = (Para(runs, "heading" if row.header else "body"),)
            ink = c.on_primary if row.header else c.foreground
            _fill(cell.text_frame, TextPart(part.box, part.size, paras), brand, meta, ink)


def _draw_quote(shapes: Shape, part: QuotePart, brand: Brand, meta: Meta) -> None:
    panel = shapes.add_shape(MSO_SHAPE.RECTANGLE, *_rect(part.box))
    panel.name = "Quote"
    _solid(panel, brand.colors.light)
    _frame_setup(panel.text_frame, QUOTE_INSETS)
    panel.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _fill(panel.text_frame, part, brand, meta, brand.colors.foreground)
    bar = shapes.add_shape(MSO_SHAPE.RECTANGLE, *_rect(Box(part.box.x, part.box.y, 8, part.box.h)))
    bar.name = "Quote Bar"
    _solid(bar, brand.colors.accent)
    describe(bar, decorative=True)


def _draw_steps(shapes: Shape, part: StepsPart, brand: Brand, meta: Meta) -> None:
    group = shapes.add_group_shape()
    group.name = "Process Diagram"
    boxes = []
    for i, cell in enumerate(part.cells):
        box = group.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *_rect(cell))
        box.name = f"Step {i + 1}"
        box.adjustments[0] = 0.08
        _solid(box, brand.colors.light, brand.colors.primary, 1.25)
        _frame_setup(box.text_frame, STEP_INSETS)
        box.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        text = TextPart(cell, part.size, step_paras(part.steps, i))
        _fill(box.text_frame, text, brand, meta, brand.colors.foreground, part.size)
        boxes.append(box)
    for i in range(len(boxes) - 1):
        _arrow(group.shapes, boxes[i], boxes[i + 1], part.cells[i], part.cells[i + 1], brand)
    for i, cell in enumerate(part.cells):
        _badge(group.shapes, i + 1, cell, brand, meta)
    names = ", ".join(f"{i + 1}. {s.name}" for i, s in enumerate(part.steps.steps))
    describe(group, f"Process: {names}")


def _arrow(shapes: Shape, a: Shape, b: Shape, box_a: Box, box_b: Box, brand: Brand) -> None:
    """Join two step boxes; connection sites 0-3 are top, left, bottom, right."""
    same_row = abs(box_a.y - box_b.y) < 1
    sites = (2, 0) if not same_row else (3, 1) if box_b.x > box_a.x else (1, 3)
    line = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(0), Emu(0), Emu(0), Emu(0))
    line.begin_connect(a, sites[0])
    line.end_connect(b, sites[1])
    line.name = "Arrow"
    line.line.color.rgb = _rgb(brand.colors.secondary)
    line.line.width = Pt(2.25)
    _sub(line.line._get_or_add_ln(), "a:tailEnd", type="triangle", w="lg", len="lg")
    _drop_style(line)
    describe(line, decorative=True)


def _badge(shapes: Shape, number: int, cell: Box, brand: Brand, meta: Meta) -> None:
    box = Box(cell.x + 12, cell.y - BADGE / 2, BADGE, BADGE)
    badge = shapes.add_shape(MSO_SHAPE.OVAL, *_rect(box))
    badge.name = f"Step {number} Number"
    _solid(badge, brand.colors.accent, brand.colors.background, 1.5)
    frame = badge.text_frame
    _frame_setup(frame, Insets(0, 0, 0))
    frame.word_wrap = False
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    runs = (Run(str(number), bold=True),)
    _add_runs(paragraph, runs, 16, brand.body_font.deck_name, brand.colors.on_primary, meta.lang)


# ---- logo, footer, notes ------------------------------------------------------------------------


def _logo_png(brand: Brand) -> bytes | None:
    """Return the logo re-encoded as PNG: downsampled, metadata such as EXIF dropped."""
    if brand.logo is None:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(brand.logo) as image:
            image.thumbnail((1200, 1200))
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
    except (OSError, UnidentifiedImageError) as exc:
        message = f"expected a PNG or JPEG logo, got {type(exc).__name__}"
        raise WriteError(Problem(str(brand.logo), 0, message)) from None
    return out.getvalue()


def _picture(shapes: Shape, png: bytes, box: Box, brand: Brand) -> Shape:
    """Add the logo scaled into box (aspect kept, right-aligned, centred vertically)."""
    picture = shapes.add_picture(io.BytesIO(png), Emu(0), Emu(0))
    scale = min(_emu(box.w) / picture.width, _emu(box.h) / picture.height)
    picture.width, picture.height = (
        Emu(round(picture.width * scale)),
        Emu(round(picture.height * scale)),
    )
    picture.left = Emu(_emu(box.x + box.w) - picture.width)
    picture.top = Emu(_emu(box.y + box.h / 2) - picture.height // 2)
    picture.name = "Logo"
    # add_picture writes the file name as descr (#1139): screen readers need the brand's words.
    describe(picture, brand.logo_alt or f"{brand.name} logo")
    return picture


def _add_footer(
    slide: Shape,
    layout: Shape,
    text: str,
    number: int,
    color: str | None,
    logo: bytes | None,
    brand: Brand,
) -> None:
    """Clone the layout's footer and slide-number placeholders: python-pptx skips them (#658).

    With color None (a corporate template) the text keeps the template's colour and alignment.
    """
    for shape in layout.placeholders:
        kind = shape.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        element = deepcopy(shape.element)
        element.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
        slide.shapes._spTree.append(element)
        body = element.get_or_add_txBody()
        for p in body.findall(qn("a:p")):
            body.remove(p)
        paragraph = _sub(body, "a:p")
        if color:
            _sub(paragraph, "a:pPr", algn="l" if kind == PP_PLACEHOLDER.FOOTER else "r")
        if kind == PP_PLACEHOLDER.FOOTER:
            holder = _sub(paragraph, "a:r")
            width = box_of(shape).w - (_logo_beside(slide, element, logo, brand) if logo else 0)
            value = shorten(text, brand.body_font, 12, width - 2 * TEXT_INSETS.x)
        else:
            holder, value = etree.fromstring(_SLIDE_NUMBER), str(number)
            paragraph.append(holder)
        # Explicit size and face: LibreOffice falls back to a serif face otherwise.
        rpr = _sub(holder, "a:rPr", sz="1200")
        if color:
            _sub(_sub(rpr, "a:solidFill"), "a:srgbClr", val=color[1:])
        _sub(rpr, "a:latin", typeface=brand.body_font.deck_name)
        _sub(holder, "a:t").text = value


def _logo_beside(slide: Shape, footer: Any, png: bytes, brand: Brand) -> float:
    """Put a small logo in the footer's corner, move the footer right of it; return the shift."""
    shape = next(s for s in slide.placeholders if s.element is footer)
    box = box_of(shape)
    picture = _picture(slide.shapes, png, Box(box.x + 7.2, box.y + 4, 90, box.h - 8), brand)
    picture.left = _emu(box.x + 7.2)
    shift = float(picture.width / _PT + 10)
    shape.left, shape.top = _emu(box.x + shift), _emu(box.y)
    shape.width, shape.height = _emu(box.w - shift), _emu(box.h)
    return shift


def _write_notes(slide: Shape, notes: tuple[Paragraph, ...], meta: Meta) -> None:
    if not notes:
        return
    frame = slide.notes_slide.notes_text_frame
    for i, note in enumerate(notes):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        for run in note.runs:
            r = paragraph.add_run()
            r.text = run.text
            r.font.bold, r.font.italic = run.bold, run.italic
            if meta.lang:
                r._r.get_or_add_rPr().set("lang", meta.lang)


# ---- package: properties, notes master, reproducible zip ----------------------------------------


def add_notes_master_id(prs: Shape) -> None:
    """List the notes master in presentation.xml, which python-pptx forgets (#1051)."""
    root = prs.part._element
    rels = [r for r in prs.part.rels.values() if r.reltype == RT.NOTES_MASTER]
    if not rels or root.find(qn("p:notesMasterIdLst")) is not None:
        return
    id_list = etree.Element(qn("p:notesMasterIdLst"))
    _sub(id_list, "p:notesMasterId").set(qn("r:id"), rels[0].rId)
    root.find(qn("p:sldMasterIdLst")).addnext(id_list)


def _epoch() -> int | None:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise WriteError(Problem("SOURCE_DATE_EPOCH", 0, f"expected whole seconds, got {raw!r}"))
    return int(raw)


def _set_properties(prs: Shape, meta: Meta, epoch: int | None) -> None:
    """Set core properties; dates come from SOURCE_DATE_EPOCH when set, else from now."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    when = now if epoch is None else dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    core = prs.core_properties
    core.title, core.author, core.subject = meta.title, meta.author, meta.subject
    core.keywords = ", ".join(meta.keywords)
    core.language = meta.lang
    core.last_modified_by = "workshop"
    core.revision = 1
    core.created = core.modified = when.replace(tzinfo=None)


def repack(data: bytes, epoch: int | None) -> bytes:
    """Return the zip with fixed timestamps (SOURCE_DATE_EPOCH or 1980-01-01) and member order."""
    stamp = (1980, 1, 1, 0, 0, 0)
    if epoch is not None:
        t = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip starts 1980
        stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    first = ["[Content_Types].xml", "_rels/.rels"]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        rest = sorted(n for n in src.namelist() if n not in first)
        for name in [n for n in first if n in src.namelist()] + rest:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            dst.writestr(info, src.read(name))
    return out.getvalue()
