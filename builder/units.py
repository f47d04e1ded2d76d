"""Units: what a slide holds, in the author's order, as the pieces continuation may not split.

The first step of layout (layout.py): a slide's blocks become paragraphs, list items, table
rows, quotes, diagrams and figures (`Unit`), and placed runs of them become groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from builder.brand import Brand
from builder.document import (
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    QuoteBlock,
    Slide,
    StepsBlock,
    Table,
)
from builder.measure import MARKED_STYLES, Box, Para, fit_body, text_height
from builder.placement import (
    DIAGRAM_MAX_PT,
    GAP,
    Frame,
    Group,
    Limits,
    fit_diagram,
    step_list,
)
from builder.tables import slide_table


@dataclass(frozen=True)
class Row:
    """One body row of a table (index -1: a table with header rows only)."""

    table: Table
    index: int


@dataclass(frozen=True)
class Unit:
    """What continuation may not split: a paragraph, a list item, a table row, a figure."""

    item: Para | Row | QuoteBlock | StepsBlock | Figure
    at: str
    fallback: tuple[Para, ...] = ()  # a diagram's steps as a list, when it cannot share a slide


@dataclass(frozen=True)
class Ctx:
    """What planning one slide needs: the brand, the body box, the limits, the language."""

    brand: Brand
    frame: Frame
    limits: Limits
    lang: str


def slide_units(slide: Slide, ctx: Ctx, with_subtitle: bool) -> tuple[list[Unit], list[Unit]]:
    """Return the slide's units and its sticky ones (source lines, on every continuation)."""
    units: list[Unit] = []
    sticky: list[Unit] = []
    if with_subtitle and slide.subtitle:
        units.append(Unit(Para(slide.subtitle, "lead", lang=ctx.lang), slide.at))
    for block in slide.blocks:
        at = block.at or slide.at
        if isinstance(block, Paragraph):
            unit = Unit(Para(block.runs, block.style, at=at, lang=ctx.lang), at)
            (sticky if block.style == "cite" else units).append(unit)
        elif isinstance(block, ListBlock):
            units.extend(_list_units(block, at, ctx.lang))
        elif isinstance(block, Table):
            units.extend(_table_units(block, at, ctx, _sources(slide, ctx)))
        elif isinstance(block, StepsBlock):
            units.extend(_steps_units(block, at, ctx))
        elif isinstance(block, QuoteBlock | Figure):
            units.append(Unit(block, at))
        elif isinstance(block, Heading):
            units.append(Unit(Para(block.runs, "heading", at=at, lang=ctx.lang), at))
    return units, sticky


def _sources(slide: Slide, ctx: Ctx) -> float:
    """Return the height the slide's source lines take under the rest, gap included."""
    cites = [b for b in slide.blocks if isinstance(b, Paragraph) and b.style == "cite"]
    paras = tuple(Para(b.runs, "cite", lang=ctx.lang) for b in cites)
    lo = ctx.limits.lo
    return text_height(paras, ctx.brand.body_font, lo, ctx.frame.body.w, lo) + GAP if cites else 0


def _table_units(table: Table, at: str, ctx: Ctx, sources: float) -> list[Unit]:
    """Return a table's body rows as units, sized and cut for a slide (builder.tables)."""
    table = slide_table(table, ctx.frame.body, ctx.brand.body_font, ctx.limits.lo, sources)
    rows = [i for i, row in enumerate(table.rows) if not row.header] or [-1]
    return [Unit(Row(table, i), at) for i in rows]


def _list_units(block: ListBlock, at: str, lang: str) -> list[Unit]:
    style = "number" if block.ordered else "bullet"
    units = []
    for i, item in enumerate(block.items):
        item_at = (block.item_at[i] if i < len(block.item_at) else "") or at
        units.append(Unit(Para(item, style, i + 1, item_at, lang), item_at))
    return units


def _steps_units(steps: StepsBlock, at: str, ctx: Ctx) -> list[Unit]:
    """Return a process as one diagram, or as numbered steps when a list reads larger."""
    body, lo = ctx.frame.body, ctx.limits.lo
    region = Box(body.x, body.y, body.w, body.h - 3 * lo - GAP)  # room for a source line
    limits = Limits(lo, max(lo, min(ctx.limits.hi, DIAGRAM_MAX_PT)))
    diagram = fit_diagram(steps, region, ctx.brand.body_font, limits, ctx.lang)
    listed = step_list(steps, ctx.lang, at)
    as_list = fit_body(listed, body.w, region.h, ctx.brand.body_font, lo, limits.hi) or lo
    if diagram is not None and diagram.size >= as_list:
        return [Unit(steps, at, listed)]
    return [Unit(p, at) for p in listed]


def _key(unit: Unit) -> object:
    if isinstance(unit.item, Para):
        return "text"
    return unit.item.table if isinstance(unit.item, Row) else unit


def _opens_group(unit: Unit) -> bool:
    """A heading starts a text frame of its own: clients number lists per frame."""
    return isinstance(unit.item, Para) and unit.item.style == "heading"


def groups(units: Sequence[Unit]) -> list[Group]:
    """Return units as the groups a slide body places: runs of text, tables, figures."""
    groups: list[Group] = []
    start = 0
    for end in range(1, len(units) + 1):
        same = end < len(units) and _key(units[end]) == _key(units[start])
        if same and not _opens_group(units[end]):
            continue
        run, first = units[start:end], units[start].item
        if isinstance(first, Para):
            groups.append(tuple(u.item for u in run if isinstance(u.item, Para)))
        elif isinstance(first, Row):
            groups.append(_table_of(first.table, run))
        else:
            groups.append(first)
        start = end
    return groups


def _table_of(table: Table, run: Sequence[Unit]) -> Table:
    header = tuple(r for r in table.rows if r.header)
    picked = tuple(
        table.rows[u.item.index] for u in run if isinstance(u.item, Row) and u.item.index >= 0
    )
    return replace(table, rows=header + picked)


def bullets(units: Sequence[Unit]) -> int:
    """Return how many of units are list items (bullets or numbers)."""
    return sum(isinstance(u.item, Para) and u.item.style in MARKED_STYLES for u in units)
