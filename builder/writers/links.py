"""Hyperlinks in slide text: which words a URL's link goes on, and which URLs may be links.

Used by the deck writer (`builder.writers.pptx_text`) and the drawn slides (`slide_text`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from builder.document import Run

URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"]*[^\s<>\".,;:)\]]")
DOI = re.compile(r"\bdoi:(10\.\d{4,9}/[^\s<>\"]*[^\s<>\".,;:)\]])")


def link_targets(runs: tuple[Run, ...]) -> list[str]:
    """Return, for each character of the runs' text, the URL its link leads to ("": none).

    Link text must say where it leads, so a URL is not linked itself; its link goes on the
    words it belongs to (link_words): a reference's title, else the words before it. URLs are
    found in the text without its line breaks, since layout breaks long URLs inside.
    """
    text = "".join(r.text for r in runs)
    kept = [i for i, c in enumerate(text) if c != "\n"]
    flat = "".join(text[i] for i in kept)
    italic = [r.italic for r in runs for c in r.text if c != "\n"]
    targets = [""] * len(text)
    after = 0
    for match in URL.finditer(flat):
        if safe_url(match.group()):
            words = link_words(flat, italic, after, match.start())
            for j in range(*words):
                targets[kept[j]] = match.group()
        after = match.end()
    # An AMA reference's "doi:10.1037/..." says where it leads: it links to the DOI resolver.
    for match in DOI.finditer(flat):
        for j in range(*match.span()):
            targets[kept[j]] = targets[kept[j]] or f"https://doi.org/{match.group(1)}"
    return targets


_DATE_END = re.compile(r"\)\.\s+")  # "(2021). ": the date of an APA reference ends so


def link_words(flat: str, italic: list[bool], start: int, end: int) -> tuple[int, int]:
    """Return the span of flat[start:end] (the text before a URL) its link goes on.

    In an APA reference the title: the italic run that opens the entry (no author) or follows
    the date, else the plain words from the date to the italic source. Otherwise the words
    since the last sentence end, without a closing colon. (0, 0) when there are none.
    """
    if start < end and italic[start] and _DATE_END.search(flat, start, end):
        return _trimmed(flat, start, _italic_end(italic, start, end))
    date = _DATE_END.search(flat, start, end)
    if date is not None:
        a = date.end()
        b = _italic_end(italic, a, end) if a < end and italic[a] else _next_italic(italic, a, end)
        if flat[a:b].strip():
            return _trimmed(flat, a, b)
    a, b = _trimmed(flat, start, end)
    cuts = [m.end() for m in re.finditer(r"[.!?;]\s+", flat[a:b])]
    return _trimmed(flat, a + (cuts[-1] if cuts else 0), b)


def _italic_end(italic: list[bool], a: int, end: int) -> int:
    while a < end and italic[a]:
        a += 1
    return a


def _next_italic(italic: list[bool], a: int, end: int) -> int:
    while a < end and not italic[a]:
        a += 1
    return a


def _trimmed(flat: str, a: int, b: int) -> tuple[int, int]:
    """Return the span without surrounding spaces and a closing colon; (0, 0) if nothing is left."""
    while a < b and flat[a].isspace():
        a += 1
    while b > a and (flat[b - 1].isspace() or flat[b - 1] in ":–—-"):
        b -= 1
    return (a, b) if b > a else (0, 0)


def safe_url(url: str) -> bool:
    """Return whether url may become a hyperlink: http, https or mailto only."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https", "mailto") and bool(parts.netloc or parts.path)
