"""Measure: how much room text takes in a PowerPoint text frame, from real font metrics.

Used by layout to plan slides and by the deck writer to match it. Pure functions in points.
Text frames are modelled the way PowerPoint draws them: line height 1.2 x size x spacing, space
before paragraphs, hanging bullet indents, 0.1 in / 0.05 in insets, greedy word wrap that
hyphenates tokens too long for a line (builder.hyphenate), and a 5% margin on width and height.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.document import Inline, Run, Table
from builder.fonts import FontFamily, metrics
from builder.hyphenate import HARD_HYPHENS, core, hyphen_points, is_link

LINE_HEIGHT = 1.2  # PowerPoint's single line of Arial, as a multiple of the font size
ARIAL_EXTENT = 1.117  # Arial's (and Arimo's) ascent + descent, in em
BODY_SPACING = 1.0
TITLE_SPACING = 0.9
SAFETY = 1.05
TITLE_MIN_PT = 24
TITLE_LINES = 2
COMPACT_CHARS = 12  # a table column whose every cell is this short is sized to its content
REFERENCE_HANG = 36.0  # APA hanging indent, 0.5 in
BOLD_STYLES = ("heading", "name")
MARKED_STYLES = ("bullet", "number")
_SCALE = {"cite": 0.7, "by": 0.7}


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the slide's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    def contains(self, other: Box, tolerance: float = 0.5) -> bool:
        """Return whether other lies inside this box."""
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.x + other.w <= self.x + self.w + tolerance
            and other.y + other.h <= self.y + self.h + tolerance
        )


@dataclass(frozen=True)
class Insets:
    """A text frame's inner margins in points."""

    x: float
    top: float
    bottom: float


TEXT_INSETS = Insets(7.2, 3.6, 3.6)  # PowerPoint's defaults: 0.1 in, 0.05 in
CELL_INSETS = TEXT_INSETS  # PowerPoint's cell margins: an agenda of 10 rows fits one slide


@dataclass(frozen=True)
class Para:
    """One paragraph as laid out: a Paragraph style or bullet, number, lead, quote, by, name."""

    runs: Inline
    style: str = "body"
    number: int = 0
    at: str = ""
    lang: str = ""  # BCP 47 tag for hyphenation; empty: English


_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")


@dataclass(frozen=True)
class _Wrapped:
    """A paragraph's lines, and the breaks the writer must draw because measure made them."""

    lines: tuple[str, ...]
    breaks: tuple[tuple[int, str], ...]  # (offset in the text, "-\n" or "\n")


class _Wrapper:
    """Greedy word wrap as PowerPoint does it, plus hyphenation of tokens too long for a line."""

    def __init__(self, widths: Sequence[float], dashes: Sequence[float], lang: str) -> None:
        self.widths, self.dashes, self.lang = widths, dashes, lang
        self.text, self.limit, self.rest = "", 0.0, 0.0
        self.lines: list[str] = []
        self.breaks: list[tuple[int, str]] = []
        self.line, self.line_w, self.space, self.space_w = "", 0.0, "", 0.0

    def wrap(self, text: str, first: float, rest: float) -> _Wrapped:
        """Return the lines of text, the first `first` points wide and the others `rest`."""
        self.text, self.limit, self.rest = text, first, rest
        start = 0
        for token in _TOKEN.findall(text):
            end = start + len(token)
            if token == "\n":
                self._end_line(self.line)
            elif token.isspace():
                self.space, self.space_w = (token, self._w(start, end)) if self.line else ("", 0.0)
            else:
                self._word(start, end)
            start = end
        return _Wrapped((*self.lines, self.line), tuple(self.breaks))

    def _w(self, start: int, end: int) -> float:
        return sum(self.widths[start:end])

    def _end_line(self, text: str) -> None:
        self.lines.append(text)
        self.line, self.line_w, self.limit, self.space, self.space_w = "", 0.0, self.rest, "", 0.0

    def _word(self, start: int, end: int) -> None:
        """Add a token: on this line if it fits, else on the next, broken if even that is short."""
        w = self._w(start, end)
        if self.line and self.line_w + self.space_w + w <= self.limit:
            self.line += self.space + self.text[start:end]
            self.line_w, self.space, self.space_w = self.line_w + self.space_w + w, "", 0.0
            return
        if self.line:
            self._end_line(self.line)
            if w > self.limit:  # drawn too: PowerPoint would pull the first piece up here
                self.breaks.append((start, "\n"))
        if w > self.limit:
            start = self._split(start, end)
        self.line, self.line_w = self.text[start:end], self._w(start, end)

    def _split(self, start: int, end: int) -> int:
        """End lines inside the token while the rest is too wide; return where the rest starts."""
        token = self.text[start:end]
        link, (lo, hi) = is_link(token), core(token)
        points = [start + p for p in hyphen_points(token, self.lang)]
        word = range(start + lo + 1, start + hi)  # character breaks keep punctuation attached
        while self._w(start, end) > self.limit:
            cut = self._cut(start, points, link) or self._char_cut(start, word, link)
            if cut is None:
                break
            mark = self._mark(cut, link)
            self.breaks.append((cut, mark + "\n"))
            self._end_line(self.text[start:cut] + mark)
            start = cut
        return start

    def _mark(self, cut: int, link: bool) -> str:
        """Return what ends a line broken at cut: a hyphen, unless a link's or after a hyphen."""
        return "" if link or self.text[cut - 1] in HARD_HYPHENS else "-"

    def _fits(self, start: int, cut: int, link: bool) -> bool:
        dash = self.dashes[cut - 1] if self._mark(cut, link) else 0.0
        return self._w(start, cut) + dash <= self.limit

    def _cut(self, start: int, points: Sequence[int], link: bool) -> int | None:
        """Return the last break point after start whose piece (hyphen included) fits."""
        fitting = [p for p in points if p > start and self._fits(start, p, link)]
        return fitting[-1] if fitting else None

    def _char_cut(self, start: int, word: range, link: bool) -> int | None:
        """Return the last character break in word whose piece fits, else the first one."""
        cuts = range(max(start + 1, word.start), word.stop)
        fitting = [c for c in cuts if self._fits(start, c, link)]
        return fitting[-1] if fitting else (cuts[0] if cuts else None)


