"""The deck writer: a Deck and a Brand in, the bytes of an editable 16:9 .pptx out.

Last stage of the deck pipeline. `builder.layout` plans every slide (continuations, sizes, boxes);
this module draws the plan into the layouts of the built-in template or the brand's corporate
one (`builder.writers.pptx_template` opens it and picks the layouts). It works around python-pptx
gaps: footer and slide-number placeholders (#658), the notes master id list (#1051), picture alt
text (#1139), and zips that are not reproducible.
python-pptx is only partly typed, so its shapes and text frames pass through here as `Any`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

from builder.brand import Brand
from builder.client_wrap import drawn_runs
from builder.document import Deck, Meta, Paragraph, Run
from builder.errors import WriteError
from builder.i18n import words_for
from builder.images import logo_png
from builder.layout import Geometry, PlannedSlide, TextPart, plan_deck
from builder.measure import TEXT_INSETS, TITLE_SPACING, Box, Para, shorten
from builder.placement import DRAFT_COLOR, DRAFT_PT, draft_tag
from builder.writers.deck_shapes import describe, draw_part
from builder.writers.pptx_colors import link_problem, text_color
from builder.writers.pptx_package import (
    add_notes_master_id,
    count_parts,
    epoch,
    package_bytes,
    repack,
    set_properties,
)
from builder.writers.pptx_slides import SlideMaker, placeholder, placeholder_elements
from builder.writers.pptx_template import (
    KindLayout,
    Template,
    box_of,
    choose_layouts,
    frames_geometry,
    open_template,
)
from builder.writers.pptx_text import (
    PT,
    RunLook,
    Shape,
    add_runs,
    centred_label,
    emu,
    fill,
    frame_setup,
    rect,
    rgb,
    run_element,
    sub,
)

__all__ = [
    "add_notes_master_id",
    "apply_theme",
    "build_deck",
    "ink_of",
    "recolor_theme",
    "repack",
    "template_geometry",
]

# Logos are scaled by their own aspect ratio to a legible height: 1/3 in in the footer (a
# logo wider than 7.5:1 meets the width cap first), at least 1/2 in on the title slide.
FOOTER_LOGO_PT = 24.0
FOOTER_LOGO_WIDTH = 180.0
TITLE_LOGO_PT = 36.0
TITLE_LOGO_WIDTH = 216.0
_A_P = qn("a:p")
_SLIDE_NUMBER = (
    '<a:fld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"/>'
)


@dataclass(frozen=True)
class DeckInk:
    """Text colours of one slide kind; None keeps the colour a corporate template gives."""

    title: str | None
    subtitle: str | None
    body: str | None  # in the body placeholder (the title slide's: presenter details)
    drawn: str  # in text boxes we add: they inherit nothing from the layout
    footer: str | None


def build_deck(deck: Deck, brand: Brand, planned: Sequence[PlannedSlide] | None = None) -> bytes:
    """Return the .pptx bytes of the deck drawn in the brand's look, or raise LayoutError.

    The brand's corporate template (brand.template) replaces the built-in one when set.
    planned is the deck's layout plan when the caller made it already (against this template).
    """
    template = open_template(brand.template)
    prs = template.prs
    count_parts(prs)  # part names from tables, not python-pptx's scan of every part
    kinds = choose_layouts(template, brand.layouts)
    if planned is None:
        planned = plan_deck(deck, frames_geometry(prs, kinds), brand)
    if template.builtin:  # a corporate template keeps its own theme: it is the provider's look
        apply_theme(prs, brand)
    elif (unreadable := link_problem(kinds, str(brand.template))) is not None:
        raise WriteError(unreadable)
    inks = {kind: ink_of(kind, chosen, brand, template) for kind, chosen in kinds.items()}
    logo = logo_png(brand)
    maker = SlideMaker(prs)
    for plan in planned:
        kind = plan.slide.kind
        _write_slide(maker, prs, kinds[kind], plan, brand, deck.meta, logo, inks[kind])
    when = epoch()
    set_properties(prs, deck.meta, when)
    add_notes_master_id(prs)
    return package_bytes(prs, when)


def template_geometry(brand: Brand | None = None) -> Geometry:
    """Return the frames layout plans against: the brand's template, else the built-in one."""
    template = open_template(brand.template if brand else None)
    kinds = choose_layouts(template, brand.layouts if brand else ())
    return frames_geometry(template.prs, kinds)


# ---- colours ---------------------------------------------------------------------------------


