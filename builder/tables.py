"""Tables on a slide: columns sized by content, rows too tall for a slide cut at word ends, and a
table placed whole or in two halves side by side.

Layout sizes a table's columns and cuts its rows once, before continuation splits it between
rows (the header repeated on each slide); placement then fits each slide's rows with
`fit_table`. Pure functions in points, over measure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from builder.document import Inline, Row, Run, Table
from builder.fonts import FontFamily, metrics
from builder.hyphenate import hyphen_points, is_link
from builder.measure import (
    CELL_INSETS,
    SAFETY,
    Box,
    line_height,
    row_heights,
    table_columns,
    word_breaks,
    wrap_runs,
)

TABLE_MAX_PT = 24
SIDE_BY_SIDE_COLUMNS = 3  # a table this narrow may set its rows in two halves side by side
SIDE_BY_SIDE_MIN_ROWS = 4


@dataclass(frozen=True)
class TablePart:
    """A table (header rows repeated on continuations) with measured rows and columns."""

    box: Box
    size: int
    table: Table
    rows: tuple[float, ...]
    columns: tuple[float, ...]


# ---- columns ------------------------------------------------------------------------------


def content_widths(
    table: Table, width: float, family: FontFamily, size: float
) -> tuple[float, ...]:
    """Return relative column widths (summing to 1) sized by content, as browsers size tables:
    each column between its longest word and its longest cell on one line."""
    least, most = _natural(table, family, size)
    spare, stretch = width - sum(least), sum(most) - sum(least)
    if spare < 0:  # words must break somewhere: no column squeezed below its fair share
        chosen = _shared(least, width)
    elif sum(most) <= width or stretch <= 0:
        chosen = most if sum(most) <= width else least
    else:
        chosen = [lo + spare * (hi - lo) / stretch for lo, hi in zip(least, most, strict=True)]
    total = sum(chosen) or 1.0
    return tuple(w / total for w in chosen)


def _shared(least: list[float], width: float) -> list[float]:
    """Return widths summing to width where the longest words do not all fit: a column whose
    longest word is narrower than an even share of what is left gets just that, and the
    columns of longer words share the rest evenly (each word then breaks as little as it can)."""
    chosen = list(least)
    left, wide = width, sorted(range(len(least)), key=lambda j: least[j])
    while wide:
        share = left / len(wide)
        if least[wide[0]] > share:
            break
        left -= least[wide.pop(0)]
    for j in wide:
        chosen[j] = left / len(wide)
    return chosen


def words_fit(table: Table, width: float, family: FontFamily, size: float) -> bool:
    """Return whether every column can be as wide as its longest word (no word broken)."""
    return sum(_natural(table, family, size)[0]) <= width


def _natural(table: Table, family: FontFamily, size: float) -> tuple[list[float], list[float]]:
    """Return each column's width for its longest word and for its longest cell, insets in."""
    count = max((len(r.cells) for r in table.rows), default=0)
    least, most = [0.0] * count, [0.0] * count
    for row in table.rows:
        face = metrics(family.face(row.header, False))
        for j, runs in enumerate(row.cells):
            text = "".join(r.text for r in runs)
            pieces = [p for w in text.split() for p in _unbroken(w)] or [""]
            least[j] = max(least[j], *(face.width(p, size) for p in pieces))
            most[j] = max(most[j], face.width(text, size))
    pad = 2 * CELL_INSETS.x + 1.0
    least = [w * SAFETY + pad for w in least]
    return least, [max(w * SAFETY + pad, lo) for w, lo in zip(most, least, strict=True)]


def _unbroken(word: str) -> list[str]:
    """Return a word's pieces no line breaks inside: a link's between its separators (layout
    breaks links there), else the word whole."""
    if not is_link(word):
        return [word]
    points = (0, *hyphen_points(word, ""), len(word))
    return [word[a:b] for a, b in zip(points, points[1:], strict=False)]


# ---- rows too tall for a slide ------------------------------------------------------------


def slide_table(table: Table, body: Box, family: FontFamily, floor: int, reserved: float) -> Table:
    """Return a table with its rows cut to fit a slide at the floor under the header and
    reserved points (source lines), its columns over the body's width."""
    sized = table if table.widths else _sized(table, body.w, family, floor)
    header = Table(tuple(r for r in table.rows if r.header), sized.widths)
    columns = table_columns(sized, body.w, family, floor)
    room = body.h - reserved - sum(row_heights(header, columns, family, floor)) - 1.0
    cut = cut_tall_rows(sized, body.w, room, family, floor)
    if cut.rows == sized.rows and (
        table.widths or not _outgrown(table, body, family, floor, reserved)
    ):
        return replace(cut, widths=table.widths)
    # rows cut for these columns keep them exactly: sized anew by the content of a slide's
    # rows, a row (or a piece of a long cell) could need more lines than the room it fits
    return replace(cut, widths=tuple(c / body.w for c in columns), exact=True)


def _outgrown(table: Table, body: Box, family: FontFamily, floor: int, reserved: float) -> bool:
    """Return whether a body row on a slide of its own, its columns sized by its content and
    the header's at the floor, would be taller than the slide leaves it."""
    header = tuple(r for r in table.rows if r.header)
    for row in (r for r in table.rows if not r.header):
        alone = _sized(replace(table, rows=(*header, row)), body.w, family, floor)
        columns = table_columns(alone, body.w, family, floor)
        if sum(row_heights(alone, columns, family, floor)) > body.h - reserved:
            return True
    return False


def _sized(table: Table, width: float, family: FontFamily, size: float) -> Table:
    return replace(table, widths=content_widths(table, width, family, size))