class _SizedWidths(dict[str, float]):
    """A face's advance widths at one size, by character, each computed when first asked."""

    def __init__(self, advances: Mapping[int, float], size: float) -> None:
        super().__init__()
        self.advances, self.size = advances, size

    def __missing__(self, char: str) -> float:
        width = self[char] = self.advances.get(ord(char), 0.6) * self.size
        return width


@lru_cache(maxsize=256)
def _sized(face: Path, size: float) -> _SizedWidths:
    return _SizedWidths(metrics(face).advances, size)


@lru_cache(maxsize=8192)
def _wrapped(
    runs: Inline, bold: bool, family: FontFamily, size: float, first: float, rest: float, lang: str
) -> _Wrapped:
    widths: list[float] = []
    dashes: list[float] = []
    for run in runs:
        sized = _sized(family.face(run.bold or bold, run.italic), size)
        widths.extend(map(sized.__getitem__, run.text))
        dashes.extend([sized["-"]] * len(run.text))
    text = "".join(r.text for r in runs)
    return _Wrapper(widths, dashes, lang).wrap(text, first, rest)


def _lines(
    runs: Inline,
    bold: bool,
    family: FontFamily,
    size: float,
    first: float,
    rest: float,
    lang: str = "",
) -> tuple[str, ...]:
    return _wrapped(runs, bold, family, size, first, rest, lang).lines


def wrap_runs(
    runs: Inline, family: FontFamily, size: float, first: float, rest: float, lang: str = ""
) -> tuple[str, ...]:
    """Return the lines a client breaks runs into at full width (no safety margin): the
    first line first points wide, the others rest. Drawing uses it; layout measures with less.
    """
    return _lines(runs, False, family, size, first, rest, lang)


def word_breaks(
    word: Inline, family: FontFamily, size: float, width: float
) -> list[tuple[int, bool]]:
    """Return where a word too long for width points breaks: each next line's offset in its
    text, and whether the line before ends in a hyphen that measure adds."""
    wrapped = _wrapped(word, False, family, size, width, width, "")
    return [(at, mark.startswith("-")) for at, mark in wrapped.breaks]


def wrap_lines(
    text: str, family: FontFamily, bold: bool, size: float, width: float, lang: str = ""
) -> list[str]:
    """Return the lines PowerPoint would break text into within width points."""
    return list(_lines((Run(text),), bold, family, size, width, width, lang))


def shorten(text: str, family: FontFamily, size: float, width: float) -> str:
    """Return text, or its longest word-prefix plus an ellipsis, that fits one line of width."""
    words = text.split()
    candidate = text
    while len(wrap_lines(candidate, family, False, size, width / SAFETY)) > 1 and words:
        words.pop()
        candidate = " ".join(words) + "…"
    return candidate


def para_size(para: Para, size: int, floor: int) -> int:
    """Return the size of a paragraph in a frame whose body size is size (never below floor)."""
    scale = _SCALE.get(para.style)
    return max(floor, round(size * scale)) if scale else size


def space_before(size: float) -> float:
    """Return the space before a paragraph that follows another, in points."""
    return round(size * 0.5)


def indent(para: Para, size: float) -> tuple[float, float]:
    """Return a paragraph's left margin and first-line indent in points (marL, indent)."""
    if para.style == "bullet":
        return float(round(size)), -float(round(size))
    if para.style == "number":
        return float(round(size * 1.6)), -float(round(size * 1.6))
    if para.style == "reference":
        return REFERENCE_HANG, -REFERENCE_HANG
    return 0.0, 0.0


def para_wrapped(para: Para, family: FontFamily, size: int, width: float) -> _Wrapped:
    left, first_indent = indent(para, size)
    first = left if para.style in MARKED_STYLES else left + first_indent
    usable, bold = width / SAFETY, para.style in BOLD_STYLES
    return _wrapped(para.runs, bold, family, size, usable - first, usable - left, para.lang)


