"""The loader's first step: a YAML file's bytes to a ruamel tree, within stated bounds.

Outlines and kit files come from users and may be hostile or just wrong (issue 12): size,
encoding, nesting, aliases and values are bounded here so that each ends in a line to show,
not in minutes of work, gigabytes of memory or a traceback. README: "Security and limits".
"""

from __future__ import annotations

import codecs
import functools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import Reader

from builder.yaml_events import Unsupported, block_events

MAX_BYTES = 5 * 1024 * 1024  # 5 MB: a 3 MB outline of long notes must still build
MAX_DEPTH = 64  # levels of nesting, aliases expanded; outlines use about 8
MAX_ALIASES = 1_000  # uses of *name in one file
# scalars, lists and mappings, an alias's values counted again; our largest outline has 1,000.
# ruamel reads about 15,000 values a second, so this also bounds the time: about 3 s
MAX_VALUES = 50_000

# UTF-32 LE starts with the UTF-16 LE mark, so it is tried first
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_BREAK = re.compile("\r\n|\r|\n")
_SAVE = "save the file as UTF-8"
# what ruamel raises on a scalar it cannot convert: int('abc'), date(2027, 2, 30), a KeyError
# for `!!bool maybe`, an IndexError for an empty `!!int`, an AttributeError for `!!omap x`
_UNREADABLE = (ValueError, OverflowError, KeyError, TypeError, IndexError, AttributeError)
_KINDS = {"int": "an integer", "float": "a number", "bool": "true or false"}


class YamlProblem(Exception):
    """A file beyond a bound, or a value Python cannot hold: its line and what went wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_text(path: Path) -> str:
    """Return the text of the YAML file at path, or raise YamlProblem (OSError if unreadable)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)  # never more: the path may be a pipe or a device
    if len(data) > MAX_BYTES:
        size = path.stat().st_size if path.is_file() else 0
        got = f"{size:,} bytes" if size else "more"
        limit = f"{MAX_BYTES // 1024 // 1024} MB ({MAX_BYTES:,} bytes)"
        raise YamlProblem(1, f"expected a file of at most {limit}, got {got} (the right file?)")
    return decode(data)


def decode(data: bytes) -> str:
    """Return data decoded: UTF-8, or UTF-16/UTF-32 after their byte order mark."""
    bom, codec, name = next((b for b in _BOMS if data.startswith(b[0])), (b"", "utf-8", "UTF-8"))
    body = data[len(bom) :]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        if not bom and b"\x00" in body[: exc.start]:
            raise _nul(body) from None
        raise _undecodable(body, exc, name if bom else "") from None
    if not bom and "\x00" in text:
        raise _nul(body)
    return text


def _nul(body: bytes) -> YamlProblem:
    """Return the problem of the first NUL byte: UTF-16 or UTF-32 without a byte order mark."""
    line, column = _position(body[: body.index(b"\x00")].decode(errors="replace"))
    return YamlProblem(
        line, f"expected UTF-8 text, got a NUL byte at column {column} (UTF-16 or UTF-32 "
        f"without a byte order mark?); {_SAVE}",
    )  # fmt: skip


def _undecodable(body: bytes, exc: UnicodeDecodeError, marked: str) -> YamlProblem:
    """Return the problem of a byte that is not UTF-8 (or not the marked UTF-16/32), at its line."""
    line, column = _position(body[: exc.start].decode(exc.encoding, errors="replace"))
    if marked:
        return YamlProblem(
            line, f"expected {marked} text after its byte order mark, got bytes at column "
            f"{column} that are not {marked}; {_SAVE}",
        )  # fmt: skip
    return YamlProblem(
        line, f"expected UTF-8 text, got byte 0x{body[exc.start]:02X} at column {column}, "
        f"which is not UTF-8 (Latin-1 or Windows-1252?); {_SAVE}",
    )  # fmt: skip


def _position(before: str) -> tuple[int, int]:
    """Return the line and column (both from 1) of the character after the text before."""
    lines = _BREAK.split(before)
    return len(lines), len(lines[-1]) + 1


def load(text: str) -> Any:
    """Return the tree of text: CommentedMap and CommentedSeq that know their lines, within bounds.

    Not ruamel's round-trip loader: its comment handling is quadratic (a 5 MB file of "#" lines
    took 561 s); we need the lines, not the comments. pure=True keeps our composer in use.
    Plain block YAML is read a line at a time (builder.yaml_events); anything else, and any
    text that fails, is read again by ruamel's own parser, whose errors are the ones shown.
    """
    try:
        events = block_events(text)
    except Unsupported:
        return _load(text, None)
    try:
        return _load(text, events)
    except YamlProblem:  # a bound or a value, counted on the very events ruamel's parser gives
        raise
    except Exception:  # ruamel's parser says what is wrong, in its words
        return _load(text, None)


def _load(text: str, events: list[Any] | None) -> Any:
    """Return the tree of text, composed from events if given, else parsed by ruamel."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_duplicate_keys = False
    yaml.Composer = _BoundedComposer
    yaml.Constructor = _LinedConstructor
    if events is not None:
        yaml.Parser = functools.partial(_Replay, events)
        yaml.Reader = _Checked
    return yaml.load(text)


class _Checked(Reader):
    """ruamel's reader for text that builder.yaml_events found printable: its own check
    compiles a regular expression of every printable character, 3 ms of every run."""

    def check_printable(self, data: Any) -> None:
        pass


class _Replay:
    """ruamel's parser interface over events read beforehand."""

    def __init__(self, events: list[Any], loader: Any = None) -> None:
        self.events, self.next = events, 0

    def check_event(self, *choices: Any) -> bool:
        if self.next >= len(self.events):
            return False
        return not choices or isinstance(self.events[self.next], choices)

    def peek_event(self) -> Any:
        return self.events[self.next]

    def get_event(self) -> Any:
        self.next += 1
        return self.events[self.next - 1]

    def dispose(self) -> None:
        self.events = []


