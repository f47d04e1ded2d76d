"""Placement: fit the parts of one slide body (text, tables, quotes, process diagrams) into a box.

Sits under layout (which continues, merges and titles slides) and over measure (which sizes
text). Pure functions in points. A process is drawn in the arrangement that fits its text at the
largest size: one row, two rows read left to right, or (by layout) a numbered list.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from builder.document import QuoteBlock, Run, Slide, StepsBlock, Table
from builder.fonts import FontFamily
from builder.measure import Box, Insets, Para, row_heights, table_columns, text_height

DIAGRAM_MAX_PT = 24
TABLE_MAX_PT = 24
SIDE_BY_SIDE_COLUMNS = 3  # a table this narrow may set its rows in two halves side by side
SIDE_BY_SIDE_MIN_ROWS = 4
GAP = 14.0  # between stacked parts of a slide body
QUOTE_MAX_WIDTH = 720.0
STEP_GAP = 48.0  # room for the arrow between two step boxes
STEP_ROW_GAP = 52.0
STEP_MAX_WIDTH = 240.0
STEP_MIN_WIDTH = 150.0  # narrower boxes hold a word or two a line: use a list instead
STEP_PREFERRED_HEIGHT = 170.0
STEP_CORNER = 0.08  # a step box's corner radius, as a share of its shorter side
BADGE = 36.0  # the numbered circle that straddles a step box's top edge
BADGE_PT = 18

QUOTE_INSETS = Insets(40.0, 24.0, 24.0)
DRAFT_PT = 12
DRAFT_COLOR = "#B00020"  # white on it reads at 7:1


def draft_tag(slide_width: float) -> Box:
    """Return where a draft deck says DRAFT on every slide: a small tag at the top right."""
    return Box(slide_width - 12.0 - 96.0, 10.0, 96.0, 24.0)


STEP_INSETS = Insets(9.0, BADGE / 2 + 6.0, 8.0)


@dataclass(frozen=True)
class TextPart:
    """Paragraphs in a text frame at one size."""

    box: Box
    size: int
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class TablePart:
    """A table (header rows repeated on continuations) with measured rows and columns."""

    box: Box
    size: int
    table: Table
    rows: tuple[float, ...]
    columns: tuple[float, ...]


@dataclass(frozen=True)
class QuotePart:
    """A quote and its attribution in a panel."""

    box: Box
    size: int
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class StepsPart:
    """A process diagram: one box per step, in reading order, in one row or two."""

    box: Box
    size: int
    steps: StepsBlock
    cells: tuple[Box, ...]
    lang: str = ""


Part = TextPart | TablePart | QuotePart | StepsPart
Group = tuple[Para, ...] | Table | QuoteBlock | StepsBlock
MAX_BULLETS = 6  # on one slide; more continue


@dataclass(frozen=True)
class Frame:
    """Where a slide kind puts its title, its body and (title slide) its subtitle."""

    title: Box
    body: Box
    subtitle: Box | None = None


@dataclass(frozen=True)
class Geometry:
    """The slide size and the frame of each slide kind, read from the deck template."""

    width: float
    height: float
    frames: dict[str, Frame]


@dataclass(frozen=True)
class PlannedSlide:
    """A slide as it will be written: unique title, sizes, and its placed parts."""

    slide: Slide
    title: str
    title_pt: int
    body_pt: int
    parts: tuple[Part, ...]
    subtitle: TextPart | None = None
    continuation: int = 0


@dataclass(frozen=True)
class Limits:
    """The body sizes a slide may use: its floor and its largest size."""

    lo: int
    hi: int


def quote_paras(quote: QuoteBlock, lang: str = "") -> tuple[Para, ...]:
    """Return the paragraphs of a quote panel: the quote in quotation marks, its attribution."""
    text = "".join(r.text for r in quote.runs)
    runs = quote.runs
    if runs and not text.startswith(("“", '"', "‘", "«", "„")):
        runs = (Run("“"), *runs, Run("”"))
    by = (Para((Run(f"— {quote.by}"),), "by", lang=lang),) if quote.by else ()
    return (Para(runs, "quote", at=quote.at, lang=lang), *by)


def step_paras(steps: StepsBlock, index: int, lang: str = "") -> tuple[Para, ...]:
    """Return the paragraphs inside the box of step index: its name (bold), then its text."""
    step = steps.steps[index]
    text = (Para(step.runs, "body", lang=lang),) if step.runs else ()
    return (Para((Run(step.name),), "name", lang=lang), *text)


def step_list(steps: StepsBlock, lang: str = "", at: str = "") -> tuple[Para, ...]:
    """Return a process as a numbered list: '**Name**: text' for each step."""
    return tuple(
        Para((Run(f"{s.name}: ", bold=True), *s.runs), "number", i + 1, at, lang)
        for i, s in enumerate(steps.steps)
    )


def part_fits(part: Part, family: FontFamily, floor: int) -> bool:
    """Return whether a part's content fits its box(es) by our own measurement."""
    if isinstance(part, TextPart):
        need = text_height(part.paras, family, part.size, part.box.w, floor)
    elif isinstance(part, QuotePart):
        need = text_height(part.paras, family, part.size, part.box.w, floor, QUOTE_INSETS)
    elif isinstance(part, TablePart):
        need = sum(row_heights(part.table, part.columns, family, part.size))
    else:
        return all(
            part.box.contains(cell)
            and _step_height(part.steps, i, family, part.size, cell.w, part.lang) <= cell.h
            for i, cell in enumerate(part.cells)
        )
    return need <= part.box.h + 1e-6


