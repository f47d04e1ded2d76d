"""The loader's fast path gives ruamel's own events, or leaves the file to ruamel (issue 14)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from builder import yaml_bounds
from builder.yaml_events import Unsupported, block_events
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted(
    p for p in ROOT.glob("**/*.y*ml") if ".venv" not in p.parts and p.suffix in (".yaml", ".yml")
)

# What outlines and kits write, and the edges of what the fast path reads
SNIPPETS = [
    "a: 1\nb: two words  # a comment\nc: 'it''s'\nd: \"x # y\"  # z\n",
    "a: -5\nb: -x\nc: a#b\nd: 2027-03-12\ne: 1.5\nf: no\ng: null\nh: true\ni: 0x1F\n",
    "a: >\n  one\n  two\n\n  three\n\n\n  four\nb: x\n",
    "a: |\n  one\n  two\n\n  three\nb: >-\n  x\n  y\n\nc: |-\n  z\n",
    "a: >\n  one\n    more\nb: x\n",
    "a: >\n  # not a comment\n  text\n\n# a comment\nb: |  # a comment\n  x\n",
    "a: >\n    deep\n  less\nb: x\n",
    "a: \u00a0x\nb: it's # a comment\nc: b &c *d\nd: a:b\ne: [it's, \"a]b\"]\n",
    "a: >\n  trailing  \nb: x\n",
    "a: >\n\n  leading empty\n",
    "a: >\n  no newline at the end",
    "a: |+\n  keep\n\n",
    "a: >2\n   indented\n",
    "list:\n  - one\n  -   two\n  - key: v\n    other: w\n  - - 1\n    - 2\n  -\n    k: v\n",
    "list:\n- one\n- two\nnext: x\n",
    "k:\n- a: 1\n  b: 2\n- c: 3\nz: 0\n",
    "a: [1, 2,3]\nb: []\nc: [ ]\nd: [\"x, y\", 'z''s', plain words]\ne: [a b , c]  # c\n",
    "a: [a, ]\n",
    "a: [a\nb: c\n",
    'a: {name: Each morning, text: "Fill in, then"}\nb: {}\nc: { x: y }\n',
    "c: {a:1}\n",
    "- {name: X, text: it's here}\n",
    "program:  # a comment\n  title: x\n  next: y\n",
    "program:\n  title: x\n    # deeper comment\n  next: y\n",
    "a:\n  # only a comment\n  b: c\n",
    "a: b\n  continued\n",
    "a: b\n\n  # a deeper comment\nc: d\n",
    "a:\nb: c\n",
    "a: b: c\n",
    "a: x:\n",
    "a: 'one\n  two'\n",
    'a: "esc \\" aped"\n',
    'a: "\\u00e9"\n',
    "a: b\na: c\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "%YAML 1.2\n---\na: b\n",
    "---\na: b\n...\n",
    "a: b\n---\nc: d\n",
    "a:\tb\n",
    "a: b\r\nc: d\r\n",
    "\ufeffa: b\n",
    "a: b\u2028c\n",
    "  a: b\n  c: d\n",
    "a: b\n c: d\n",
    "? a\n: b\n",
    "a: 2027-02-30\n",
    "a: @at\nb: `tick`\n",
    "a: [b, [c]]\n",
    "a: {b: {c: d}}\n",
    "a:\n  - b\n - c\n",
    "a: x\u00a0\nb: \u00e9t\u00e9 – \u201cquoted\u201d\n",
    "",
    "# only a comment\n",
    "just a scalar\n",
    "- a\n- b\n",
    MINIMAL,
]


def _events(text: str) -> list[tuple[Any, ...]]:
    """Return what the composer reads of ruamel's pure-Python events (fast or not)."""
    return [_shown(e) for e in YAML(typ="safe", pure=True).parse(text)]


def _shown(event: Any) -> tuple[Any, ...]:
    name = type(event).__name__
    values = [getattr(event, a, None) for a in ("value", "style", "implicit", "anchor", "tag")]
    node = name.startswith(("Scalar", "Sequence", "Mapping")) and not name.endswith("EndEvent")
    mark = event.start_mark
    where = (mark.line, mark.column, mark.index) if node else None
    return (name, *values, getattr(event, "flow_style", None), where)


