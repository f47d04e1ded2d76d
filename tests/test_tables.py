"""Tables (issue 11, part 2): a header row and rows, on slides (continued with the header
repeated, 18 pt at least, columns sized by content) and in the handout, within stated limits.

The fixture outline tests/fixtures/outlines/tables.yaml has a small comparison, 24 rows that
continue, 8 columns, a narrow table set in halves and long sentences; small outlines written
here check the limits and the errors at a table's line.
"""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Pt

from builder import pipeline
from builder.brand import default_kit, load_brand
from builder.cli import main
from builder.document import Row, Run, Table
from builder.measure import row_heights, table_columns
from builder.model import TABLE_COLUMNS, TABLE_ROWS, Workshop
from builder.tables import content_widths, cut_tall_rows
from tests.conftest import MINIMAL

FIXTURE = Path(__file__).parent / "fixtures" / "outlines" / "tables.yaml"
ITEMS = "The ten EPDS items and the two PHQ-2 items"
PT = 12700


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return pipeline.produce(pipeline.Job(FIXTURE), ["deck", "deck-pdf", "handout"])[1]


@pytest.fixture(scope="module")
def slides(built: dict[str, bytes]) -> list[Any]:
    return list(Presentation(io.BytesIO(built["deck.pptx"])).slides)


def _tables(slide: Any) -> list[Any]:
    return [shape for shape in slide.shapes if shape.has_table]


def _cells(table: Any) -> list[list[str]]:
    return [[_flat(cell.text) for cell in row.cells] for row in table.table.rows]


def _flat(text: str) -> str:
    """Return text as read: the deck's explicit line breaks (and hyphens at them) undone."""
    return " ".join(re.sub(r"-\v", "", text).replace("\v", " ").split())


def _titled(slides: list[Any], title: str) -> list[Any]:
    return [s for s in slides if s.shapes.title.text_frame.text.startswith(title)]


def _write(folder: Path, block: str) -> Path:
    anchor = "    blocks:\n      - point: Crying can relieve"
    text = MINIMAL.replace(anchor, f"    blocks:\n{block}      - point: Crying can relieve")
    path = folder / "talk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _table_block(header: list[str], rows: list[list[str]]) -> str:
    lines = ["      - table: A test table\n", f"        header: {json.dumps(header)}\n"]
    lines.append("        rows:\n")
    lines += [f"          - {json.dumps(row, ensure_ascii=False)}\n" for row in rows]
    return "".join(lines)


# ---- continuation --------------------------------------------------------------------------


def test_a_long_table_continues_with_its_header_on_every_slide(slides: list[Any]) -> None:
    continued = _titled(slides, ITEMS)
    assert len(continued) == 3
    header = ["Item", "What it asks about", "Reverse scored", "Also in PHQ-9"]
    firsts = []
    for slide in continued:
        (table,) = _tables(slide)
        rows = _cells(table)
        assert rows[0] == header
        firsts += [row[0] for row in rows[1:]]
        assert any(s.has_text_frame and s.text.startswith("Source: Cox") for s in slide.shapes)
    assert firsts[:12] == [*map(str, range(1, 11)), "PHQ-2 a", "PHQ-2 b"]
    assert len(firsts) == 24 and firsts[-1] == "Who scores it"


def test_a_continued_table_keeps_one_size_of_18_pt_or_more(slides: list[Any]) -> None:
    for title in (ITEMS, "What each score band asks of you"):
        sizes = {
            run.font.size
            for slide in _titled(slides, title)
            for row in _tables(slide)[0].table.rows
            for cell in row.cells
            for paragraph in cell.text_frame.paragraphs
            for run in paragraph.runs
        }
        assert len(sizes) == 1 and min(sizes) >= Pt(18), (title, sizes)


def test_a_narrow_long_table_sets_its_rows_in_two_halves(slides: list[Any]) -> None:
    (slide,) = _titled(slides, "Common cut-offs")
    left, right = _tables(slide)
    assert _cells(left)[0] == _cells(right)[0] == ["Questionnaire", "Score", "Meaning"]
    assert len(_cells(left)) + len(_cells(right)) == 2 + 11
    assert right.left > left.left + left.width


