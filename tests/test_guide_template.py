"""The facilitator guide's template (issue 9): run sheet, room setup, slide pages, checklist.

The template is rendered and parsed as a build does (pipeline.Materials), for the shipped
workshop and fixture outlines, and the Document is read back; the PDF writer is not needed.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from builder import pipeline
from builder.document import Block, Document, Heading, ListBlock, Paragraph, SlidePages, Table
from builder.document import plain as plain_runs
from builder.errors import CheckError
from builder.i18n import words_for
from builder.model import Workshop
from builder.templating import environment
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
OUTLINES = Path(__file__).parent / "fixtures" / "outlines"
ONE_SECTION = OUTLINES / "one-section.yaml"  # no program.start, a live webinar
TALLER = OUTLINES / "taller-es.yaml"  # Spanish, program.start 09:00
ATELIER = OUTLINES / "atelier-fr.yaml"  # French, program.start 14:00
DAY_LONG = OUTLINES / "day-long.yaml"  # English, program.start 08:30, breaks and lunch
GERMAN = OUTLINES / "long-tokens-de.yaml"  # German, program.start 09:30
GUIDES = [SHIPPED, ONE_SECTION, TALLER, ATELIER, DAY_LONG, GERMAN]
CE_ITEMS = ["Printed handouts", "Sign-in sheet", "Evaluation forms"]


def _render(path: Path, templates: Path | None = None) -> tuple[Workshop, Document]:
    """Return an outline's workshop and its guide Document, made as a build makes it."""
    job = pipeline.Job(path, templates=templates)
    loaded = pipeline.load(job)
    ctx = pipeline.context(loaded, job.outline)
    materials = pipeline.Materials(environment(job.templates), ctx, loaded.brand, job)
    document: Document = materials.model("guide.xml.j2")
    return loaded.workshop, document


@functools.cache
def _guide(path: Path) -> tuple[Workshop, Document]:
    return _render(path)


def _written(tmp_path: Path, text: str) -> tuple[Workshop, Document]:
    path = tmp_path / "guide-test.yaml"
    path.write_text(text, encoding="utf-8")
    return _render(path)


def _text(block: Block) -> str:
    if isinstance(block, Heading | Paragraph):
        return plain_runs(block.runs)
    if isinstance(block, ListBlock):
        return " ".join(plain_runs(item) for item in block.items)
    if isinstance(block, Table):
        return " ".join(plain_runs(cell) for row in block.rows for cell in row.cells)
    return ""


def _after(document: Document, heading: str) -> list[Block]:
    """Return the blocks under the level-2 heading whose text is heading, up to the next h2."""
    blocks = list(document.blocks)
    start = next(
        i
        for i, b in enumerate(blocks)
        if isinstance(b, Heading) and b.level == 2 and plain_runs(b.runs) == heading
    )
    under = []
    for block in blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level <= 2:
            break
        under.append(block)
    return under


def _run_sheet(path: Path) -> list[list[str]]:
    """Return the run sheet's body rows as plain cell texts (spaces as plain spaces)."""
    workshop, document = _guide(path)
    (table,) = [
        b
        for b in _after(document, words_for(workshop.program.language)("run_sheet"))
        if isinstance(b, Table)
    ]
    assert table.rows[0].header and not any(r.header for r in table.rows[1:])
    return [
        [plain_runs(c).replace("\u202f", " ").replace("\u00a0", " ") for c in row.cells]
        for row in table.rows[1:]
    ]


def _checklist(document: Document, language: str = "en") -> ListBlock:
    (checklist,) = _after(document, words_for(language)("materials_checklist"))
    assert isinstance(checklist, ListBlock)
    return checklist


def _items(block: ListBlock) -> list[str]:
    return [plain_runs(item) for item in block.items]


# ---- the run sheet --------------------------------------------------------------------------


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_run_sheet_has_a_row_per_section_with_its_title_and_minutes(path: Path) -> None:
    workshop, _ = _guide(path)
    t = words_for(workshop.program.language)
    rows = _run_sheet(path)
    expected = [
        [s.title if s.credit else f"{s.title} ({t('no_credit')})", str(s.minutes)]
        for s in workshop.agenda
    ]
    assert [[row[1], row[2]] for row in rows] == expected
    assert all(len(row) == 5 for row in rows)


def test_start_times_are_elapsed_time_without_program_start() -> None:
    assert [row[0] for row in _run_sheet(SHIPPED)] == [
        "0:00", "0:05", "0:13", "0:21", "0:33", "0:43", "0:53", "1:01", "1:17", "1:25",
    ]  # fmt: skip
    assert [row[0] for row in _run_sheet(ONE_SECTION)] == ["0:00"]


@pytest.mark.parametrize(
    ("path", "starts"),
    [
        (TALLER, ["9:00", "9:10", "9:35", "9:50", "10:20"]),
        (ATELIER, ["14:00", "14:25", "14:50"]),
        (GERMAN, ["09:30", "09:45", "10:15", "10:30", "10:55"]),
    ],
    ids=["es", "fr", "de"],
)
def test_start_times_are_clock_times_from_program_start(path: Path, starts: list[str]) -> None:
    assert [row[0] for row in _run_sheet(path)] == starts


