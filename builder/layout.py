"""Layout: plan every slide of the deck before it is written.

Sits between markup and the deck writer. Pure functions over the document model, in points:
continues long slides, sizes text with measure, and places tables, quotes and process diagrams.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from builder.brand import Brand
from builder.document import (
    Deck,
    Inline,
    ListBlock,
    Paragraph,
    QuoteBlock,
    Run,
    Slide,
    StepsBlock,
    Table,
)
from builder.errors import LayoutError, Problem
from builder.fonts import FontFamily
from builder.measure import (
    MARKED_STYLES,
    TITLE_LINES,
    TITLE_MIN_PT,
    Box,
    Insets,
    Para,
    fit_body,
    fit_title,
    row_heights,
    table_columns,
    text_height,
)

COVER_TITLE_LINES = 3  # the title slide's own title may run to three lines
DIAGRAM_MIN_PT = 14
DIAGRAM_MAX_PT = 24
TABLE_MAX_PT = 24
MAX_BULLETS = 6
MAX_STEPS = 10
GAP = 14.0  # between stacked parts of a slide body
QUOTE_MAX_WIDTH = 720.0
STEP_GAP = 48.0  # room for the arrow between two step boxes
STEP_ROW_GAP = 44.0
STEP_MAX_WIDTH = 240.0
STEP_PREFERRED_HEIGHT = 170.0
BADGE = 34.0  # the numbered circle that straddles a step box's top edge
SPLIT_KINDS = ("content", "closing")

QUOTE_INSETS = Insets(40.0, 24.0, 24.0)
STEP_INSETS = Insets(9.0, BADGE / 2 + 6.0, 8.0)


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
    """A process diagram: one box per step, in reading order."""

    box: Box
    size: int
    steps: StepsBlock
    cells: tuple[Box, ...]


Part = TextPart | TablePart | QuotePart | StepsPart


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


# ---- the paragraphs of figures, and checking a placed part -------------------------------


def quote_paras(quote: QuoteBlock) -> tuple[Para, ...]:
    """Return the paragraphs of a quote panel: the quote in quotation marks, its attribution."""
    text = "".join(r.text for r in quote.runs)
    runs = quote.runs
    if runs and not text.startswith(("“", '"', "‘")):
        runs = (Run("“"), *runs, Run("”"))
    by = (Para((Run(f"— {quote.by}"),), "by"),) if quote.by else ()
    return (Para(runs, "quote", at=quote.at), *by)


def step_paras(steps: StepsBlock, index: int) -> tuple[Para, ...]:
    """Return the paragraphs inside the box of step index: its name (bold), then its text."""
    step = steps.steps[index]
    text = (Para(step.runs, "body"),) if step.runs else ()
    return (Para((Run(step.name),), "name"), *text)


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
            and text_height(
                step_paras(part.steps, i), family, part.size, cell.w, part.size, STEP_INSETS
            )
            <= cell.h
            for i, cell in enumerate(part.cells)
        )
    return need <= part.box.h + 1e-6


# ---- fitting parts into a slide body ------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
    lo: int
    hi: int


@dataclass(frozen=True)
class _Row:
    table: Table
    index: int  # -1: a table with header rows only


@dataclass(frozen=True)
class _Unit:
    """What continuation may not split: a paragraph, a list item, a table row, a figure."""

    item: Para | _Row | QuoteBlock | StepsBlock
    at: str


_Group = tuple[Para, ...] | Table | QuoteBlock | StepsBlock


def _fit_table(table: Table, region: Box, family: FontFamily, limits: _Limits) -> Part | None:
    columns = table_columns(table, region.w)
    for size in range(max(limits.lo, min(limits.hi, TABLE_MAX_PT)), limits.lo - 1, -1):
        rows = row_heights(table, columns, family, size)
        if sum(rows) <= region.h:
            box = Box(region.x, region.y, region.w, sum(rows))
            return TablePart(box, size, table, rows, columns)
    return None


def _fit_quote(quote: QuoteBlock, region: Box, family: FontFamily, limits: _Limits) -> Part | None:
    paras, width = quote_paras(quote), min(region.w, QUOTE_MAX_WIDTH)
    for size in range(limits.hi + 4, limits.lo - 1, -1):
        need = text_height(paras, family, size, width, limits.lo, QUOTE_INSETS)
        if need <= region.h:
            x, y = region.x + (region.w - width) / 2, region.y + (region.h - need) / 2
            return QuotePart(Box(x, y, width, need), size, paras)
    return None


def _grid(count: int) -> tuple[int, int]:
    return (1, count) if count <= 5 else (2, math.ceil(count / 2))


def _cells(count: int, width: float, height: float, region: Box) -> tuple[Box, tuple[Box, ...]]:
    """Place step boxes in rows; a second row runs right to left so arrows stay short."""
    rows, cols = _grid(count)
    total_w = cols * width + (cols - 1) * STEP_GAP
    total_h = BADGE / 2 + rows * height + (rows - 1) * STEP_ROW_GAP
    left, top = region.x + (region.w - total_w) / 2, region.y + (region.h - total_h) / 2
    cells = []
    for i in range(count):
        row, col = divmod(i, cols)
        col = cols - 1 - col if row % 2 else col
        y = top + BADGE / 2 + row * (height + STEP_ROW_GAP)
        cells.append(Box(left + col * (width + STEP_GAP), y, width, height))
    return Box(left, top, total_w, total_h), tuple(cells)


def _fit_steps(steps: StepsBlock, region: Box, family: FontFamily) -> Part | None:
    count = len(steps.steps)
    if count > MAX_STEPS:
        return None
    rows, cols = _grid(max(count, 1))
    width = min(STEP_MAX_WIDTH, (region.w - (cols - 1) * STEP_GAP) / cols)
    room = (region.h - BADGE / 2 - (rows - 1) * STEP_ROW_GAP) / rows
    for size in range(DIAGRAM_MAX_PT, DIAGRAM_MIN_PT - 1, -1):
        need = max(
            (
                text_height(step_paras(steps, i), family, size, width, size, STEP_INSETS)
                for i in range(count)
            ),
            default=0.0,
        )
        if need <= room:
            box, cells = _cells(count, width, max(need, min(room, STEP_PREFERRED_HEIGHT)), region)
            return StepsPart(box, size, steps, cells)
    return None


def _fit_figure(group: _Group, region: Box, family: FontFamily, limits: _Limits) -> Part | None:
    if isinstance(group, Table):
        return _fit_table(group, region, family, limits)
    if isinstance(group, QuoteBlock):
        return _fit_quote(group, region, family, limits)
    if isinstance(group, StepsBlock):
        return _fit_steps(group, region, family)
    return None


def _place(
    groups: Sequence[_Group], box: Box, family: FontFamily, size: int, limits: _Limits
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
        part = _fit_figure(group, Box(box.x, y, box.w, share), family, limits)
        if part is None:
            return None
        parts.append(part)
        y += share + GAP
    return tuple(parts)


def _fit_stack(
    groups: Sequence[_Group], box: Box, family: FontFamily, limits: _Limits
) -> tuple[int, tuple[Part, ...]] | None:
    """Return the largest body size at which every group fits the box, with the placed parts."""
    has_text = any(isinstance(g, tuple) for g in groups)
    for size in range(limits.hi, limits.lo - 1, -1) if has_text else (limits.hi,):
        parts = _place(groups, box, family, size, limits)
        if parts is not None:
            return (size if has_text else 0), parts
    return None


# ---- units, continuation and titles ------------------------------------------------------


def _units(slide: Slide, with_subtitle: bool) -> list[_Unit]:
    units = (
        [_Unit(Para(slide.subtitle, "lead"), slide.at)] if with_subtitle and slide.subtitle else []
    )
    for block in slide.blocks:
        at = block.at or slide.at
        if isinstance(block, Paragraph):
            units.append(_Unit(Para(block.runs, block.style, at=at), at))
        elif isinstance(block, ListBlock):
            style = "number" if block.ordered else "bullet"
            for i, item in enumerate(block.items):
                item_at = (block.item_at[i] if i < len(block.item_at) else "") or at
                units.append(_Unit(Para(item, style, i + 1, item_at), item_at))
        elif isinstance(block, Table):
            body = [i for i, row in enumerate(block.rows) if not row.header] or [-1]
            units.extend(_Unit(_Row(block, i), at) for i in body)
        elif isinstance(block, QuoteBlock | StepsBlock):
            units.append(_Unit(block, at))
        elif hasattr(block, "runs"):  # a heading: no other block carries inline text here
            units.append(_Unit(Para(block.runs, "heading", at=at), at))
    return units


def _key(unit: _Unit) -> object:
    if isinstance(unit.item, Para):
        return "text"
    return unit.item.table if isinstance(unit.item, _Row) else unit


def _groups(units: Sequence[_Unit]) -> list[_Group]:
    groups: list[_Group] = []
    start = 0
    for end in range(1, len(units) + 1):
        if end < len(units) and _key(units[end]) == _key(units[start]):
            continue
        run, first = units[start:end], units[start].item
        if isinstance(first, Para):
            groups.append(tuple(u.item for u in run if isinstance(u.item, Para)))
        elif isinstance(first, _Row):
            table = first.table
            header = tuple(r for r in table.rows if r.header)
            picked = tuple(
                table.rows[u.item.index]
                for u in run
                if isinstance(u.item, _Row) and u.item.index >= 0
            )
            groups.append(Table(header + picked, table.widths, table.line, table.at))
        else:
            groups.append(first)
        start = end
    return groups


def _bullets(units: Sequence[_Unit]) -> int:
    return sum(isinstance(u.item, Para) and u.item.style in MARKED_STYLES for u in units)


def _problem(at: str, message: str) -> Problem:
    file, sep, line = at.rpartition(":")
    if sep and line.isdigit():
        return Problem(file, int(line), message)
    return Problem(at or "deck", 0, message)


def _unfit(unit: _Unit, lo: int) -> LayoutError:
    item = unit.item
    if isinstance(item, StepsBlock):
        message = (
            f"process cannot fit: use at most {MAX_STEPS} steps whose text fits a box at "
            f"{DIAGRAM_MIN_PT} pt: shorten the steps or split the process"
        )
    elif isinstance(item, QuoteBlock):
        message = f"quote cannot fit on one slide at {lo} pt: shorten it"
    else:
        runs = item.runs if isinstance(item, Para) else _row_runs(item)
        snippet = "".join(r.text for r in runs)[:40]
        message = (
            f"text cannot fit on one slide at {lo} pt: shorten it or split it into several "
            f"points ({snippet!r})"
        )
    return LayoutError(_problem(unit.at, message))


def _row_runs(row: _Row) -> Inline:
    if row.index < 0:
        return ()
    return tuple(r for cell in row.table.rows[row.index].cells for r in cell)


Fits = Callable[[Sequence[_Unit]], bool]


_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")


def _sentences(runs: Inline) -> list[Inline]:
    """Split inline text after sentence ends, keeping each run's style."""
    out: list[list[Run]] = [[]]
    for run in runs:
        start = 0
        for m in _SENTENCE_END.finditer(run.text):
            if m.start() > start:
                out[-1].append(Run(run.text[start : m.start()], run.bold, run.italic))
            out.append([])
            start = m.end()
        if start < len(run.text):
            out[-1].append(Run(run.text[start:], run.bold, run.italic))
    return [tuple(s) for s in out if s]


