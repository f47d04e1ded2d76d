"""The Workshop model: what an outline says, validated, immutable.

The loader (`builder.loader`) reads YAML into these models; every mapping carries the line it
started on as `line` (written by the loader as the key "@line", never by the user).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


# Limits every outline can reach and still build: layout adapts up to these, and the JSON
# Schema states them (maxLength, maxItems) so an editor warns while typing.
def _at_most(n: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=n)


Title = Annotated[str, _at_most(200)]  # the program's title, subtitle and venue
Heading = Annotated[str, _at_most(120)]  # section, case, process, discussion, activity titles
Line = Annotated[str, _at_most(200)]  # a line on a slide: point, takeaway, question, limit
Name = Annotated[str, _at_most(80)]  # a person's name or credentials
Sentence = Annotated[str, _at_most(400)]  # an objective, a disclosure, commercial support
QuoteText = Annotated[str, _at_most(600)]  # a sentence or two: about 80 words at most
StepName = Annotated[str, _at_most(40)]
Instructions = Annotated[str, _at_most(1500)]
Prose = Annotated[str, _at_most(4000)]  # handout text and notes: about 600 words
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]?\d|2[0-3]):[0-5]\d$")]
MAX_OBJECTIVES = 40  # one an hour (CE.md) for a program of up to a working week
Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
ObjectiveNumber = Annotated[int, Field(ge=1, strict=True)]  # 1 for the program's first objective


def distinct(lines: Iterable[str]) -> list[str]:
    """Return lines in order, each once: a repeat differing only in case is dropped."""
    first: dict[str, str] = {}
    for line in lines:
        first.setdefault(line.casefold(), line)
    return list(first.values())


class Node(BaseModel):
    """Base of every outline mapping: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    line: SkipJsonSchema[int] = Field(default=0, alias="@line", exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_mapping_lines(cls, data: Any) -> Any:
        """Drop the loader's "@line" from mappings that are dicts of values, not models."""
        if not isinstance(data, dict):
            return data
        dicts = {n for n, f in cls.model_fields.items() if get_origin(f.annotation) is dict}
        return {
            k: {kk: vv for kk, vv in v.items() if kk != "@line"}
            if k in dicts and isinstance(v, dict)
            else v
            for k, v in data.items()
        }


class Program(Node):
    """Program facts shown identically in every output."""

    title: Title
    subtitle: Title | None = None
    description: Prose
    audience: list[Line] = Field(min_length=1, max_length=12)
    level: Literal["introductory", "intermediate", "advanced"]
    format: Literal["in-person", "live interactive webinar", "self-study"]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    dates: list[dt.date] = Field(min_length=1, max_length=10)
    start: ClockTime | None = Field(
        default=None, description="clock time the first section starts, e.g. '09:00'"
    )
    location: Title | None = None
    keywords: list[Line] = Field(default=[], max_length=20)
    minutes: int | None = Field(
        default=None,
        gt=0,
        le=20000,
        description="the program's stated length in instructional minutes (breaks and meals "
        "excluded), as advertised; `workshop check` compares it with the agenda's "
        "credit-bearing minutes",
    )
    credits: float | None = Field(
        default=None,
        gt=0,
        le=400,
        description="the credits the program claims, as advertised; `workshop check` compares "
        "them with the credits the agenda earns at the provider's minutes per credit",
    )


class Presenter(Node):
    """A person in control of content, with the facts CE rules ask for."""

    name: Name
    credentials: Name
    discipline: Name | None = None
    position: Line
    bio: Prose
    disclosure: Sentence


class Objective(Node):
    """A learning objective: one observable action verb first."""

    text: Sentence
    evaluation: Sentence | None = Field(
        default=None, description="evaluation item; default 'I am able to <objective>'"
    )


class Source(Node):
    """A structured reference; `builder.bibliography` writes it in the outline's citation style."""

    kind: Literal["journal", "magazine", "blog", "web", "book", "chapter", "report"] = Field(
        description="journal; magazine (or newspaper); blog (a post); web (a page); book (an "
        "edited book when it has editors and no authors); chapter (in an edited book); report "
        "(also a dissertation, with its description)"
    )
    authors: list[Text] = Field(
        default=[],
        description="'Family, I. I.' each, or a group's name ('World Health Organization'); "
        "empty: no author",
    )
    editors: list[Text] = Field(
        default=[],
        description="'Family, I. I.' each: the editors of a chapter's book, or of an edited book "
        "(a book with editors and no authors)",
    )
    translators: list[Text] = Field(
        default=[], description="'Family, I. I.' each: the translators of a translated work"
    )
    year: int | None = Field(default=None, description="empty for n.d.")
    date_detail: Text | None = Field(
        default=None, description="month and day or season of a magazine, blog or page: 'May 5'"
    )
    original_year: int | None = Field(
        default=None,
        description="a translated or republished work's first year: '(Original work published "
        "1900)' in the reference, '1900/2018' in citations",
    )
    title: Annotated[str, _at_most(500)] = Field(description="sentence case, as APA writes it")
    short_title: Text | None = Field(
        default=None,
        description="the title's first words, cited in place of an author when there is none "
        "(default: the title up to its colon, or its first four words)",
    )
    description: Text | None = Field(
        default=None,
        description="APA's bracketed description after the title, e.g. 'Fact sheet' or "
        "'Doctoral dissertation, University of Iowa'",
    )
    container: Title | None = Field(
        default=None, description="journal, magazine, blog or website name; a chapter's book title"
    )
    container_short: Title | None = Field(
        default=None,
        description="the journal's abbreviation as the NLM Catalog gives it, for AMA: 'J Soc "
        "Clin Psychol' (default: abbreviated from a built-in word list when every word is in it)",
    )
    edition: Text | None = Field(
        default=None, description="a book's edition: 2 for '2nd ed.', or words such as 'Rev.'"
    )
    volume: Text | None = Field(
        default=None, description="a journal's volume, or a book's in a multivolume work"
    )
    issue: Text | None = None
    pages: Text | None = Field(default=None, description="'133-149'; a chapter's pages in its book")
    number: Text | None = Field(
        default=None,
        description="a report's number (12 gives 'Report No. 12'; 'NIH Publication No. 18-2059' "
        "stays as written), or a journal article's article number",
    )
    publisher: Title | None = Field(
        default=None,
        description="a book's, chapter's or report's publisher (left out when it is the author)",
    )
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=600)] | None = None
    accessed: dt.date | None = Field(
        default=None,
        description="the day you read a page whose content changes: 'Retrieved March 5, 2024, "
        "from URL'",
    )
    peer_reviewed: bool = False
    note: Text | None = Field(
        default=None,
        description="a note printed under the reference in the handout, e.g. 'English "
        "translation of ...' (not part of the APA reference)",
    )

    @field_validator("volume", "issue", "pages", "edition", "number", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Point(Node):
    """A key point: a short line for the slide, fuller text for the handout."""

    point: Line
    detail: Prose | None = None
    notes: Prose | None = None
    cite: Key | None = None


class Quote(Node):
    """A short attributed quote (a sentence or two at most)."""

    quote: QuoteText = Field(description="a sentence or two: at most about 80 words")
    by: Name
    cite: Key | None = None
    notes: Prose | None = None


class Case(Node):
    """A case vignette with optional questions."""

    case: Heading = Field(description="the case's title")
    text: Prose = Field(description="the vignette, up to about 600 words")
    points: list[Line] = Field(
        default=[], max_length=12, description="short lines for the slide; else text"
    )
    questions: list[Line] = Field(default=[], max_length=8)
    cite: Key | None = None
    notes: Prose | None = None


class Step(Node):
    """One named step of a process."""

    name: StepName
    text: Line


class Process(Node):
    """A sequence of named steps, drawn as a diagram."""

    process: Heading = Field(description="the process's title")
    steps: list[Step] = Field(min_length=2, max_length=8)
    cite: Key | None = None
    notes: Prose | None = None


class Discussion(Node):
    """Discussion questions (reflection questions with note lines in the handout)."""

    discussion: Heading = Field(description="the discussion's title")
    questions: list[Line] = Field(min_length=1, max_length=8)
    notes: Prose | None = None


class Activity(Node):
    """An activity with its own minutes."""

    activity: Heading = Field(description="the activity's title")
    minutes: int = Field(gt=0, le=480)
    instructions: Instructions
    notes: Prose | None = None
    materials: list[Line] = Field(
        default=[], max_length=12, description="what the activity needs, e.g. 'prompt cards'"
    )


class Figure(Node):
    """An image beside the outline (PNG or JPEG) with its alt text, caption and credit line.

    On a slide it fills the body, or with `points` it sits on the right beside them.
    """

    figure: Annotated[str, _at_most(200)] = Field(
        description="a PNG or JPEG file inside the outline's folder, e.g. images/chart.png "
        "(no '..', no absolute path; SVG is not supported: export it as PNG)"
    )
    alt: Sentence = Field(
        description="what the image shows, for readers who cannot see it (screen readers, "
        "the deck's alt text); not printed"
    )
    title: Heading | None = Field(
        default=None, description="the slide's title; default: the section's title"
    )
    caption: Line | None = Field(default=None, description="printed under the image")
    credit: Annotated[str, _at_most(160)] | None = Field(
        default=None,
        description="source and license of the image, e.g. 'Photo: A. Rivera, CC BY 4.0'",
    )
    points: list[Line] = Field(
        default=[], max_length=6, description="a few short lines shown beside the image"
    )
    cite: Key | None = None
    notes: Prose | None = None

    @field_validator("figure")
    @classmethod
    def _readable_image(cls, value: str, info: ValidationInfo) -> str:
        """Check the file now, so a bad image is an error at this line, not in a writer."""
        from builder.images import check_figure

        check_figure((info.context or {}).get("outline"), value)
        return value


# A table's limits: every table within them builds (long rows are cut across slides).
TABLE_COLUMNS = 8
TABLE_ROWS = 60
# YAML may write a cell as a number (10, 0.5), a date (2027-02-01) or leave it empty (null): the
# model reads them as text, and the JSON Schema says so.
Cell = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=200),
    WithJsonSchema({"type": ["string", "number", "null"], "maxLength": 200}),
]
HeaderCell = Annotated[
    str,
    _at_most(60),
    WithJsonSchema({"type": ["string", "number"], "minLength": 1, "maxLength": 60}),
]