class _BoundedComposer(Composer):
    """Count levels, aliases and values while composing, before anything is expanded.

    ruamel composes recursively (a few frames a level), so the depth is refused here, long
    before Python's recursion limit. An alias costs the values and levels of its anchor.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # legal YAML; a warning would be an error in tests
        self._level = 0
        self._deepest = 0
        self._aliases = 0
        self._values = 0
        self._anchored: dict[int, tuple[int, int]] = {}  # id(node) -> (values, levels)

    # ruamel finds these through the YAML object on every event: a fifth of composing
    @functools.cached_property
    def parser(self) -> Any:
        return self.loader.parser

    @functools.cached_property
    def resolver(self) -> Any:
        return self.loader.resolver

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            node = super().compose_node(parent, index)
            self._repeat(node, event)
            return node
        self._enter(event)
        values, deepest = self._values, self._deepest
        self._deepest = self._level
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            size = (self._values - values + 1, self._deepest - self._level + 1)
            self._anchored[id(node)] = size
        self._deepest = max(deepest, self._deepest)
        self._level -= 1
        return node

    def _enter(self, event: Any) -> None:
        """Count one more value one level down, or refuse it at its line."""
        self._level += 1
        self._values += 1
        if self._level > MAX_DEPTH:
            raise YamlProblem(
                _line(event), f"expected at most {MAX_DEPTH} levels of nesting, got more"
            )
        if self._values > MAX_VALUES:
            raise YamlProblem(
                _line(event), f"expected at most {MAX_VALUES:,} values in a file, got more"
            )

    def _repeat(self, node: Any, event: Any) -> None:
        """Count the values and levels an alias repeats, or refuse it at its line."""
        self._aliases += 1
        name, line = event.anchor, _line(event)
        if self._aliases > MAX_ALIASES:
            raise YamlProblem(line, f"expected at most {MAX_ALIASES:,} aliases in a file, got more")
        if id(node) not in self._anchored:
            raise YamlProblem(line, f"expected *{name} after its anchor, got it inside &{name}")
        values, levels = self._anchored[id(node)]
        self._values += values
        if self._values > MAX_VALUES:
            raise YamlProblem(
                line, f"expected at most {MAX_VALUES:,} values in a file, counting each alias's "
                f"values again, got more at *{name}",
            )  # fmt: skip
        if self._level + levels > MAX_DEPTH:
            raise YamlProblem(
                line, f"expected at most {MAX_DEPTH} levels of nesting, got more at *{name}"
            )
        self._deepest = max(self._deepest, self._level + levels)


class _LinedConstructor(SafeConstructor):
    """Build mappings and lists that know their lines; a value Python cannot hold (2027-02-30,
    an integer of 5,000 digits) is a problem at its line."""

    def construct_non_recursive_object(self, node: Any, tag: Any = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except _UNREADABLE as exc:
            raise YamlProblem(node.start_mark.line + 1, _unreadable(node, exc)) from None

    def construct_lined_map(self, node: Any) -> Iterator[CommentedMap]:
        data = CommentedMap()
        data.lc.line, data.lc.col = node.start_mark.line, node.start_mark.column
        yield data
        data.update(self.construct_mapping(node))  # merges `<<`, refuses duplicate keys
        for key_node, value_node in node.value:  # merged keys first: a key's own line wins
            key = self.construct_object(key_node, deep=True)
            where = [*_at(key_node), *_at(value_node)]
            data.lc.add_kv_line_col(tuple(key) if isinstance(key, list) else key, where)

    def construct_lined_seq(self, node: Any) -> Iterator[CommentedSeq]:
        data = CommentedSeq()
        data.lc.line, data.lc.col = node.start_mark.line, node.start_mark.column
        yield data
        data.extend(self.construct_sequence(node))
        for i, child in enumerate(node.value):
            data.lc.add_idx_line_col(i, _at(child))


_LinedConstructor.add_constructor("tag:yaml.org,2002:map", _LinedConstructor.construct_lined_map)
_LinedConstructor.add_constructor("tag:yaml.org,2002:seq", _LinedConstructor.construct_lined_seq)


def _at(node: Any) -> list[int]:
    """Return the line and column of node, from 0 as ruamel keeps them."""
    return [node.start_mark.line, node.start_mark.column]


def _unreadable(node: Any, exc: Exception) -> str:
    """Return what was expected of a scalar whose construction failed, and what it was."""
    kind = str(node.tag).rpartition(":")[2]
    value = node.value if isinstance(node.value, str) else "a list or mapping"
    shown = value if len(value) <= 40 else f"{len(value):,} characters ({value[:20]}...)"
    if kind == "timestamp":
        return f"expected a valid date, got {shown} ({exc})"
    if kind == "int" and "digits" in str(exc):
        limit = sys.get_int_max_str_digits()
        return f"expected an integer of at most {limit:,} digits, got {shown}"
    return f"expected {_KINDS.get(kind, f'a valid {kind}')}, got {shown}"


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1
