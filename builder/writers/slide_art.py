"""What a slide looks like beneath its text, read from the deck template the .pptx uses.

The slide drawer paints deck.pdf from this and the layout plan. Each slide kind's layout (and
its master) gives a background, simple shapes (filled rectangles, rounded rectangles, ovals,
lines, pictures), the anchors of its title and text placeholders, and the boxes of its footer
and slide number. Colours are resolved through the theme as the deck writer recolours it, so
the built-in template and a corporate one are read the same way. Group shapes, gradients and
pattern fills of a corporate master are not drawn (a flat fill stands in for a gradient).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from builder.brand import Brand
from builder.brand_checks import LARGE, TEXT, contrast
from builder.errors import Problem
from builder.images import logo_png
from builder.measure import TEXT_INSETS, Box, Insets
from builder.writers.deck import apply_theme, ink_of
from builder.writers.pptx_colors import background_color, resolve_color, text_color
from builder.writers.pptx_template import (
    KindLayout,
    Template,
    box_of,
    choose_layouts,
    open_template,
    placeholder,
)

_PT = 12700
_SHAPES = ("rect", "roundRect", "ellipse")


@dataclass(frozen=True)
class TextSlot:
    """A placeholder's text frame: its box, insets and vertical anchor (t, ctr, b)."""

    box: Box
    insets: Insets = TEXT_INSETS
    anchor: str = "t"
    align: str = "l"  # of its first paragraph level, as the template sets it (l, ctr, r)


@dataclass(frozen=True)
class Label:
    """One paragraph of a master's own text (a word mark, say), drawn on one line."""

    text: str
    size: float
    bold: bool
    italic: bool
    color: str
    spacing: float  # letter spacing in points
    align: str  # l, ctr or r
    heading: bool  # in the heading font (+mj-lt), else the body font


@dataclass(frozen=True)
class Mark:
    """A shape of a layout or master: kind is rect, roundRect, ellipse, line, picture or text."""

    kind: str
    box: Box
    fill: str = ""
    line: str = ""
    line_width: float = 0.0
    image: bytes = b""
    labels: tuple[Label, ...] = ()
    slot: TextSlot | None = None


@dataclass(frozen=True)
class Colors:
    """Resolved text colours of one slide kind, '#RRGGBB' each."""

    title: str
    subtitle: str
    body: str
    drawn: str
    footer: str


@dataclass(frozen=True)
class Backdrop:
    """One slide kind: background, shapes under the text, placeholder frames, colours."""

    fill: str
    marks: tuple[Mark, ...]
    title: TextSlot
    subtitle: TextSlot | None
    body: TextSlot | None
    footer: TextSlot | None
    number: TextSlot | None
    colors: Colors


@dataclass(frozen=True)
class SlideArt:
    """Everything the drawer needs besides the plan: size, backdrops by kind, logo, brand."""

    width: float
    height: float
    backdrops: dict[str, Backdrop]
    logo: bytes | None
    brand: Brand
    builtin: bool = True  # the built-in template (the writer sets footer alignment itself)


def slide_art(brand: Brand) -> SlideArt:
    """Return the art of the brand's deck template (the built-in one recoloured)."""
    template = open_template(brand.template)
    prs = template.prs
    if template.builtin:
        apply_theme(prs, brand)
    kinds = choose_layouts(template, brand.layouts)
    backdrops = {kind: _backdrop(kind, chosen, brand, template) for kind, chosen in kinds.items()}
    width, height = prs.slide_width / _PT, prs.slide_height / _PT
    return SlideArt(width, height, backdrops, logo_png(brand), brand, template.builtin)


def _backdrop(kind: str, chosen: KindLayout, brand: Brand, template: Template) -> Backdrop:
    layout, slots = chosen.layout, chosen.slots
    master = layout.slide_master
    show_master = layout.element.get("showMasterSp", "1") not in ("0", "false")
    marks = (_marks(master, layout) if show_master else ()) + _marks(layout, layout)
    return Backdrop(
        background_color(layout) or brand.colors.background,
        marks,
        _slot(layout, slots.title) or TextSlot(chosen.frame.title),
        _slot(layout, slots.subtitle),
        _slot(layout, slots.body),
        _slot(layout, _idx_of(layout, PP_PLACEHOLDER.FOOTER)),
        _slot(layout, _idx_of(layout, PP_PLACEHOLDER.SLIDE_NUMBER)),
        _colors(kind, chosen, brand, template),
    )


