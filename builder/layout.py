"""Layout: plan every slide of the deck before it is written.

Sits between markup and the deck writer, over placement (one slide body) and measure (text).
Pure functions over the document model, in points. When text does not fit its first choice,
layout adapts in this order: another arrangement (presenters on one line or on their own
slide, a process as two rows or a numbered list), a smaller size down to the brand's floor,
hyphenation (measure), continuation slides. Sparse neighbouring slides share one slide.
Generated titles never fail: a title that no size fits is shortened at a word, with "…".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from builder.brand import Brand
from builder.document import (
    Deck,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Paragraph,
    QuoteBlock,
    Run,
    Slide,
    StepsBlock,
    Table,
)
from builder.errors import LayoutError, problem_at
from builder.figures import FigurePart
from builder.i18n import words_for
from builder.measure import MARKED_STYLES, Box, Para, fit_body, text_height
from builder.placement import (
    DIAGRAM_MAX_PT,
    GAP,
    MAX_BULLETS,
    Frame,
    Geometry,
    Group,
    Limits,
    Part,
    PlannedSlide,
    QuotePart,
    StepsPart,
    TablePart,
    TextPart,
    fit_diagram,
    fit_stack,
    part_fits,
    quote_paras,
    step_list,
    step_paras,
)
from builder.rearrange import merge_sparse, resolve_optional
from builder.tables import slide_table
from builder.titles import fit_titles, title_lines_for

__all__ = [
    "FigurePart",
    "Frame",
    "Geometry",
    "Part",
    "PlannedSlide",
    "QuotePart",
    "StepsPart",
    "TablePart",
    "TextPart",
    "part_fits",
    "plan_deck",
    "quote_paras",
    "step_paras",
    "title_lines_for",
]

NO_SPLIT = ("title", "section")


@dataclass(frozen=True)
class _Row:
    table: Table
    index: int  # -1: a table with header rows only


@dataclass(frozen=True)
class _Unit:
    """What continuation may not split: a paragraph, a list item, a table row, a figure."""

    item: Para | _Row | QuoteBlock | StepsBlock | Figure
    at: str
    fallback: tuple[Para, ...] = ()  # a diagram's steps as a list, when it cannot share a slide


@dataclass(frozen=True)
class _Ctx:
    """What planning one slide needs: the brand, the body box, the limits, the language."""

    brand: Brand
    frame: Frame
    limits: Limits
    lang: str


# ---- units: what a slide holds, in the author's order -----------------------------------------


def _units(slide: Slide, ctx: _Ctx, with_subtitle: bool) -> tuple[list[_Unit], list[_Unit]]:
    """Return the slide's units and its sticky ones (source lines, on every continuation)."""
    units: list[_Unit] = []
    sticky: list[_Unit] = []
    if with_subtitle and slide.subtitle:
        units.append(_Unit(Para(slide.subtitle, "lead", lang=ctx.lang), slide.at))
    for block in slide.blocks:
        at = block.at or slide.at
        if isinstance(block, Paragraph):
            unit = _Unit(Para(block.runs, block.style, at=at, lang=ctx.lang), at)
            (sticky if block.style == "cite" else units).append(unit)
        elif isinstance(block, ListBlock):
            units.extend(_list_units(block, at, ctx.lang))
        elif isinstance(block, Table):
            units.extend(_table_units(block, at, ctx, _sources(slide, ctx)))
        elif isinstance(block, StepsBlock):
            units.extend(_steps_units(block, at, ctx))
        elif isinstance(block, QuoteBlock | Figure):
            units.append(_Unit(block, at))
        elif isinstance(block, Heading):
            units.append(_Unit(Para(block.runs, "heading", at=at, lang=ctx.lang), at))
    return units, sticky


def _sources(slide: Slide, ctx: _Ctx) -> float:
    """Return the height the slide's source lines take under the rest, gap included."""
    cites = [b for b in slide.blocks if isinstance(b, Paragraph) and b.style == "cite"]
    paras = tuple(Para(b.runs, "cite", lang=ctx.lang) for b in cites)
    lo = ctx.limits.lo
    return text_height(paras, ctx.brand.body_font, lo, ctx.frame.body.w, lo) + GAP if cites else 0


def _table_units(table: Table, at: str, ctx: _Ctx, sources: float) -> list[_Unit]:
    """Return a table's body rows as units, sized and cut for a slide (builder.tables)."""
    table = slide_table(table, ctx.frame.body, ctx.brand.body_font, ctx.limits.lo, sources)
    rows = [i for i, row in enumerate(table.rows) if not row.header] or [-1]
    return [_Unit(_Row(table, i), at) for i in rows]


def _list_units(block: ListBlock, at: str, lang: str) -> list[_Unit]:
    style = "number" if block.ordered else "bullet"
    units = []
    for i, item in enumerate(block.items):
        item_at = (block.item_at[i] if i < len(block.item_at) else "") or at
        units.append(_Unit(Para(item, style, i + 1, item_at, lang), item_at))
    return units


