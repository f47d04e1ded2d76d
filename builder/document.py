"""The document model: what templates produce and writers consume; data only.

`builder.markup` parses rendered markup into these nodes. Every node keeps `line`, its line in
the rendered markup, and `at`, the outline's "file:line" it came from (empty when none), so a
layout problem can name the outline line a trainer should edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """A stretch of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Run, ...]


def plain(runs: Inline) -> str:
    """Return the text of runs without styling."""
    return "".join(r.text for r in runs)


@dataclass(frozen=True)
class Heading:
    """A heading, level 1 to 3."""

    level: int
    runs: Inline
    line: int = 0
    at: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; style is one of PARAGRAPH_STYLES."""

    runs: Inline
    style: str = "body"
    line: int = 0
    at: str = ""


PARAGRAPH_STYLES = (
    "body",
    "lead",
    "small",
    "meta",
    "cite",
    "reference",
    "statement",
    "presenter",
)


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; each item is one paragraph of inline text."""

    items: tuple[Inline, ...]
    ordered: bool = False
    line: int = 0
    at: str = ""
    item_at: tuple[str, ...] = ()  # each item's outline "file:line", when known
    check: bool = False  # a checklist: a box to tick before each item


@dataclass(frozen=True)
class QuoteBlock:
    """A short quote with its attribution."""

    runs: Inline
    by: str
    line: int = 0
    at: str = ""


@dataclass(frozen=True)
class Step:
    """One named step of a process diagram."""

    name: str
    runs: Inline


@dataclass(frozen=True)
class StepsBlock:
    """A process: named steps drawn as boxes joined by arrows."""

    title: str
    steps: tuple[Step, ...]
    line: int = 0
    at: str = ""


@dataclass(frozen=True)
class Row:
    """A table row; header rows repeat on continuation pages."""

    cells: tuple[Inline, ...]
    header: bool = False


@dataclass(frozen=True)
class Table:
    """A table; widths are relative column widths (they sum to 1) or empty for equal."""

    rows: tuple[Row, ...]
    widths: tuple[float, ...] = ()
    line: int = 0
    at: str = ""
    exact: bool = False  # widths final: no column narrowed to its cells (rows were cut for them)


@dataclass(frozen=True)
class Figure:
    """An image from a file beside the outline: its upright pixel size, alt text, caption and
    credit line. beside: on a slide, it sits on the right of the slide's text."""

    path: Path
    width: int
    height: int
    alt: str
    caption: Inline = ()
    credit: Inline = ()
    beside: bool = False
    line: int = 0
    at: str = ""


@dataclass(frozen=True)
class NoteLines:
    """Ruled lines to write on."""

    count: int
    line: int = 0
    at: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (handout only)."""

    line: int = 0
    at: str = ""


@dataclass(frozen=True)
class SlidePages:
    """Where a guide shows the deck: every slide's thumbnail beside its notes (guide only)."""

    line: int = 0
    at: str = ""


Block = (
    Heading
    | Paragraph
    | ListBlock
    | QuoteBlock
    | StepsBlock
    | Table
    | Figure
    | NoteLines
    | PageBreak
    | SlidePages
)


@dataclass(frozen=True)
class Slide:
    """One slide: its kind picks the layout; notes are speaker notes.

    `optional`: shown only when layout moves the title slide's presenters to it.
    `merge`: layout may share this slide with a mergeable neighbour when both fit together.
    """

    kind: str
    title: str
    blocks: tuple[Block, ...] = ()
    subtitle: Inline = ()
    notes: tuple[Paragraph, ...] = ()
    line: int = 0
    at: str = ""
    optional: bool = False
    merge: bool = False
    part: int = 0  # its agenda section: 1 for Deck.parts[0]; 0 for none (title, closing)
    role: str = ""  # "discussion" or "activity": the guide repeats its text for the facilitator


SLIDE_KINDS = (
    "title",
    "section",
    "content",
    "quote",
    "process",
    "closing",
)


@dataclass(frozen=True)
class Meta:
    """Document properties written into every output file."""

    title: str
    lang: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    draft: bool = False  # [placeholders] remain in the outline or kit: the files say DRAFT


@dataclass(frozen=True)
class DeckPart:
    """An agenda section of a deck: its title, start (minutes from the program's start), length."""

    title: str
    start: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class Deck:
    """A slide deck; slides of an agenda section name it by Slide.part."""

    meta: Meta
    slides: tuple[Slide, ...] = field(default=())
    parts: tuple[DeckPart, ...] = field(default=())


@dataclass(frozen=True)
class Document:
    """A flowing document (the handout)."""

    meta: Meta
    blocks: tuple[Block, ...] = field(default=())
