"""Figures on a drawn slide: tables, quote panels, process diagrams and images, from placed parts.

The PDF counterpart of `deck_shapes`: the same boxes, fills, rules, arrows, badges and images
(the same pixels as deck.pptx embeds). Tagged, a table is Table > TR > TH/TD, an image a Figure
with its alt, a quote a BlockQuote, and a process a numbered list (each step's number its label,
its name and text its body); fills, rules and arrows are artifacts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader

from builder.figures import FigurePart
from builder.fonts import FontFamily, metrics
from builder.images import pixels_for, prepared
from builder.measure import CELL_INSETS, Box, Para, line_height
from builder.placement import (
    BADGE,
    BADGE_PT,
    QUOTE_INSETS,
    STEP_INSETS,
    QuotePart,
    StepsPart,
    TablePart,
    TextPart,
    step_paras,
)
from builder.writers.pdf_tags import Node
from builder.writers.slide_art import SlideArt, TextSlot
from builder.writers.slide_pen import Pen, draw_text, ink
from builder.writers.slide_tags import Target, cell, list_item
from builder.writers.slide_text import Frame, Ink, frame_lines, line_metrics


def _cell_para(part: TablePart, i: int, j: int, lang: str) -> Para:
    row = part.table.rows[i]
    runs = row.cells[j] if j < len(row.cells) else ()
    return Para(runs, "heading" if row.header else "body", lang=lang)


def _cell_frame(box: Box) -> Frame:
    """A table cell's frame: centred, lines spaced by the font's own height (as clients do)."""
    return Frame(box, CELL_INSETS, "ctr", natural=True)


def table_rows(part: TablePart, family: FontFamily, lang: str) -> list[float]:
    """Return each row's height as a client draws it: the written minimum, grown to its text."""
    one_line = part.size * line_height(family) + CELL_INSETS.top + CELL_INSETS.bottom
    _, pitch = line_metrics(family, part.size, 1.0, natural=True)
    blank = Ink("#000000", "", "", "")
    heights = []
    for i in range(len(part.table.rows)):
        tallest = max(
            len(frame_lines([_cell_para(part, i, j, lang)], _cell_frame(Box(0, 0, w, 1e6)),
                            family, part.size, part.size, blank))
            for j, w in enumerate(part.columns)
        )  # fmt: skip
        need = tallest * pitch + CELL_INSETS.top + CELL_INSETS.bottom
        heights.append(max(min(part.rows[i], one_line), need))
    return heights


def draw_table(pen: Pen, part: TablePart, art: SlideArt, lang: str, parent: Node) -> None:
    """Draw a table: header rows in the primary colour, body rows banded, white rules."""
    c, family = art.brand.colors, art.brand.body_font
    heights = table_rows(part, family, lang)
    table = parent.add("Table")
    y = part.box.y
    for i, (row, height) in enumerate(zip(part.table.rows, heights, strict=True)):
        shade = c.primary if row.header else (c.light if i % 2 == 0 else c.background)
        color = c.on_primary if row.header else c.foreground
        tr, x = table.add("TR"), part.box.x
        for j, width in enumerate(part.columns):
            box = Box(x, y, width, height)
            pen.fill_box(box, shade)
            lines = frame_lines([_cell_para(part, i, j, lang)], _cell_frame(box), family,
                                part.size, part.size, ink(color, art))  # fmt: skip
            pen.lines(lines, "body", into=[Target(cell(tr, row.header))])
            x += width
        y += height
    _grid(pen, part, heights, c.background)


def _grid(pen: Pen, part: TablePart, rows: Sequence[float], color: str) -> None:
    """Draw the white rules the default table style puts between cells (an artifact)."""
    with pen.artifact():
        _rules(pen, part, rows, color)


def _rules(pen: Pen, part: TablePart, rows: Sequence[float], color: str) -> None:
    c = pen.canv
    c.saveState()
    c.setStrokeColor(HexColor(color))
    c.setLineWidth(1)
    box, total = part.box, sum(rows)
    y = box.y
    for height in rows[:-1]:
        y += height
        c.line(box.x, pen.y(y), box.x + sum(part.columns), pen.y(y))
    x = box.x
    for width in part.columns[:-1]:
        x += width
        c.line(x, pen.y(box.y), x, pen.y(box.y + total))
    c.restoreState()


def draw_figure(pen: Pen, part: FigurePart, art: SlideArt, color: str, parent: Node) -> None:
    """Draw the image filling its box (the box has its aspect), its caption and credit under it:
    a Figure with the outline's alt text, then the caption's paragraphs."""
    figure, box = part.figure, part.box
    size = pixels_for(figure.width, figure.height, box.w, box.h)
    image = ImageReader(io.BytesIO(prepared(figure.path, size, figure.at).data))
    with pen.marked(parent.add("Figure", alt=figure.alt)):
        pen.canv.drawImage(image, box.x, pen.y(box.y + box.h), box.w, box.h, mask="auto")
    if part.text_box is not None:
        text = TextPart(part.text_box, part.size, part.paras)
        draw_text(pen, text, TextSlot(part.text_box), art, color, parent)