def test_rows_of_long_sentences_continue_between_rows(slides: list[Any]) -> None:
    workshop = pipeline.load(pipeline.Job(FIXTURE)).workshop
    table = workshop.agenda[1].blocks[2]
    shown = [
        row
        for slide in _titled(slides, "What each score band asks of you")
        for row in _cells(_tables(slide)[0])[1:]
    ]
    assert shown == [[_flat(c) for c in row] for row in table.rows]  # type: ignore[union-attr]


# ---- columns by content --------------------------------------------------------------------


def test_columns_are_sized_by_their_content(slides: list[Any]) -> None:
    (slide,) = _titled(slides, "The questionnaires at a glance")
    columns = [c.width for c in _tables(slide)[0].table.columns]
    assert columns[0] > 2 * columns[1]  # "PHQ-2 (a first step)" against "Items", "10"
    (wide,) = _titled(slides, "Screening results by clinic and visit")
    header = wide.shapes[[s.has_table for s in wide.shapes].index(True)].table.rows[0]
    broken = [c.text for c in header.cells if "-\v" in c.text]
    assert not broken, broken  # no header word cut: the size is one at which all words fit


def test_content_widths_give_long_text_the_room_and_numbers_what_they_need() -> None:
    family = load_brand(default_kit())[0].body_font
    text = "A sentence long enough to wrap over several lines in any column of a slide"
    table = Table(
        (Row(((Run("No."),), (Run("Text"),)), header=True), Row(((Run("12"),), (Run(text),))))
    )
    narrow, wide = content_widths(table, 800, family, 18)
    assert wide > 0.85 and narrow == pytest.approx(1 - wide)
    short = Table((Row(((Run("a"),), (Run("bb"),))),))
    assert content_widths(short, 800, family, 18)[1] > content_widths(short, 800, family, 18)[0]


# ---- rows too tall for a slide -------------------------------------------------------------


def test_a_row_too_tall_for_a_slide_is_cut_at_word_ends_into_rows_that_fit() -> None:
    family = load_brand(default_kit())[0].body_font
    words = " ".join(f"word{i}" for i in range(60))
    row = Row(tuple((Run(words),) for _ in range(8)))
    table = Table((row,), (1 / 8,) * 8)
    cut = cut_tall_rows(table, 873.6, 120.0, family, 18)
    columns = table_columns(cut, 873.6, family, 18)
    assert len(cut.rows) >= 3
    assert all(h <= 120.0 for h in row_heights(cut, columns, family, 18))
    for j in range(8):
        assert " ".join("".join(r.text for r in row.cells[j]) for row in cut.rows) == words


def test_a_table_at_the_stated_limits_builds_every_word_at_18_pt_or_more(tmp_path: Path) -> None:
    long = ("Schlafstörungen " + "undifferentiated considerations " * 7)[:200].strip()
    header = [f"Column heading {j}" for j in range(TABLE_COLUMNS)]
    rows = [[f"{i}.{j} {long}"[:200] for j in range(TABLE_COLUMNS)] for i in range(3)]
    rows += [[str(i)] * TABLE_COLUMNS for i in range(TABLE_ROWS - 3)]
    outline = _write(tmp_path, _table_block(header, rows))
    deck = pipeline.produce(pipeline.Job(outline), ["deck"])[1]["deck.pptx"]
    shown = [
        (slide, table)
        for slide in Presentation(io.BytesIO(deck)).slides
        if slide.shapes.title.text_frame.text.startswith("A test table")
        for table in _tables(slide)
    ]
    cells = [row for _, table in shown for row in _cells(table) if row != header]
    for j in range(TABLE_COLUMNS):
        column = "".join(row[j] for row in cells).replace(" ", "")
        assert column == "".join(row[j] for row in rows).replace(" ", "")
    for _, table in shown:
        assert (table.top + table.height) / PT <= 133.2 + 345.6 + 0.5
        sizes = {r.font.size for row in table.table.rows for c in row.cells
                 for p in c.text_frame.paragraphs for r in p.runs}  # fmt: skip
        assert min(sizes) >= Pt(18)


_SENTENCE = (
    "clients therapists often report that careful pacing and clear agreements help sessions "
    "feel safer and more predictable for everyone involved in the work "
)
_WORDS = _SENTENCE.split() * 4
_LONG_HEADER = "Competency domain and description of expected behaviours"
_URL = "https://www.bbs.ca.gov/pdf/publications/lawsregs.pdf#page=1"


