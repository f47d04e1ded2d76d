"""The Workshop model: what an outline says, validated, immutable.

The loader (`builder.loader`) reads YAML into these models; every mapping carries the line it
started on as `line` (written by the loader as the key "@line", never by the user).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


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

    title: Text
    subtitle: Text | None = None
    description: Text
    audience: list[Text] = Field(min_length=1)
    level: Literal["introductory", "intermediate", "advanced"]
    format: Literal["in-person", "live interactive webinar", "self-study"]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    dates: list[dt.date] = Field(min_length=1)
    location: Text | None = None
    keywords: list[Text] = []


class Presenter(Node):
    """A person in control of content, with the facts CE rules ask for."""

    name: Text
    credentials: Text
    discipline: Text | None = None
    position: Text
    bio: Text
    disclosure: Text


class Objective(Node):
    """A learning objective: one observable action verb first."""

    text: Text
    evaluation: Text | None = Field(
        default=None, description="evaluation item; default 'I am able to <objective>'"
    )


class Source(Node):
    """A structured reference, rendered in APA 7 style."""

    kind: Literal["journal", "magazine", "web", "book", "chapter", "report"]
    authors: list[Text] = Field(default=[], description="'Family, I. I.' each; empty: no author")
    year: int | None = Field(default=None, description="empty for n.d.")
    date_detail: Text | None = Field(default=None, description="e.g. 'May/June'")
    title: Text
    container: Text | None = Field(default=None, description="journal, magazine or site name")
    volume: Text | None = None
    issue: Text | None = None
    pages: Text | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    peer_reviewed: bool = False
    note: Text | None = Field(default=None, description="e.g. 'English translation of ...'")

    @field_validator("volume", "issue", "pages", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Point(Node):
    """A key point: a short line for the slide, fuller text for the handout."""

    point: Text
    detail: Text | None = None
    notes: Text | None = None
    cite: Key | None = None


class Quote(Node):
    """A short attributed quote (a sentence or two at most)."""

    quote: Text
    by: Text
    cite: Key | None = None
    notes: Text | None = None


class Case(Node):
    """A case vignette with optional questions."""

    case: Text = Field(description="the case's title")
    text: Text
    points: list[Text] = Field(default=[], description="short lines for the slide; else text")
    questions: list[Text] = []
    cite: Key | None = None
    notes: Text | None = None


class Step(Node):
    """One named step of a process."""

    name: Text
    text: Text


class Process(Node):
    """A sequence of named steps, drawn as a diagram."""

    process: Text = Field(description="the process's title")
    steps: list[Step] = Field(min_length=2, max_length=6)
    cite: Key | None = None
    notes: Text | None = None


class Discussion(Node):
    """Discussion questions (reflection questions with note lines in the handout)."""

    discussion: Text = Field(description="the discussion's title")
    questions: list[Text] = Field(min_length=1)
    notes: Text | None = None


class Activity(Node):
    """An activity with its own minutes."""

    activity: Text = Field(description="the activity's title")
    minutes: int = Field(gt=0)
    instructions: Text
    notes: Text | None = None


BLOCK_KINDS = ("point", "quote", "case", "process", "discussion", "activity")


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
    | Annotated[Activity, Tag("activity")],
    Discriminator(_block_kind),
]


class Section(Node):
    """An agenda item: minutes, whether it earns credit, and its blocks in order."""

    title: Text
    minutes: int = Field(gt=0)
    credit: bool = True
    summary: Text | None = None
    notes: Text | None = None
    research: bool = Field(
        default=False, description="show the research view and its limits in this section"
    )
    blocks: list[Block] = []


class Research(Node):
    """The research view on the topic and the limits of the evidence."""

    summary: Text
    findings: list[Point] = Field(min_length=1)
    limitations: list[Text] = Field(min_length=1)
    notes: Text | None = None


class Workshop(Node):
    """A whole workshop outline."""

    program: Program
    presenters: list[Presenter] = Field(min_length=1)
    objectives: list[Objective] = Field(min_length=1)
    sources: dict[Key, Source] = Field(min_length=1)
    agenda: list[Section] = Field(min_length=1)
    research: Research
    takeaways: list[Text] = Field(min_length=1)
    commercial_support: Text = "none"

    @property
    def credit_minutes(self) -> int:
        """Minutes of the agenda that earn credit."""
        return sum(s.minutes for s in self.agenda if s.credit)

    @property
    def total_minutes(self) -> int:
        """Minutes of the whole agenda, breaks included."""
        return sum(s.minutes for s in self.agenda)
