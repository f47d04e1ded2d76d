"""Figures on a slide: tables, quote panels, process diagrams and images, from their placed parts.

Called by the deck writer for every part that is not the body placeholder's text.
"""

from __future__ import annotations

import io
from typing import Any

from lxml import etree
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder.brand import Brand
from builder.document import Meta, Table, plain
from builder.figures import FigurePart
from builder.images import pixels_for, prepared
from builder.measure import CELL_INSETS, TEXT_INSETS, Box, Insets, Para, line_height
from builder.placement import (
    BADGE,
    BADGE_PT,
    QUOTE_INSETS,
    STEP_CORNER,
    STEP_INSETS,
    Part,
    QuotePart,
    StepsPart,
    TablePart,
    TextPart,
    step_paras,
)
from builder.writers.pptx_text import (
    Shape,
    centred_label,
    emu,
    fill,
    frame_setup,
    rect,
    rgb,
    sub,
)

_DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def draw_part(
    shapes: Shape, part: Part, brand: Brand, meta: Meta, color: str, title: str = ""
) -> None:
    """Draw one placed part; title (the slide's) names a table in its alt text."""
    if isinstance(part, TextPart):
        box = shapes.add_textbox(*rect(part.box))
        box.name = "Text"
        frame_setup(box.text_frame, TEXT_INSETS)
        fill(box.text_frame, part, brand, meta, color)
    elif isinstance(part, TablePart):
        _draw_table(shapes, part, brand, meta, title)
    elif isinstance(part, QuotePart):
        _draw_quote(shapes, part, brand, meta)
    elif isinstance(part, FigurePart):
        _draw_figure(shapes, part, brand, meta, color)
    else:
        _draw_steps(shapes, part, brand, meta)


def solid(shape: Shape, color: str, line: str = "", width: float = 0) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(color)
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(width)
    else:
        shape.line.fill.background()
    drop_style(shape)


def drop_style(shape: Shape) -> None:
    """Remove the theme style python-pptx adds to new shapes: it brings a shadow."""
    for style in shape._element.findall(qn("p:style")):
        shape._element.remove(style)