def ink_of(kind: str, chosen: KindLayout, brand: Brand, template: Template) -> DeckInk:
    """Return the text colours of a kind: the built-in layouts' or the corporate template's."""
    c = brand.colors
    if not template.builtin:
        anchor = chosen.slots.subtitle if kind == "title" else chosen.slots.body
        return DeckInk(None, None, None, text_color(chosen.layout, anchor) or c.foreground, None)
    if kind == "section":  # the whole slide is primary
        return DeckInk(c.on_primary, None, c.on_primary, c.on_primary, c.on_primary)
    if kind == "title":  # title and subtitle sit on a primary band, the details below it
        return DeckInk(c.on_primary, c.on_primary, c.foreground, c.foreground, None)
    return DeckInk(c.primary, None, c.foreground, c.foreground, c.foreground)


# ---- theme ---------------------------------------------------------------------------------


def recolor_theme(blob: bytes, colors: dict[str, str], heading: str, body: str) -> bytes:
    """Return theme XML with the given scheme colours ('RRGGBB' by slot) and latin fonts."""
    xml = blob.decode("utf-8")
    for slot, value in colors.items():
        new = f'<a:{slot}><a:srgbClr val="{value}"/></a:{slot}>'
        xml = re.sub(rf"<a:{slot}>.*?</a:{slot}>", new, xml)
    xml = re.sub(r'(<a:majorFont><a:latin typeface=")[^"]*', rf"\g<1>{heading}", xml)
    xml = re.sub(r'(<a:minorFont><a:latin typeface=")[^"]*', rf"\g<1>{body}", xml)
    return xml.encode("utf-8")


def apply_theme(prs: Shape, brand: Brand) -> None:
    """Recolour the masters' themes so slides a trainer adds later match the brand too."""
    c = brand.colors
    slots = {"dk1": c.foreground, "lt1": c.background, "dk2": c.primary, "lt2": c.light}
    slots |= {"accent1": c.primary, "accent2": c.secondary, "accent3": c.accent}
    # PowerPoint draws hyperlinks in the theme's colours, not the run's: use the brand's link
    # colour, chosen at load time to read on the slide background and on panels.
    slots |= {"hlink": c.link, "folHlink": c.link}
    colors = {slot: value[1:].upper() for slot, value in slots.items()}
    fonts = brand.heading_font.deck_name, brand.body_font.deck_name
    for master in prs.slide_masters:
        part = master.part.part_related_by(RT.THEME)
        part.blob = recolor_theme(part.blob, colors, *fonts)


# ---- slides ----------------------------------------------------------------------------------


def _write_slide(
    maker: SlideMaker,
    prs: Shape,
    chosen: KindLayout,
    plan: PlannedSlide,
    brand: Brand,
    meta: Meta,
    logo: bytes | None,
    ink: DeckInk,
) -> None:
    slide = maker.add_slide(chosen.layout)
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
            draw_part(slide.shapes, part, brand, meta, ink.drawn, plan.title)
    for idx, element in placeholder_elements(slide):  # an empty one shows "Click to add text"
        if idx not in used:
            element.getparent().remove(element)
    if plan.slide.kind == "title":
        if logo:
            details = plan.parts[0].box if plan.parts else chosen.frame.body  # may be widened
            _title_logo(slide, logo, details, prs.slide_width / PT, brand)
    else:
        footer = brand.footer or meta.title
        on_band = plan.slide.kind == "section"  # a small logo would sit on the primary fill
        small = None if on_band else logo
        number = len(prs.slides)
        _add_footer(slide, chosen.layout, footer, number, ink.footer, small, brand, meta.lang)
    if meta.draft:
        _draft_tag(slide, prs.slide_width / PT, brand, meta)
    _write_notes(maker, slide, plan.slide.notes, meta)


def _draft_tag(slide: Shape, width: float, brand: Brand, meta: Meta) -> None:
    """Say DRAFT at the top right of the slide while [placeholders] remain."""
    tag = slide.shapes.add_textbox(*rect(draft_tag(width)))
    tag.name = "Draft"
    tag.fill.solid()
    tag.fill.fore_color.rgb = rgb(DRAFT_COLOR)
    word = words_for(meta.lang)("draft")
    centred_label(tag, word, DRAFT_PT, brand.body_font.deck_name, "#FFFFFF", meta.lang)


def _title_logo(slide: Shape, logo: bytes, details: Box, width: float, brand: Brand) -> None:
    """Put the logo beside the presenter details, up to the right margin they leave."""
    right = width - details.x
    left = max(details.x + details.w + 36, right - TITLE_LOGO_WIDTH)
    if right - left >= TITLE_LOGO_PT:
        height = min(details.h, max(TITLE_LOGO_PT, (right - left) / 2))
        top = details.y + (details.h - height) / 2
        _picture(slide.shapes, logo, Box(left, top, right - left, height), brand)


