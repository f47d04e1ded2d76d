"""The output formats: the templates each is made from, how it is drawn (write) and what
`workshop check` asks of it instead (prepare), and the materials one build draws them from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from builder.brand import Brand
from builder.document import Deck, Document
from builder.errors import WriteError
from builder.markup import parse_deck, parse_document
from builder.templating import render
from builder.writable import check_form, check_handout_tables


@dataclass(frozen=True)
class Format:
    """One output format: the templates it is made from, its writer and its file name."""

    name: str
    templates: tuple[str, ...]  # a change to one of these rebuilds the format (watch)
    write: Callable[[Materials], bytes]
    filename: str
    redraws: bool = False  # only draws what another format checks (the deck's plan): check skips it
    writer: str = ""  # the module in builder.writers that write imports
    # what `check` runs instead of write: every stage before drawing, and the writer's own
    # checks of what it is given (what check accepts, build builds)
    prepare: Callable[[Materials], None] | None = None


class Materials:
    """What the writers of one build draw from, each made once, on first use.

    The deck model and its layout plan are shared by deck.pptx, deck.pdf, slides.pdf and the
    guide, so a build renders, parses and lays out the deck once whatever it writes.
    """

    def __init__(self, env: Any, ctx: dict[str, Any], brand: Brand, job: Job) -> None:
        self.env, self.ctx, self.brand, self.job = env, ctx, brand, job
        self._models: dict[str, Any] = {}
        self._plan: tuple[Any, ...] | None = None
        self._art: Any = None

    def model(self, template: str) -> Any:
        """Return the parsed model of a template: a Deck for *deck*, else a Document."""
        if template not in self._models:
            markup = render(self.env, template, self.ctx)
            parse = parse_deck if template.startswith("deck") else parse_document
            model = parse(markup, template)
            if self.ctx.get("draft"):  # [placeholders] remain: every file says DRAFT
                model = dataclasses.replace(model, meta=dataclasses.replace(model.meta, draft=True))
            self._models[template] = model
        return self._models[template]

    def release(self, remaining: list[str]) -> None:
        """Drop the models, the deck's plan and its look that none of the remaining formats
        draws from (a 16-times outline's deck model and plan held megabytes)."""
        wanted = {template for name in remaining for template in FORMATS[name].templates}
        self._models = {t: m for t, m in self._models.items() if t in wanted}
        if "deck.xml.j2" not in wanted:
            self._plan, self._art = None, None

    @property
    def deck(self) -> Deck:
        deck: Deck = self.model("deck.xml.j2")
        return deck

    def plan(self) -> tuple[Any, ...]:
        """Return the deck's layout plan (PlannedSlide each), against the brand's template."""
        if self._plan is None:
            from builder.layout import plan_deck
            from builder.template_frames import template_geometry

            self._plan = tuple(plan_deck(self.deck, template_geometry(self.brand), self.brand))
        return self._plan

    def art(self) -> Any:
        """Return what the drawn slides look like (a SlideArt), read from the template once
        for deck.pdf, slides.pdf and the guide."""
        if self._art is None:
            from builder.writers.slide_art import slide_art

            self._art = slide_art(self.brand)
        return self._art


def _write_deck(m: Materials) -> bytes:
    from builder.writers.deck import build_deck

    _readable_template(m)
    return build_deck(m.deck, m.brand, m.plan())


def _readable_template(m: Materials) -> None:
    """Raise when a corporate template's slide text would not read on its slides."""
    if m.brand.template is None:  # the built-in template's colours are checked with the kit
        return
    from builder.writers.slide_art import unreadable_text

    if (problem := unreadable_text(m.art(), str(m.brand.template))) is not None:
        raise WriteError(problem)


def _write_handout(m: Materials) -> bytes:
    from builder.writers.handout import build_handout

    document: Document = m.model("handout.xml.j2")
    return build_handout(document, m.brand.printed())


def _write_deck_pdf(m: Materials) -> bytes:
    from builder.writers.deck_pdf import build_deck_pdf

    return build_deck_pdf(m.deck, m.plan(), m.art())


def _write_slides(m: Materials) -> bytes:
    from builder.writers.slides_pdf import build_slides

    return build_slides(m.deck, m.plan(), m.art(), m.job.per_page)


def _write_guide(m: Materials) -> bytes:
    from builder.writers.guide import build_guide

    document: Document = m.model("guide.xml.j2")
    return build_guide(document, m.deck, m.plan(), m.art(), m.ctx["clock_at"])


def _write_evaluation(m: Materials) -> bytes:
    from builder.writers.evaluation import build_evaluation

    return build_evaluation(m.model("evaluation.xml.j2"), m.brand.printed())


def _write_signin(m: Materials) -> bytes:
    from builder.writers.signin import build_signin

    names = m.ctx["registered"]
    return build_signin(m.model("signin.xml.j2"), m.brand.printed(), names)


def _prepare_deck(m: Materials) -> None:
    """Lay out the deck and check the template as build_deck does, without drawing."""
    m.plan()
    if m.brand.template is None:  # the built-in template's colours are the brand's
        return
    from builder.writers.pptx_colors import link_problem
    from builder.writers.pptx_template import choose_layouts, open_template

    kinds = choose_layouts(open_template(m.brand.template), m.brand.layouts)
    if (unreadable := link_problem(kinds, str(m.brand.template))) is not None:
        raise WriteError(unreadable)
    _readable_template(m)


def _prepare_document(template: str) -> Callable[[Materials], None]:
    """Return the check of a document format: its template rendered and parsed, tables whole."""

    def prepare(m: Materials) -> None:
        check_handout_tables(m.model(template))

    return prepare


def _prepare_form(template: str) -> Callable[[Materials], None]:
    """Return the check of a printed form: its blocks are all ones a form can show."""

    def prepare(m: Materials) -> None:
        check_form(m.model(template), template)

    return prepare


def _prepare_guide(m: Materials) -> None:
    _prepare_document("guide.xml.j2")(m)
    m.plan()


_DECK = ("deck.xml.j2",)
FORMATS = {
    "deck": Format("deck", _DECK, _write_deck, "deck.pptx", writer="deck", prepare=_prepare_deck),
    "deck-pdf": Format("deck-pdf", _DECK, _write_deck_pdf, "deck.pdf", True, "deck_pdf"),
    "handout": Format(
        "handout",
        ("handout.xml.j2",),
        _write_handout,
        "handout.pdf",
        writer="handout",
        prepare=_prepare_document("handout.xml.j2"),
    ),
    "slides": Format("slides", _DECK, _write_slides, "slides.pdf", True, "slides_pdf"),
    "guide": Format(
        "guide",
        ("guide.xml.j2", *_DECK),
        _write_guide,
        "guide.pdf",
        writer="guide",
        prepare=_prepare_guide,
    ),
    "evaluation": Format(
        "evaluation",
        ("evaluation.xml.j2",),
        _write_evaluation,
        "evaluation.pdf",
        writer="evaluation",
        prepare=_prepare_form("evaluation.xml.j2"),
    ),
    "sign-in": Format(
        "sign-in",
        ("signin.xml.j2",),
        _write_signin,
        "sign-in.pdf",
        writer="signin",
        prepare=_prepare_form("signin.xml.j2"),
    ),
}


PER_PAGE = (1, 2, 3, 4, 6)


@dataclass(frozen=True)
class Job:
    """What to build: one outline under one brand kit."""

    outline: Path
    kit: Path | None = None
    templates: Path | None = None
    paper: Literal["letter", "a4"] | None = None  # overrides the brand's paper size
    per_page: int = 3  # slides a page in slides.pdf: one of PER_PAGE
    roster: Path | None = None  # registration list whose names the sign-in sheet prints


def import_writers(formats: list[str]) -> None:
    """Import the modules in builder.writers that write formats."""
    import importlib

    for name in formats:
        if FORMATS[name].writer:
            importlib.import_module(f"builder.writers.{FORMATS[name].writer}")
