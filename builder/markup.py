"""Parse rendered markup (our small XML vocabulary) into the document model.

The parser is hardened (no DTD, no entities, no network) and keeps line numbers; an element or
attribute outside the vocabulary is a MarkupError naming the template and the rendered line.
Whitespace inside text is folded, since templates are indented for people to read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from builder.document import (
    PARAGRAPH_STYLES,
    SLIDE_KINDS,
    Block,
    Deck,
    DeckPart,
    Document,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Meta,
    NoteLines,
    PageBreak,
    Paragraph,
    QuoteBlock,
    Row,
    Run,
    Slide,
    SlidePages,
    Step,
    StepsBlock,
    Table,
)
from builder.emphasis import unmarked
from builder.errors import MarkupError, Problem
from builder.images import image_size

_SPACE = re.compile(r"\s+")
_META_ATTRS = {"title", "lang", "author", "subject", "keywords"}


class _Source:
    """Where the markup came from, for error messages."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, el: Any, message: str, field: str = "") -> MarkupError:
        line = el.sourceline if el is not None and el.sourceline else 0
        return MarkupError(Problem(f"{self.name} (rendered)", line, message, field))


def parse_deck(text: str, name: str) -> Deck:
    """Return the Deck that markup text describes (root element <deck>)."""
    src = _Source(name)
    root = _parse(text, src, "deck")
    slides: list[Slide] = []
    parts: list[DeckPart] = []
    for el in _children(root, src, {"slide", "part"}):
        if el.tag == "slide":
            slides.append(_slide(el, src))
            continue
        parts.append(_part(el, src))
        slides += [_slide(s, src, len(parts)) for s in _children(el, src, {"slide"})]
    return Deck(_meta(root, src), tuple(slides), tuple(parts))


def _part(el: Any, src: _Source) -> DeckPart:
    """Return a <part title start minutes>: an agenda section that groups its slides."""
    _attrs(el, src, {"title", "start", "minutes"})
    numbers = []
    for name in ("start", "minutes"):
        value = el.get(name, "0")
        if not value.isdigit():
            raise src.fail(el, f"expected a whole number of minutes, got {value!r}", name)
        numbers.append(int(value))
    return DeckPart(_shown(el.get("title", "")), *numbers)


def parse_document(text: str, name: str) -> Document:
    """Return the Document that markup text describes (root element <document>)."""
    src = _Source(name)
    root = _parse(text, src, "document")
    return Document(_meta(root, src), tuple(_blocks(root, src, set(_BLOCKS))))


def _parse(text: str, src: _Source, root_tag: str) -> Any:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise MarkupError(
            Problem(f"{src.name} (rendered)", line, f"invalid markup: {exc.msg}")
        ) from None
    if root.getroottree().docinfo.doctype:
        raise src.fail(root, "expected no DOCTYPE, got one")
    if root.tag != root_tag:
        raise src.fail(root, f"expected root element <{root_tag}>, got <{root.tag}>")
    return root


def _meta(root: Any, src: _Source) -> Meta:
    _attrs(root, src, _META_ATTRS)
    keywords = tuple(k.strip() for k in root.get("keywords", "").split(",") if k.strip())
    title = _shown(root.get("title", ""))
    if not title:
        raise src.fail(root, "expected a non-empty title attribute", "title")
    return Meta(
        title=title,
        lang=root.get("lang", "en"),
        author=_shown(root.get("author", "")),
        subject=_shown(root.get("subject", "")),
        keywords=keywords,
    )


def _attrs(el: Any, src: _Source, allowed: set[str]) -> None:
    for key in el.attrib:
        if key not in allowed:
            names = ", ".join(sorted(allowed)) or "none"
            raise src.fail(el, f"expected attributes {names}, got {key!r}", f"<{el.tag}>")