def _write_title(
    shape: Shape, plan: PlannedSlide, brand: Brand, meta: Meta, color: str | None
) -> None:
    frame = shape.text_frame
    frame_setup(frame, TEXT_INSETS)
    paragraph = frame.paragraphs[0]
    paragraph.line_spacing = TITLE_SPACING
    title = Para((Run(plan.title, bold=True),), "heading", lang=meta.lang)
    inner = box_of(shape).w - 2 * TEXT_INSETS.x
    runs = drawn_runs(title, brand.heading_font, plan.title_pt, inner)
    # no links in titles: clients draw links in the theme's link colour, not the title's
    font = brand.heading_font.deck_name
    add_runs(paragraph, runs, plan.title_pt, font, color, meta.lang, link=False)


def _fill_placeholder(
    shape: Shape, part: TextPart, brand: Brand, meta: Meta, color: str | None
) -> None:
    if box_of(shape) != part.box:
        shape.left, shape.top, shape.width, shape.height = rect(part.box)
    frame_setup(shape.text_frame, TEXT_INSETS)
    fill(shape.text_frame, part, brand, meta, color)


# ---- logo, footer, notes ------------------------------------------------------------------------


def _picture(shapes: Shape, png: bytes, box: Box, brand: Brand) -> Shape:
    """Add the logo scaled into box (aspect kept, right-aligned, centred vertically)."""
    picture = shapes.add_picture(io.BytesIO(png), Emu(0), Emu(0))
    scale = min(emu(box.w) / picture.width, emu(box.h) / picture.height)
    picture.width, picture.height = (
        Emu(round(picture.width * scale)),
        Emu(round(picture.height * scale)),
    )
    picture.left = Emu(emu(box.x + box.w) - picture.width)
    picture.top = Emu(emu(box.y + box.h / 2) - picture.height // 2)
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
    lang: str,
) -> None:
    """Clone the layout's footer and slide-number placeholders: python-pptx skips them (#658).

    With color None (a corporate template) the text keeps the template's colour and alignment.
    Their runs say the deck's language, as every other run does.
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
        paragraph = sub(body, "a:p")
        if color:
            sub(paragraph, "a:pPr", algn="l" if kind == PP_PLACEHOLDER.FOOTER else "r")
        if kind == PP_PLACEHOLDER.FOOTER:
            holder = sub(paragraph, "a:r")
            width = box_of(shape).w - (_logo_beside(slide, element, logo, brand) if logo else 0)
            value = shorten(text, brand.body_font, 12, width - 2 * TEXT_INSETS.x)
        else:
            holder, value = etree.fromstring(_SLIDE_NUMBER), str(number)
            paragraph.append(holder)
        # Explicit size and face: LibreOffice falls back to a serif face otherwise.
        attrs = {"lang": lang, "sz": "1200"} if lang else {"sz": "1200"}
        rpr = sub(holder, "a:rPr", **attrs)
        if color:
            sub(sub(rpr, "a:solidFill"), "a:srgbClr", val=color[1:])
        sub(rpr, "a:latin", typeface=brand.body_font.deck_name)
        sub(holder, "a:t").text = value


def _logo_beside(slide: Shape, footer: Any, png: bytes, brand: Brand) -> float:
    """Put a small logo in the footer's corner, move the footer right of it; return the shift."""
    shape = next(s for s in slide.placeholders if s.element is footer)
    box = box_of(shape)
    room = Box(box.x + 7.2, box.y + (box.h - FOOTER_LOGO_PT) / 2, FOOTER_LOGO_WIDTH, FOOTER_LOGO_PT)
    picture = _picture(slide.shapes, png, room, brand)
    picture.left = emu(box.x + 7.2)
    shift = float(picture.width / PT + 10)
    shape.left, shape.top = emu(box.x + shift), emu(box.y)
    shape.width, shape.height = emu(box.w - shift), emu(box.h)
    return shift


def _write_notes(maker: SlideMaker, slide: Shape, notes: tuple[Paragraph, ...], meta: Meta) -> None:
    """Write the speaker notes as python-pptx's add_run and font setters would (no size)."""
    if not notes:
        return
    body = maker.notes_body(slide)
    look = RunLook("", "", "", meta.lang)
    first = body.find(_A_P)
    for i, note in enumerate(notes):
        paragraph = first if i == 0 else etree.SubElement(body, _A_P)
        for run in note.runs:
            paragraph.append(run_element(paragraph, run.text, run.bold, run.italic, look))