def draw_quote(pen: Pen, part: QuotePart, art: SlideArt, parent: Node) -> None:
    """Draw a quote on its panel with an accent bar: a BlockQuote of the quote and its source."""
    c = art.brand.colors
    pen.fill_box(part.box, c.light)
    pen.fill_box(Box(part.box.x, part.box.y, 8, part.box.h), c.accent)
    slot = TextSlot(part.box, QUOTE_INSETS, "ctr")
    draw_text(pen, part, slot, art, c.foreground, parent.add("BlockQuote"))


def draw_steps(pen: Pen, part: StepsPart, art: SlideArt, parent: Node) -> None:
    """Draw a process: step boxes joined by arrows, numbered by badges; tagged as a list whose
    items read number, name, text (the step order, whatever the rows)."""
    c = art.brand.colors
    steps = parent.add("L")
    items = [list_item(steps) for _ in part.cells]
    for box in part.cells:
        pen.fill_box(box, c.light, "roundRect", c.primary, 1.25)
    for i, (box, item) in enumerate(zip(part.cells, items, strict=True)):
        text = TextPart(box, part.size, step_paras(part.steps, i, part.lang))
        slot = TextSlot(box, STEP_INSETS, "t")
        draw_text(pen, text, slot, art, c.foreground, item.body, part.size)
    for a, b in zip(part.cells, part.cells[1:], strict=False):
        with pen.artifact():
            _arrow(pen, a, b, c.secondary)
    for i, (box, item) in enumerate(zip(part.cells, items, strict=True)):
        _badge(pen, i + 1, box, art, item.label or item.body)


def _arrow(pen: Pen, a: Box, b: Box, color: str) -> None:
    """Join two step boxes: straight within a row, bent from a row's end to the next row."""
    if abs(a.y - b.y) < 1:
        points = [(a.x + a.w, a.y + a.h / 2), (b.x, b.y + b.h / 2)]
    else:
        start, end = (a.x + a.w / 2, a.y + a.h), (b.x + b.w / 2, b.y)
        middle = (start[1] + end[1]) / 2
        points = [start, (start[0], middle), (end[0], middle), end]
    c = pen.canv
    c.saveState()
    c.setStrokeColor(HexColor(color))
    c.setFillColor(HexColor(color))
    c.setLineWidth(2.25)
    head = 2.25 * 5  # DrawingML's "lg" arrowhead: five line widths long and wide
    (x1, y1), (x2, y2) = points[-2], points[-1]
    ux, uy = _unit(x2 - x1, y2 - y1)
    tip_base = (x2 - ux * head, y2 - uy * head)
    path = c.beginPath()
    path.moveTo(points[0][0], pen.y(points[0][1]))
    for x, y in [*points[1:-1], tip_base]:
        path.lineTo(x, pen.y(y))
    c.drawPath(path, stroke=1, fill=0)
    tri = c.beginPath()
    tri.moveTo(x2, pen.y(y2))
    tri.lineTo(tip_base[0] - uy * head / 2, pen.y(tip_base[1] + ux * head / 2))
    tri.lineTo(tip_base[0] + uy * head / 2, pen.y(tip_base[1] - ux * head / 2))
    tri.close()
    c.drawPath(tri, stroke=0, fill=1)
    c.restoreState()


def _unit(dx: float, dy: float) -> tuple[float, float]:
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    return dx / length, dy / length


def _badge(pen: Pen, number: int, step: Box, art: SlideArt, label: Node) -> None:
    """Draw a step's number on its circle (the number tagged as the list item's label)."""
    c = art.brand.colors
    box = Box(step.x + 12, step.y - BADGE / 2, BADGE, BADGE)
    pen.fill_box(box, c.badge, "ellipse", c.background, 1.5)
    face = pen.faces["body"].bold
    text = str(number)
    family = art.brand.body_font
    m = metrics(family.bold)
    width = m.width(text, BADGE_PT)
    # centred: the line box (ascent + descent) in the middle of the circle
    baseline = box.y + (box.h - (m.ascent + m.descent) * BADGE_PT) / 2 + m.ascent * BADGE_PT
    pen.canv.setFont(face, BADGE_PT)
    pen.canv.setFillColor(HexColor(c.on_primary))
    with pen.marked(label):
        pen.canv.drawString(box.x + (box.w - width) / 2, pen.y(baseline), text)
