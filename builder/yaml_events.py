"""The loader's fast path: the parser events of plain block YAML, read a line at a time.

ruamel's pure-Python scanner reads a character at a time: two thirds of the time of loading
an outline. Outlines and kit files are block mappings and lists of simple keys, one-line plain
or quoted values and `>` or `|` text: `block_events` reads those lines into the events ruamel's
parser gives for them (values, styles and marks alike) for ruamel's composer and constructor
(builder.yaml_bounds) to finish. Anything else raises Unsupported, and ruamel's own parser
reads the file instead: every error message stays ruamel's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml.error import FileMark
from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
_AFTER_QUOTE = re.compile(r"(?: +(?:#.*)?)?")  # spaces and a comment after a closing quote
_BLOCK = re.compile(r"([>|])(-?)(?: +(?:#.*)?)?")  # `>`, `|`, `>-`, `|-` and a comment
# what ruamel's reader refuses (control characters, surrogates, U+FFFE, U+FFFF), and tabs, line
# breaks other than \n and byte order marks: ruamel's own rules apply to text with any of them
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")
_FLOW_STOPS = re.compile("[][{}:#]")  # what a plain value in `[...]` may not hold
# a plain value inside `[...]` or `{...}`: up to `,` or the closing bracket
_FLOW_PLAIN = {"]": re.compile(r"[^,\]]*"), "}": re.compile(r"[^,}]*")}
_FLOW_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DEEPEST = 32  # levels read here; outlines use about 8
_NAME = "<unicode string>"  # what ruamel's reader calls a string's marks
_PLAIN = (True, False)  # an event's `implicit` for a plain scalar, and for a quoted one
_QUOTED = (False, True)


_Item = Callable[[int, int, str, int], int]  # reads an item at a position, returns its end


class Unsupported(Exception):
    """YAML beyond plain block mappings and lists: ruamel's parser reads it."""


def block_events(text: str) -> list[Any]:
    """Return ruamel's parser events for text, or raise Unsupported."""
    if _ODD.search(text):
        raise Unsupported
    return _Lines(text).read()


