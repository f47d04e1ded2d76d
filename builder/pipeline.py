"""The one place that knows the order of the stages: load, check, render, parse, write.

Every output of a build is made in memory first and then moved into place file by file
(temporary file + os.replace), so a failed build never leaves a half-written file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from builder import ce
from builder.bibliography import Bibliography, bibliography_of
from builder.brand import Brand, Provider, default_kit, load_brand
from builder.checks import check_workshop, placeholders_remain
from builder.document import Deck, Document
from builder.entry import settled
from builder.errors import BrandError, CheckError, Problem, WorkshopError, WriteError
from builder.i18n import Words, format_date, format_time, words_for
from builder.loader import load_model
from builder.markup import parse_deck, parse_document
from builder.model import Node, Quote, Workshop, distinct
from builder.publish import publish
from builder.templating import environment, render
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

    return build_deck(m.deck, m.brand, m.plan())


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


def _clause(text: str, language: str) -> str:
    """Return an objective as the end of "I am able to …" (its verb in lower case)."""
    from builder.writers.evaluation import objective_clause

    return objective_clause(text, language)


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
# what every build imports besides the writers
_SHARED = ("builder.layout",)


def preload(formats: list[str], outlines: list[Path]) -> None:
    """Import the modules that building formats needs and read the outlines (under
    `outlines_read_once`), so worker processes forked from this one start with them."""
    import importlib

    for name in _SHARED:
        importlib.import_module(name)
    _import_writers(formats)
    for outline in dict.fromkeys(outlines):
        with suppress(WorkshopError):  # each of its jobs reports the problems
            _outline(outline)


def _import_writers(formats: list[str]) -> None:
    """Import the modules in builder.writers that write formats."""
    import importlib

    for name in formats:
        if FORMATS[name].writer:
            importlib.import_module(f"builder.writers.{FORMATS[name].writer}")


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


@dataclass(frozen=True)
class Loaded:
    """An outline with its brand, provider and every problem the checks found."""

    workshop: Workshop
    brand: Brand
    provider: Provider
    problems: list[Problem]
    registered: tuple[str, ...] = ()  # names from the job's roster, in its order


def resolve_kit(name: str, brands_dir: Path) -> Path:
    """Return the kit folder for --brand NAME|DIR; 'default' is the built-in kit."""
    if name == "default":
        return default_kit()
    for candidate in (Path(name), brands_dir / name):
        if candidate.is_dir():
            return candidate
    known = ["default"] + sorted(p.name for p in brands_dir.glob("*") if p.is_dir())
    hint = difflib.get_close_matches(name, known, n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    message = f"expected a brand kit folder or one of {', '.join(known)}, got {name!r}{tail}"
    raise BrandError(Problem(name, 0, message))


# Outlines already read and validated, while `outlines_read_once` is in force (else None).
_READ: dict[Path, Workshop] | None = None


@contextmanager
def outlines_read_once() -> Iterator[None]:
    """Within the block, read and validate each outline once however many kits build it.

    For one command's run only, whose files do not change meanwhile: `watch` reads them again
    on every save (an outline's sources file or figures may change without the outline).
    """
    global _READ
    before, _READ = _READ, {}
    try:
        yield
    finally:
        _READ = before


def _outline(path: Path) -> Workshop:
    """Return the validated outline at path, read once under `outlines_read_once`."""
    if _READ is None:
        return load_model(path, Workshop)
    if path not in _READ:
        _READ[path] = load_model(path, Workshop)
    return _READ[path]


def load(job: Job) -> Loaded:
    """Return the outline, brand and provider of a job, with the checks' problems."""
    workshop = _outline(job.outline)
    brand, provider = load_brand(job.kit or default_kit())
    if job.paper is not None:
        brand = dataclasses.replace(brand, paper=job.paper)
    problems = list(brand.warnings) + check_workshop(workshop, job.outline, provider, brand)
    names: list[str] = []
    if job.roster is not None:  # a bad row is a warning: its name is left for the pen
        from builder.roster import registered_names

        names, bad = registered_names(job.roster)
        problems += [dataclasses.replace(p, severity="warning") for p in bad]
    return Loaded(workshop, brand, provider, problems, tuple(names))


def _raise_for(problems: list[Problem], strict: bool) -> None:
    failing = [p for p in problems if p.severity == "error" or strict]
    if failing:
        raise CheckError(failing)


def context(loaded: Loaded, source: Path) -> dict[str, Any]:
    """Return what templates see: the workshop, brand, provider and derived CE facts."""
    w, provider = loaded.workshop, loaded.provider
    bib = bibliography_of(w)
    return {
        "w": w,
        "program": w.program,
        "presenters": w.presenters,
        "brand": loaded.brand,
        "provider": provider,
        "credit_label": ce.credit_label(w, provider),
        "credits": ce.credits(w, provider),
        "statements": ce.statements(provider, w),
        "body_credits": ce.body_credits(provider, w),
        "non_credit": any(not s.credit for s in w.agenda),
        "bib": bib,
        "refs": [(key, w.sources[key]) for key in bib.sorted_keys()],
        "presenter_names": ", ".join(p.name for p in w.presenters),
        "registered": loaded.registered,
        "draft": placeholders_remain(loaded.problems),
        "at": lambda node: f"{source}:{node.line}" if isinstance(node, Node) else "",
        "attribution": lambda quote: _attribution(quote, bib),
        "research_in_agenda": any(s.research for s in w.agenda),
        **_language_context(w),
    }


_FORMAT_KEYS = {
    "in-person": "format_in_person",
    "live interactive webinar": "format_webinar",
    "self-study": "format_self_study",
}


def _language_context(w: Workshop) -> dict[str, Any]:
    """Return the words, dates, times and numbers of the outline's language."""
    language, t = w.program.language, words_for(w.program.language)
    starts, ends = _minutes(w)
    support = w.commercial_support
    # what a CE provider needs on the day besides the outline's materials (facilitator guide)
    on_paper = ("handouts", "sign_in", "evaluations")
    online = ("handout_file", "attendance", "evaluation_link")
    ce_items = on_paper if w.program.format == "in-person" else online
    return {
        "t": t,
        "lang": language,
        "date_label": "; ".join(format_date(d, language) for d in w.program.dates),
        "clock": [_clock(m, w) for m in starts],
        "start_minute": starts,
        "clock_at": lambda minute: _clock(minute, w),
        "clause": lambda text: _clause(text, language),
        "sheet_dates": [format_date(day, language) for day in w.program.dates],
        "clock_end": [_clock(m, w) for m in ends],
        "non_credit_notice": t("non_credit_notice"),
        "level_label": t(f"level_{w.program.level}"),
        "format_label": t(_FORMAT_KEYS[w.program.format]),
        "commercial_support": _support(support, t),
        "quote_title": lambda quote: quote_title(quote.by, t),
        "checklist": distinct([*w.materials, *(t(f"checklist_{item}") for item in ce_items)]),
    }


# Lower-case words inside personal names, and articles that start a description instead
_PARTICLES = frozenset(("von", "van", "der", "den", "de", "del", "della", "la", "le", "du"))
_PARTICLES |= {"da", "di", "dos", "das", "y", "e", "und", "et", "and", "&", "bin", "ibn", "al"}
_ARTICLES = frozenset(("the", "a", "an", "el", "los", "las", "un", "una", "die", "das", "ein"))
_ARTICLES |= {"eine", "einer", "les", "une", "des", "our", "my", "this"}


def quote_title(by: str, t: Words) -> str:
    """Return a quote slide's title: "In Jeffrey Von Glahn’s words" for a person's name, else
    "Quote: a composite client, first session" (a description reads badly in "In …’s words")."""
    words = by.split()
    named = (
        "," not in by
        and 0 < len(words) <= 8
        and words[0].casefold() not in _ARTICLES
        and all(w[0].isupper() or w in _PARTICLES for w in words)
    )
    return t("in_words", name=by) if named else t("quote_from", who=by)


def _support(text: str, t: Words) -> str:
    """Return commercial support as written, or 'none' in the outline's language."""
    return t("no_commercial_support") if text.strip().lower() == "none" else text


def _attribution(quote: Quote, bib: Bibliography) -> str:
    """Return 'Jeffrey Von Glahn (n.d.)', or 'Name (Citation)' when the author differs."""
    if not quote.cite:
        return quote.by
    names, date = bib.citation_parts(quote.cite)
    shown = date if names in quote.by else bib.citation_text(quote.cite)
    return f"{quote.by} ({shown})"


def _minutes(w: Workshop) -> tuple[list[int], list[int]]:
    """Return the minute each section starts and ends, counted from the program's start."""
    starts, ends, minute = [], [], 0
    for section in w.agenda:
        starts.append(minute)
        minute += section.minutes
        ends.append(minute)
    return starts, ends


def _clock(minute: int, w: Workshop) -> str:
    """Return elapsed time ('1:05'), or the time of day in the language from program.start."""
    if w.program.start is None:
        return f"{minute // 60}:{minute % 60:02d}"
    hours, minutes = (int(part) for part in w.program.start.split(":"))
    total = hours * 60 + minutes + minute
    time = dt.time(total // 60 % 24, total % 60)
    return format_time(time, w.program.language)


def produce(
    job: Job, formats: list[str], strict: bool = False, loaded: Loaded | None = None
) -> tuple[Loaded, dict[str, bytes]]:
    """Return the loaded outline and each format's file bytes, without writing anything."""
    loaded = loaded or load(job)
    _raise_for(loaded.problems, strict)
    if any(FORMATS[name].filename.endswith(".pdf") for name in formats):
        from builder.fonts import prepare

        # faces a PDF embeds and the font cache lacks are cut in workers from now on, beside
        # the templates, the layout and the deck, instead of when the first PDF reads them
        prepare(loaded.brand.body_font, loaded.brand.heading_font)
    with settled():  # the writers' modules, imported before their first use
        _import_writers(formats)
    materials = Materials(
        environment(job.templates), context(loaded, job.outline), loaded.brand, job
    )
    files: dict[str, bytes] = {}
    for name in formats:
        fmt = FORMATS[name]
        files[fmt.filename] = fmt.write(materials)
    if "deck" in formats:  # the kit's fonts (and licenses) travel with the deck
        files |= {name: src.read_bytes() for name, src in loaded.brand.font_files().items()}
    return loaded, files


def check(job: Job, formats: list[str]) -> list[Problem]:
    """Return every problem of a job: every stage a build runs before drawing (load, templates,
    markup, the deck's layout, the writers' own checks), errors collected, nothing drawn."""
    try:
        loaded = load(job)
    except WorkshopError as exc:
        return exc.problems
    problems = list(loaded.problems)
    if any(p.severity == "error" for p in problems):
        return problems
    try:
        prepare(job, [f for f in formats if not FORMATS[f].redraws], loaded)
    except WorkshopError as exc:
        problems += [p for p in exc.problems if p not in problems]
    return problems


def prepare(job: Job, formats: list[str], loaded: Loaded) -> None:
    """Run every stage of building formats but drawing them; raise what building would."""
    materials = Materials(
        environment(job.templates), context(loaded, job.outline), loaded.brand, job
    )
    for name in formats:
        fmt = FORMATS[name]
        if fmt.prepare is not None:
            fmt.prepare(materials)
        else:
            fmt.write(materials)


def out_dir(job: Job, root: Path, named_brand: bool) -> Path:
    """Return where a job's files go: root/<outline>/ or root/<outline>/<brand>/."""
    folder = root / job.outline.stem
    return folder / job.kit.name if named_brand and job.kit else folder


def write_files(files: dict[str, bytes], folder: Path) -> list[Path]:
    """Publish every file into folder as one set (builder.publish) and return their paths."""
    try:
        return publish(files, folder)
    except OSError as exc:
        raise WriteError(Problem(str(folder), 0, f"could not write: {exc.strerror}")) from None


def build(
    job: Job, formats: list[str], root: Path, named_brand: bool = False, strict: bool = False
) -> tuple[list[Path], list[Problem]]:
    """Build a job's formats into root; return the files written and the warnings."""
    loaded, files = produce(job, formats, strict)
    written = write_files(files, out_dir(job, root, named_brand))
    return written, [p for p in loaded.problems if p.severity != "error"]


@dataclass(frozen=True)
class Outcome:
    """What building one job gave: files written, warnings, or the problems that stopped it."""

    job: Job
    written: list[Path]
    warnings: list[Problem]
    problems: list[Problem]


def run(job: Job, formats: list[str], root: Path, named_brand: bool, strict: bool) -> Outcome:
    """Build one job and report, never raising for a user's mistake (worker processes call it)."""
    try:
        written, warnings = build(job, formats, root, named_brand, strict)
    except WorkshopError as exc:
        return Outcome(job, [], [], exc.problems)
    return Outcome(job, written, warnings, [])


def kits_for(names: list[str], brands_dir: Path) -> list[Path]:
    """Return the kit folders for --brand values; 'all' is every kit in brands_dir.

    'all' means the provider's own kits, not the built-in neutral one: add `--brand default`
    to build that too.
    """
    kits = [resolve_kit(name, brands_dir) for name in dict.fromkeys(names) if name != "all"]
    if "all" in names:
        found = sorted(p for p in brands_dir.glob("*") if (p / "_brand.yml").is_file())
        if not found:
            raise BrandError(Problem(str(brands_dir), 0, "expected brand kits, found none"))
        kits += [k for k in found if k not in kits]
    return kits