# ---- figures ------------------------------------------------------------------------------


def _fit_table(
    table: Table, region: Box, family: FontFamily, limits: Limits
) -> tuple[Part, ...] | None:
    """Return the table whole when it fits, else a narrow table's rows in two halves side by
    side (each with the header): twice the rows a slide, before continuing (an agenda).
    Halves are not preferred at a larger size: their wrapped cells read worse."""
    whole = _table_at(table, region, family, limits)
    if whole is not None:
        return (whole,)
    return _halves(table, region, family, limits)


def _halves(
    table: Table, region: Box, family: FontFamily, limits: Limits
) -> tuple[TablePart, TablePart] | None:
    header = tuple(r for r in table.rows if r.header)
    body = [r for r in table.rows if not r.header]
    narrow = max((len(r.cells) for r in table.rows), default=0) <= SIDE_BY_SIDE_COLUMNS
    if not narrow or len(body) < 2 * SIDE_BY_SIDE_MIN_ROWS:
        return None
    half, width = math.ceil(len(body) / 2), (region.w - GAP) / 2
    sides = [Table(header + tuple(rows), table.widths, table.line, table.at)
             for rows in (body[:half], body[half:])]  # fmt: skip
    right = Box(region.x + width + GAP, region.y, width, region.h)
    for size in range(max(limits.lo, min(limits.hi, TABLE_MAX_PT)), limits.lo - 1, -1):
        left = _table_at(sides[0], replace(region, w=width), family, Limits(size, size))
        other = _table_at(sides[1], right, family, Limits(size, size))
        if left is not None and other is not None:
            return left, other
    return None


def _table_at(table: Table, region: Box, family: FontFamily, limits: Limits) -> TablePart | None:
    for size in range(max(limits.lo, min(limits.hi, TABLE_MAX_PT)), limits.lo - 1, -1):
        columns = table_columns(table, region.w, family, size)
        rows = row_heights(table, columns, family, size)
        if sum(rows) <= region.h:
            box = Box(region.x, region.y, region.w, sum(rows))
            return TablePart(box, size, table, rows, columns)
    return None


def _fit_quote(
    quote: QuoteBlock, region: Box, family: FontFamily, limits: Limits, lang: str
) -> Part | None:
    """Return the quote panel at the largest size: a readable measure first, then full width."""
    paras = quote_paras(quote, lang)
    for width in dict.fromkeys((min(region.w, QUOTE_MAX_WIDTH), region.w)):
        for size in range(limits.hi + 4, limits.lo - 1, -1):
            need = text_height(paras, family, size, width, limits.lo, QUOTE_INSETS)
            if need <= region.h:
                x, y = region.x + (region.w - width) / 2, region.y + (region.h - need) / 2
                return QuotePart(Box(x, y, width, need), size, paras)
    return None


def _step_height(
    steps: StepsBlock, i: int, family: FontFamily, size: int, width: float, lang: str
) -> float:
    return text_height(step_paras(steps, i, lang), family, size, width, size, STEP_INSETS)