def _steps_units(steps: StepsBlock, at: str, ctx: _Ctx) -> list[_Unit]:
    """Return a process as one diagram, or as numbered steps when a list reads larger."""
    body, lo = ctx.frame.body, ctx.limits.lo
    region = Box(body.x, body.y, body.w, body.h - 3 * lo - GAP)  # room for a source line
    limits = Limits(lo, max(lo, min(ctx.limits.hi, DIAGRAM_MAX_PT)))
    diagram = fit_diagram(steps, region, ctx.brand.body_font, limits, ctx.lang)
    listed = step_list(steps, ctx.lang, at)
    as_list = fit_body(listed, body.w, region.h, ctx.brand.body_font, lo, limits.hi) or lo
    if diagram is not None and diagram.size >= as_list:
        return [_Unit(steps, at, listed)]
    return [_Unit(p, at) for p in listed]


def _key(unit: _Unit) -> object:
    if isinstance(unit.item, Para):
        return "text"
    return unit.item.table if isinstance(unit.item, _Row) else unit


def _opens_group(unit: _Unit) -> bool:
    """A heading starts a text frame of its own: clients number lists per frame."""
    return isinstance(unit.item, Para) and unit.item.style == "heading"


def _groups(units: Sequence[_Unit]) -> list[Group]:
    groups: list[Group] = []
    start = 0
    for end in range(1, len(units) + 1):
        same = end < len(units) and _key(units[end]) == _key(units[start])
        if same and not _opens_group(units[end]):
            continue
        run, first = units[start:end], units[start].item
        if isinstance(first, Para):
            groups.append(tuple(u.item for u in run if isinstance(u.item, Para)))
        elif isinstance(first, _Row):
            groups.append(_table_of(first.table, run))
        else:
            groups.append(first)
        start = end
    return groups


def _table_of(table: Table, run: Sequence[_Unit]) -> Table:
    header = tuple(r for r in table.rows if r.header)
    picked = tuple(
        table.rows[u.item.index] for u in run if isinstance(u.item, _Row) and u.item.index >= 0
    )
    return Table(header + picked, table.widths, table.line, table.at)


def _bullets(units: Sequence[_Unit]) -> int:
    return sum(isinstance(u.item, Para) and u.item.style in MARKED_STYLES for u in units)


# ---- problems -----------------------------------------------------------------------------


def _unfit(unit: _Unit, lo: int) -> LayoutError:
    item = unit.item
    if isinstance(item, QuoteBlock):
        message = f"quote cannot fit on one slide at {lo} pt: shorten it"
    elif isinstance(item, Figure):
        message = f"figure and its caption cannot fit on one slide at {lo} pt: shorten the caption"
    else:
        runs = item.runs if isinstance(item, Para) else _row_runs(item)
        snippet = "".join(r.text for r in runs)[:40]
        message = (
            f"text cannot fit on one slide at {lo} pt: shorten it or split it into several "
            f"points ({snippet!r})"
        )
    return LayoutError(problem_at(unit.at, message))


def _row_runs(row: _Row | StepsBlock | Figure) -> Inline:
    if not isinstance(row, _Row) or row.index < 0:
        return ()
    return tuple(r for cell in row.table.rows[row.index].cells for r in cell)


# ---- continuation -------------------------------------------------------------------------

Fits = Callable[[Sequence[_Unit]], bool]

_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")
_WORD_END = re.compile(r"\s+")


def _pieces(runs: Inline, pattern: re.Pattern[str]) -> list[Inline]:
    """Split inline text where pattern matches (sentence or word ends), keeping run styles."""
    out: list[list[Run]] = [[]]
    for run in runs:
        start = 0
        for m in pattern.finditer(run.text):
            if m.start() > start:
                out[-1].append(Run(run.text[start : m.start()], run.bold, run.italic))
            out.append([])
            start = m.end()
        if start < len(run.text):
            out[-1].append(Run(run.text[start:], run.bold, run.italic))
    return [tuple(s) for s in out if s]


def _expand(unit: _Unit, fits: Fits, lo: int) -> list[_Unit]:
    """Return the unit, or a long paragraph cut at sentence (else word) ends into pieces."""
    if fits([unit]):
        return [unit]
    para = unit.item
    if unit.fallback:  # a diagram that cannot share its slide: its list
        return [_Unit(p, unit.at) for p in unit.fallback]
    if not isinstance(para, Para):
        raise _unfit(unit, lo)
    for pattern in (_SENTENCE_END, _WORD_END):
        pieces = _cut(para, unit.at, _pieces(para.runs, pattern), fits)
        if pieces is not None:
            return pieces
    raise _unfit(unit, lo)


def _cut(para: Para, at: str, pieces: list[Inline], fits: Fits) -> list[_Unit] | None:
    def unit(runs: Inline, first: bool) -> _Unit:
        style = para.style if first or para.style not in MARKED_STYLES else "body"
        return _Unit(replace(para, runs=runs, style=style), at)

    out: list[_Unit] = []
    current: Inline = ()
    for piece in pieces:
        trial = (*current, Run(" "), *piece) if current else piece
        if fits([unit(trial, not out)]):
            current = trial
        elif current and fits([unit(piece, False)]):
            out.append(unit(current, not out))
            current = piece
        else:
            return None
    return [*out, unit(current, not out)]


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
    return [c for c in chunks if c] or [[]]