def _expand(unit: _Unit, fits: Fits, lo: int) -> list[_Unit]:
    """Return the unit, or a long paragraph cut at sentence ends into pieces that each fit."""
    if fits([unit]):
        return [unit]
    para = unit.item
    if not isinstance(para, Para) or para.style in MARKED_STYLES:
        raise _unfit(unit, lo)

    def piece(runs: Inline) -> _Unit:
        return _Unit(replace(para, runs=runs), unit.at)

    pieces: list[_Unit] = []
    current: Inline = ()
    for sentence in _sentences(para.runs):
        trial = (*current, Run(" "), *sentence) if current else sentence
        if fits([piece(trial)]):
            current = trial
        elif current and fits([piece(sentence)]):
            pieces.append(piece(current))
            current = sentence
        else:
            raise _unfit(unit, lo)
    return [*pieces, piece(current)]


def _split(units: Sequence[_Unit], fits: Fits, lo: int) -> list[list[_Unit]]:
    """Fill slides greedily at bullet (or sentence) boundaries, then even out neighbours."""
    chunks: list[list[_Unit]] = []
    current: list[_Unit] = []
    for unit in (piece for u in units for piece in _expand(u, fits, lo)):
        if fits([*current, unit]):
            current.append(unit)
        else:
            chunks.append(current)
            current = [unit]
    chunks.append(current)
    for i in range(len(chunks) - 2, -1, -1):
        a, b = chunks[i], chunks[i + 1]
        while len(a) - len(b) > 1 and fits(a[:-1]) and fits([a[-1], *b]):
            a, b = a[:-1], [a[-1], *b]
        chunks[i], chunks[i + 1] = a, b
    return chunks