class _Lines:
    """Read lines into events, keeping the open mappings and lists with their indents."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.out: list[Any] = []
        self.open: list[tuple[bool, int, bool]] = []  # (is a list, indent, indentless list)
        self.waiting: tuple[bool, int] | None = None  # `key:` or `-` (is a dash), its indent
        self.limit: int | None = None  # after a value: the next line may not be deeper
        self.started = False

    def mark(self, line: int, column: int) -> FileMark:
        """Return the mark of a line and column (from 0), as ruamel's reader makes them."""
        return FileMark(_NAME, self.starts[line] + column, line, column)

    def read(self) -> list[Any]:
        """Return the events of every line: a stream of one document."""
        start = self.mark(0, 0)
        self.out += [StreamStartEvent(start, start), DocumentStartEvent(start, start)]
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            content = line.lstrip(" ")
            if not content:
                i += 1
                continue
            indent = len(line) - len(content)
            if self.limit is not None and indent > self.limit:
                raise Unsupported  # a value continued on the next line, or a comment there
            self.limit = None
            if content[0] == "#":
                i += 1
                continue
            i = self.entry(i, indent, content)
        if self.waiting is not None or not self.started:
            raise Unsupported  # an empty value or document
        end = self.mark(len(self.lines) - 1, len(self.lines[-1]))
        self.close(-1, end)
        self.out += [DocumentEndEvent(end, end), StreamEndEvent(end, end)]
        return self.out

    def entry(self, i: int, indent: int, content: str) -> int:
        """Read the line i (a key or a list item); return the next line to read."""
        dash = content == "-" or content.startswith("- ")
        if self.waiting is not None:
            self.nest(i, indent, dash)
        else:
            self.close(indent, self.mark(i, indent), dash)
            if not self.open:
                if self.started:
                    raise Unsupported  # a second top-level value
                self.push(dash, indent, self.mark(i, indent))
            elif self.open[-1][1] != indent or self.open[-1][0] != dash:
                raise Unsupported
        self.started = True
        return self.item(i, indent, content) if dash else self.key(i, indent, content)

    def item(self, i: int, indent: int, content: str) -> int:
        """Read `- value` whose dash is at indent; return the next line to read."""
        rest = content[1:].lstrip(" ")
        if not rest:
            self.waiting = (True, indent)
            return i + 1
        column = indent + len(content) - len(rest)
        if rest == "-" or rest.startswith("- "):  # `- - value`: a list inside the item
            self.push(True, column, self.mark(i, column))
            return self.item(i, column, rest)
        if _KEY.match(rest):  # `- key: value`: a mapping inside the item
            self.push(False, column, self.mark(i, column))
            return self.key(i, column, rest)
        return self.value(i, column, rest, indent)

    def nest(self, i: int, indent: int, dash: bool) -> None:
        """Open the mapping or list that the waiting `key:` or `-` holds."""
        assert self.waiting is not None
        is_dash, owner = self.waiting
        self.waiting = None
        if indent > owner:
            self.push(dash, indent, self.mark(i, indent))
        elif indent == owner and dash and not is_dash:  # `key:` then `- item` below the key
            self.push(True, indent, self.mark(i, indent), indentless=True)
        else:
            raise Unsupported  # an empty value

    def key(self, i: int, indent: int, content: str) -> int:
        """Read `key: value` or `key:` at indent; return the next line to read."""
        found = _KEY.match(content)
        if found is None:
            raise Unsupported
        self.out.append(self.scalar(found[1], _PLAIN, None, i, indent))
        rest = content[found.end() :]
        if not rest or rest[0] == "#":
            self.waiting = (False, indent)
            return i + 1
        return self.value(i, indent + found.end(), rest, indent)

    def value(self, i: int, column: int, text: str, owner: int) -> int:
        """Read the value text at column of line i; return the next line to read."""
        first = text[0]
        if first in "\"'":
            self.out.append(self.quoted(i, column, text))
        elif first in ">|":
            return self.block(i, column, text, owner)
        elif first == "[":
            self.flow(i, column, text)
        elif first == "{":
            self.flow_map(i, column, text)
        else:
            self.out.append(self.plain(i, column, text))
        self.limit = owner
        return i + 1

    def plain(self, i: int, column: int, text: str) -> Any:
        """Return the event of a one-line plain scalar."""
        if text[0] in _INDICATORS and not (text[0] == "-" and text[1:2] not in ("", " ")):
            raise Unsupported
        comment = text.find(" #")
        value = (text if comment < 0 else text[:comment]).rstrip(" ")
        if ": " in value or value.endswith(":"):
            raise Unsupported
        return self.scalar(value, _PLAIN, None, i, column)

    def flow(self, i: int, column: int, text: str) -> None:
        """Read a one-line list of plain or quoted values: `[1, 2]`, `["a, b", c d]`, `[]`."""
        at = self.mark(i, column)
        self.out.append(SequenceStartEvent(None, None, True, at, at, flow_style=True))
        close = self.mark(i, column + self.items(i, column, text, "]", self.flow_item))
        self.out.append(SequenceEndEvent(close, close))

    def flow_map(self, i: int, column: int, text: str) -> None:
        """Read a one-line mapping of simple keys to plain or quoted values: `{a: 1, b: c d}`."""
        at = self.mark(i, column)
        self.out.append(MappingStartEvent(None, None, True, at, at, flow_style=True))
        close = self.mark(i, column + self.items(i, column, text, "}", self.flow_pair))
        self.out.append(MappingEndEvent(close, close))

    def items(self, i: int, column: int, text: str, closer: str, item: _Item) -> int:
        """Read the comma-separated items of `[...]` or `{...}` with item; return where the
        closing bracket is (nothing but a comment may follow it)."""
        pos = _skip(text, 1)
        if text[pos : pos + 1] != closer:
            while True:
                pos = _skip(text, item(i, column, text, pos))
                if text[pos : pos + 1] != ",":
                    break
                pos = _skip(text, pos + 1)
            if text[pos : pos + 1] != closer:
                raise Unsupported  # continued on the next line
        if not _AFTER_QUOTE.fullmatch(text, pos + 1):
            raise Unsupported
        return pos

    def flow_pair(self, i: int, column: int, text: str, pos: int) -> int:
        """Read `key: value` at pos inside `{...}`; return where the value ends."""
        found = _FLOW_KEY.match(text, pos)
        if found is None:
            raise Unsupported
        self.out.append(self.scalar(found[1], _PLAIN, None, i, column + pos))
        return self.flow_item(i, column, text, found.end(), "}")

    def flow_item(self, i: int, column: int, text: str, pos: int, closer: str = "]") -> int:
        """Read the value at pos inside `[...]` or `{...}`; return where it ends."""
        if text[pos : pos + 1] in ("", closer, ","):
            raise Unsupported  # `[a, ]`, `[, a]`, or continued on the next line
        if text[pos] in "\"'":
            end = _quote_end(text, pos) + 1
            self.out.append(self.quoted(i, column + pos, text[pos:end]))
            return end
        value = _FLOW_PLAIN[closer].match(text, pos)[0].rstrip(" ")  # type: ignore[index]
        if value[0] in _INDICATORS or _FLOW_STOPS.search(value):
            raise Unsupported
        self.out.append(self.scalar(value, _PLAIN, None, i, column + pos))
        return pos + len(value)

    def quoted(self, i: int, column: int, text: str) -> Any:
        """Return the event of a one-line quoted scalar (no escapes in double quotes)."""
        quote, end = text[0], _quote_end(text, 0)
        value = text[1:end]
        if quote == '"' and "\\" in value or not _AFTER_QUOTE.fullmatch(text, end + 1):
            raise Unsupported
        value = value.replace("''", "'") if quote == "'" else value
        return self.scalar(value, _QUOTED, quote, i, column)

    def block(self, i: int, column: int, header: str, owner: int) -> int:
        """Read a `>` or `|` scalar whose lines share one indent; return the line after it."""
        found = _BLOCK.fullmatch(header)
        if found is None:
            raise Unsupported
        texts: list[tuple[int, str]] = []  # (empty lines before, text) of each line
        indent, empty, k = 0, 0, i + 1
        while k < len(self.lines):
            line = self.lines[k]
            content = line.lstrip(" ")
            if not content:
                if texts and len(line) <= indent:
                    empty, k = empty + 1, k + 1
                    continue
                raise Unsupported  # leading empty lines, or spaces beyond the indent
            depth = len(line) - len(content)
            if not texts:
                indent = depth
            if depth < indent:
                break
            if depth > indent or line.endswith(" "):
                raise Unsupported  # more-indented lines and trailing spaces fold otherwise
            texts.append((empty, content))
            empty, k = 0, k + 1
        if not texts or indent <= owner or k - empty == len(self.lines):
            raise Unsupported  # empty, not indented, or no line break after the last line
        fold = found[1] == ">"
        value = texts[0][1]
        for before, content in texts[1:]:
            value += ("\n" * before if before else " ") if fold else "\n" * (before + 1)
            value += content
        value += "" if found[2] else "\n"
        self.out.append(self.scalar(value, _QUOTED, found[1], i, column))
        self.limit = owner
        return k

    def scalar(self, value: str, implicit: Any, style: str | None, i: int, column: int) -> Any:
        """Return a scalar event starting at line i, column."""
        at = self.mark(i, column)
        return ScalarEvent(None, None, implicit, value, at, at, style=style)

    def push(self, dash: bool, indent: int, at: FileMark, indentless: bool = False) -> None:
        """Open a mapping or a list at indent."""
        if len(self.open) >= _DEEPEST:
            raise Unsupported  # ruamel's parser, under the loader's bounds, says how deep
        event = SequenceStartEvent if dash else MappingStartEvent
        self.out.append(event(None, None, True, at, at, flow_style=False))
        self.open.append((dash, indent, indentless))

    def close(self, indent: int, at: FileMark, dash: bool = False) -> None:
        """Close what a line at indent ends: deeper collections, and a list below its key
        when a key follows."""
        while self.open and (
            self.open[-1][1] > indent
            or (self.open[-1][2] and self.open[-1][1] == indent and not dash)
        ):
            dash_list = self.open.pop()[0]
            self.out.append(SequenceEndEvent(at, at) if dash_list else MappingEndEvent(at, at))


def _skip(text: str, pos: int) -> int:
    """Return the position of the first character from pos that is not a space."""
    while text[pos : pos + 1] == " ":
        pos += 1
    return pos


def _quote_end(text: str, start: int) -> int:
    """Return the position of the quote closing the one at start (`''` is a quote inside
    single quotes), or raise Unsupported when the line does not close it."""
    quote, at = text[start], start + 1
    while True:
        end = text.find(quote, at)
        if end < 0:
            raise Unsupported  # continued on the next line
        if quote == "'" and text[end + 1 : end + 2] == "'":
            at = end + 2
            continue
        return end