def test_start_times_run_through_breaks_and_lunch_in_the_languages_clock() -> None:
    starts = [row[0] for row in _run_sheet(DAY_LONG)]
    assert starts[:3] == ["8:30 AM", "8:40 AM", "8:55 AM"]
    assert "12:30 PM" in starts and starts[-1] == "3:50 PM"  # after an hour's lunch


def test_run_sheet_names_the_objectives_each_section_serves() -> None:
    workshop, _ = _guide(SHIPPED)
    served = [row[3] for row in _run_sheet(SHIPPED)]
    assert served == ["", "1", "1", "1, 3", "2", "", "1, 3", "1, 2", "3", ""]
    assert served == [", ".join(map(str, s.objectives)) for s in workshop.agenda]
    every = {n for s in workshop.agenda for n in s.objectives}
    assert every == set(range(1, len(workshop.objectives) + 1))  # each objective is served


def test_objective_numbers_are_shown_sorted_and_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("    minutes: 35\n", "    minutes: 35\n    objectives: [3, 1, 3]\n")
    _, document = _written(tmp_path, text)
    (table,) = [b for b in _after(document, "Run sheet") if isinstance(b, Table)]
    assert [plain_runs(r.cells[3]) for r in table.rows[1:]] == ["", "", "1, 3"]


def test_run_sheet_shows_section_and_activity_materials_and_the_room_setup() -> None:
    rows = {row[1]: row[4] for row in _run_sheet(SHIPPED)}
    practice = rows["Practice: responding to tears"]
    assert practice == (
        "Boxes of tissues, one per table; "
        "Prompt cards: the five client lines, one set per pair; "  # from its activity
        "A timer with a quiet signal · "
        "Room setup: Chairs turned so that partners face each other"
    )
    assert rows["Break (no CE credit)"].startswith("Room setup: Lay one set of prompt cards")
    assert rows["The S-P sequence"] == ""


# ---- the rest of the guide ------------------------------------------------------------------


def test_title_and_lead_give_dates_venue_presenters_minutes_and_credit() -> None:
    workshop, document = _guide(DAY_LONG)
    title, lead = document.blocks[:2]
    assert isinstance(title, Heading) and title.level == 1
    assert plain_runs(title.runs) == f"Facilitator guide: {workshop.program.title}"
    assert isinstance(lead, Paragraph) and lead.style == "lead"
    text = plain_runs(lead.runs)
    assert text.startswith("January 21, 2028 · Mid-Valley Conference Center")
    for presenter in workshop.presenters:
        assert f"{presenter.name}, {presenter.credentials}" in text
    minutes = workshop.total_minutes
    assert f" · {minutes} minutes in all · " in text
    assert text.endswith(f"CE credits ({workshop.credit_minutes} instructional minutes)")


def test_before_the_session_lists_each_room_setup_at_its_start() -> None:
    _, document = _guide(SHIPPED)
    (setups,) = _after(document, "Before the session")
    assert isinstance(setups, ListBlock) and not setups.check
    assert _items(setups) == [
        "0:00 Welcome and orientation: Tables for pairs, all facing the screen, with a box of "
        "tissues on each; the sign-in sheet and handouts by the door",
        "0:43 Break: Lay one set of prompt cards on each pair’s table for the practice section",
        "1:01 Practice: responding to tears: Chairs turned so that partners face each other",
    ]


def test_a_guide_without_room_setup_has_no_before_the_session() -> None:
    _, document = _guide(DAY_LONG)
    headings = [plain_runs(b.runs) for b in document.blocks if isinstance(b, Heading)]
    assert "Before the session" not in headings and "Run sheet" in headings


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_slides_come_once_under_their_heading_and_the_checklist_ends_the_guide(
    path: Path,
) -> None:
    workshop, document = _guide(path)
    t = words_for(workshop.program.language)
    places = [i for i, b in enumerate(document.blocks) if isinstance(b, SlidePages)]
    assert len(places) == 1
    heading = document.blocks[places[0] - 1]
    assert isinstance(heading, Heading) and plain_runs(heading.runs) == t("slide_by_slide")
    *_, last_heading, checklist = document.blocks
    assert isinstance(last_heading, Heading)
    assert plain_runs(last_heading.runs) == t("materials_checklist")
    assert isinstance(checklist, ListBlock) and checklist.check and not checklist.ordered


# ---- the materials checklist ----------------------------------------------------------------


def test_checklist_has_every_material_once_in_order_then_the_ce_items() -> None:
    workshop, document = _guide(SHIPPED)
    items = _items(_checklist(document))
    assert items == [
        "Printed handouts",  # named by three sections and a CE item, listed once
        "Boxes of tissues, one per table",
        "Projector, screen and slide clicker",
        "Prompt cards: the five client lines, one set per pair",
        "A timer with a quiet signal",
        "Evaluation forms",
        "Pens",
        "Sign-in sheet",
    ]
    named = [m for s in workshop.agenda for m in s.materials]
    assert named.count("Printed handouts") == 3