def _colors(kind: str, chosen: KindLayout, brand: Brand, template: Template) -> Colors:
    """Return the kind's text colours: the writer's, or what the corporate layout gives."""
    ink = ink_of(kind, chosen, brand, template)
    layout, slots, fg = chosen.layout, chosen.slots, brand.colors.foreground
    footer = _idx_of(layout, PP_PLACEHOLDER.FOOTER)
    return Colors(
        ink.title or text_color(layout, slots.title) or fg,
        ink.subtitle or text_color(layout, slots.subtitle) or fg,
        ink.body or text_color(layout, slots.body) or fg,
        ink.drawn,
        ink.footer or (text_color(layout, footer) if footer is not None else None) or fg,
    )


def _idx_of(layout: Any, kind: PP_PLACEHOLDER) -> int | None:
    for shape in layout.placeholders:
        if shape.placeholder_format.type == kind:
            return int(shape.placeholder_format.idx)
    return None


# ---- placeholders ------------------------------------------------------------------------


def _slot(layout: Any, idx: int | None) -> TextSlot | None:
    """Return a placeholder's frame: box, insets and anchor, inherited from the master."""
    if idx is None:
        return None
    shape = placeholder(layout, idx)
    if shape is None:
        return None
    slot = _text_slot(box_of(shape), _body_pr(layout, shape))
    return replace(slot, align=_align(layout, shape))


def _align(layout: Any, shape: Any) -> str:
    """Return the alignment a placeholder's text inherits: its own list style, then its
    master's of the same kind; clients default to left."""
    path = f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}"
    base = layout.slide_master.placeholders.get(shape.placeholder_format.type)
    for element in (shape.element, base.element if base is not None else None):
        level = element.find(path) if element is not None else None
        if level is not None and level.get("algn"):
            return str(level.get("algn"))
    return "l"


def _body_pr(layout: Any, shape: Any) -> dict[str, str]:
    """Return the bodyPr attributes a placeholder inherits: its master's, then its own."""
    kind = shape.placeholder_format.type
    inherited: dict[str, str] = {}
    base = layout.slide_master.placeholders.get(kind)
    if base is None and kind in (PP_PLACEHOLDER.CENTER_TITLE,):
        base = layout.slide_master.placeholders.get(PP_PLACEHOLDER.TITLE)
    if base is None and kind in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.OBJECT):
        base = layout.slide_master.placeholders.get(PP_PLACEHOLDER.BODY)
    for element in (base.element if base is not None else None, shape.element):
        found = element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") if element is not None else None
        if found is not None:
            inherited |= dict(found.attrib)
    return inherited


# ---- background and shapes ---------------------------------------------------------------


def _marks(owner: Any, layout: Any) -> tuple[Mark, ...]:
    """Return the non-placeholder shapes of a layout or master that we can draw, in z-order."""
    tree = owner.element.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    marks = []
    for el in tree if tree is not None else ():
        mark = _mark(el, owner, layout)
        if mark is not None:
            marks.append(mark)
    return tuple(marks)


def _mark(el: Any, owner: Any, layout: Any) -> Mark | None:
    tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
    if tag == "sp" and el.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}") is None:
        return _shape_mark(el, layout)
    if tag == "pic":
        return _picture_mark(el, owner)
    if tag == "cxnSp":
        line = _line(el.find(qn("p:spPr")), layout)
        box = _xfrm(el.find(qn("p:spPr")))
        return Mark("line", box, "", *line) if box is not None and line[0] else None
    return None


def _shape_mark(el: Any, layout: Any) -> Mark | None:
    sp_pr = el.find(qn("p:spPr"))
    box = _xfrm(sp_pr)
    geometry = sp_pr.find(qn("a:prstGeom")) if sp_pr is not None else None
    prst = geometry.get("prst") if geometry is not None else ""
    if box is None or prst not in _SHAPES:
        return None
    fill = sp_pr.find(qn("a:solidFill"))
    color = resolve_color(fill[0], layout) if fill is not None and len(fill) else None
    line = _line(sp_pr, layout)
    labels = _labels(el, layout)
    if labels:
        body = el.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        slot = _text_slot(box, dict(body.attrib) if body is not None else {})
        return Mark("text", box, color or "", *line, labels=labels, slot=slot)
    return Mark(prst, box, color or "", *line) if color or line[0] else None