def _limits(kind: str, brand: Brand) -> _Limits:
    hi = min(brand.body_max_pt, 22) if kind == "title" else brand.body_max_pt
    return _Limits(brand.body_min_pt, max(brand.body_min_pt, hi))


def _subtitle(slide: Slide, box: Box, brand: Brand) -> TextPart | None:
    if not slide.subtitle:
        return None
    paras = (Para(slide.subtitle, "lead", at=slide.at),)
    lo = brand.body_min_pt
    size = fit_body(paras, box.w, box.h, brand.body_font, lo, max(lo, min(28, brand.body_max_pt)))
    if size is None:
        raise LayoutError(_problem(slide.at, f"subtitle cannot fit at {lo} pt: shorten it"))
    return TextPart(box, size, paras)


def _chunks(
    slide: Slide, units: list[_Unit], fit: Callable[..., object], lo: int
) -> list[list[_Unit]]:
    if slide.kind in SPLIT_KINDS:
        return _split(units, lambda c: _bullets(c) <= MAX_BULLETS and fit(c) is not None, lo)
    if fit(units) is None:
        culprit = next((u for u in units if fit([u]) is None), None)
        if culprit is not None:
            raise _unfit(culprit, lo)
        message = f"slide content cannot fit at {lo} pt: shorten it or move some to another slide"
        raise LayoutError(_problem(slide.at, message))
    return [units]


