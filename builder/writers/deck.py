"""The deck writer: a Deck and a Brand in, the bytes of an editable 16:9 .pptx out.

Last stage of the deck pipeline. `builder.layout` plans every slide (continuations, sizes, boxes);
this module draws the plan into the layouts of the built-in template or the brand's corporate
one (`builder.writers.pptx_template` opens it and picks the layouts; `deck_chrome` adds footers,
logos and notes). It works around python-pptx gaps: footer and slide-number placeholders (#658),
the notes master id list (#1051), picture alt text (#1139), and zips that are not reproducible.
python-pptx is only partly typed, so its shapes and text frames pass through here as `Any`.
"""

from __future__ import annotations

import builder.writers.pptx_first  # noqa: F401  (before python-pptx: see its docstring)

# isort: split
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from builder.brand import Brand
from builder.client_wrap import drawn_runs
from builder.document import Deck, Meta, Run
from builder.errors import WriteError
from builder.images import logo_png
from builder.layout import Geometry, PlannedSlide, TextPart, plan_deck
from builder.measure import TEXT_INSETS, TITLE_SPACING, Box, Para
from builder.writers.deck_chrome import (
    DraftTags,
    Latent,
    add_footer,
    latent_placeholders,
    title_logo,
    write_notes,
)
from builder.writers.deck_shapes import draw_part
from builder.writers.pptx_colors import link_problem, text_color
from builder.writers.pptx_package import (
    add_notes_master_id,
    count_parts,
    epoch,
    package_bytes,
    repack,
    retire,
    set_properties,
)
from builder.writers.pptx_slides import SlideMaker
from builder.writers.pptx_template import (
    KindLayout,
    Template,
    box_of,
    choose_layouts,
    frames_geometry,
    keep_spare,
    open_template,
    ph_elements,
    placeholder,
    reuse_template,
)
from builder.writers.pptx_text import PT, Shape, add_runs, fill, frame_setup, rect

__all__ = [
    "add_notes_master_id",
    "apply_theme",
    "build_deck",
    "ink_of",
    "recolor_theme",
    "repack",
    "template_geometry",
]


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
    template = reuse_template(brand.template)  # the one template_geometry read, if it did
    prs = template.prs
    count_parts(prs)  # part names from tables, not python-pptx's scan of every part
    kinds = choose_layouts(template, brand.layouts)
    if planned is None:
        planned = plan_deck(deck, frames_geometry(prs, kinds), brand)
    if template.builtin:  # a corporate template keeps its own theme: it is the provider's look
        apply_theme(prs, brand)
    elif (unreadable := link_problem(kinds, str(brand.template))) is not None:
        raise WriteError(unreadable)
    meta = deck.meta
    each = {k: _kind(k, chosen, brand, template, meta.lang) for k, chosen in kinds.items()}
    draft = DraftTags(prs.slide_width / PT, brand, meta) if meta.draft else None
    writing = _Deck(prs, SlideMaker(prs), brand, meta, logo_png(brand), draft)
    for plan in planned:
        retire(_write_slide(writing, each[plan.slide.kind], plan))  # its bytes only, from now
    when = epoch()
    set_properties(prs, deck.meta, when)
    add_notes_master_id(prs)
    return package_bytes(prs, when)


def template_geometry(brand: Brand | None = None) -> Geometry:
    """Return the frames layout plans against: the brand's template, else the built-in one."""
    path = brand.template if brand else None
    template = open_template(path)
    kinds = choose_layouts(template, brand.layouts if brand else ())
    geometry = frames_geometry(template.prs, kinds)
    keep_spare(template, path)  # unchanged: build_deck may fill this one
    return geometry


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


@dataclass(frozen=True)
class _Kind:
    """What the slides of one kind share: layout, colours, where its placeholders sit, footer."""

    chosen: KindLayout
    ink: DeckInk
    boxes: dict[int, Box]  # each placeholder's box (inherited from layout and master), by idx
    latents: tuple[Latent, ...]


