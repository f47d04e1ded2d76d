"""Placement: fit the parts of one slide body (text, tables, quotes, process diagrams, images)
into a box.

Sits under layout (which continues, merges and titles slides) and over measure (which sizes
text) and figures (which scales images). Pure functions in points. A process is drawn in the
arrangement that fits its text at the largest size: one row, two rows read left to right, or
(by layout) a numbered list. An image with text beside it takes a column on the right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from builder.document import Figure, QuoteBlock, Run, Slide, StepsBlock, Table
from builder.figures import BESIDE_SHARE, FigurePart, big_enough, fit_figure
from builder.fonts import FontFamily
from builder.i18n import quotation_marks
from builder.measure import Box, Insets, Para, row_heights, text_height
from builder.tables import TablePart as TablePart
from builder.tables import fit_table

DIAGRAM_MAX_PT = 24
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
DRAFT_PT = 18  # the floor of every text on a slide
DRAFT_COLOR = "#B00020"  # white on it reads at 7:1


def draft_tag(slide_width: float) -> Box:
    """Return where a draft deck says DRAFT on every slide: a small tag at the top right."""
    return Box(slide_width - 12.0 - 150.0, 8.0, 150.0, 30.0)


STEP_INSETS = Insets(9.0, BADGE / 2 + 6.0, 8.0)


@dataclass(frozen=True)
class TextPart:
    """Paragraphs in a text frame at one size."""

    box: Box
    size: int
    paras: tuple[Para, ...]


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


Part = TextPart | TablePart | QuotePart | StepsPart | FigurePart
Group = tuple[Para, ...] | Table | QuoteBlock | StepsBlock | Figure
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
    title_box: Box | None = None  # where the title moves from its placeholder's box, if it does


@dataclass(frozen=True)
class Limits:
    """The body sizes a slide may use: its floor and its largest size."""

    lo: int
    hi: int


def quote_paras(quote: QuoteBlock, lang: str = "") -> tuple[Para, ...]:
    """Return the paragraphs of a quote panel: the quote in the language's quotation marks
    (builder.i18n), its attribution."""
    text = "".join(r.text for r in quote.runs)
    runs, (opening, closing) = quote.runs, quotation_marks(lang)
    if runs and not text.startswith(("“", '"', "‘", "«", "„", opening)):
        runs = (Run(opening), *runs, Run(closing))
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
    elif isinstance(part, FigurePart):
        box = part.text_box or Box(part.box.x, part.box.y + part.box.h, part.box.w, 0)
        need = text_height(part.paras, family, part.size, box.w, floor) if part.paras else 0
        return need <= box.h + 1e-6
    else:
        return all(
            part.box.contains(cell)
            and _step_height(part.steps, i, family, part.size, cell.w, part.lang) <= cell.h
            for i, cell in enumerate(part.cells)
        )
    return need <= part.box.h + 1e-6


# ---- figures ------------------------------------------------------------------------------


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
    group: Group, region: Box, family: FontFamily, limits: Limits, lang: str, body: Box
) -> tuple[Part, ...] | None:
    if isinstance(group, Table):
        return fit_table(group, region, family, limits.lo, limits.hi, GAP)
    if isinstance(group, Figure):
        return _fit_image(group, region, family, limits, lang, body)
    if isinstance(group, QuoteBlock):
        part: Part | None = _fit_quote(group, region, family, limits, lang)
    elif isinstance(group, StepsBlock):
        part = fit_diagram(group, region, family, limits, lang)
    else:
        part = None
    return (part,) if part is not None else None


def _fit_image(
    figure: Figure, region: Box, family: FontFamily, limits: Limits, lang: str, body: Box
) -> tuple[Part, ...] | None:
    """Return the image in region, unless sharing the body leaves it much smaller than alone."""
    part = fit_figure(figure, region, family, limits.lo, lang)
    if part is None or region == body:
        return (part,) if part is not None else None
    alone = fit_figure(figure, body, family, limits.lo, lang)
    return (part,) if big_enough(part, alone) else None


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
        region = Box(box.x, y, box.w, share)
        placed = _fit_figure(group, region, family, limits, lang, box)
        if placed is None:
            return None
        parts.extend(placed)
        y += share + GAP
    return tuple(parts)


def fit_stack(
    groups: Sequence[Group], box: Box, family: FontFamily, limits: Limits, lang: str = ""
) -> tuple[int, tuple[Part, ...]] | None:
    """Return the largest body size at which every group fits the box, with the placed parts.

    A figure marked beside takes a column on the right and the other groups stack on its left.
    """
    beside = next((g for g in groups if isinstance(g, Figure) and g.beside), None)
    rest = [g for g in groups if g is not beside]
    if beside is not None and any(_more_than_sources(g) for g in rest):
        return _fit_beside(beside, rest, box, family, limits, lang)
    has_text = any(isinstance(g, tuple) for g in groups)
    for size in range(limits.hi, limits.lo - 1, -1) if has_text else (limits.hi,):
        parts = _place(groups, box, family, size, limits, lang)
        if parts is not None:
            return (size if has_text else 0), parts
    return None


def _more_than_sources(group: Group) -> bool:
    """Return whether a group holds more than source lines (which go under a lone figure)."""
    return not isinstance(group, tuple) or any(p.style != "cite" for p in group)


def _fit_beside(
    figure: Figure, groups: Sequence[Group], box: Box, family: FontFamily, limits: Limits, lang: str
) -> tuple[int, tuple[Part, ...]] | None:
    """Return the image in a column on the right, the text on the left in what it leaves."""
    width = box.w * BESIDE_SHARE
    column = Box(box.x + box.w - width, box.y, width, box.h)
    image = fit_figure(figure, column, family, limits.lo, lang)
    if image is None:
        return None
    left = min(image.box.x, image.text_box.x if image.text_box else image.box.x)
    text = Box(box.x, box.y, left - GAP - box.x, box.h)
    for size in range(limits.hi, limits.lo - 1, -1):
        parts = _place(groups, text, family, size, Limits(limits.lo, size), lang)
        if parts is not None:
            return size, (*parts, image)
    return None
