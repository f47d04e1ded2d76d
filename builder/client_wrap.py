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

_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")
INNER_BREAKS = "-\u2010/"  # a client may break after these inside a word
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