def cut_tall_rows(table: Table, width: float, room: float, family: FontFamily, size: int) -> Table:
    """Return the table with each body row taller than room (at size, over width) cut at word
    ends into rows that fit: a long cell goes on in the row below, under its column. Header
    rows stay whole: room is what they leave."""
    columns = table_columns(table, width, family, size)
    pad = CELL_INSETS.top + CELL_INSETS.bottom
    lines = max(1, math.floor((room / SAFETY - pad) / (line_height(family) * size)))
    rows: list[Row] = []
    for row in table.rows:
        tall = not row.header and row_heights(Table((row,)), columns, family, size)[0] > room
        rows.extend(_cut_row(row, columns, lines, family, size) if tall else [row])
    return replace(table, rows=tuple(rows))


def _cut_row(
    row: Row, columns: tuple[float, ...], lines: int, family: FontFamily, size: int
) -> list[Row]:
    """Return a row as rows of at most lines lines each, every cell cut at word ends."""
    words = [_words(cell) for cell in row.cells]
    widths = [(w - 2 * CELL_INSETS.x) / SAFETY for w in columns]
    out: list[Row] = []
    while any(words):
        cells = []
        for j, (left, width) in enumerate(zip(words, widths, strict=False)):
            taken = _taken(left, width, lines, family, size)
            split = _split_word(left[0], width, lines, family, size) if taken == 1 else None
            cells.append(_joined(left[:taken]) if split is None else split[0])
            words[j] = left[taken:] if split is None else [split[1], *left[1:]]
        out.append(Row(tuple(cells), row.header))
    return out


def _taken(words: list[Inline], width: float, lines: int, family: FontFamily, size: int) -> int:
    """Return how many of words fit lines lines of width (one at least, to go on)."""
    taken = 0
    while taken < len(words):
        wrapped = wrap_runs(_joined(words[: taken + 1]), family, size, width, width)
        if taken and len(wrapped) > lines:
            break
        taken += 1
    return taken


def _split_word(
    word: Inline, width: float, lines: int, family: FontFamily, size: int
) -> tuple[Inline, Inline] | None:
    """Return a word longer than lines lines of width cut where its line `lines` ends (with
    the hyphen measure adds there), or None when it fits or has runs of several styles.

    The piece is measured again on its own (a URL's tail is no longer a URL, and breaks
    otherwise): it is cut a line earlier until it takes at most lines lines.
    """
    if len(word) != 1 or not word[0].text:
        return None
    run = word[0]
    breaks = word_breaks(word, family, size, width)
    for at, hyphen in reversed(breaks[:lines] if len(breaks) >= lines else []):
        head = Run(run.text[:at] + ("-" if hyphen else ""), run.bold, run.italic)
        if len(wrap_runs((head,), family, size, width, width)) <= lines:
            return (head,), (Run(run.text[at:], run.bold, run.italic),)
    return None


def _words(runs: Inline) -> list[Inline]:
    """Return inline text as its words, each word's runs keeping their styles."""
    words: list[list[Run]] = [[]]
    for run in runs:
        for i, piece in enumerate(run.text.split(" ")):
            if i and words[-1]:
                words.append([])
            if piece.strip():
                words[-1].append(Run(piece.strip(), run.bold, run.italic))
    return [tuple(w) for w in words if w]


def _joined(words: list[Inline]) -> Inline:
    runs: list[Run] = []
    for i, word in enumerate(words):
        runs.extend([Run(" ")] if i else [])
        runs.extend(word)
    return tuple(runs)


# ---- placing a slide's rows ---------------------------------------------------------------


def fit_table(
    table: Table, region: Box, family: FontFamily, lo: int, hi: int, gap: float
) -> tuple[TablePart, ...] | None:
    """Return the table whole when it fits, else a narrow table's rows in two halves side by
    side (each with the header, gap apart): twice the rows a slide, before continuing (an
    agenda). Halves are not preferred at a larger size: their wrapped cells read worse."""
    whole = _table_at(table, region, family, lo, hi)
    if whole is not None:
        return (whole,)
    return _halves(table, region, family, lo, hi, gap)


def _halves(
    table: Table, region: Box, family: FontFamily, lo: int, hi: int, gap: float
) -> tuple[TablePart, TablePart] | None:
    header = tuple(r for r in table.rows if r.header)
    body = [r for r in table.rows if not r.header]
    narrow = max((len(r.cells) for r in table.rows), default=0) <= SIDE_BY_SIDE_COLUMNS
    if not narrow or len(body) < 2 * SIDE_BY_SIDE_MIN_ROWS:
        return None
    half, width = math.ceil(len(body) / 2), (region.w - gap) / 2
    sides = [replace(table, rows=header + tuple(rows)) for rows in (body[:half], body[half:])]
    right = Box(region.x + width + gap, region.y, width, region.h)
    for size in range(max(lo, min(hi, TABLE_MAX_PT)), lo - 1, -1):
        left = _table_at(sides[0], replace(region, w=width), family, size, size)
        other = _table_at(sides[1], right, family, size, size)
        if left is not None and other is not None:
            return left, other
    return None


def _table_at(table: Table, region: Box, family: FontFamily, lo: int, hi: int) -> TablePart | None:
    """Return the table at the largest size that fits region; a table without widths from
    the template gets columns sized by content, at a size that breaks no word if one does."""
    for size in range(max(lo, min(hi, TABLE_MAX_PT)), lo - 1, -1):
        sized = table if table.widths else _sized(table, region.w, family, size)
        if size > lo and not table.widths and not words_fit(table, region.w, family, size):
            continue
        columns = table_columns(sized, region.w, family, size)
        rows = row_heights(sized, columns, family, size)
        if sum(rows) <= region.h:
            box = Box(region.x, region.y, region.w, sum(rows))
            return TablePart(box, size, sized, rows, columns)
    return None