def test_checklist_drops_repeats_that_differ_only_in_case(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace(
            "    minutes: 30\n", "    minutes: 30\n    materials: [Tissues, A flip chart]\n"
        )
        .replace(
            "        instructions: Discuss in pairs.\n",
            "        instructions: Discuss in pairs.\n        materials: [tissues, A TIMER]\n",
        )
        .replace(
            "    minutes: 35\n", "    minutes: 35\n    materials: [a timer, PRINTED HANDOUTS]\n"
        )
    )
    workshop, document = _written(tmp_path, text)
    assert _items(_checklist(document)) == [
        "Tissues",
        "A flip chart",
        "a timer",  # the section's own materials come before its activities'
        "PRINTED HANDOUTS",
        "Sign-in sheet",
        "Evaluation forms",
    ]
    assert workshop.agenda[2].all_materials == ["a timer", "PRINTED HANDOUTS", "tissues"]


def test_a_webinar_checklist_names_what_an_online_session_needs() -> None:
    _, document = _guide(ONE_SECTION)
    assert _items(_checklist(document)) == [
        "Handout file to share",
        "Attendance record",
        "Evaluation form link",
    ]


def test_a_spanish_guide_speaks_spanish() -> None:
    _, document = _guide(TALLER)
    assert _items(_checklist(document, "es")) == [
        "Material para participantes impreso",
        "Hoja de firmas de asistencia",
        "Formularios de evaluación",
    ]
    text = " ".join(_text(b) for b in document.blocks)
    assert "Guía de facilitación: " in text and "Descanso (sin créditos)" in text
    assert "minutos en total" in text
    for english in ("Facilitator", "Run sheet", "Start", "Section", "Materials", "Slide", "in all"):
        assert english not in text


# ---- errors and overrides -------------------------------------------------------------------


def test_an_objective_the_program_lacks_stops_the_build_at_its_section(tmp_path: Path) -> None:
    text = MINIMAL.replace("    minutes: 35\n", "    minutes: 35\n    objectives: [1, 5]\n")
    path = tmp_path / "bad-objective.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CheckError) as caught:
        pipeline.produce(pipeline.Job(path), ["guide"])
    (problem,) = caught.value.problems
    assert problem.line == text.splitlines().index("  - title: Practice") + 1
    assert (problem.field, problem.severity) == ("agenda.2.objectives", "error")
    assert problem.message == "expected objective numbers 1 to 3, got 5"


def test_a_project_template_replaces_one_block_and_keeps_the_rest(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "guide.xml.j2").write_text(
        '{% extends "builtin/guide.xml.j2" %}\n'
        "{% block checklist %}\n"
        '  <h2>Bring</h2>\n  <ul check="true">\n'
        "{% for item in checklist %}    <li>{{ item | upper }}</li>\n{% endfor %}"
        "  </ul>\n{% endblock %}\n",
        encoding="utf-8",
    )
    _, document = _render(ONE_SECTION, templates)
    (bring,) = _after(document, "Bring")
    assert isinstance(bring, ListBlock) and _items(bring)[0] == "HANDOUT FILE TO SHARE"
    assert sum(isinstance(b, SlidePages) for b in document.blocks) == 1
    assert _after(document, "Run sheet")


def test_a_title_broken_at_its_own_hyphen_keeps_it_in_the_guide() -> None:
    """platypus wrapped a paragraph again at the same width and reportlab broke the lines of
    a hyphen it had split off already: the stress outline's "Long-Title" read "LongTi-tle"."""
    import io

    import pdfplumber

    from builder.brand import default_kit

    root = Path(__file__).resolve().parents[1]
    job = pipeline.Job(root / "tests" / "fixtures" / "stress.yaml", default_kit())
    _, files = pipeline.produce(job, ["guide"])
    with pdfplumber.open(io.BytesIO(files["guide.pdf"])) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "LongTi" not in text and "“Long-\nTitle”" in text


def test_a_section_with_its_own_start_begins_a_second_day(tmp_path: Path) -> None:
    section = "  - title: Practising the screener\n    minutes: 15\n"
    text = DAY_LONG.read_text(encoding="utf-8")
    assert section in text
    _, document = _written(tmp_path, text.replace(section, section + "    start: '08:30'\n"))
    (table,) = [b for b in _after(document, "Run sheet") if isinstance(b, Table)]
    starts = [plain_runs(row.cells[0]) for row in table.rows[1:]]
    day_two = starts.index("8:30 AM", 1)  # the morning after, not 3:50 PM of the first day
    assert (
        starts[day_two + 1] == "8:45 AM"
        and starts[:day_two] == [row[0] for row in _run_sheet(DAY_LONG)][:day_two]
    )


def test_a_sections_start_needs_the_programs_start(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("    minutes: 35\n", "    minutes: 35\n    start: '13:00'\n")
    path = write_outline(text)
    errors = [p for p in pipeline.check(pipeline.Job(path), ["deck"]) if p.severity == "error"]
    line = text.splitlines().index("  - title: Practice") + 1
    assert [(e.line, e.field) for e in errors] == [(line, "agenda.2.start")]