def _window(start: int, count: int = 40) -> str:
    """Return count words of the sentence from start, cut to the 200 characters of a cell."""
    text = " ".join(_WORDS[start : start + count])
    return text if len(text) <= 200 else text[:200].rsplit(" ", 1)[0]


def _observed(n: int) -> list[str]:
    rule = f"Rule 1820(b)({n})"
    return [_window(n, 18), str(n), "Live or recorded video review", "", "3.5", "Supervisor",
            rule, _window(n - 1, 9)]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "rows", "cite"),
    [
        ([f"H{j}" for j in range(8)], [[_window(3 * j) for j in range(8)]], ""),
        (
            [
                _LONG_HEADER,
                "Stage",
                "Observation method",
                "Frequency",
                "Evidence level",
                "Documented by",
                "Board rule reference",
                "Notes",
            ],  # fmt: skip
            [_observed(10), _observed(11)],
            "        cite: b2021\n",
        ),
        (
            [_LONG_HEADER, "Stage", "Method", "Frequency", "Level", "By", "Rule", "Notes"],
            [["Feedback", "1", "Live or recorded video", "Weekly", "B", "Supervisor", _URL, "See"]],
            "",
        ),
    ],
    ids=["eight-cells-of-200", "long-header-and-a-source", "a-url-cell"],
)
def test_a_wide_table_within_the_limits_passes_check_and_builds(
    tmp_path: Path, header: list[str], rows: list[list[str]], cite: str
) -> None:
    outline = _write(tmp_path, _table_block(header, rows) + cite)
    errors = [p for p in pipeline.check(pipeline.Job(outline), ["deck"]) if p.severity == "error"]
    assert errors == []
    deck = pipeline.produce(pipeline.Job(outline), ["deck"])[1]["deck.pptx"]
    slides = _titled(list(Presentation(io.BytesIO(deck)).slides), "A test table")
    cells = [row for s in slides for t in _tables(s) for row in _cells(t) if row != header]
    for j in range(len(header)):  # every word of each column shown, in order
        column = "".join(row[j] for row in cells).replace(" ", "").replace("-", "")
        assert column == "".join(row[j] for row in rows).replace(" ", "").replace("-", "")


_HARD_WORDS = (
    "clients therapists often report careful pacing agreements sessions feel safer predictable "
    "Schlafstörungsbehandlungsverfahren everyone involved work 1820(b)(10) 3.5 n/a — supervision "
    "https://example.org/a/very/long/path/to/some/resource.pdf?x=1&y=2 doi:10.1037/pst0000342 "
    "Donaudampfschifffahrtsgesellschaftskapitän e-mail: someone@example-university.edu"
)


def _random_table(seed: int) -> tuple[list[str], list[list[str]], str]:
    """Return a table within the limits: 1 to 8 columns, up to 60 rows, cells of 0 to 40
    words (compounds, URLs, addresses) cut to 200 characters, headers to 60; maybe a source."""
    rng, words = random.Random(seed), _HARD_WORDS.split()

    def cell(limit: int) -> str:
        count = rng.choice([0, 1, 1, 2, 5, 12, 40])
        return " ".join(rng.choice(words) for _ in range(count))[:limit].strip()

    columns, count = rng.randint(1, 8), rng.choice([1, 2, 3, 8, 24, 60])
    header = [cell(60) or f"H{j}" for j in range(columns)]
    rows = [[cell(200) for _ in range(columns)] for _ in range(count)]
    return header, rows, "        cite: b2021\n" if rng.random() < 0.4 else ""


# seeds whose tables check refused before: headers taller than a row's room, compounds longer
# than a column, a URL's tail measured as a word, a row taller alone than in its table
@pytest.mark.parametrize("seed", [11, 24, 25, 40, 47, 48, 50, 59, 87, 147])
def test_hard_tables_within_the_limits_pass_check_and_build(tmp_path: Path, seed: int) -> None:
    header, rows, cite = _random_table(seed)
    outline = _write(tmp_path, _table_block(header, rows) + cite)
    errors = [p for p in pipeline.check(pipeline.Job(outline), ["deck"]) if p.severity == "error"]
    assert errors == []
    deck = pipeline.produce(pipeline.Job(outline), ["deck"])[1]["deck.pptx"]
    slides = _titled(list(Presentation(io.BytesIO(deck)).slides), "A test table")
    for table in (t for s in slides for t in _tables(s)):
        assert (table.top + table.height) / PT <= 133.2 + 345.6 + 0.5