def _limits(kind: str, brand: Brand) -> Limits:
    hi = min(brand.body_max_pt, 22) if kind == "title" else brand.body_max_pt
    return Limits(brand.body_min_pt, max(brand.body_min_pt, hi))


def _subtitle(slide: Slide, box: Box, brand: Brand, lang: str) -> TextPart | None:
    """Return the subtitle in its own box, or None when it has none or needs more room than
    the box gives even at the floor (it then leads the body, above the details)."""
    if not slide.subtitle:
        return None
    paras = (Para(slide.subtitle, "lead", at=slide.at, lang=lang),)
    lo = brand.body_min_pt
    size = fit_body(paras, box.w, box.h, brand.body_font, lo, max(lo, min(28, brand.body_max_pt)))
    return TextPart(box, size, paras) if size is not None else None


Fit = Callable[..., "tuple[int, tuple[Part, ...]] | None"]


def _fitter(ctx: _Ctx, sticky: Sequence[_Unit]) -> Fit:
    def fit(chunk: Sequence[_Unit], hi: int = ctx.limits.hi) -> tuple[int, tuple[Part, ...]] | None:
        groups = _groups([*chunk, *sticky])
        limits = Limits(ctx.limits.lo, hi)
        return fit_stack(groups, ctx.frame.body, ctx.brand.body_font, limits, ctx.lang)

    return fit


def _chunks(slide: Slide, units: list[_Unit], fit: Fit, lo: int) -> list[list[_Unit]]:
    if slide.kind not in NO_SPLIT:
        return _split(units, lambda c: _bullets(c) <= MAX_BULLETS and fit(c) is not None, lo)
    if fit(units) is None:
        culprit = next((u for u in units if fit([u]) is None), None)
        if culprit is not None:
            raise _unfit(culprit, lo)
        message = f"slide content cannot fit at {lo} pt: shorten it or move some to another slide"
        raise LayoutError(problem_at(slide.at, message))
    return [units]


def _plan_slide(slide: Slide, frame: Frame, brand: Brand, lang: str) -> list[PlannedSlide]:
    ctx = _Ctx(brand, frame, _limits(slide.kind, brand), lang)
    subtitle = _subtitle(slide, frame.subtitle, brand, lang) if frame.subtitle else None
    units, sticky = _units(slide, ctx, with_subtitle=subtitle is None)
    fit = _fitter(ctx, sticky)
    chunks = _chunks(slide, units, fit, ctx.limits.lo)
    # Continued slides share one body size, so the text does not jump between them; a
    # continued table its size too.
    sizes = [_smallest(fit(c), len(chunks) > 1) for c in chunks]
    cap = min((s for s in sizes if s), default=ctx.limits.hi)
    words = words_for(lang)
    planned = []
    for k, chunk in enumerate(chunks):
        size, parts = fit(chunk, cap) or (0, ())
        title = slide.title
        if k:
            title += " " + (words("continued") if k == 1 else words("continued_n", n=k))
        planned.append(PlannedSlide(slide, title, 0, size, parts, subtitle, k))
    return planned


def _smallest(fitted: tuple[int, tuple[Part, ...]] | None, continued: bool) -> int:
    """Return a fitted slide's body size (0: no text), or on a continued slide its tables'
    size when smaller."""
    if fitted is None:
        return 0
    size, parts = fitted
    sizes = [p.size for p in parts if continued and isinstance(p, TablePart)]
    return min([size, *sizes] if size else sizes, default=0)


def _fits_one(slide: Slide, frame: Frame, brand: Brand, lang: str) -> PlannedSlide | None:
    """Return the slide planned on one slide, or None when it needs more or cannot fit."""
    try:
        planned = _plan_slide(slide, frame, brand, lang)
    except LayoutError:
        return None
    return planned[0] if len(planned) == 1 else None


def plan_deck(deck: Deck, geometry: Geometry, brand: Brand) -> list[PlannedSlide]:
    """Return every slide of the deck planned: continued, sized and placed, or raise LayoutError."""
    lang = deck.meta.lang
    for slide in deck.slides:
        if slide.kind not in geometry.frames:
            kinds = ", ".join(sorted(geometry.frames))
            raise LayoutError(problem_at(slide.at, f"expected a slide kind of {kinds}"))

    def fits(slide: Slide, frame: Frame) -> PlannedSlide | None:
        return _fits_one(slide, frame, brand, lang)

    slides, frames = resolve_optional(deck.slides, geometry, fits)
    slides = merge_sparse(slides, geometry, fits, brand.body_max_pt)
    planned: list[PlannedSlide] = []
    for slide in slides:
        frame = frames.get(slide, geometry.frames[slide.kind])
        planned.extend(_plan_slide(slide, frame, brand, lang))
    return fit_titles(planned, geometry, brand, lang)