def _kind(kind: str, chosen: KindLayout, brand: Brand, template: Template, lang: str) -> _Kind:
    """Return what every slide of a kind needs, looked up in the template once."""
    ink = ink_of(kind, chosen, brand, template)
    slots = (chosen.slots.title, chosen.slots.subtitle, chosen.slots.body)
    boxes = {i: box_of(placeholder(chosen.layout, i)) for i in slots if i is not None}
    latents = () if kind == "title" else latent_placeholders(chosen.layout, ink.footer, brand, lang)
    return _Kind(chosen, ink, boxes, latents)


@dataclass(frozen=True)
class _Deck:
    """What every slide of one deck is written with."""

    prs: Shape
    maker: SlideMaker
    brand: Brand
    meta: Meta
    logo: bytes | None
    draft: DraftTags | None


def _write_slide(deck: _Deck, kind: _Kind, plan: PlannedSlide) -> Shape:
    """Add the planned slide to the deck and return it."""
    brand, meta, chosen, ink = deck.brand, deck.meta, kind.chosen, kind.ink
    slide = deck.maker.add_slide(chosen.layout)
    slots = chosen.slots
    title = placeholder(slide, slots.title)
    _write_title(title, kind.boxes[slots.title], plan, brand, meta, ink.title)
    used = {slots.title}
    if plan.subtitle is not None and slots.subtitle is not None:
        used.add(slots.subtitle)
        subtitle = placeholder(slide, slots.subtitle)
        _fill_placeholder(subtitle, kind.boxes[slots.subtitle], plan.subtitle, deck, ink.subtitle)
    for part in plan.parts:
        if isinstance(part, TextPart) and slots.body is not None and slots.body not in used:
            used.add(slots.body)
            body = placeholder(slide, slots.body)
            _fill_placeholder(body, kind.boxes[slots.body], part, deck, ink.body)
        else:
            draw_part(slide.shapes, part, brand, meta, ink.drawn, plan.title)
    for _, idx, element in ph_elements(slide):  # an empty one shows "Click to add text"
        if idx not in used:
            element.getparent().remove(element)
    if plan.slide.kind == "title":
        if deck.logo:
            details = plan.parts[0].box if plan.parts else chosen.frame.body  # may be widened
            title_logo(slide, deck.logo, details, deck.prs.slide_width / PT, brand)
    else:
        footer = brand.footer or meta.title
        on_band = plan.slide.kind == "section"  # a small logo would sit on the primary fill
        number = len(deck.prs.slides)
        add_footer(slide, kind.latents, footer, number, None if on_band else deck.logo, brand)
    if deck.draft is not None:
        deck.draft.add(slide)
    write_notes(deck.maker, slide, plan.slide.notes, meta.lang)
    return slide


def _write_title(
    shape: Shape, box: Box, plan: PlannedSlide, brand: Brand, meta: Meta, color: str | None
) -> None:
    if plan.title_box is not None:  # left of the DRAFT tag
        box = plan.title_box
        shape.left, shape.top, shape.width, shape.height = rect(box)
    frame = shape.text_frame
    frame_setup(frame, TEXT_INSETS)
    paragraph = frame.paragraphs[0]
    paragraph.line_spacing = TITLE_SPACING
    title = Para((Run(plan.title, bold=True),), "heading", lang=meta.lang)
    inner = box.w - 2 * TEXT_INSETS.x
    runs = drawn_runs(title, brand.heading_font, plan.title_pt, inner)
    # no links in titles: clients draw links in the theme's link colour, not the title's
    font = brand.heading_font.deck_name
    add_runs(paragraph, runs, plan.title_pt, font, color, meta.lang, link=False)


def _fill_placeholder(
    shape: Shape, box: Box, part: TextPart, deck: _Deck, color: str | None
) -> None:
    """Write a text part into a placeholder, moved when layout gave it another box."""
    if box != part.box:
        shape.left, shape.top, shape.width, shape.height = rect(part.box)
    frame_setup(shape.text_frame, TEXT_INSETS)
    fill(shape.text_frame, part, deck.brand, deck.meta, color)
