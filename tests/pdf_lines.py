"""Text lines of a PDF and their agreement with another rendering of the same slides.

The fidelity test (issue: deck.pdf must agree with how a real client lays out the pptx) reads
LibreOffice's PDF of deck.pptx and our deck.pdf into lines (words + baseline) and compares them
slide by slide. scripts/fidelity.py prints the same comparison for any outline.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pdfplumber

# Chars grouped into one row: the same baseline within this many points (renderers jitter by
# ~0.05 pt; lines of one frame are at least 1 em apart).
ROW_TOLERANCE = 0.5
# A horizontal gap wider than this (in em of the larger char) starts another line: the next
# text box or table cell. Word spaces are ~0.28 em; cells are at least two 7.2 pt insets apart.
BOX_GAP_EM = 0.6
WORD_GAP_EM = 0.15  # a gap without a space char wider than this still separates words
# A list number ("1.", "b)") stands at the frame's edge and its text at the hanging indent:
# the gap between them belongs to one line, however wide the number is.
LIST_NUMBER = re.compile(r"^(\d{1,3}|[A-Za-z]|[ivxlcdm]{1,6})[.)]$")
LIST_GAP_EM = 3.0
# The same words at the right baseline but this far to the side (in em) are drawn elsewhere:
# another alignment or box. Renderers agree on a line's start within a few tenths of a point.
PLACE_EM = 0.5
# Bullet glyphs are not words, and LibreOffice draws them off the text baseline by a
# font-dependent amount (0.055 em with Liberation Sans, 0.15 em with Carlito).
BULLETS = frozenset("•◦▪▫‣⁃●○■□►▸➢➤")
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Line:
    """One line of text on a page: its words, baseline (pt from the top) and extent."""

    words: tuple[str, ...]
    baseline: float
    x0: float
    x1: float
    size: float

    @property
    def text(self) -> str:
        """Return the words joined by single spaces."""
        return " ".join(self.words)


@dataclass(frozen=True)
class _Char:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float


def normalise(text: str) -> str:
    """Return text as compared: ligatures split, soft hyphens dropped, NBSP a space (NFKC)."""
    return unicodedata.normalize("NFKC", text.translate(INVISIBLE))


def _chars(page: Any) -> list[_Char]:
    """Return the page's upright visible chars, with baselines measured from the page top."""
    top = float(page.mediabox[3])
    out = []
    for c in page.chars:
        text = normalise(c["text"])
        if not c.get("upright", True) or not text or text in BULLETS:
            continue
        out.append(_Char(text, c["x0"], c["x1"], top - c["matrix"][5], c["size"]))
    return out


def _rows(chars: Sequence[_Char]) -> list[list[_Char]]:
    """Return chars grouped by baseline (a row may hold several boxes side by side)."""
    rows: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: c.baseline):
        if rows and char.baseline - rows[-1][-1].baseline <= ROW_TOLERANCE:
            rows[-1].append(char)
        else:
            rows.append([char])
    return rows


def _gap(a: _Char, b: _Char) -> float:
    """Return the white space between two chars, in em of the larger one."""
    return (b.x0 - a.x1) / max(a.size, b.size, 1.0)


def _segments(row: list[_Char]) -> list[list[_Char]]:
    """Split one row at wide gaps into the lines of separate boxes, keeping list numbers."""
    segments: list[list[_Char]] = []
    for char in sorted(row, key=lambda c: c.x0):
        if segments and _joins(segments[-1], char):
            segments[-1].append(char)
        else:
            segments.append([char])
    return segments


def _joins(segment: list[_Char], char: _Char) -> bool:
    gap = _gap(segment[-1], char)
    if gap <= BOX_GAP_EM:
        return True
    label = "".join(c.text for c in segment).strip()
    return bool(LIST_NUMBER.match(label)) and gap <= LIST_GAP_EM


def _words(segment: list[_Char]) -> tuple[str, ...]:
    words: list[str] = [""]
    for k, char in enumerate(segment):
        if k and _gap(segment[k - 1], char) > WORD_GAP_EM:
            words.append("")
        for piece in re.split(r"(\s+)", char.text):
            if piece.isspace():
                words.append("")
            else:
                words[-1] += piece
    return tuple(w for w in words if w)


def _line(segment: list[_Char]) -> Line | None:
    words = _words(segment)
    if not words:
        return None
    shown = [c for c in segment if not c.text.isspace()]
    baseline = statistics.median(c.baseline for c in shown)
    size = max(c.size for c in shown)
    return Line(words, round(baseline, 2), shown[0].x0, shown[-1].x1, round(size, 2))


def page_lines(page: Any) -> list[Line]:
    """Return the text lines of one pdfplumber page, top to bottom, then left to right."""
    lines = [_line(s) for row in _rows(_chars(page)) for s in _segments(row)]
    return sorted((ln for ln in lines if ln), key=lambda ln: (ln.baseline, ln.x0))


def read_lines(pdf: Path | bytes) -> list[list[Line]]:
    """Return the text lines of every page of a PDF file (or its bytes)."""
    source = BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pdfplumber.open(source) as doc:
        return [page_lines(page) for page in doc.pages]


