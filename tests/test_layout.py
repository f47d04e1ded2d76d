"""Layout: measuring, wrapping, sizing and continuation, on the document model alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder.brand import Brand, default_kit, load_brand
from builder.document import (
    Deck,
    ListBlock,
    Meta,
    Paragraph,
    QuoteBlock,
    Row,
    Run,
    Slide,
    Step,
    StepsBlock,
    Table,
    plain,
)
from builder.errors import LayoutError
from builder.fonts import metrics
from builder.layout import (
    Frame,
    Geometry,
    PlannedSlide,
    StepsPart,
    TablePart,
    TextPart,
    part_fits,
    plan_deck,
)
from builder.measure import (
    TITLE_MIN_PT,
    Box,
    Para,
    fit_body,
    shorten,
    table_columns,
    title_height,
    title_lines,
    wrap_lines,
)
from builder.placement import Limits, draft_tag, fit_diagram

# The built-in template's boxes in points (13.333 x 7.5 in slide).
CONTENT = Frame(Box(43.2, 18, 873.6, 93.6), Box(43.2, 133.2, 873.6, 345.6))
GEOMETRY = Geometry(
    960,
    540,
    {
        "title": Frame(
            Box(64.8, 64.8, 830.4, 176.4),
            Box(64.8, 390.2, 619.2, 133.2),
            Box(64.8, 252, 830.4, 100.8),
        ),
        "section": Frame(Box(64.8, 108, 830.4, 172.8), Box(64.8, 309.6, 830.4, 108)),
        "content": CONTENT,
        "closing": CONTENT,
        "quote": CONTENT,
        "process": CONTENT,
    },
)


@pytest.fixture(scope="module")
def brand() -> Brand:
    return load_brand(default_kit())[0]


def runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def bullets(count: int, words: str = "a point about crying in therapy") -> ListBlock:
    items = tuple(runs(f"{words} {i}") for i in range(count))
    return ListBlock(items, item_at=tuple(f"sources/w.yaml:{10 + i}" for i in range(count)))


def deck(*slides: Slide) -> Deck:
    return Deck(Meta("Workshop", "en"), slides)


def test_long_word_breaks_into_lines_that_fit(brand: Brand) -> None:
    face = metrics(brand.body_font.regular)
    lines = wrap_lines("x" * 400, brand.body_font, False, 24, 300)
    assert len(lines) > 1
    assert "".join(line.removesuffix("-") for line in lines) == "x" * 400
    assert all(face.width(line, 24) <= 300 for line in lines)


def test_more_text_needs_more_lines(brand: Brand) -> None:
    short = wrap_lines("tears can help " * 5, brand.body_font, False, 24, 400)
    long = wrap_lines("tears can help " * 30, brand.body_font, False, 24, 400)
    assert len(long) > len(short) >= 1


def test_hard_line_break_starts_a_new_line(brand: Brand) -> None:
    assert wrap_lines("one\ntwo", brand.body_font, False, 24, 800) == ["one", "two"]


def test_shorten_keeps_text_that_fits_and_cuts_the_rest_at_a_word(brand: Brand) -> None:
    assert shorten("Crying in therapy", brand.body_font, 12, 400) == "Crying in therapy"
    cut = shorten("Crying in therapy " * 20, brand.body_font, 12, 400)
    assert cut.endswith("…") and cut.startswith("Crying in therapy")
    assert len(wrap_lines(cut, brand.body_font, False, 12, 400)) == 1


def test_long_paragraph_continues_at_sentence_ends(brand: Brand) -> None:
    text = " ".join(f"Sentence {i} tells a little more of the case story." for i in range(60))
    slide = Slide("content", "Case", (Paragraph(runs(text)),))
    planned = plan_deck(deck(slide), GEOMETRY, brand)
    parts = [p.parts[0] for p in planned]
    assert all(isinstance(part, TextPart) and len(part.paras) == 1 for part in parts)
    pieces = ["".join(r.text for r in part.paras[0].runs) for part in parts]
    assert len(planned) >= 2 and " ".join(pieces) == text
    assert all(piece.endswith(".") for piece in pieces)


def test_body_size_goes_down_as_text_grows(brand: Brand) -> None:
    sizes = []
    for count in (1, 4, 8, 16):
        paras = [Para(runs("a sentence that takes some room on the slide " * 2), "bullet")] * count
        sizes.append(fit_body(paras, 873.6, 345.6, brand.body_font, 18, 28))
    fitted = [s for s in sizes[:-1] if s is not None]
    assert fitted == sorted(fitted, reverse=True) and len(fitted) == 3
    assert fitted[0] == 28 and fitted[-1] < 28
    assert sizes[-1] is None  # 16 long bullets cannot fit even at 18 pt


def test_twelve_bullets_continue_on_slides_with_unique_cont_titles(brand: Brand) -> None:
    planned = plan_deck(deck(Slide("content", "Points", (bullets(12),))), GEOMETRY, brand)
    titles = [p.title for p in planned]
    assert len(planned) >= 2
    assert titles[:3] == ["Points", "Points (cont.)", "Points (cont. 2)"][: len(titles)]
    assert len(set(titles)) == len(titles)
    counts = [sum(len(part.paras) for part in p.parts if hasattr(part, "paras")) for p in planned]
    assert sum(counts) == 12
    assert max(counts) <= 6
    assert len({p.body_pt for p in planned}) == 1  # continued slides share one size


def test_duplicate_titles_are_made_unique(brand: Brand) -> None:
    slides = [Slide("content", "Discussion", (bullets(2),)) for _ in range(3)]
    titles = [p.title for p in plan_deck(deck(*slides), GEOMETRY, brand)]
    assert titles == ["Discussion", "Discussion (2)", "Discussion (3)"]


def test_quote_that_cannot_fit_names_outline_file_and_line(brand: Brand) -> None:
    huge = QuoteBlock(runs("word " * 900), "A. Author", at="sources/w.yaml:42")
    with pytest.raises(LayoutError) as caught:
        plan_deck(
            deck(Slide("quote", "Too much", (huge,), at="sources/w.yaml:40")), GEOMETRY, brand
        )
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("sources/w.yaml", 42)
    assert str(problem).startswith("sources/w.yaml:42: quote cannot fit on one slide at 18 pt")


def _text_paras(planned: list[PlannedSlide]) -> list[Para]:
    return [
        para
        for p in planned
        for part in p.parts
        if isinstance(part, TextPart)
        for para in part.paras
    ]


def test_bullet_longer_than_a_slide_continues_without_a_second_bullet(brand: Brand) -> None:
    huge = ListBlock((runs("short"), runs("word " * 900)), item_at=("a.yaml:3", "w.yaml:42"))
    planned = plan_deck(deck(Slide("content", "Much", (huge,))), GEOMETRY, brand)
    paras = _text_paras(planned)
    assert len(planned) > 2
    assert [para.style for para in paras].count("bullet") == 2
    assert sum(plain(para.runs).split().count("word") for para in paras) == 900
    _assert_planned_fits(planned, brand)


def test_title_too_long_for_its_box_is_shortened_at_a_word(brand: Brand) -> None:
    slide = Slide("content", "A very long title " * 24, (bullets(1),), at="w.yaml:7")
    (planned,) = plan_deck(deck(slide), GEOMETRY, brand)
    assert planned.title.endswith("…") and planned.title.startswith("A very long title A very")
    assert planned.title_pt == TITLE_MIN_PT
    _assert_planned_fits([planned], brand)


def test_title_of_three_lines_fits_before_any_cut(brand: Brand) -> None:
    title = "Supporting clients who cry in session: " * 3
    (planned,) = plan_deck(deck(Slide("content", title.strip(), (bullets(1),))), GEOMETRY, brand)
    assert planned.title == title.strip()


def test_long_table_continues_with_header_rows_repeated(brand: Brand) -> None:
    header = Row((runs("Time"), runs("Segment")), header=True)
    body = tuple(Row((runs(f"{i}:00"), runs(f"Segment {i}"))) for i in range(20))
    slide = Slide("content", "Agenda", (Table((header, *body), (0.25, 0.75)),))
    planned = plan_deck(deck(slide), GEOMETRY, brand)
    tables = [part for p in planned for part in p.parts if isinstance(part, TablePart)]
    assert len(tables) >= 2
    assert all(t.table.rows[0].header for t in tables)
    assert sum(len(t.table.rows) - 1 for t in tables) == 20
    assert all(t.size >= 18 and part_fits(t, brand.body_font, 18) for t in tables)


def test_process_steps_get_a_box_each_within_the_body(brand: Brand) -> None:
    steps = StepsBlock("S-P", tuple(Step(f"Step {i}", runs("what happens here")) for i in range(4)))
    (planned,) = plan_deck(deck(Slide("process", "Sequence", (steps,))), GEOMETRY, brand)
    (part,) = planned.parts
    assert isinstance(part, StepsPart)
    assert len(part.cells) == 4 and part.size >= 14
    assert part_fits(part, brand.body_font, 14)
    assert CONTENT.body.contains(part.box)
    assert [c.x for c in part.cells] == sorted(c.x for c in part.cells)


def test_process_too_long_for_a_diagram_becomes_a_numbered_list(brand: Brand) -> None:
    steps = StepsBlock("S", tuple(Step(f"N{i}", runs("word " * 40)) for i in range(8)))
    planned = plan_deck(deck(Slide("process", "Long", (steps,))), GEOMETRY, brand)
    paras = _text_paras(planned)
    assert [para.number for para in paras] == list(range(1, 9))
    assert all(para.style == "number" for para in paras)
    _assert_planned_fits(planned, brand)


def test_six_steps_draw_in_two_rows_read_left_to_right(brand: Brand) -> None:
    text = "Notice the feeling and name it"
    steps = StepsBlock("S", tuple(Step(f"Step {i}", runs(text)) for i in range(6)))
    part = fit_diagram(steps, CONTENT.body, brand.body_font, Limits(18, 24))
    assert part is not None and part.size >= 18 and part_fits(part, brand.body_font, 18)
    rows = sorted({c.y for c in part.cells})
    assert len(rows) == 2
    for y in rows:
        xs = [c.x for c in part.cells if c.y == y]
        assert xs == sorted(xs) and len(xs) == 3
    assert part.cells[3].y > part.cells[2].y  # the second row follows the first


def test_process_is_drawn_as_the_arrangement_with_the_largest_text(brand: Brand) -> None:
    steps = StepsBlock("S", tuple(Step(f"Step {i}", runs("Name it")) for i in range(3)))
    (planned,) = plan_deck(deck(Slide("process", "Three", (steps,))), GEOMETRY, brand)
    (part,) = planned.parts
    assert isinstance(part, StepsPart) and part.size == 24  # a short process stays a diagram


def _assert_planned_fits(planned: list[PlannedSlide], brand: Brand) -> None:
    titles = [p.title for p in planned]
    assert len({t.casefold() for t in titles}) == len(titles)
    for p in planned:
        frame = GEOMETRY.frames[p.slide.kind]
        count = len(title_lines(p.title, brand.heading_font, p.title_pt, frame.title))
        assert p.title_pt >= TITLE_MIN_PT
        assert title_height(count, p.title_pt) <= frame.title.h
        for part in p.parts:
            floor = brand.body_min_pt
            assert part.size >= floor
            body = frame.body  # a title slide's details may widen to the title's width
            if p.slide.kind == "title":
                body = Box(body.x, body.y, max(body.w, frame.title.w), body.h)
            assert body.contains(part.box)
            assert part_fits(part, brand.body_font, floor)


printable = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"), include_characters="\n"),
    min_size=1,
    max_size=300,
)
texts = st.one_of(printable, printable.map(lambda s: s * 15))  # also text near the limits


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=texts,
    items=st.lists(texts, min_size=1, max_size=14),
    quote=texts,
    steps=st.lists(texts, min_size=1, max_size=7),
    cells=st.lists(texts, min_size=1, max_size=9),
)
def test_plan_fits_everything_or_raises_layout_error(
    brand: Brand, title: str, items: list[str], quote: str, steps: list[str], cells: list[str]
) -> None:
    rows = tuple(Row((runs(c), runs(c[::-1]))) for c in cells)
    slides = (
        Slide("title", title, (Paragraph(runs(quote), "meta"),), runs(title)),
        Slide("section", title, (), runs(quote)),
        Slide("content", title, (Paragraph(runs(quote)), ListBlock(tuple(map(runs, items))))),
        Slide("quote", title, (QuoteBlock(runs(quote), title),)),
        Slide("process", title, (StepsBlock("p", tuple(Step(s[:20], runs(s)) for s in steps)),)),
        Slide("closing", title, (Table((Row((runs("A"), runs("B")), True), *rows)),)),
    )
    try:
        planned = plan_deck(deck(*slides), GEOMETRY, brand)
    except LayoutError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        event(f"layout error: {exc.problems[0].message.split(':')[0]}")
        return
    event("planned")
    _assert_planned_fits(planned, brand)


def test_a_long_narrow_table_sets_its_rows_side_by_side_before_continuing(brand: Brand) -> None:
    header = Row((runs("Time"), runs("Segment")), header=True)
    body = tuple(
        Row((runs(f"{9 + i // 4}:{i % 4 * 15:02d} AM"), runs(f"Segment {i}"))) for i in range(30)
    )
    slide = Slide("content", "Agenda", (Table((header, *body), (0.2, 0.8)),))
    planned = plan_deck(deck(slide), GEOMETRY, brand)
    assert len(planned) == 2  # 10 rows a table at 18 pt: one column would take three slides
    for p in planned:
        left, right = (part for part in p.parts if isinstance(part, TablePart))
        assert left.box.x + left.box.w < right.box.x and left.box.y == right.box.y
        assert left.table.rows[0].header and right.table.rows[0].header
    shown = [
        c
        for p in planned
        for part in p.parts
        if isinstance(part, TablePart)
        for row in part.table.rows[1:]
        for c in row.cells[1]
    ]
    assert [r.text for r in shown] == [f"Segment {i}" for i in range(30)]  # reading order kept
    _assert_planned_fits(planned, brand)


def test_a_column_of_short_cells_gets_the_width_its_text_needs(brand: Brand) -> None:
    table = Table((Row((runs("10:05 AM"), runs("A segment title"))),), (0.1, 0.9))
    columns = table_columns(table, 400, brand.body_font, 18)
    assert columns[0] > 400 * 0.1 and sum(columns) == pytest.approx(400)
    assert wrap_lines("10:05 AM", brand.body_font, False, 18, (columns[0] - 14.4) / 1.05) == [
        "10:05 AM"
    ]


def test_a_subtitle_too_long_for_its_box_leads_the_details_instead() -> None:
    """Northwind's title slide has a small subtitle box: the two-day program's long subtitle
    does not fit it at 18 pt, so it opens the details rather than failing the build."""
    from builder import pipeline
    from builder.document import plain
    from builder.placement import TextPart

    job = pipeline.Job(Path("tests/fixtures/outlines/eight-presenters.yaml"),
                       Path("sources/brands/northwind"))  # fmt: skip
    loaded = pipeline.load(job)
    from builder.templating import environment

    materials = pipeline.Materials(environment(None), pipeline.context(loaded, job.outline),
                                   loaded.brand, job)  # fmt: skip
    title = materials.plan()[0]
    assert title.slide.kind == "title" and title.subtitle is None
    first = title.parts[0]
    assert isinstance(first, TextPart)
    assert plain(first.paras[0].runs) == loaded.workshop.program.subtitle


@pytest.mark.parametrize(
    ("lang", "opening", "closing"),
    [
        ("en", "“", "”"),
        ("de-AT", "„", "“"),
        ("es", "«", "»"),
        ("fr", "«\u00a0", "\u00a0»"),
        ("it", "“", "”"),
    ],
)
def test_a_quote_panel_uses_the_quotation_marks_of_its_language(
    lang: str, opening: str, closing: str
) -> None:
    from builder.placement import quote_paras

    quote, by = quote_paras(QuoteBlock(runs("Der Körper erinnert sich."), "B. van der Kolk"), lang)
    assert [r.text for r in quote.runs] == [opening, "Der Körper erinnert sich.", closing]
    assert [r.text for r in by.runs] == ["— B. van der Kolk"]
    quoted = QuoteBlock(runs(f"{opening}Schon zitiert{closing}"), "")
    assert [r.text for r in quote_paras(quoted, lang)[0].runs] == [
        f"{opening}Schon zitiert{closing}"
    ]


LONG_TITLE = (
    "Documentation, remediation and gatekeeping: what supervisors must record, when, and how "
    "to respond to concerns early in the supervisory relationship: key points (cont. 2)"
)


def test_a_draft_decks_long_title_moves_left_of_the_draft_tag(brand: Brand) -> None:
    slides = (Slide("content", LONG_TITLE, (bullets(2),)), Slide("content", "Short", (bullets(2),)))
    draft = Deck(Meta("Workshop", "en", draft=True), slides)
    long, short = plan_deck(draft, GEOMETRY, brand)
    tag = draft_tag(GEOMETRY.width)
    assert long.title_box is not None and long.title_box.x + long.title_box.w < tag.x
    assert len(title_lines(long.title, brand.heading_font, long.title_pt, long.title_box)) > 2
    assert short.title_box is None  # one line under the tag's foot: where the template put it
    final, _ = plan_deck(deck(*slides), GEOMETRY, brand)
    assert final.title_box is None  # no tag, no move
