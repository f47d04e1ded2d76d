"""Measure: how much room text takes in a PowerPoint text frame, from real font metrics.

Used by layout to plan slides and by the deck writer to match it. Pure functions in points.
Text frames are modelled the way PowerPoint draws them: line height 1.2 x size x spacing, space
before paragraphs, hanging bullet indents, 0.1 in / 0.05 in insets, greedy word wrap that breaks
over-long words, and a 5% safety margin on width and height.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from builder.document import Inline, Run, Table
from builder.fonts import FontFamily, metrics

LINE_HEIGHT = 1.2  # PowerPoint's single line, as a multiple of the font size
BODY_SPACING = 1.0
TITLE_SPACING = 0.9
SAFETY = 1.05
TITLE_MIN_PT = 24
TITLE_LINES = 2
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


_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")


def _wrap(text: str, widths: Sequence[float], first: float, rest: float) -> list[str]:
    """Greedy word wrap (first line `first` wide, others `rest`); breaks words that cannot fit."""
    lines: list[str] = []
    line, line_w, limit, space, space_w = "", 0.0, first, "", 0.0
    for m in _TOKEN.finditer(text):
        tok, w = m.group(), sum(widths[m.start() : m.end()])
        if tok == "\n":
            lines.append(line)
            line, line_w, limit, space, space_w = "", 0.0, rest, "", 0.0
        elif tok.isspace():
            space, space_w = (tok, w) if line else ("", 0.0)
        elif line and line_w + space_w + w <= limit:
            line, line_w, space, space_w = line + space + tok, line_w + space_w + w, "", 0.0
        else:
            if line:
                lines.append(line)
                limit = rest
            chars = list(zip(tok, widths[m.start() : m.end()], strict=True))
            while sum(cw for _, cw in chars) > limit and len(chars) > 1:
                k, total = 1, chars[0][1]
                while k < len(chars) and total + chars[k][1] <= limit:
                    total, k = total + chars[k][1], k + 1
                lines.append("".join(c for c, _ in chars[:k]))
                chars, limit = chars[k:], rest
            line, line_w = "".join(c for c, _ in chars), sum(cw for _, cw in chars)
            space, space_w = "", 0.0
    lines.append(line)
    return lines


@lru_cache(maxsize=8192)
def _lines(
    runs: Inline, bold: bool, family: FontFamily, size: float, first: float, rest: float
) -> tuple[str, ...]:
    widths: list[float] = []
    for run in runs:
        advances = metrics(family.face(run.bold or bold, run.italic)).advances
        widths.extend(advances.get(ord(c), 0.6) * size for c in run.text)
    return tuple(_wrap("".join(r.text for r in runs), widths, first, rest))


def wrap_lines(text: str, family: FontFamily, bold: bool, size: float, width: float) -> list[str]:
    """Return the lines PowerPoint would break text into within width points."""
    return list(_lines((Run(text),), bold, family, size, width, width))


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


def para_lines(para: Para, family: FontFamily, size: int, width: float) -> tuple[str, ...]:
    """Return the lines of a paragraph at size in a frame of inner width points."""
    left, first_indent = indent(para, size)
    first = left if para.style in MARKED_STYLES else left + first_indent
    usable = width / SAFETY
    return _lines(para.runs, para.style in BOLD_STYLES, family, size, usable - first, usable - left)


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
        total += count * LINE_HEIGHT * s * BODY_SPACING + (space_before(s) if i else 0.0)
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


def title_lines(text: str, family: FontFamily, size: int, box: Box) -> list[str]:
    """Return the lines of a (bold) title at size in its box."""
    return wrap_lines(text, family, True, size, (box.w - 2 * TEXT_INSETS.x) / SAFETY)


def title_height(lines: int, size: int) -> float:
    """Return the height a title of that many lines needs, insets and margin included."""
    return (lines * LINE_HEIGHT * size * TITLE_SPACING + 2 * TEXT_INSETS.top) * SAFETY


def fit_title(
    text: str, family: FontFamily, box: Box, max_pt: int, max_lines: int = TITLE_LINES
) -> int | None:
    """Return the largest size down to 24 pt at which the title fits max_lines lines of box."""
    for size in range(max_pt, TITLE_MIN_PT - 1, -1):
        count = len(title_lines(text, family, size, box))
        if count > 1 and size > max(TITLE_MIN_PT, max_pt - 4):
            continue  # a title that wraps reads better a little smaller
        if count <= max_lines and title_height(count, size) <= box.h:
            return size
    return None


def row_heights(
    table: Table, columns: Sequence[float], family: FontFamily, size: int
) -> tuple[float, ...]:
    """Return the height of each table row at size (cells have text-frame insets)."""
    heights = []
    for row in table.rows:
        tallest = 1
        for cell, width in zip(row.cells, columns, strict=False):
            usable = (width - 2 * CELL_INSETS.x) / SAFETY
            tallest = max(tallest, len(_lines(cell, row.header, family, size, usable, usable)))
        pad = CELL_INSETS.top + CELL_INSETS.bottom
        heights.append((tallest * LINE_HEIGHT * size + pad) * SAFETY)
    return tuple(heights)


def table_columns(table: Table, width: float) -> tuple[float, ...]:
    """Return the column widths of a table spread over width points."""
    count = max((len(r.cells) for r in table.rows), default=1)
    fractions = table.widths if len(table.widths) == count else (1 / count,) * count
    return tuple(width * f for f in fractions)
