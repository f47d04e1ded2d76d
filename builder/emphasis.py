"""Emphasis as authors write it: ***both***, **bold** and *italic*, in any text of the outline.

`tagged` turns it into <b> and <i> in escaped text (the templates' `inline` filter); `unmarked`
drops it where no emphasis can be drawn (a document's title in a page footer, a slide title, a
quote's source), so no asterisks show there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from markupsafe import escape

# Emphasis never spans its own delimiter, so each match stops at the next one: linear time on
# any text (a lazy `.+?` tried from every `*` to the end of the text was quadratic).
_BOTH = re.compile(r"\*\*\*(?=\S)((?:(?!\*\*\*).)+?)(?<=\S)\*\*\*")
_BOLD = re.compile(r"\*\*(?=\S)((?:(?!\*\*).)+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_TAG = re.compile(r"<(/?)([bi])>")
_EMPHASIS = ((_BOTH, "<b><i>", "</i></b>"), (_BOLD, "<b>", "</b>"), (_ITALIC, "<i>", "</i>"))


def tagged(escaped: str) -> str:
    """Return escaped text with its emphasis as nested <b> and <i> tags.

    Emphasis that would close inside another (`*a **b* c**`) stays as written: the tags are
    always nested, and the asterisks show where the author's markup overlapped.
    """
    for pattern, opening, closing in _EMPHASIS:
        escaped = pattern.sub(_emphasis(opening, closing), escaped)
    return escaped


def unmarked(text: str) -> str:
    """Return text without the asterisks of its emphasis (those `tagged` would turn into tags)."""
    if "*" not in text:
        return text
    return html.unescape(_TAG.sub("", tagged(str(escape(text)))))


def _emphasis(opening: str, closing: str) -> Callable[[re.Match[str]], str]:
    """Return a substitution that wraps a match's text in tags when the tags it holds nest."""

    def wrap(match: re.Match[str]) -> str:
        inner = match.group(1)
        return f"{opening}{inner}{closing}" if _nested(inner) else match.group()

    return wrap


def _nested(markup: str) -> bool:
    """Return whether every <b> and <i> in markup closes, in order, inside it."""
    open_tags: list[str] = []
    for tag in _TAG.finditer(markup):
        if not tag.group(1):
            open_tags.append(tag.group(2))
        elif not open_tags or open_tags.pop() != tag.group(2):
            return False
    return not open_tags