def _children(el: Any, src: _Source, allowed: set[str]) -> Iterator[Any]:
    if el.text and el.text.strip():
        raise src.fail(
            el, f"expected only elements inside <{el.tag}>, got text {el.text.strip()[:30]!r}"
        )
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in allowed:
            raise src.fail(
                child, f"expected one of <{'>, <'.join(sorted(allowed))}>, got <{child.tag}>"
            )
        if child.tail and child.tail.strip():
            raise src.fail(child, f"expected only elements, got text {child.tail.strip()[:30]!r}")
        yield child


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _shown(text: str) -> str:
    """Return an attribute's text as shown where no emphasis is drawn: folded, no asterisks."""
    return unmarked(_fold(text))


def _inline(el: Any, src: _Source, bold: bool = False, italic: bool = False) -> Inline:
    """Return the runs of an element whose content is text with <b> and <i>."""
    runs: list[Run] = []
    _collect(el, src, bold, italic, runs)
    return _trim(_merge(runs))


def _collect(el: Any, src: _Source, bold: bool, italic: bool, runs: list[Run]) -> None:
    if el.text:
        runs.append(Run(_SPACE.sub(" ", el.text), bold, italic))
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in ("b", "i"):
            raise src.fail(child, f"expected text, <b> or <i>, got <{child.tag}>")
        _attrs(child, src, set())
        _collect(child, src, bold or child.tag == "b", italic or child.tag == "i", runs)
        if child.tail:
            runs.append(Run(_SPACE.sub(" ", child.tail), bold, italic))


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    return merged


def _trim(runs: list[Run]) -> Inline:
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].bold, runs[-1].italic)
    return tuple(r for r in runs if r.text)


def _common(el: Any) -> dict[str, Any]:
    return {"line": el.sourceline or 0, "at": el.get("at", "")}


def _heading(el: Any, src: _Source) -> Heading:
    _attrs(el, src, {"at"})
    return Heading(int(el.tag[1]), _inline(el, src), **_common(el))


def _paragraph(el: Any, src: _Source) -> Paragraph:
    _attrs(el, src, {"at", "style"})
    style = el.get("style", "body")
    if style not in PARAGRAPH_STYLES:
        raise src.fail(el, f"expected one of {', '.join(PARAGRAPH_STYLES)}, got {style!r}", "style")
    return Paragraph(_inline(el, src), style, **_common(el))


def _list(el: Any, src: _Source) -> ListBlock:
    _attrs(el, src, {"at", "check"})
    lis = list(_children(el, src, {"li"}))
    for li in lis:
        _attrs(li, src, {"at"})
    items = tuple(_inline(li, src) for li in lis)
    item_at = tuple(li.get("at", "") or el.get("at", "") for li in lis)
    check = el.get("check") == "true"
    return ListBlock(items, el.tag == "ol", item_at=item_at, check=check, **_common(el))


def _quote(el: Any, src: _Source) -> QuoteBlock:
    _attrs(el, src, {"at", "by"})
    return QuoteBlock(_inline(el, src), _shown(el.get("by", "")), **_common(el))


def _steps(el: Any, src: _Source) -> StepsBlock:
    _attrs(el, src, {"at", "title"})
    steps = []
    for step in _children(el, src, {"step"}):
        _attrs(step, src, {"name"})
        steps.append(Step(_shown(step.get("name", "")), _inline(step, src)))
    return StepsBlock(_shown(el.get("title", "")), tuple(steps), **_common(el))


def _table(el: Any, src: _Source) -> Table:
    _attrs(el, src, {"at", "widths"})
    rows = []
    for row in _children(el, src, {"row"}):
        _attrs(row, src, {"header"})
        cells = tuple(_inline(c, src) for c in _children(row, src, {"cell"}))
        rows.append(Row(cells, row.get("header") == "true"))
    widths = _widths(el, src)
    if widths and any(len(r.cells) != len(widths) for r in rows):
        raise src.fail(el, f"expected {len(widths)} cells in every row", "widths")
    return Table(tuple(rows), widths, **_common(el))


def _widths(el: Any, src: _Source) -> tuple[float, ...]:
    raw = el.get("widths", "").split()
    try:
        values = [float(w) for w in raw]
    except ValueError:
        raise src.fail(el, f"expected numbers, got {el.get('widths')!r}", "widths") from None
    total = sum(values)
    return tuple(v / total for v in values) if total > 0 else ()


