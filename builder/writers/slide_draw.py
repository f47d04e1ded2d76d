"""Draw one planned slide as vector PDF: the layout plan's boxes, lines, sizes and colours.

The one module that paints a slide; deck.pdf draws each slide on its own page, slides.pdf and
the guide draw the same slides scaled as thumbnails. Coordinates are slide points from the
top-left; `Pen` flips them onto the canvas, so callers only translate and scale. With a
tagged pen, each slide is a Sect of its parent: its title the H1, then its body in the outline's
order (builder.writers.slide_tags); the backdrop, logos, footer and number are artifacts.
"""

from __future__ import annotations

import io
from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader

from builder.document import Meta, Run
from builder.figures import FigurePart
from builder.fonts import FontFamily
from builder.i18n import words_for
from builder.measure import (
    TEXT_INSETS,
    TITLE_SPACING,
    Box,
    Insets,
    Para,
    shorten,
)
from builder.placement import (
    DRAFT_COLOR,
    DRAFT_PT,
    Part,
    PlannedSlide,
    QuotePart,
    TablePart,
    TextPart,
    draft_tag,
)
from builder.writers.pdf_tags import Node
from builder.writers.slide_art import Backdrop, Mark, SlideArt, TextSlot
from builder.writers.slide_figures import draw_figure, draw_quote, draw_steps, draw_table
from builder.writers.slide_pen import Pen, draw_text, ink
from builder.writers.slide_tags import TITLE, Target, slide_node
from builder.writers.slide_text import Frame, frame_lines, line_metrics

FOOTER_PT = 12
FOOTER_LOGO_PT, FOOTER_LOGO_WIDTH = 24.0, 180.0
TITLE_LOGO_PT, TITLE_LOGO_WIDTH = 36.0, 216.0


def draw_slide(
    pen: Pen, plan: PlannedSlide, art: SlideArt, number: int, meta: Meta, parent: Node | None = None
) -> None:
    """Draw one planned slide: backdrop, title, subtitle, parts, logo and footer; tagged as a
    new Sect of parent when the pen is tagged."""
    kind = plan.slide.kind
    backdrop = art.backdrops[kind]
    sect = slide_node(parent)
    pen.fill_box(Box(0, 0, art.width, art.height), backdrop.fill)
    for mark in backdrop.marks:
        _mark(pen, mark, art)
    _title(pen, plan, backdrop, art, meta, sect)
    if plan.subtitle is not None and backdrop.subtitle is not None:
        slot = TextSlot(plan.subtitle.box, TEXT_INSETS, backdrop.subtitle.anchor)
        draw_text(pen, plan.subtitle, slot, art, backdrop.colors.subtitle, sect)
    placeholder_used = False
    for part in plan.parts:
        if isinstance(part, TextPart) and backdrop.body is not None and not placeholder_used:
            placeholder_used = True
            slot = TextSlot(part.box, TEXT_INSETS, backdrop.body.anchor)
            draw_text(pen, part, slot, art, backdrop.colors.body, sect)
        else:
            _part(pen, part, art, backdrop.colors.drawn, meta.lang, sect)
    if kind == "title":
        _title_logo(pen, plan, art)
    else:
        _footer(pen, backdrop, art, meta, number, small_logo=kind != "section")
    if meta.draft:
        _draft(pen, art, meta)


def _draft(pen: Pen, art: SlideArt, meta: Meta) -> None:
    """Draw the DRAFT tag as the deck writer places it: centred white bold on warning red."""
    box = draft_tag(art.width)
    pen.fill_box(box, DRAFT_COLOR)
    para = Para((Run(words_for(meta.lang)("draft"), bold=True),), lang=meta.lang)
    frame = Frame(box, Insets(0, 0, 0), "ctr")
    lines = frame_lines([para], frame, art.brand.body_font, DRAFT_PT, DRAFT_PT, ink("#FFFFFF", art))
    with pen.artifact("Pagination", "Watermark"):
        pen.lines([replace(line, x=box.x + (box.w - line.width) / 2) for line in lines], "body")


def _mark(pen: Pen, mark: Mark, art: SlideArt) -> None:
    """Draw a shape of the template's layout or master (an artifact, as all decoration)."""
    if mark.kind == "text":
        if mark.fill or mark.line:
            pen.fill_box(mark.box, mark.fill, "rect", mark.line, mark.line_width)
        with pen.artifact():
            _labels(pen, mark, art)
    elif mark.kind == "picture":
        pen.picture(mark.image, mark.box)
    elif mark.kind == "line":
        with pen.artifact():
            _line(pen, mark)
    else:
        pen.fill_box(mark.box, mark.fill, mark.kind, mark.line, mark.line_width)


def _line(pen: Pen, mark: Mark) -> None:
    c, box = pen.canv, mark.box
    c.saveState()
    c.setStrokeColor(HexColor(mark.line))
    c.setLineWidth(mark.line_width)
    c.line(box.x, pen.y(box.y), box.x + box.w, pen.y(box.y + box.h))
    c.restoreState()