def _same_or_left_to_ruamel(text: str) -> str:
    """Return 'fast' when the fast path gives ruamel's events, 'ruamel' when it leaves text."""
    try:
        fast = [_shown(e) for e in block_events(text)]
    except Unsupported:
        return "ruamel"
    assert fast == _events(text), text  # ruamel raising here: the fast path took bad YAML
    return "fast"


def _tree(value: Any) -> Any:
    """Return a tree with every line and column ruamel keeps, for comparing."""
    if isinstance(value, CommentedMap):
        lines = {k: tuple(v) for k, v in value.lc.data.items()}
        items = tuple((k, lines.get(k), _tree(v)) for k, v in value.items())
        return ("map", value.lc.line, value.lc.col, items)
    if isinstance(value, CommentedSeq):
        items = tuple((tuple(value.lc.data[i]), _tree(v)) for i, v in enumerate(value))
        return ("seq", value.lc.line, value.lc.col, items)
    return (type(value).__name__, value)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_of_the_project_gives_ruamels_events(path: Path) -> None:
    _same_or_left_to_ruamel(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", SNIPPETS)
def test_edge_cases_give_ruamels_events_or_go_to_ruamel(text: str) -> None:
    _same_or_left_to_ruamel(text)


def test_the_shipped_outline_and_kits_take_the_fast_path() -> None:
    shipped = [
        ROOT / "sources/therapeutic-crying.yaml",
        ROOT / "builder/templates/new-outline.yaml",
    ]
    kits = sorted(ROOT.glob("builder/brands/*/*.yml")) + sorted(ROOT.glob("sources/brands/*/*.yml"))
    assert kits
    for path in shipped + kits:
        assert _same_or_left_to_ruamel(path.read_text(encoding="utf-8")) == "fast", path


def test_fast_and_ruamel_trees_are_the_same_with_their_lines() -> None:
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        assert _tree(yaml_bounds.load(text)) == _tree(yaml_bounds._load(text, None)), path


def test_edited_outlines_give_ruamels_events_or_go_to_ruamel() -> None:
    """Lines of real files with characters inserted, removed, indented or repeated."""
    chars = [" ", ":", "#", "-", '"', "'", "[", "]", "{", "}", ",", ">", "|", "&", "*", "!", "%"]
    chars += ["@", "`", "?", "\\", "x", "\n", ": ", " #", "- ", "1", "\u00a0"]
    texts = [p.read_text(encoding="utf-8") for p in CORPUS]
    rnd = random.Random(14)
    for _ in range(400):
        lines = rnd.choice(texts).split("\n")
        k = rnd.randrange(len(lines))
        line, op = lines[k], rnd.randrange(5)
        at = rnd.randrange(len(line) + 1)
        if op == 0:
            lines[k] = line[:at] + rnd.choice(chars) + line[at:]
        elif op == 1:
            lines[k] = line[:at] + line[at + 1 :]
        elif op == 2:
            lines[k] = " " * rnd.choice((1, 2, 4)) + line
        elif op == 3:
            lines[k] = line + rnd.choice((" # c", "  ", ":", " x"))
        else:
            lines.insert(k, line)
        _same_or_left_to_ruamel("\n".join(lines))


def test_an_error_in_text_the_fast_path_reads_is_ruamels(tmp_path: Path) -> None:
    text = "a: 1\nb: 2\na: 3\n"  # read fast, refused by ruamel's constructor: it says why
    assert _same_or_left_to_ruamel(text) == "fast"
    with pytest.raises(Exception) as fast:
        yaml_bounds.load(text)
    with pytest.raises(Exception) as slow:
        yaml_bounds._load(text, None)
    assert str(fast.value) == str(slow.value) and "duplicate key" in str(fast.value)


def test_every_character_ruamels_reader_refuses_sends_the_text_to_ruamel() -> None:
    """The fast path skips the reader's check of printable characters: it must refuse all."""
    from ruamel.yaml.reader import Reader

    refused = [c for c in map(chr, range(0x110000)) if Reader.NON_PRINTABLE.match(c)]
    assert len(refused) > 2000
    for char in refused:
        with pytest.raises(Unsupported):
            block_events(f"a: b{char}\n")
