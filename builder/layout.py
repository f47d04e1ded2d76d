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
from dataclasses import replace

from builder.brand import Brand
from builder.document import (
    Deck,
    Figure,
    Inline,
    QuoteBlock,
    Run,
    Slide,
    StepsBlock,
)
from builder.errors import LayoutError, problem_at
from builder.figures import FigurePart
from builder.i18n import words_for
from builder.measure import MARKED_STYLES, Box, Para, fit_body
from builder.placement import (
    MAX_BULLETS,
    Frame,
    Geometry,
    Limits,
    Part,
    PlannedSlide,
    QuotePart,
    StepsPart,
    TablePart,
    TextPart,
    fit_stack,
    part_fits,
    quote_paras,
    step_paras,
)
from builder.rearrange import merge_sparse, resolve_optional
from builder.titles import fit_titles, title_lines_for
from builder.units import Ctx, Row, Unit, bullets, groups, slide_units

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


# ---- problems -----------------------------------------------------------------------------


def _unfit(unit: Unit, lo: int) -> LayoutError:
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


def _row_runs(row: Row | StepsBlock | Figure) -> Inline:
    if not isinstance(row, Row) or row.index < 0:
        return ()
    return tuple(r for cell in row.table.rows[row.index].cells for r in cell)


# ---- continuation -------------------------------------------------------------------------

Fits = Callable[[Sequence[Unit]], bool]

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


def _expand(unit: Unit, fits: Fits, lo: int) -> list[Unit]:
    """Return the unit, or a long paragraph cut at sentence (else word) ends into pieces."""
    if fits([unit]):
        return [unit]
    para = unit.item
    if unit.fallback:  # a diagram that cannot share its slide: its list
        return [Unit(p, unit.at) for p in unit.fallback]
    if not isinstance(para, Para):
        raise _unfit(unit, lo)
    for pattern in (_SENTENCE_END, _WORD_END):
        pieces = _cut(para, unit.at, _pieces(para.runs, pattern), fits)
        if pieces is not None:
            return pieces
    raise _unfit(unit, lo)


def _cut(para: Para, at: str, pieces: list[Inline], fits: Fits) -> list[Unit] | None:
    def unit(runs: Inline, first: bool) -> Unit:
        style = para.style if first or para.style not in MARKED_STYLES else "body"
        return Unit(replace(para, runs=runs, style=style), at)

    out: list[Unit] = []
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


def _split(units: Sequence[Unit], fits: Fits, lo: int) -> list[list[Unit]]:
    """Fill slides greedily at bullet (or sentence) boundaries, then even out neighbours."""
    chunks: list[list[Unit]] = []
    current: list[Unit] = []
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


def _fitter(ctx: Ctx, sticky: Sequence[Unit]) -> Fit:
    def fit(chunk: Sequence[Unit], hi: int = ctx.limits.hi) -> tuple[int, tuple[Part, ...]] | None:
        placed = groups([*chunk, *sticky])
        limits = Limits(ctx.limits.lo, hi)
        return fit_stack(placed, ctx.frame.body, ctx.brand.body_font, limits, ctx.lang)

    return fit


def _chunks(slide: Slide, units: list[Unit], fit: Fit, lo: int) -> list[list[Unit]]:
    if slide.kind not in NO_SPLIT:
        return _split(units, lambda c: bullets(c) <= MAX_BULLETS and fit(c) is not None, lo)
    if fit(units) is None:
        culprit = next((u for u in units if fit([u]) is None), None)
        if culprit is not None:
            raise _unfit(culprit, lo)
        message = f"slide content cannot fit at {lo} pt: shorten it or move some to another slide"
        raise LayoutError(problem_at(slide.at, message))
    return [units]


def _plan_slide(slide: Slide, frame: Frame, brand: Brand, lang: str) -> list[PlannedSlide]:
    ctx = Ctx(brand, frame, _limits(slide.kind, brand), lang)
    subtitle = _subtitle(slide, frame.subtitle, brand, lang) if frame.subtitle else None
    units, sticky = slide_units(slide, ctx, with_subtitle=subtitle is None)
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
    return fit_titles(planned, geometry, brand, lang, deck.meta.draft)