# ---- comparison ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One line that differs: kind is missing, extra, words, baseline or place (x)."""

    page: int  # 1-based
    kind: str
    theirs: Line | None  # the reference rendering's line (LibreOffice)
    ours: Line | None

    def __str__(self) -> str:
        a, b = self.theirs, self.ours
        if a is None and b is not None:
            return f"slide {self.page}: extra line at {b.baseline:.2f}: {b.text!r}"
        if b is None and a is not None:
            return f"slide {self.page}: missing line at {a.baseline:.2f}: {a.text!r}"
        assert a is not None and b is not None
        where = f"baseline {a.baseline:.2f} vs ours {b.baseline:.2f}"
        if self.kind == "place":
            return (
                f"slide {self.page}: drawn elsewhere, x {a.x0:.2f} vs ours {b.x0:.2f}: {a.text!r}"
            )
        if self.kind == "baseline":
            off = b.baseline - a.baseline
            return f"slide {self.page}: baseline off by {off:+.2f} pt ({where}): {a.text!r}"
        return f"slide {self.page}: words differ ({where}): {a.text!r} vs ours {b.text!r}"


@dataclass(frozen=True)
class Agreement:
    """How two renderings agree: lines compared, lines that differ, and each difference."""

    lines_compared: int
    lines_differ: int
    details: tuple[Difference, ...]
    pages: tuple[tuple[int, int], ...] = ()  # (compared, differ) per page

    def summary(self) -> str:
        """Return the totals as the issue asks them to be reported."""
        return f"lines compared {self.lines_compared}, lines that differ {self.lines_differ}"


def _overlap(a: Line, b: Line) -> bool:
    slack = 0.5 * max(a.size, b.size)
    return a.x0 < b.x1 + slack and b.x0 < a.x1 + slack


def _pairs(
    theirs: Sequence[Line], ours: Sequence[Line], same_words: bool
) -> list[tuple[float, int, int]]:
    """Return candidate pairs (cost, i, j): same words anywhere, else overlapping neighbours."""
    out = []
    for i, a in enumerate(theirs):
        for j, b in enumerate(ours):
            if (a.words == b.words) != same_words:
                continue
            dy = abs(a.baseline - b.baseline)
            if same_words or (_overlap(a, b) and dy <= 0.6 * max(a.size, b.size)):
                out.append((dy + abs(a.x0 - b.x0), i, j))
    return sorted(out)


def _match(theirs: Sequence[Line], ours: Sequence[Line]) -> list[tuple[int | None, int | None]]:
    """Pair lines greedily, nearest first: identical words first, then neighbours by place."""
    left, right = set(range(len(theirs))), set(range(len(ours)))
    matched: list[tuple[int | None, int | None]] = []
    for same in (True, False):
        for _, i, j in _pairs(theirs, ours, same):
            if i in left and j in right:
                matched.append((i, j))
                left.discard(i)
                right.discard(j)
    matched += [(i, None) for i in sorted(left)] + [(None, j) for j in sorted(right)]
    return matched


def compare_page(
    page: int, theirs: Sequence[Line], ours: Sequence[Line], tolerance: float = 2.0
) -> tuple[int, list[Difference]]:
    """Return the number of lines compared on one page and the differences found."""
    diffs = []
    pairs = _match(theirs, ours)
    for i, j in pairs:
        a = theirs[i] if i is not None else None
        b = ours[j] if j is not None else None
        if a is None or b is None:
            diffs.append(Difference(page, "extra" if a is None else "missing", a, b))
        elif a.words != b.words:
            diffs.append(Difference(page, "words", a, b))
        elif abs(a.baseline - b.baseline) > tolerance:
            diffs.append(Difference(page, "baseline", a, b))
        elif abs(a.x0 - b.x0) > PLACE_EM * max(a.size, b.size):
            diffs.append(Difference(page, "place", a, b))
    diffs.sort(key=lambda d: (d.theirs or d.ours or Line((), 0, 0, 0, 0)).baseline)
    return len(pairs), diffs


def compare(
    theirs: Sequence[Sequence[Line]], ours: Sequence[Sequence[Line]], tolerance: float = 2.0
) -> Agreement:
    """Return how our pages agree with theirs, slide by slide (a missing page: all missing)."""
    details: list[Difference] = []
    pages: list[tuple[int, int]] = []
    for n in range(max(len(theirs), len(ours))):
        a = theirs[n] if n < len(theirs) else ()
        b = ours[n] if n < len(ours) else ()
        count, diffs = compare_page(n + 1, a, b, tolerance)
        pages.append((count, len(diffs)))
        details.extend(diffs)
    return Agreement(sum(c for c, _ in pages), len(details), tuple(details), tuple(pages))


def report(agreement: Agreement, first: int = 10) -> Iterable[str]:
    """Yield a report: per slide counts, the totals and the first differences."""
    for n, (count, differ) in enumerate(agreement.pages, 1):
        yield f"slide {n}: lines compared {count}, lines that differ {differ}"
    yield f"total: {agreement.summary()}"
    for diff in agreement.details[:first]:
        yield f"  {diff}"
    if len(agreement.details) > first:
        yield f"  ... and {len(agreement.details) - first} more"