def _labels(el: Any, layout: Any) -> tuple[Label, ...]:
    """Return the paragraphs of a shape's own text, each with its first run's look."""
    labels = []
    for p in el.findall(f"{qn('p:txBody')}/{qn('a:p')}"):
        runs = p.findall(qn("a:r"))
        text = "".join(r.findtext(qn("a:t")) or "" for r in runs)
        if not text.strip():
            continue
        rpr = runs[0].find(qn("a:rPr"))
        attrs = dict(rpr.attrib) if rpr is not None else {}
        fill = rpr.find(qn("a:solidFill")) if rpr is not None else None
        color = resolve_color(fill[0], layout) if fill is not None and len(fill) else None
        latin = rpr.find(qn("a:latin")) if rpr is not None else None
        ppr = p.find(qn("a:pPr"))
        labels.append(
            Label(
                text,
                int(attrs.get("sz", "1800")) / 100,
                attrs.get("b") in ("1", "true"),
                attrs.get("i") in ("1", "true"),
                color or "#000000",
                int(attrs.get("spc", "0")) / 100,
                ppr.get("algn", "l") if ppr is not None else "l",
                latin is not None and latin.get("typeface", "").startswith("+mj"),
            )
        )
    return tuple(labels)


def _text_slot(box: Box, body: dict[str, str]) -> TextSlot:
    inset = {k: float(body[k]) / _PT for k in ("lIns", "tIns", "bIns") if k in body}
    insets = Insets(
        inset.get("lIns", TEXT_INSETS.x),
        inset.get("tIns", TEXT_INSETS.top),
        inset.get("bIns", TEXT_INSETS.bottom),
    )
    return TextSlot(box, insets, str(body.get("anchor", "t")))


def _line(sp_pr: Any, layout: Any) -> tuple[str, float]:
    ln = sp_pr.find(qn("a:ln")) if sp_pr is not None else None
    fill = ln.find(qn("a:solidFill")) if ln is not None else None
    if ln is None or fill is None or not len(fill):
        return "", 0.0
    return resolve_color(fill[0], layout) or "", float(ln.get("w", "12700")) / _PT


def _picture_mark(el: Any, owner: Any) -> Mark | None:
    box = _xfrm(el.find(qn("p:spPr")))
    blip = el.find(f"{qn('p:blipFill')}/{qn('a:blip')}")
    rid = blip.get(qn("r:embed")) if blip is not None else None
    if box is None or not rid:
        return None
    try:
        return Mark("picture", box, image=owner.part.related_part(rid).blob)
    except (KeyError, AttributeError):
        return None


def _xfrm(sp_pr: Any) -> Box | None:
    xfrm = sp_pr.find(qn("a:xfrm")) if sp_pr is not None else None
    off = xfrm.find(qn("a:off")) if xfrm is not None else None
    ext = xfrm.find(qn("a:ext")) if xfrm is not None else None
    if off is None or ext is None:
        return None
    values = (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy"))
    x, y, w, h = (int(v or 0) / _PT for v in values)
    return Box(x, y, w, h)


# ---- readable text -------------------------------------------------------------------------

_FILLED = ("rect", "roundRect", "ellipse")


def unreadable_text(art: SlideArt, source: str) -> Problem | None:
    """Return why a corporate template's slide text cannot be read, or None: the title (3:1,
    large text) and the body (4.5:1) against what lies under their frames' middle, the
    topmost filled shape of the layout or master there, else the slide's background. A
    picture under the text is not judged."""
    for kind, backdrop in sorted(art.backdrops.items()):
        slots = [(backdrop.title, backdrop.colors.title, LARGE, "title")]
        body = backdrop.subtitle if kind == "title" else backdrop.body
        if body is not None:
            slots.append(
                (
                    body,
                    backdrop.colors.subtitle if kind == "title" else backdrop.colors.body,
                    TEXT,
                    "text",
                )
            )
        for slot, color, least, what in slots:
            ground = _ground(backdrop, slot.box)
            if ground is None or contrast(color, ground) >= least:
                continue
            message = (
                f"expected the {what} of {kind} slides to reach {least}:1 on what lies under it "
                f"in the template, got {contrast(color, ground):.2f}:1 ({color} on {ground}); "
                "give the layout's placeholders a text colour that reads there, or set "
                "color.foreground in _brand.yml"
            )
            return Problem(source, 0, message, "template")
    return None


def _ground(backdrop: Backdrop, box: Box) -> str | None:
    """Return the colour under a frame's middle: the topmost filled shape there, else the
    background; None for a picture."""
    middle = Box(box.x + box.w / 2, box.y + box.h / 2, 0.0, 0.0)
    for mark in reversed(backdrop.marks):
        if mark.slot is None and mark.box.contains(middle, 0.0):
            if mark.kind == "picture":
                return None
            if mark.kind in _FILLED and mark.fill:
                return mark.fill
    return backdrop.fill
