"""The handout's paragraphs: user text as reportlab markup, and links that never leave the page.

reportlab breaks a long link once (style.uriWasteReduce) and treats the rest as unbreakable, so
a link longer than two lines ran past the margin. `Text` breaks such links itself, after
/ . - ? & = _ # (as measure does for slides), once it knows the width it is given.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, unescape

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.rl_config import _FUZZ

from builder import document as d
from builder.hyphenate import hyphen_points

_LINK = re.compile(r"(?:https?://|mailto:|www\.|doi:10\.)[^\s<]+")
_TAG = re.compile(r"<[^>]+>")


def markup(runs: d.Inline) -> str:
    """Return Paragraph markup for runs: user text escaped, only our own tags added."""
    return "".join(_run(run) for run in runs)


def _run(run: d.Run) -> str:
    # reportlab breaks lines at U+202F (Babel's "9:00 AM"): the plain no-break space does not.
    text = escape(run.text.replace("\u202f", "\u00a0")).replace("\n", "<br/>")
    text = f"<i>{text}</i>" if run.italic else text
    return f"<b>{text}</b>" if run.bold else text


class Text(Paragraph):  # type: ignore[misc]
    """A Paragraph whose links wider than a line start a line and break where links may."""

    def __init__(self, text: str | None, style: Any, **kwargs: Any) -> None:
        super().__init__(text, style, **kwargs)
        # text is None for the halves reportlab splits off: their frags are broken already
        self.source, self.broken_at = text, -1.0
        self.wrapped: tuple[float, Any] | None = None  # the width and lines broken last

    def _still(self, aw: float) -> bool:
        """Return whether the lines last broken are for width aw and still the paragraph's."""
        return (
            self.wrapped is not None
            and self.wrapped[0] == aw
            and (self.wrapped[1] is self.__dict__.get("blPara"))
        )

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        """Break the lines for width aw, once a width: platypus asks again and again (keeping
        with the next, lists, tables) and the same width gives the same lines, as long as they
        are still the paragraph's (split drops them when the paragraph moves on whole)."""
        if self._still(aw):
            return self.width, self.height
        width = aw - self.style.leftIndent - self.style.rightIndent
        if self.source is not None and width != self.broken_at:
            self.broken_at = width
            text = break_links(self.source, self.style.fontName, self.style.fontSize, width)
            if text != self.source:
                self._setup(text, self.style, None, None, cleanBlockQuotedText)
        size: tuple[float, float] = super().wrap(aw, ah)
        self.wrapped = (aw, self.blPara) if aw >= _FUZZ else None
        return size

    def split(self, aw: float, ah: float) -> list[Any]:
        """Split as reportlab does, the first part keeping the lines the split counted: broken
        again, a part whose words were hyphenated already could take one line more than the
        room it was cut for (reportlab's "Splitting error")."""
        kind = self.blPara.kind if "blPara" in self.__dict__ else None
        parts: list[Any] = super().split(aw, ah)
        if len(parts) == 2 and isinstance(parts[0], Text) and kind == 1:
            parts[0].wrapped = (aw, parts[0].blPara)  # (lines of fragments, as drawn)
        return parts


def break_links(text: str, font: str, size: float, width: float) -> str:
    """Return markup with every link live (a link annotation to its address) and every link
    wider than width on lines of its own, cut to fit."""

    def cut(m: re.Match[str]) -> str:
        link, tail = _split_tail(unescape(m.group()))
        if stringWidth(link, font, size) <= width:
            return _anchor(link, link) + escape(tail)
        lead = "<br/>" if _TAG.sub("", text[: m.start()]).strip() else ""
        pieces = _pieces(link, font, size, width)
        return lead + "<br/>".join(_anchor(link, p) for p in pieces) + escape(tail)

    return _LINK.sub(cut, text)


def _split_tail(link: str) -> tuple[str, str]:
    """Return a link without the sentence punctuation after it, and that punctuation."""
    end = len(link.rstrip(".,;:!?)]'\"\u201d\u2019"))
    return link[:end], link[end:]


def _anchor(link: str, shown: str) -> str:
    if link.startswith("doi:"):  # an AMA reference's DOI, resolved
        href = f"https://doi.org/{link[4:]}"
    else:
        href = link if "://" in link or link.startswith("mailto:") else f"https://{link}"
    return f'<a href="{escape(href, {chr(34): "&quot;"})}">{escape(shown)}</a>'


def _pieces(link: str, font: str, size: float, width: float) -> list[str]:
    """Return link cut greedily at its break points (else at a character) into fitting lines."""
    points = [*hyphen_points(link, ""), len(link)]
    pieces, start = [], 0
    while start < len(link):
        fitting = [
            p for p in points if p > start and stringWidth(link[start:p], font, size) <= width
        ]
        end = fitting[-1] if fitting else _last_char(link, start, font, size, width)
        pieces.append(link[start:end])
        start = end
    return pieces


def _last_char(link: str, start: int, font: str, size: float, width: float) -> int:
    end = start + 1
    while end < len(link) and stringWidth(link[start : end + 1], font, size) <= width:
        end += 1
    return end