def _cells(
    count: int, rows: int, width: float, height: float, region: Box
) -> tuple[Box, tuple[Box, ...]]:
    """Place step boxes in rows, every row read left to right."""
    cols = math.ceil(count / rows)
    total_w = cols * width + (cols - 1) * STEP_GAP
    total_h = BADGE / 2 + rows * height + (rows - 1) * STEP_ROW_GAP
    left, top = region.x + (region.w - total_w) / 2, region.y + (region.h - total_h) / 2
    cells = []
    for i in range(count):
        row, col = divmod(i, cols)
        y = top + BADGE / 2 + row * (height + STEP_ROW_GAP)
        cells.append(Box(left + col * (width + STEP_GAP), y, width, height))
    return Box(left, top, total_w, total_h), tuple(cells)


def _diagram_in(
    steps: StepsBlock, rows: int, region: Box, family: FontFamily, limits: Limits, lang: str
) -> StepsPart | None:
    count = len(steps.steps)
    cols = math.ceil(count / rows)
    width = min(STEP_MAX_WIDTH, (region.w - (cols - 1) * STEP_GAP) / cols)
    room = (region.h - BADGE / 2 - (rows - 1) * STEP_ROW_GAP) / rows
    if width < STEP_MIN_WIDTH or room <= 0 or (rows > 1 and count < 4):
        return None
    for size in range(max(limits.lo, min(limits.hi, DIAGRAM_MAX_PT)), limits.lo - 1, -1):
        need = max(_step_height(steps, i, family, size, width, lang) for i in range(count))
        if need <= room:
            box, cells = _cells(
                count, rows, width, max(need, min(room, STEP_PREFERRED_HEIGHT)), region
            )
            return StepsPart(box, size, steps, cells, lang)
    return None


def fit_diagram(
    steps: StepsBlock, region: Box, family: FontFamily, limits: Limits, lang: str = ""
) -> StepsPart | None:
    """Return the process drawn in one row or two, whichever fits at the larger size."""
    found = [_diagram_in(steps, rows, region, family, limits, lang) for rows in (1, 2)]
    fitting = [p for p in found if p is not None]
    return max(fitting, key=lambda p: p.size, default=None)  # max keeps the first (one row)


def _fit_figure(
    group: Group, region: Box, family: FontFamily, limits: Limits, lang: str
) -> tuple[Part, ...] | None:
    if isinstance(group, Table):
        return _fit_table(group, region, family, limits)
    if isinstance(group, QuoteBlock):
        part: Part | None = _fit_quote(group, region, family, limits, lang)
    elif isinstance(group, StepsBlock):
        part = fit_diagram(group, region, family, limits, lang)
    else:
        part = None
    return (part,) if part is not None else None


# ---- stacking parts in a body -------------------------------------------------------------


def _place(
    groups: Sequence[Group], box: Box, family: FontFamily, size: int, limits: Limits, lang: str
) -> tuple[Part, ...] | None:
    """Stack groups top to bottom: text at its measured height, figures share what is left."""
    heights = [
        text_height(g, family, size, box.w, limits.lo) if isinstance(g, tuple) else None
        for g in groups
    ]
    figures = heights.count(None)
    free = box.h - sum(h for h in heights if h is not None) - GAP * max(len(groups) - 1, 0)
    if free < 0 or (figures and free <= 0):
        return None
    if len(groups) == 1 and isinstance(groups[0], tuple):
        return (TextPart(box, size, groups[0]),)
    parts: list[Part] = []
    y, share = box.y, free / figures if figures else 0.0
    for group, height in zip(groups, heights, strict=True):
        if isinstance(group, tuple) and height is not None:
            parts.append(TextPart(Box(box.x, y, box.w, height), size, group))
            y += height + GAP
            continue
        placed = _fit_figure(group, Box(box.x, y, box.w, share), family, limits, lang)
        if placed is None:
            return None
        parts.extend(placed)
        y += share + GAP
    return tuple(parts)


def fit_stack(
    groups: Sequence[Group], box: Box, family: FontFamily, limits: Limits, lang: str = ""
) -> tuple[int, tuple[Part, ...]] | None:
    """Return the largest body size at which every group fits the box, with the placed parts."""
    has_text = any(isinstance(g, tuple) for g in groups)
    for size in range(limits.hi, limits.lo - 1, -1) if has_text else (limits.hi,):
        parts = _place(groups, box, family, size, limits, lang)
        if parts is not None:
            return (size if has_text else 0), parts
    return None
