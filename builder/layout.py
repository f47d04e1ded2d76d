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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from builder.brand import Brand
from builder.document import (
    Block,
    Deck,
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
from builder.errors import LayoutError, Problem
from builder.i18n import words_for
from builder.measure import (
    MARKED_STYLES,
    TITLE_LINES,
    TITLE_MIN_PT,
    Box,
    Para,
    fit_body,
    fit_title,
)
from builder.placement import (
    DIAGRAM_MAX_PT,
    GAP,
    Group,
    Limits,
    Part,
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

__all__ = [
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

COVER_TITLE_LINES = 3  # the title slide's own title reads best in three lines at most
MANY_LINES = 12  # when the preferred lines cannot hold a title, as many as its box holds
MAX_BULLETS = 6
MERGE_MIN_PT = 24  # neighbours share a slide only if their text stays this large
SPARSE_ITEMS = 2  # a slide of one or two items may join a neighbour down to SPARSE_MIN_PT
SPARSE_MIN_PT = 20
NO_SPLIT = ("title", "section")


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
class _Row:
    table: Table
    index: int  # -1: a table with header rows only


@dataclass(frozen=True)
class _Unit:
    """What continuation may not split: a paragraph, a list item, a table row, a figure."""

    item: Para | _Row | QuoteBlock | StepsBlock
    at: str


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
            body = [i for i, row in enumerate(block.rows) if not row.header] or [-1]
            units.extend(_Unit(_Row(block, i), at) for i in body)
        elif isinstance(block, StepsBlock):
            units.extend(_steps_units(block, at, ctx))
        elif isinstance(block, QuoteBlock):
            units.append(_Unit(block, at))
        elif isinstance(block, Heading):
            units.append(_Unit(Para(block.runs, "heading", at=at, lang=ctx.lang), at))
    return units, sticky


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
        return [_Unit(steps, at)]
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


def _problem(at: str, message: str) -> Problem:
    file, sep, line = at.rpartition(":")
    if sep and line.isdigit():
        return Problem(file, int(line), message)
    return Problem(at or "deck", 0, message)


def _unfit(unit: _Unit, lo: int) -> LayoutError:
    item = unit.item
    if isinstance(item, QuoteBlock):
        message = f"quote cannot fit on one slide at {lo} pt: shorten it"
    else:
        runs = item.runs if isinstance(item, Para) else _row_runs(item)
        snippet = "".join(r.text for r in runs)[:40]
        message = (
            f"text cannot fit on one slide at {lo} pt: shorten it or split it into several "
            f"points ({snippet!r})"
        )
    return LayoutError(_problem(unit.at, message))


def _row_runs(row: _Row | StepsBlock) -> Inline:
    if isinstance(row, StepsBlock) or row.index < 0:
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
    if isinstance(para, StepsBlock):  # a diagram that cannot share its slide: a list
        return [_Unit(p, unit.at) for p in step_list(para, "", unit.at)]
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
    if not slide.subtitle:
        return None
    paras = (Para(slide.subtitle, "lead", at=slide.at, lang=lang),)
    lo = brand.body_min_pt
    size = fit_body(paras, box.w, box.h, brand.body_font, lo, max(lo, min(28, brand.body_max_pt)))
    if size is None:
        raise LayoutError(_problem(slide.at, f"subtitle cannot fit at {lo} pt: shorten it"))
    return TextPart(box, size, paras)


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
        raise LayoutError(_problem(slide.at, message))
    return [units]


def _plan_slide(slide: Slide, frame: Frame, brand: Brand, lang: str) -> list[PlannedSlide]:
    ctx = _Ctx(brand, frame, _limits(slide.kind, brand), lang)
    subtitle = _subtitle(slide, frame.subtitle, brand, lang) if frame.subtitle else None
    units, sticky = _units(slide, ctx, with_subtitle=frame.subtitle is None)
    fit = _fitter(ctx, sticky)
    chunks = _chunks(slide, units, fit, ctx.limits.lo)
    # Continued slides share one body size, so the text does not jump between them.
    sizes = [s for s, _ in (fit(c) or (0, ()) for c in chunks) if s]
    cap = min(sizes, default=ctx.limits.hi)
    words = words_for(lang)
    planned = []
    for k, chunk in enumerate(chunks):
        size, parts = fit(chunk, cap) or (0, ())
        title = slide.title
        if k:
            title += " " + (words("continued") if k == 1 else words("continued_n", n=k))
        planned.append(PlannedSlide(slide, title, 0, size, parts, subtitle, k))
    return planned


# ---- the title slide's presenters, and sparse slides that share a slide ----------------------


def _fits_one(slide: Slide, frame: Frame, brand: Brand, lang: str) -> PlannedSlide | None:
    """Return the slide planned on one slide, or None when it needs more or cannot fit."""
    try:
        planned = _plan_slide(slide, frame, brand, lang)
    except LayoutError:
        return None
    return planned[0] if len(planned) == 1 else None


def _joined(slide: Slide, styles: tuple[str, ...]) -> Slide:
    """Return the slide with its paragraphs of these styles joined into one, with " · "."""
    found = [b for b in slide.blocks if isinstance(b, Paragraph) and b.style in styles]
    if len(found) < 2:
        return slide
    runs: list[Run] = []
    for i, p in enumerate(found):
        runs.extend([*([Run(" · ")] if i else []), *p.runs])
    joined = Paragraph(tuple(runs), found[0].style, found[0].line, found[0].at)
    first = slide.blocks.index(found[0])
    rest = [b for b in slide.blocks if b not in found]
    return replace(slide, blocks=(*rest[:first], joined, *rest[first:]))


def _without_presenters(slide: Slide) -> Slide:
    kept = (b for b in slide.blocks if not (isinstance(b, Paragraph) and b.style == "presenter"))
    return replace(slide, blocks=tuple(kept))


def _wide(frame: Frame) -> Frame:
    """Return the title frame with its details as wide as the title (no room for a logo)."""
    body = replace(frame.body, w=max(frame.body.w, frame.title.w))
    return replace(frame, body=body)


def _title_slide(slide: Slide, frame: Frame, brand: Brand, lang: str) -> tuple[Slide, bool, Frame]:
    """Return the title slide that fits, whether its presenters moved, and its frame.

    Presenters one per line, then on one line, then on their own slide; then the date, venue
    and provider in one paragraph; then the details as wide as the title.
    """
    alone = _without_presenters(slide)
    tries = [
        (slide, False, frame),
        (_joined(slide, ("presenter",)), False, frame),
        (alone, True, frame),
        (_joined(alone, ("meta",)), True, frame),
        (_joined(alone, ("meta",)), True, _wide(frame)),
    ]
    for candidate, moved, where in tries:
        if _fits_one(candidate, where, brand, lang) is not None:
            return candidate, moved, where
    return tries[-1]


def _resolve_optional(
    slides: Sequence[Slide], geometry: Geometry, brand: Brand, lang: str
) -> tuple[list[Slide], dict[Slide, Frame]]:
    """Fit title slides (moving presenters when needed) and keep optional slides only then.

    Returns the slides and the frames that differ from the template's (a widened title slide).
    """
    out: list[Slide] = []
    frames: dict[Slide, Frame] = {}
    moved = False
    for slide in slides:
        if slide.optional:
            if moved:
                out.append(replace(slide, optional=False))
            continue
        moved = False
        if slide.kind == "title":
            slide, moved, frames[slide] = _title_slide(slide, geometry.frames["title"], brand, lang)
        out.append(slide)
    return out, frames


def _merged(a: Slide, b: Slide) -> Slide:
    """Return b's content under a heading after a's, sources last, notes joined."""

    def body(s: Slide) -> list[Block]:
        return [x for x in s.blocks if not (isinstance(x, Paragraph) and x.style == "cite")]

    cites = [x for s in (a, b) for x in s.blocks if isinstance(x, Paragraph) and x.style == "cite"]
    unique = list({c.runs: c for c in cites}.values())
    heading = Heading(3, (Run(b.title),), b.line, b.at)
    blocks = (*body(a), heading, *body(b), *unique)
    return replace(a, blocks=tuple(blocks), notes=a.notes + b.notes)


def _merge_sparse(
    slides: Sequence[Slide], geometry: Geometry, brand: Brand, lang: str
) -> list[Slide]:
    """Let neighbouring mergeable slides share one slide while the text stays large."""
    out: list[Slide] = []
    for slide in slides:
        prev = out[-1] if out else None
        if prev is not None and _may_merge(prev, slide):
            candidate = _merged(prev, slide)
            plan = _fits_one(candidate, geometry.frames["content"], brand, lang)
            sparse = min(_item_count(prev), _item_count(slide)) <= SPARSE_ITEMS
            least = min(SPARSE_MIN_PT if sparse else MERGE_MIN_PT, brand.body_max_pt)
            if plan is not None and plan.body_pt >= least:
                out[-1] = candidate
                continue
        out.append(slide)
    return out


def _may_merge(a: Slide, b: Slide) -> bool:
    both = a.merge and b.merge and a.kind == b.kind == "content"
    return both and _item_count(a) + _item_count(b) <= MAX_BULLETS + 1


def _item_count(slide: Slide) -> int:
    count = 0
    for b in slide.blocks:
        if isinstance(b, ListBlock):
            count += len(b.items)
        elif isinstance(b, Paragraph):
            count += b.style != "cite"
        elif not isinstance(b, Heading):
            count += 3  # a figure weighs like a few points
    return count


# ---- titles --------------------------------------------------------------------------------


def title_lines_for(kind: str) -> int:
    """Return how many lines a title should take on a slide of this kind."""
    return COVER_TITLE_LINES if kind == "title" else TITLE_LINES


def _title_max(kind: str, brand: Brand) -> int:
    extra = {"title": 8, "section": 4}.get(kind, 0)
    return max(TITLE_MIN_PT, brand.title_max_pt + extra)


def _fit_any_title(
    title: str, kind: str, box: Box, brand: Brand, lang: str, suffix: str = ""
) -> tuple[str, int]:
    """Return the title and its size: preferred lines, then as many as the box holds, then cut.

    A cut keeps whole words where it can and always keeps the suffix (a "(2)" that makes the
    title unique), so a generated title never fails the build.
    """
    family, top = brand.heading_font, _title_max(kind, brand)
    whole = title + suffix
    for lines in (title_lines_for(kind), MANY_LINES):
        size = fit_title(whole, family, box, top, lines, lang=lang)
        if size is not None:
            return whole, size
    for cut in _cuts(title):
        size = fit_title(cut + suffix, family, box, top, MANY_LINES, lang=lang)
        if size is not None:
            return cut + suffix, size
    return "…" + suffix, TITLE_MIN_PT


def _cuts(title: str) -> Iterator[str]:
    """Yield ever shorter cuts of title ending in "…": at word ends, then (one long word) letters."""
    kept = title.split()
    while len(kept) > 1:
        kept.pop()
        yield " ".join(kept).rstrip(",;:·—–-") + "…"
    word = kept[0] if kept else ""
    for end in range(len(word) - 1, 0, -max(1, len(word) // 40)):
        yield word[:end] + "…"


def _titled(
    planned: list[PlannedSlide], geometry: Geometry, brand: Brand, lang: str
) -> list[PlannedSlide]:
    """Make titles unique (PowerPoint's accessibility checker asks for it) and size them."""
    seen: set[str] = set()
    out = []
    for p in planned:
        if not p.title.strip():
            raise LayoutError(_problem(p.slide.at, "expected a non-empty slide title"))
        box, n = geometry.frames[p.slide.kind].title, 2
        title, size = _fit_any_title(p.title, p.slide.kind, box, brand, lang)
        while title.casefold() in seen:
            title, size = _fit_any_title(p.title, p.slide.kind, box, brand, lang, f" ({n})")
            n += 1
        seen.add(title.casefold())
        out.append(replace(p, title=title, title_pt=size))
    return out


def plan_deck(deck: Deck, geometry: Geometry, brand: Brand) -> list[PlannedSlide]:
    """Return every slide of the deck planned: continued, sized and placed, or raise LayoutError."""
    lang = deck.meta.lang
    for slide in deck.slides:
        if slide.kind not in geometry.frames:
            kinds = ", ".join(sorted(geometry.frames))
            raise LayoutError(_problem(slide.at, f"expected a slide kind of {kinds}"))
    slides, frames = _resolve_optional(deck.slides, geometry, brand, lang)
    slides = _merge_sparse(slides, geometry, brand, lang)
    planned: list[PlannedSlide] = []
    for slide in slides:
        frame = frames.get(slide, geometry.frames[slide.kind])
        planned.extend(_plan_slide(slide, frame, brand, lang))
    return _titled(planned, geometry, brand, lang)