def _figure(el: Any, src: _Source) -> Figure:
    """Return a <figure src alt at beside> with its <caption> and <credit>.

    src is resolved in the folder of the outline file that at= names and may not leave it
    (no '..', no absolute path, no link leading out).
    """
    _attrs(el, src, {"at", "src", "alt", "beside"})
    alt, outline = _fold(el.get("alt", "")), el.get("at", "").rpartition(":")[0]
    if not alt:
        raise src.fail(el, "expected a non-empty alt attribute: what the image shows", "alt")
    if not outline:
        raise src.fail(el, "expected at= naming the outline line the figure comes from", "at")
    try:
        path, width, height = image_size(Path(outline).parent, el.get("src", ""))
    except ValueError as exc:
        raise src.fail(el, f"expected {exc}, got {el.get('src', '')!r}", "src") from None
    texts: dict[str, Inline] = {"caption": (), "credit": ()}
    for child in _children(el, src, set(texts)):
        _attrs(child, src, set())
        texts[child.tag] = _inline(child, src)
    caption, credit, beside = texts["caption"], texts["credit"], el.get("beside") == "true"
    return Figure(path, width, height, alt, caption, credit, beside, **_common(el))


def _lines(el: Any, src: _Source) -> NoteLines:
    _attrs(el, src, {"at", "count"})
    count = el.get("count", "4")
    if not count.isdigit() or not 1 <= int(count) <= 40:
        raise src.fail(el, f"expected a count from 1 to 40, got {count!r}", "count")
    return NoteLines(int(count), **_common(el))


def _pagebreak(el: Any, src: _Source) -> PageBreak:
    _attrs(el, src, set())
    return PageBreak(**_common(el))


def _slides(el: Any, src: _Source) -> SlidePages:
    _attrs(el, src, set())
    return SlidePages(**_common(el))


_BLOCKS: dict[str, Callable[[Any, _Source], Block]] = {
    "h1": _heading,
    "h2": _heading,
    "h3": _heading,
    "p": _paragraph,
    "ul": _list,
    "ol": _list,
    "quote": _quote,
    "steps": _steps,
    "table": _table,
    "figure": _figure,
    "lines": _lines,
    "pagebreak": _pagebreak,
    "slides": _slides,
}
_SLIDE_BLOCKS = {"p", "ul", "ol", "quote", "steps", "table", "figure"}


def _blocks(el: Any, src: _Source, allowed: set[str]) -> Iterator[Block]:
    for child in _children(el, src, allowed):
        yield _BLOCKS[child.tag](child, src)


def _slide(el: Any, src: _Source, part: int = 0) -> Slide:
    _attrs(el, src, {"kind", "at", "optional", "merge", "role"})
    kind = el.get("kind", "content")
    if kind not in SLIDE_KINDS:
        raise src.fail(el, f"expected one of {', '.join(SLIDE_KINDS)}, got {kind!r}", "kind")
    title = ""
    subtitle: Inline = ()
    notes: tuple[Paragraph, ...] = ()
    blocks: list[Block] = []
    for child in _children(el, src, _SLIDE_BLOCKS | {"title", "subtitle", "notes"}):
        if child.tag == "title":
            title = unmarked("".join(r.text for r in _inline(child, src)))
        elif child.tag == "subtitle":
            subtitle = _inline(child, src)
        elif child.tag == "notes":
            notes = tuple(_paragraph(p, src) for p in _children(child, src, {"p"}))
        else:
            blocks.append(_BLOCKS[child.tag](child, src))
    if not title:
        raise src.fail(el, "expected a non-empty <title> in every slide", "title")
    flags = {"optional": el.get("optional") == "true", "merge": el.get("merge") == "true"}
    role = el.get("role", "")
    return Slide(kind, title, tuple(blocks), subtitle, notes, part=part, role=role, **flags,
                 **_common(el))  # fmt: skip