def describe(shape: Shape, alt: str = "", decorative: bool = False) -> None:
    """Set a shape's alt text, or mark it decorative (adec:decorative) for screen readers."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    c_nv_pr.set("descr", "" if decorative else alt)
    if decorative and not c_nv_pr.xpath(f"./a:extLst/a:ext[@uri='{_DECORATIVE_URI}']"):
        ext_lst = c_nv_pr.find(qn("a:extLst"))
        ext = sub(sub(c_nv_pr, "a:extLst") if ext_lst is None else ext_lst, "a:ext")
        ext.set("uri", _DECORATIVE_URI)
        etree.SubElement(ext, f"{{{_ADEC}}}decorative", nsmap={"adec": _ADEC}).set("val", "1")


def table_alt(title: str, table: Table) -> str:
    """Return a table's alt text: the slide's title, then its column headings."""
    heads = next((row.cells for row in table.rows if row.header), ())
    columns = ", ".join(text for cell in heads if (text := plain(cell).strip()))
    return f"{title}: {columns}" if title and columns else title or columns


def _draw_table(shapes: Shape, part: TablePart, brand: Brand, meta: Meta, title: str) -> None:
    c = brand.colors
    rows, cols = len(part.table.rows), len(part.columns)
    frame = shapes.add_table(rows, cols, *rect(part.box))
    frame.name = "Table"
    describe(frame, table_alt(title, part.table))
    table = frame.table
    table.first_row = any(r.header for r in part.table.rows)
    table.horz_banding = False
    for j, width in enumerate(part.columns):
        table.columns[j].width = emu(width)
    one_line = part.size * line_height(brand.body_font) + CELL_INSETS.top + CELL_INSETS.bottom
    for i in range(rows):
        # Row heights are minimums that clients grow to fit the text (#296). Layout made room
        # for the measured heights; writing the one-line minimum keeps rows even when a cell
        # wraps less than the safety margin assumed.
        table.rows[i].height = emu(min(part.rows[i], one_line))
    # The frame claims the measured height, so the file says where the grown table ends.
    frame.height = emu(sum(part.rows))
    for i, row in enumerate(part.table.rows):
        shade = c.primary if row.header else (c.light if i % 2 == 0 else c.background)
        for j in range(cols):
            cell = table.cell(i, j)
            _cell_look(cell._tc, shade)
            runs = row.cells[j] if j < len(row.cells) else ()
            paras = (Para(runs, "heading" if row.header else "body", lang=meta.lang),)
            ink = c.on_primary if row.header else c.foreground
            inner = part.columns[j] - 2 * CELL_INSETS.x
            text = TextPart(part.box, part.size, paras)
            fill(cell.text_frame, text, brand, meta, ink, inner=inner)


def _cell_look(tc: Any, shade: str) -> None:
    """Fill a table cell, centre it vertically and set its margins (CELL_INSETS).

    The elements and attributes, in the order python-pptx's fill, vertical_anchor and margin
    setters write them, with plain lxml: those setters were most of a table's writing time.
    """
    tcpr = tc.find(_TCPR)
    if tcpr is None:
        tcpr = tc.makeelement(_TCPR, {})
        _insert_before(tc, tcpr, _EXT_LST)
    fill = tcpr.find(_SOLID_FILL)
    if fill is None:
        for child in list(tcpr):
            if child.tag in _FILLS:
                tcpr.remove(child)
        fill = tcpr.makeelement(_SOLID_FILL, {})
        _insert_before(tcpr, fill, _HEADERS, _EXT_LST)
    for child in list(fill):
        fill.remove(child)  # a fresh colour, as ColorFormat.rgb makes it
    etree.SubElement(fill, _SRGB_CLR, val=shade[1:].upper())
    tcpr.set("anchor", "ctr")
    for name, points in zip(_MARGINS, _CELL_MARGINS, strict=True):
        tcpr.set(name, str(int(emu(points))))


def _insert_before(parent: Any, child: Any, *successors: str) -> None:
    """Insert child before the first of successors parent has (in their order), else last."""
    after = next((c for tag in successors if (c := parent.find(tag)) is not None), None)
    if after is None:
        parent.append(child)
    else:
        after.addprevious(child)


_TCPR, _SOLID_FILL, _SRGB_CLR = qn("a:tcPr"), qn("a:solidFill"), qn("a:srgbClr")
_HEADERS, _EXT_LST = qn("a:headers"), qn("a:extLst")
_FILLS = frozenset(qn(f"a:{t}") for t in ("noFill", "gradFill", "blipFill", "pattFill", "grpFill"))
_MARGINS = ("marL", "marR", "marT", "marB")
_CELL_MARGINS = (CELL_INSETS.x, CELL_INSETS.x, CELL_INSETS.top, CELL_INSETS.bottom)


def _draw_figure(shapes: Shape, part: FigurePart, brand: Brand, meta: Meta, color: str) -> None:
    """Add the image in its box with its alt text, and its caption and credit under it."""
    figure = part.figure
    size = pixels_for(figure.width, figure.height, part.box.w, part.box.h)
    image = prepared(figure.path, size, figure.at)
    picture = shapes.add_picture(io.BytesIO(image.data), *rect(part.box))
    picture.name = "Figure"
    # add_picture writes the file name as descr (#1139): the author's alt text instead.
    describe(picture, figure.alt)
    if part.text_box is not None:
        draw_part(shapes, TextPart(part.text_box, part.size, part.paras), brand, meta, color)


def _draw_quote(shapes: Shape, part: QuotePart, brand: Brand, meta: Meta) -> None:
    panel = shapes.add_shape(MSO_SHAPE.RECTANGLE, *rect(part.box))
    panel.name = "Quote"
    solid(panel, brand.colors.light)
    frame_setup(panel.text_frame, QUOTE_INSETS)
    panel.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    inner = part.box.w - 2 * QUOTE_INSETS.x
    fill(panel.text_frame, part, brand, meta, brand.colors.foreground, inner=inner)
    bar = shapes.add_shape(MSO_SHAPE.RECTANGLE, *rect(Box(part.box.x, part.box.y, 8, part.box.h)))
    bar.name = "Quote Bar"
    solid(bar, brand.colors.accent)
    describe(bar, decorative=True)


def _draw_steps(shapes: Shape, part: StepsPart, brand: Brand, meta: Meta) -> None:
    group = shapes.add_group_shape()
    group.name = "Process Diagram"
    boxes = []
    for i, cell in enumerate(part.cells):
        box = group.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *rect(cell))
        box.name = f"Step {i + 1}"
        box.adjustments[0] = STEP_CORNER
        solid(box, brand.colors.light, brand.colors.primary, 1.25)
        frame_setup(box.text_frame, _inside_corners(STEP_INSETS, cell))
        box.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        text = TextPart(cell, part.size, step_paras(part.steps, i, part.lang))
        inner = cell.w - 2 * STEP_INSETS.x
        fill(box.text_frame, text, brand, meta, brand.colors.foreground, part.size, inner)
        boxes.append(box)
    for i in range(len(boxes) - 1):
        _arrow(group.shapes, boxes[i], boxes[i + 1], part.cells[i], part.cells[i + 1], brand)
    for i, cell in enumerate(part.cells):
        _badge(group.shapes, i + 1, cell, brand, meta)
    names = ", ".join(f"{i + 1}. {s.name}" for i, s in enumerate(part.steps.steps))
    describe(group, f"Process: {names}")


def _inside_corners(insets: Insets, cell: Box) -> Insets:
    """Return insets that put a rounded box's text where layout measured it.

    Clients set text inside the rounded rectangle's own text area, which DrawingML insets by
    0.29289 of the corner radius (radius 0.08 of the shorter side) on every side.
    """
    inset = 0.29289 * STEP_CORNER * min(cell.w, cell.h)
    return Insets(insets.x - inset, insets.top - inset, insets.bottom - inset)


def _arrow(shapes: Shape, a: Shape, b: Shape, box_a: Box, box_b: Box, brand: Brand) -> None:
    """Join two step boxes; connection sites 0-3 are top, left, bottom, right.

    In a row the arrow runs left to right; from a row's end to the next row's start it bends.
    """
    same_row = abs(box_a.y - box_b.y) < 1
    sites = (3, 1) if same_row else (2, 0)
    kind = MSO_CONNECTOR.STRAIGHT if same_row else MSO_CONNECTOR.ELBOW
    line = shapes.add_connector(kind, Emu(0), Emu(0), Emu(0), Emu(0))
    line.begin_connect(a, sites[0])
    line.end_connect(b, sites[1])
    line.name = "Arrow"
    line.line.color.rgb = rgb(brand.colors.secondary)
    line.line.width = Pt(2.25)
    sub(line.line._get_or_add_ln(), "a:tailEnd", type="triangle", w="lg", len="lg")
    drop_style(line)
    describe(line, decorative=True)


def _badge(shapes: Shape, number: int, cell: Box, brand: Brand, meta: Meta) -> None:
    box = Box(cell.x + 12, cell.y - BADGE / 2, BADGE, BADGE)
    badge = shapes.add_shape(MSO_SHAPE.OVAL, *rect(box))
    badge.name = f"Step {number} Number"
    solid(badge, brand.colors.badge, brand.colors.background, 1.5)
    font, ink = brand.body_font.deck_name, brand.colors.on_primary
    centred_label(badge, str(number), BADGE_PT, font, ink, meta.lang)