def _labels(pen: Pen, mark: Mark, art: SlideArt) -> None:
    """Draw a master's own text, a line per paragraph, letter-spaced as the template says."""
    slot = mark.slot or TextSlot(mark.box)
    pitches = [line_metrics(_family(art, lab.heading), lab.size, 1.0) for lab in mark.labels]
    height = sum(p for _, p in pitches)
    room = slot.box.h - slot.insets.top - slot.insets.bottom
    top = slot.box.y + slot.insets.top
    top += (
        (room - height) / 2 if slot.anchor == "ctr" else room - height if slot.anchor == "b" else 0
    )
    left, right = slot.box.x + slot.insets.x, slot.box.x + slot.box.w - slot.insets.x
    for label, (ascent, pitch) in zip(mark.labels, pitches, strict=True):
        face = pen.faces["heading" if label.heading else "body"].face(label.bold, label.italic)
        width = pen.canv.stringWidth(label.text, face, label.size) + label.spacing * len(label.text)
        x = {"r": right - width, "ctr": (left + right - width) / 2}.get(label.align, left)
        pen.canv.setFont(face, label.size)
        pen.canv.setFillColor(HexColor(label.color))
        pen.canv.drawString(x, pen.y(top + ascent), label.text, charSpace=label.spacing)
        top += pitch


def _family(art: SlideArt, heading: bool) -> FontFamily:
    return art.brand.heading_font if heading else art.brand.body_font


def _title(
    pen: Pen, plan: PlannedSlide, backdrop: Backdrop, art: SlideArt, meta: Meta, sect: Node
) -> None:
    """Draw the slide's title in its placeholder, as the slide's heading (H1)."""
    slot = backdrop.title
    if plan.title_box is not None:  # left of the DRAFT tag
        slot = replace(slot, box=plan.title_box)
    para = Para((Run(plan.title, bold=True),), "heading", lang=meta.lang)
    frame = Frame(slot.box, slot.insets, slot.anchor, TITLE_SPACING)
    family = art.brand.heading_font
    lines = frame_lines(
        [para], frame, family, plan.title_pt, plan.title_pt, ink(backdrop.colors.title, art)
    )
    pen.lines(lines, "heading", into=[Target(sect.add(TITLE))])


def _part(pen: Pen, part: Part, art: SlideArt, color: str, lang: str, sect: Node) -> None:
    if isinstance(part, TextPart):
        draw_text(pen, part, TextSlot(part.box), art, color, sect)
    elif isinstance(part, TablePart):
        draw_table(pen, part, art, lang, sect)
    elif isinstance(part, QuotePart):
        draw_quote(pen, part, art, sect)
    elif isinstance(part, FigurePart):
        draw_figure(pen, part, art, color, sect)
    else:
        draw_steps(pen, part, art, sect)


# ---- logo and footer -----------------------------------------------------------------------


def _title_logo(pen: Pen, plan: PlannedSlide, art: SlideArt) -> None:
    """Put the logo beside the presenter details, as the deck writer does."""
    if not art.logo:
        return
    details = plan.parts[0].box if plan.parts else art.backdrops["title"].body
    if details is None:
        return
    details = details if isinstance(details, Box) else details.box
    right = art.width - details.x
    left = max(details.x + details.w + 36, right - TITLE_LOGO_WIDTH)
    if right - left >= TITLE_LOGO_PT:
        height = min(details.h, max(TITLE_LOGO_PT, (right - left) / 2))
        top = details.y + (details.h - height) / 2
        pen.picture(art.logo, Box(left, top, right - left, height))


def _footer(
    pen: Pen, backdrop: Backdrop, art: SlideArt, meta: Meta, number: int, small_logo: bool
) -> None:
    brand, color = art.brand, backdrop.colors.footer
    if backdrop.footer is not None:
        slot = backdrop.footer
        box = slot.box
        if small_logo and art.logo:
            box = _footer_logo(pen, box, art.logo)
        text = shorten(
            brand.footer or meta.title, brand.body_font, FOOTER_PT, box.w - 2 * TEXT_INSETS.x
        )
        align = "l" if art.builtin else slot.align  # the writer aligns only its own template
        with pen.artifact("Pagination", "Footer"):
            _one_line(pen, text, TextSlot(box, slot.insets, slot.anchor), art, color, align)
    if backdrop.number is not None:
        align = "r" if art.builtin else backdrop.number.align
        with pen.artifact("Pagination", "Footer"):
            _one_line(pen, str(number), backdrop.number, art, color, align)


def _footer_logo(pen: Pen, box: Box, logo: bytes) -> Box:
    """Draw the small logo at the footer's left; return the footer box moved right of it."""
    reader = ImageReader(io.BytesIO(logo))
    iw, ih = reader.getSize()
    scale = min(FOOTER_LOGO_WIDTH / iw, FOOTER_LOGO_PT / ih)
    w = iw * scale
    room = Box(box.x + 7.2, box.y + (box.h - FOOTER_LOGO_PT) / 2, w, FOOTER_LOGO_PT)
    pen.picture(logo, room)
    shift = w + 10
    return Box(box.x + shift, box.y, box.w - shift, box.h)


def _one_line(pen: Pen, text: str, slot: TextSlot, art: SlideArt, color: str, align: str) -> None:
    family = art.brand.body_font
    frame = Frame(slot.box, slot.insets, slot.anchor)
    lines = frame_lines([Para((Run(text),))], frame, family, FOOTER_PT, FOOTER_PT, ink(color, art))
    left, right = slot.box.x + slot.insets.x, slot.box.x + slot.box.w - slot.insets.x
    if align == "r":
        lines = [replace(line, x=right - line.width) for line in lines]
    elif align == "ctr":
        lines = [replace(line, x=(left + right - line.width) / 2) for line in lines]
    pen.lines(lines, "body")