def _row_cells(row: list[str], info: ValidationInfo) -> list[str]:
    """Check a row has one cell per header cell (the header is validated before the rows)."""
    width = len(info.data.get("header") or [])
    if width and len(row) != width:
        raise ValueError(f"{width} cells, one per header cell")
    return row


TableRow = Annotated[
    list[Cell], Field(min_length=1, max_length=TABLE_COLUMNS), AfterValidator(_row_cells)
]


class Table(Node):
    """A table: a header row and rows of cells; long tables continue with the header repeated."""

    table: Heading = Field(description="the table's title")
    header: list[HeaderCell] = Field(min_length=1, max_length=TABLE_COLUMNS)
    rows: list[TableRow] = Field(
        min_length=1,
        max_length=TABLE_ROWS,
        description="each row a list of cells, one per header cell; a cell may be empty ('')",
    )
    cite: Key | None = None
    notes: Prose | None = None

    @field_validator("header", "rows", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        """Let cells be numbers (10, 0.5) and empty (null) as YAML writes them."""
        if not isinstance(value, list):
            return value
        return [_cells_as_text(v) if isinstance(v, list) else _cell_text(v) for v in value]


def _cell_text(value: Any) -> Any:
    """Return a cell YAML read as a number, a date (2027-02-01) or null as the text written."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _cells_as_text(row: list[Any]) -> list[Any]:
    return [_cell_text(v) for v in row]


BLOCK_KINDS = ("point", "quote", "case", "process", "discussion", "activity", "figure", "table")


def _block_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((k for k in BLOCK_KINDS if k in value), None)
    return next((k for k in BLOCK_KINDS if hasattr(value, k)), None)


Block = Annotated[
    Annotated[Point, Tag("point")]
    | Annotated[Quote, Tag("quote")]
    | Annotated[Case, Tag("case")]
    | Annotated[Process, Tag("process")]
    | Annotated[Discussion, Tag("discussion")]
    | Annotated[Activity, Tag("activity")]
    | Annotated[Figure, Tag("figure")]
    | Annotated[Table, Tag("table")],
    Discriminator(_block_kind),
]


class Section(Node):
    """An agenda item: minutes, whether it earns credit, and its blocks in order."""

    title: Heading
    minutes: int = Field(gt=0, le=480)
    credit: bool = True
    start: ClockTime | None = Field(
        default=None,
        description="clock time this section starts, e.g. '09:00' on a second day (needs "
        "program.start): the sections after it count on from it",
    )
    divider: bool | None = Field(
        default=None,
        description="a divider slide before the section; default: only for sections of "
        "20 minutes or more with several slides, in outlines of three or more sections",
    )
    summary: Prose | None = None
    notes: Prose | None = None
    research: bool = Field(
        default=False, description="show the research view and its limits in this section"
    )
    objectives: list[ObjectiveNumber] = Field(
        default=[],
        max_length=12,
        description="numbers of the program objectives this section serves, 1 for the first",
    )
    materials: list[Line] = Field(
        default=[],
        max_length=12,
        description="what the section needs in the room, e.g. 'tissues within reach'",
    )
    setup: Line | None = Field(
        default=None, description="room setup, e.g. 'chairs in a circle; tissues on each table'"
    )
    blocks: list[Block] = Field(default=[], max_length=40)

    @property
    def is_break(self) -> bool:
        """Whether the section is a break: no credit and nothing to show (one slide, no part
        number)."""
        return not self.credit and not self.blocks

    @property
    def all_materials(self) -> list[str]:
        """Return the section's materials, then its activities', each once."""
        activities = (m for b in self.blocks if isinstance(b, Activity) for m in b.materials)
        return distinct([*self.materials, *activities])


class Research(Node):
    """The research view on the topic and the limits of the evidence."""

    summary: Prose
    findings: list[Point] = Field(min_length=1, max_length=12)
    limitations: list[Sentence] = Field(min_length=1, max_length=12)
    notes: Prose | None = None


_SOURCES_FILE: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[^/\\].*\.(bib|json)$",
    "description": "a BibTeX (.bib) or CSL-JSON (.json) file inside the outline's folder",
}


def _sources_schema(schema: dict[str, Any]) -> None:
    """Let the outline's JSON Schema take a reference manager's file as `sources` too."""
    listed = {k: schema.pop(k) for k in list(schema) if k not in ("title", "description")}
    extra = {
        "type": "object",
        "additionalProperties": {"type": "object"},
        "description": "per source key, fields to set or override: peer_reviewed, note, kind",
    }
    by_file = {
        "type": "object",
        "properties": {"file": _SOURCES_FILE, "extra": extra},
        "required": ["file"],
        "additionalProperties": False,
    }
    schema["anyOf"] = [listed, _SOURCES_FILE, by_file]


class Workshop(Node):
    """A whole workshop outline."""

    program: Program
    presenters: list[Presenter] = Field(min_length=1, max_length=8)
    objectives: list[Objective] = Field(min_length=1, max_length=MAX_OBJECTIVES)
    sources: dict[Key, Source] = Field(
        min_length=1,
        max_length=60,
        description="key: source, or a reference manager's export beside the outline (see "
        "builder.bibfile): 'refs.bib' (BibTeX) or 'refs.json' (CSL-JSON), or {file: refs.bib, "
        "extra: {key: {peer_reviewed: true, note: ...}}} to set fields per key",
        json_schema_extra=_sources_schema,
    )
    citation_style: Literal["apa", "ama"] = Field(
        default="apa",
        description="apa (APA 7: author-date) or ama (AMA 11: references numbered in order of "
        "first citation, cited by number)",
    )
    agenda: list[Section] = Field(min_length=1, max_length=40)
    research: Research
    takeaways: list[Line] = Field(min_length=1, max_length=12)
    # Defaults to "none" so templates always have text, but `workshop check` requires the key
    # (an error when absent): it tells absent from explicit by `model_fields_set`.
    commercial_support: Sentence = Field(
        default="none",
        description="'none', or who gave commercial support (required: `workshop check` "
        "reports an outline that leaves it out)",
    )

    @field_validator("sources", mode="before")
    @classmethod
    def _sources_from_file(cls, value: Any, info: ValidationInfo) -> Any:
        """Read `sources: refs.bib` (or `{file: refs.bib, extra: ...}`) beside the outline."""
        if not isinstance(value, str) and not (
            isinstance(value, dict) and isinstance(value.get("file"), str)
        ):
            return value
        from builder.bibfile import sources_from_file  # the parsers load only when used

        program = info.data.get("program")
        language = program.language if isinstance(program, Program) else "en"
        return sources_from_file(value, (info.context or {}).get("outline"), language)

    @field_validator("citation_style", mode="before")
    @classmethod
    def _known_style(cls, value: Any) -> Any:
        """Take a style's name in any case; any other name is the outline's mistake."""
        name = value.casefold() if isinstance(value, str) else value
        if name not in ("apa", "ama"):
            raise ValueError("one of apa, ama")
        return name

    @property
    def states_commercial_support(self) -> bool:
        """Whether the outline says `commercial_support` itself (rather than the default)."""
        return "commercial_support" in self.model_fields_set

    @property
    def credit_minutes(self) -> int:
        """Minutes of the agenda that earn credit."""
        return sum(s.minutes for s in self.agenda if s.credit)

    @property
    def total_minutes(self) -> int:
        """Minutes of the whole agenda, breaks included."""
        return sum(s.minutes for s in self.agenda)

    @property
    def materials(self) -> list[str]:
        """Return every material of the agenda's sections and activities, in order, each once."""
        return distinct(m for s in self.agenda for m in s.all_materials)


def texts_of(node: Node, where: str = "") -> Iterator[tuple[str, Node, str]]:
    """Yield (dotted field, the model holding it, text) for every text of a model and of the
    models, lists and mappings inside it (a table's rows too)."""
    for name, value in node:
        yield from _texts_in(value, f"{where}.{name}" if where else name, node)


def _texts_in(value: Any, field: str, owner: Node) -> Iterator[tuple[str, Node, str]]:
    if isinstance(value, str):
        yield field, owner, value
    elif isinstance(value, Node):
        yield from texts_of(value, field)
    elif isinstance(value, list | dict):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _texts_in(item, f"{field}.{key}", owner)
