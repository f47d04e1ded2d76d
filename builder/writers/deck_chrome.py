"""What a slide carries besides its content: footer, slide number, logos, DRAFT tag, notes.

Part of the deck writer (`builder.writers.deck` calls it for every slide). python-pptx copies
no footer or slide-number placeholders onto new slides (#658): `latent_placeholders` prepares
them once per layout and `add_footer` copies them onto each slide; the DRAFT tag, the same on
every slide, is likewise made once and copied.
"""

from __future__ import annotations

import io
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapeFactory
from pptx.util import Emu

from builder.brand import Brand
from builder.document import Meta, Paragraph
from builder.i18n import words_for
from builder.measure import TEXT_INSETS, Box, shorten
from builder.placement import DRAFT_COLOR, DRAFT_PT, draft_tag
from builder.writers.deck_shapes import describe
from builder.writers.pptx_slides import SlideMaker
from builder.writers.pptx_template import box_of
from builder.writers.pptx_text import (
    PT,
    RunLook,
    Shape,
    centred_label,
    emu,
    rect,
    rgb,
    run_element,
    sub,
)

# Logos are scaled by their own aspect ratio to a legible height: 1/3 in in the footer (a
# logo wider than 7.5:1 meets the width cap first), at least 1/2 in on the title slide.
FOOTER_LOGO_PT = 24.0
FOOTER_LOGO_WIDTH = 180.0
TITLE_LOGO_PT = 36.0
TITLE_LOGO_WIDTH = 216.0
_SLIDE_NUMBER = (
    '<a:fld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"/>'
)
_A_P = qn("a:p")
_A_T = qn("a:t")


@dataclass(frozen=True)
class Latent:
    """A layout's footer or slide-number placeholder, written once, to copy onto its slides."""

    footer: bool  # else the slide number
    element: Any  # the placeholder's p:sp with its one run (a field for the number), no text
    box: Box  # where the layout puts it


def latent_placeholders(
    layout: Shape, color: str | None, brand: Brand, lang: str
) -> tuple[Latent, ...]:
    """Return the layout's footer and slide-number placeholders written in the deck's look.

    With color None (a corporate template) the text keeps the template's colour and alignment.
    Their runs say the deck's language, as every other run does.
    """
    found = []
    for shape in layout.placeholders:
        kind = shape.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        footer = kind == PP_PLACEHOLDER.FOOTER
        element = deepcopy(shape.element)
        body = element.get_or_add_txBody()
        for p in body.findall(_A_P):
            body.remove(p)
        paragraph = sub(body, "a:p")
        if color:
            sub(paragraph, "a:pPr", algn="l" if footer else "r")
        holder = sub(paragraph, "a:r") if footer else etree.fromstring(_SLIDE_NUMBER)
        if not footer:
            paragraph.append(holder)
        # Explicit size and face: LibreOffice falls back to a serif face otherwise.
        attrs = {"lang": lang, "sz": "1200"} if lang else {"sz": "1200"}
        rpr = sub(holder, "a:rPr", **attrs)
        if color:
            sub(sub(rpr, "a:solidFill"), "a:srgbClr", val=color[1:])
        sub(rpr, "a:latin", typeface=brand.body_font.deck_name)
        sub(holder, "a:t")
        found.append(Latent(footer, element, box_of(shape)))
    return tuple(found)


def add_footer(
    slide: Shape,
    latents: tuple[Latent, ...],
    text: str,
    number: int,
    logo: bytes | None,
    brand: Brand,
) -> None:
    """Copy the layout's footer and slide-number placeholders onto the slide, filled in."""
    for latent in latents:
        element = deepcopy(latent.element)
        element.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
        slide.shapes._spTree.append(element)
        value = str(number)
        if latent.footer:
            shift = _logo_beside(slide, element, latent.box, logo, brand) if logo else 0
            width = latent.box.w - shift
            value = shorten(text, brand.body_font, 12, width - 2 * TEXT_INSETS.x)
        next(element.iter(_A_T)).text = value


def _logo_beside(slide: Shape, footer: Any, box: Box, png: bytes, brand: Brand) -> float:
    """Put a small logo in the footer's corner, move the footer right of it; return the shift."""
    shape = SlideShapeFactory(footer, slide.placeholders)
    room = Box(box.x + 7.2, box.y + (box.h - FOOTER_LOGO_PT) / 2, FOOTER_LOGO_WIDTH, FOOTER_LOGO_PT)
    picture = picture_in(slide.shapes, png, room, brand)
    picture.left = emu(box.x + 7.2)
    shift = float(picture.width / PT + 10)
    shape.left, shape.top = emu(box.x + shift), emu(box.y)
    shape.width, shape.height = emu(box.w - shift), emu(box.h)
    return shift


def picture_in(shapes: Shape, png: bytes, box: Box, brand: Brand) -> Shape:
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


def title_logo(slide: Shape, logo: bytes, details: Box, width: float, brand: Brand) -> None:
    """Put the logo beside the presenter details, up to the right margin they leave."""
    right = width - details.x
    left = max(details.x + details.w + 36, right - TITLE_LOGO_WIDTH)
    if right - left >= TITLE_LOGO_PT:
        height = min(details.h, max(TITLE_LOGO_PT, (right - left) / 2))
        top = details.y + (details.h - height) / 2
        picture_in(slide.shapes, logo, Box(left, top, right - left, height), brand)


class DraftTags:
    """Says DRAFT at the top right of slides while [placeholders] remain; one tag, copied."""

    def __init__(self, width: float, brand: Brand, meta: Meta) -> None:
        self._width, self._brand, self._meta = width, brand, meta
        self._tag: Any = None  # the first slide's tag element

    def add(self, slide: Shape) -> None:
        """Add the tag to the slide: every slide's is the same but for its shape id."""
        if self._tag is not None:
            element = deepcopy(self._tag)
            element.nvSpPr.cNvPr.id = slide.shapes._next_shape_id
            slide.shapes._spTree.append(element)
            return
        tag = slide.shapes.add_textbox(*rect(draft_tag(self._width)))
        tag.name = "Draft"
        tag.fill.solid()
        tag.fill.fore_color.rgb = rgb(DRAFT_COLOR)
        word = words_for(self._meta.lang)("draft")
        font = self._brand.body_font.deck_name
        centred_label(tag, word, DRAFT_PT, font, "#FFFFFF", self._meta.lang)
        self._tag = deepcopy(tag.element)


def write_notes(maker: SlideMaker, slide: Shape, notes: tuple[Paragraph, ...], lang: str) -> None:
    """Write the speaker notes as python-pptx's add_run and font setters would (no size)."""
    if not notes:
        return
    body = maker.notes_body(slide)
    look = RunLook("", "", "", lang)
    first = body.find(_A_P)
    for i, note in enumerate(notes):
        paragraph = first if i == 0 else etree.SubElement(body, _A_P)
        for run in note.runs:
            paragraph.append(run_element(paragraph, run.text, run.bold, run.italic, look))