def _plan_slide(slide: Slide, frame: Frame, brand: Brand) -> list[PlannedSlide]:
    family, limits = brand.body_font, _limits(slide.kind, brand)
    subtitle = _subtitle(slide, frame.subtitle, brand) if frame.subtitle else None
    units = _units(slide, with_subtitle=frame.subtitle is None)

    def fit(chunk: Sequence[_Unit], hi: int = limits.hi) -> tuple[int, tuple[Part, ...]] | None:
        return _fit_stack(_groups(chunk), frame.body, family, _Limits(limits.lo, hi))

    chunks = _chunks(slide, units, fit, limits.lo)
    # Continued slides share one body size, so the text does not jump between them.
    sizes = [s for s, _ in (fit(c) or (0, ()) for c in chunks) if s]
    cap = min(sizes, default=limits.hi)
    planned = []
    for k, chunk in enumerate(chunks):
        size, parts = fit(chunk, cap) or (0, ())
        title = slide.title if k == 0 else f"{slide.title} (cont.{'' if k == 1 else f' {k}'})"
        planned.append(PlannedSlide(slide, title, 0, size, parts, subtitle, k))
    return planned


def title_lines_for(kind: str) -> int:
    """Return how many lines a title may take on a slide of this kind."""
    return COVER_TITLE_LINES if kind == "title" else TITLE_LINES


def _title_max(kind: str, brand: Brand) -> int:
    extra = {"title": 8, "section": 4}.get(kind, 0)
    return max(TITLE_MIN_PT, brand.title_max_pt + extra)


def _titled(planned: list[PlannedSlide], geometry: Geometry, brand: Brand) -> list[PlannedSlide]:
    """Make titles unique (PowerPoint's accessibility checker asks for it) and size them."""
    seen: set[str] = set()
    out = []
    for p in planned:
        if not p.title.strip():
            raise LayoutError(_problem(p.slide.at, "expected a non-empty slide title"))
        title, n = p.title, 2
        while title.casefold() in seen:
            title, n = f"{p.title} ({n})", n + 1
        seen.add(title.casefold())
        box, lines = geometry.frames[p.slide.kind].title, title_lines_for(p.slide.kind)
        size = fit_title(title, brand.heading_font, box, _title_max(p.slide.kind, brand), lines)
        if size is None:
            message = f"title cannot fit in {lines} lines at {TITLE_MIN_PT} pt: shorten it"
            raise LayoutError(_problem(p.slide.at, message))
        out.append(replace(p, title=title, title_pt=size))
    return out


def plan_deck(deck: Deck, geometry: Geometry, brand: Brand) -> list[PlannedSlide]:
    """Return every slide of the deck planned: continued, sized and placed, or raise LayoutError."""
    planned: list[PlannedSlide] = []
    for slide in deck.slides:
        frame = geometry.frames.get(slide.kind)
        if frame is None:
            kinds = ", ".join(sorted(geometry.frames))
            raise LayoutError(_problem(slide.at, f"expected a slide kind of {kinds}"))
        planned.extend(_plan_slide(slide, frame, brand))
    return _titled(planned, geometry, brand)
