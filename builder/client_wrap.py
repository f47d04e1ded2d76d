"""Where clients could disagree on a line break, decide it for them with an explicit break.

PowerPoint, LibreOffice and Keynote wrap a frame's text at its full width, each with its own
rounding and kerning (LibreOffice's lines run up to 1.5% narrower or 0.15% wider than the
font's plain advances), and each may break after a hyphen or a slash inside a word. So a word
that ends within a hair of the frame's edge, or a compound that could split there, lands on
different lines in different clients. This module wraps text as a client does and returns
the offsets where a line break must be written so that every client, and deck.pdf, shows the
same lines: before a word whose end falls in the uncertain band around the edge, and before a
word that a client could break inside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from builder.document import Inline, Run
from builder.fonts import FontFamily, metrics
from builder.measure import BOLD_STYLES, MARKED_STYLES, Para, indent, para_wrapped

_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")
INNER_BREAKS = "-\u2010\u2013\u2014/"  # a client may break after these inside a word (dashes too)
NARROWER = 0.015  # a client's line may be this much narrower than our sum of advances
WIDER = 0.004  # ... or this much wider
EDGE_PT = 1.0  # and never closer to the edge than this


def forced_breaks(widths: Sequence[float], text: str, first: float, rest: float) -> list[int]:
    """Return the offsets of text where a break must go so every client wraps alike.

    widths are the advances of each character; first and rest are the line widths.
    """
    breaks: list[int] = []
    limit, used, started = first, 0.0, False
    space = 0.0
    for m in _TOKEN.finditer(text):
        token, (start, end) = m.group(), m.span()
        if token == "\n":
            limit, used, started, space = rest, 0.0, False, 0.0
            continue
        if token.isspace():
            space = sum(widths[start:end]) if started else 0.0
            continue
        w = sum(widths[start:end])
        reach = used + space + w
        if started and _uncertain(reach, limit, token, used + space, widths[start:end]):
            breaks.append(start)
            limit, used, space = rest, w, 0.0
            continue
        if started and reach > limit:
            limit, used, space = rest, w, 0.0
            continue
        used, started, space = reach, True, 0.0
    return breaks


def _uncertain(
    reach: float, limit: float, token: str, before: float, advances: Sequence[float]
) -> bool:
    """Return whether clients may disagree on putting token (ending at reach) on this line."""
    band_low = limit * (1 - WIDER) - EDGE_PT
    band_high = limit / (1 - NARROWER)
    if band_low <= reach <= band_high:
        return True
    if reach <= limit:
        return False
    # the token overflows: could a client break inside it and keep a first piece here?
    offset = before
    for char, advance in zip(token[:-1], advances, strict=False):
        offset += advance
        if char in INNER_BREAKS and offset <= limit / (1 - NARROWER):
            return True
    return False


def drawn_runs(para: Para, family: FontFamily, size: int, width: float) -> Inline:
    """Return para's runs with the line breaks every client must draw.

    PowerPoint does not hyphenate: "-\n" or "\n" is inserted where measure broke a token (and
    "\n" before a broken token that starts a line), so the frame shows the lines measured.
    Then, wrapping at the frame's full width as a client does, "\n" goes before any word that
    clients could place differently (builder.client_wrap), so all of them show the same lines.
    """
    breaks = para_wrapped(para, family, size, width).breaks
    runs = _with_breaks(para.runs, breaks) if breaks else para.runs
    left, first_indent = indent(para, size)
    first = left if para.style in MARKED_STYLES else left + first_indent
    widths = _advances(runs, para.style in BOLD_STYLES, family, size)
    text = "".join(r.text for r in runs)
    forced = forced_breaks(widths, text, width - first, width - left)
    return _tidy(runs, forced) if forced or breaks else runs


def _tidy(runs: Inline, offsets: Sequence[int]) -> Inline:
    """Return runs with a line break at each offset (for the space before it) and no space left
    before any break.

    A client that finds a line full wraps before a trailing space, and the break after it
    then makes an empty line.
    """
    chars = [(c, r.bold, r.italic) for r in runs for c in r.text]
    for at in sorted(offsets, reverse=True):
        _, bold, italic = chars[at - 1]
        chars.insert(at, ("\n", bold, italic))
    kept: list[tuple[str, bool, bool]] = []
    for char in chars:
        if char[0] == "\n":
            while kept and kept[-1][0] in " \t":
                kept.pop()
        kept.append(char)
    styled = groupby(kept, key=lambda c: (c[1], c[2]))  # one run a stretch of one style
    return tuple(Run("".join(c[0] for c in group), *style) for style, group in styled)


def _with_breaks(runs: Inline, breaks: Sequence[tuple[int, str]]) -> Inline:
    """Return runs with marks inserted at text offsets (a mark at a run boundary goes to the
    run before: a hyphen takes its style)."""
    out, offset = [], 0
    for run in runs:
        end = offset + len(run.text)
        inside = [(at - offset, mark) for at, mark in breaks if offset < at <= end]
        out.append(Run(_insert(run.text, inside), run.bold, run.italic))
        offset = end
    return tuple(out)


def _advances(runs: Inline, bold: bool, family: FontFamily, size: float) -> list[float]:
    widths: list[float] = []
    for run in runs:
        advance = metrics(family.face(run.bold or bold, run.italic)).advances.get
        widths += [advance(ord(c), 0.6) * size for c in run.text]
    return widths


def _insert(text: str, marks: Sequence[tuple[int, str]]) -> str:
    pieces, done = [], 0
    for at, mark in marks:
        pieces += [text[done:at], mark]
        done = at
    return "".join(pieces) + text[done:]