# ---- deck.pdf and the handout --------------------------------------------------------------


def test_deck_pdf_shows_the_header_on_every_continued_slide(
    built: dict[str, bytes], slides: list[Any]
) -> None:
    numbers = [i for i, s in enumerate(slides) if s in _titled(slides, ITEMS)]
    with pdfplumber.open(io.BytesIO(built["deck.pdf"])) as pdf:
        for i in numbers:
            assert "Reverse scored" in pdf.pages[i].extract_text()


def test_handout_repeats_the_header_on_each_page_of_a_table(built: dict[str, bytes]) -> None:
    with pdfplumber.open(io.BytesIO(built["handout.pdf"])) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    # the table's first and last rows land on different pages, each under the header
    holding = [text for text in pages if "Able to laugh" in text or "Who scores it" in text]
    assert len(holding) == 2 and all("Reverse scored" in text for text in holding)
    words = set(" ".join(pages).split())  # cells wrap; the DRAFT mark's letters mix in
    assert {"(new", "2026)", "PHQ-2", "Licensing"} <= words


# ---- the model: limits and errors ----------------------------------------------------------


def test_the_schema_states_the_table_limits() -> None:
    table = Workshop.model_json_schema(by_alias=True)["$defs"]["Table"]["properties"]
    assert table["header"]["maxItems"] == 8 and table["header"]["items"]["maxLength"] == 60
    assert table["rows"]["maxItems"] == 60 and table["rows"]["items"]["maxItems"] == 8
    assert table["rows"]["items"]["items"]["maxLength"] == 200


def _check(outline: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(outline)], catch_exceptions=False)
    return result.exit_code, result.output


def _line(outline: Path, text: str) -> int:
    lines = outline.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_row_with_another_number_of_cells_is_an_error_at_its_table(tmp_path: Path) -> None:
    outline = _write(tmp_path, _table_block(["A", "B", "C"], [["1", "2", "3"], ["4", "5"]]))
    code, output = _check(outline)
    assert code == 1
    # the row's own line; loaders that stop at a block's kind key ("table:") give the block's
    lines = {_line(outline, "table:"), _line(outline, '["4", "5"]')}
    assert any(f"{outline}:{line}:" in output for line in lines), output
    assert "rows.1: expected 3 cells, one per header cell, got a list of 2" in output


@pytest.mark.parametrize(
    ("header", "rows", "says"),
    [
        ([f"H{j}" for j in range(9)], [[str(j) for j in range(9)]], "at most 8 items"),
        (["A"], [[str(i)] for i in range(61)], "at most 60 items"),
        (["A"], [["x" * 201]], "at most 200 characters"),
    ],
    ids=["9-columns", "61-rows", "long-cell"],
)
def test_a_table_past_its_limits_is_an_error_at_its_line(
    tmp_path: Path, header: list[str], rows: list[list[str]], says: str
) -> None:
    outline = _write(tmp_path, _table_block(header, rows))
    code, output = _check(outline)
    assert code == 1 and says in output and f"{outline}:" in output, output


def test_numbers_dates_and_empty_cells_read_as_text(tmp_path: Path) -> None:
    block = "      - table: Numbers\n        header: [Name, 2027]\n        rows:\n"
    block += "          - [EPDS, 10]\n          - [PHQ-9, 0.5]\n          - [GAD-7, null]\n"
    block += "          - [Review, 2027-02-01]\n"  # a date: 'expected a valid string' before
    outline = _write(tmp_path, block)
    table = pipeline.load(pipeline.Job(outline)).workshop.agenda[0].blocks[0]
    assert table.header == ["Name", "2027"]  # type: ignore[union-attr]
    assert table.rows == [  # type: ignore[union-attr]
        ["EPDS", "10"], ["PHQ-9", "0.5"], ["GAD-7", ""], ["Review", "2027-02-01"],
    ]  # fmt: skip