def para_lines(para: Para, family: FontFamily, size: int, width: float) -> tuple[str, ...]:
    """Return the lines of a paragraph at size in a frame of inner width points."""
    return para_wrapped(para, family, size, width).lines


def text_height(
    paras: Sequence[Para],
    family: FontFamily,
    size: int,
    width: float,
    floor: int,
    insets: Insets = TEXT_INSETS,
) -> float:
    """Return the height a text frame of width points needs to show paras at size."""
    inner, total = width - 2 * insets.x, 0.0
    for i, para in enumerate(paras):
        s = para_size(para, size, floor)
        count = len(para_lines(para, family, s, inner))
        total += count * line_height(family) * s * BODY_SPACING + (space_before(s) if i else 0.0)
    return (total + insets.top + insets.bottom) * SAFETY


def fit_body(
    paragraphs: Sequence[Para],
    box_width_pt: float,
    box_height_pt: float,
    family: FontFamily,
    min_pt: int,
    max_pt: int,
) -> int | None:
    """Return the largest size from max_pt to min_pt at which paragraphs fit the box, or None."""
    for size in range(max_pt, min_pt - 1, -1):
        if text_height(paragraphs, family, size, box_width_pt, min_pt) <= box_height_pt:
            return size
    return None


def title_lines(text: str, family: FontFamily, size: int, box: Box, lang: str = "") -> list[str]:
    """Return the lines of a (bold) title at size in its box."""
    return wrap_lines(text, family, True, size, (box.w - 2 * TEXT_INSETS.x) / SAFETY, lang)


def line_height(family: FontFamily | None) -> float:
    """Return a family's single line as a multiple of the font size.

    Clients space lines by the font's own ascent and descent: a face taller than Arial (Source
    Sans 3: 1.42 em) needs proportionally taller lines than Arial's 1.2.
    """
    if family is None:
        return LINE_HEIGHT
    face = metrics(family.regular)
    return LINE_HEIGHT * max(1.0, (face.ascent + face.descent) / ARIAL_EXTENT)


def title_height(lines: int, size: int, family: FontFamily | None = None) -> float:
    """Return the height a title of that many lines needs, insets and margin included."""
    spaced = lines * line_height(family) * size * TITLE_SPACING
    return (spaced + 2 * TEXT_INSETS.top) * SAFETY


def fit_title(
    text: str,
    family: FontFamily,
    box: Box,
    max_pt: int,
    max_lines: int = TITLE_LINES,
    lang: str = "",
) -> int | None:
    """Return the largest size down to 24 pt at which the title fits max_lines lines of box."""
    for size in range(max_pt, TITLE_MIN_PT - 1, -1):
        count = len(title_lines(text, family, size, box, lang))
        if count > 1 and size > max(TITLE_MIN_PT, max_pt - 4):
            continue  # a title that wraps reads better a little smaller
        if count <= max_lines and title_height(count, size, family) <= box.h:
            return size
    return None


def row_heights(
    table: Table, columns: Sequence[float], family: FontFamily, size: int, lang: str = ""
) -> tuple[float, ...]:
    """Return the height of each table row at size (cells have text-frame insets)."""
    heights = []
    for row in table.rows:
        tallest = 1
        for cell, width in zip(row.cells, columns, strict=False):
            usable = (width - 2 * CELL_INSETS.x) / SAFETY
            lines = _lines(cell, row.header, family, size, usable, usable, lang)
            tallest = max(tallest, len(lines))
        pad = CELL_INSETS.top + CELL_INSETS.bottom
        heights.append((tallest * line_height(family) * size + pad) * SAFETY)
    return tuple(heights)


def table_columns(
    table: Table, width: float, family: FontFamily | None = None, size: float = 0
) -> tuple[float, ...]:
    """Return the column widths of a table spread over width points.

    Given the family and size, a column of short cells (a time, a number: COMPACT_CHARS or
    fewer) gets just the width its longest cell needs, and the others share the rest.
    """
    count = max((len(r.cells) for r in table.rows), default=1)
    fractions = table.widths if len(table.widths) == count else (1 / count,) * count
    base = [width * f for f in fractions]
    if family is None or table.exact:
        return tuple(base)
    main = base.index(max(base))  # the widest column takes what the compact ones leave
    need = [None if j == main else _compact_width(table, j, family, size) for j in range(count)]
    fixed = sum(n for n in need if n is not None)
    loose = sum(b for b, n in zip(base, need, strict=True) if n is None)
    if not loose or fixed >= width or fixed + loose * 0.5 > width:
        return tuple(base)
    scale = (width - fixed) / loose
    return tuple(n if n is not None else b * scale for b, n in zip(base, need, strict=True))


def _compact_width(table: Table, column: int, family: FontFamily, size: float) -> float | None:
    """Return the width a column of short cells needs, or None for a column of longer text."""
    widest = 0.0
    for row in table.rows:
        runs = row.cells[column] if column < len(row.cells) else ()
        text = "".join(r.text for r in runs)
        if len(text) > COMPACT_CHARS:
            return None
        face = metrics(family.face(row.header, False))
        widest = max(widest, face.width(text, size))
    return widest * SAFETY + 2 * CELL_INSETS.x + 1.0
