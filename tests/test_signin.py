"""sign-in.pdf (issue 10): one attendance sheet per program date, built for the shipped workshop
under every example kit and read back: the header row on every page, rows to the foot of the
last page, a roster's names prefilled in order, the program's credit and non-credit facts."""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from builder import pipeline
from builder.i18n import format_date, words_for
from builder.markup import parse_document
from builder.templating import environment, render
from builder.writers.signin import BLANK, build_signin, rows_for
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
TWO_DAYS = Path(__file__).parent / "fixtures" / "outlines" / "eight-presenters.yaml"
KITS = [None, *sorted(p for p in (ROOT / "sources" / "brands").iterdir() if p.is_dir())]
EN = words_for("en")
COLUMNS = ["col_name", "col_license_type", "col_license_number", "col_state", "col_email",
           "col_signature", "col_time_in", "col_time_out"]  # fmt: skip


@functools.cache
def _built(outline: Path, kit: Path | None = None) -> tuple[pipeline.Loaded, bytes]:
    loaded, files = pipeline.produce(pipeline.Job(outline, kit), ["sign-in"])
    return loaded, files["sign-in.pdf"]


def _with_names(outline: Path, names: tuple[str, ...], kit: Path | None = None) -> bytes:
    """Return the sheets of an outline with names prefilled, made as the pipeline makes them."""
    job = pipeline.Job(outline, kit)
    loaded = pipeline.load(job)
    ctx = pipeline.context(loaded, outline)
    days = [format_date(day, "en") for day in loaded.workshop.program.dates]
    markup = render(environment(None), "signin.xml.j2", {**ctx, "sheet_dates": days})
    return build_signin(parse_document(markup, "signin.xml.j2"), loaded.brand.printed(), names)


def _pages(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def _unbroken(text: str) -> str:
    """Return text with words hyphenated at a line end joined again (the DRAFT mark's
    letters, read between the lines, skipped)."""
    return re.sub(r"(\w)- (?:[A-Z] )*(\w)", r"\1\2", text)


def _rows(page: str) -> list[int]:
    """Return the row numbers a page shows (the # column): the run of consecutive numbers
    after the header row (the page's footer and header follow it)."""
    words = page.split(EN("col_time_out"), 1)[-1].split()
    numbers = [int(w) for w in words if w.isdigit()]
    run = numbers[:1]
    for n in numbers[1:]:
        if n != run[-1] + 1:
            break
        run.append(n)
    return run


def _kit_id(kit: Path | None) -> str:
    return kit.name if kit else "default"


@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_a_landscape_sheet_for_the_date_with_every_column(kit: Path | None) -> None:
    loaded, data = _built(SHIPPED, kit)
    reader = PdfReader(io.BytesIO(data))
    assert [entry.title for entry in reader.outline] == [EN("signin_for", date="March 12, 2027")]
    assert all(p.mediabox.width > p.mediabox.height for p in reader.pages)
    page = _pages(data)[0]
    assert all(EN(key) in page for key in COLUMNS)
    assert _rows(page) == list(range(1, len(_rows(page)) + 1)) and len(_rows(page)) >= 15


@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_sheet_carries_credits_approvals_and_non_credit_sections(kit: Path | None) -> None:
    loaded, data = _built(SHIPPED, kit)
    text, w, provider = " ".join(_pages(data)), loaded.workshop, loaded.provider
    assert w.program.title in text and provider.name in text
    assert "1 CE credit (80 instructional minutes)" in text
    breaks = [s for s in w.agenda if not s.credit]
    assert breaks and all(f"{s.title} ({s.minutes} minutes)" in text for s in breaks)
    assert EN("no_credit_items", list="").rstrip(".") in text
    assert " ".join(EN("non_credit_notice").split()) in text
    attendance = provider.attendance or EN("attendance_policy")  # the built-in kit says none
    assert " ".join(attendance.split()) in _unbroken(text)
    for approval in provider.approvals:
        assert approval.body in text


def test_one_sheet_per_date_each_starting_a_page_with_its_date() -> None:
    loaded, data = _built(TWO_DAYS)
    dates = [format_date(d, "en") for d in loaded.workshop.program.dates]
    reader = PdfReader(io.BytesIO(data))
    assert [entry.title for entry in reader.outline] == [EN("signin_for", date=d) for d in dates]
    pages = _pages(data)
    starts = [i for i, page in enumerate(pages) if EN("signin_lead").split(",")[0] in page]
    assert len(starts) == 2 and dates[1] in pages[starts[1]] and dates[1] not in pages[0]
    # program.start is set: non-credit sections show their clock times
    assert "Break (" in pages[0] and "PM" in pages[0].split("Break (")[1][:20]


SECOND_DAY = """\
  - title: Review
    minutes: 60
    start: "08:30"
  - title: Stretch
    minutes: 15
    credit: false
  - title: Closing
    minutes: 15
"""


def test_each_dates_sheet_shows_its_own_days_times_and_breaks(tmp_path: Path) -> None:
    dates = '  dates: [2027-03-12, 2027-03-13]\n  start: "09:00"\n'
    outline = MINIMAL.replace("  dates: [2027-03-12]\n", dates)
    path = tmp_path / "two-days.yaml"
    path.write_text(outline.replace("research:", SECOND_DAY + "research:"), encoding="utf-8")
    _, files = pipeline.produce(pipeline.Job(path), ["sign-in"])
    pages = _pages(files["sign-in.pdf"])
    first, second = pages[0], next(p for p in pages if "March 13, 2027" in p)
    assert "Program times: 9:00 AM–10:15 AM" in first and "Break (9:30 AM–9:40 AM)" in first
    assert "Stretch" not in first
    assert "Program times: 8:30 AM–10:00 AM" in second and "Stretch (9:30 AM–9:45 AM)" in second
    assert "Break (" not in second


def test_roster_names_fill_the_rows_in_order_and_the_header_repeats() -> None:
    names = tuple(f"Attendee {chr(65 + i // 26)}{chr(65 + i % 26)} Lastname" for i in range(45))
    data = _with_names(SHIPPED, names)
    pages = _pages(data)
    assert len(pages) >= 2
    for page in pages:
        assert all(EN(key) in page for key in COLUMNS), page[:200]
    text = " ".join(pages)
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    numbers = [n for page in pages for n in _rows(page)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= len(names) + BLANK
    # the last page is as full as a page after the first can be
    assert len(_rows(pages[-1])) == len(_rows(pages[1]))


def test_a_long_name_stays_in_its_cell_in_smaller_type() -> None:
    long = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh"
    data = _with_names(SHIPPED, (long, "Ada Ng"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["size"])
    column_end = next(w["x0"] for w in words if w["text"] == EN("col_license_type").split()[0])
    first = next(w for w in words if w["text"] == "Maximiliana")
    row = [w for w in words if abs(w["top"] - first["top"]) < 2 and w["x0"] >= first["x0"]]
    assert first["size"] < 9 and max(w["x1"] for w in row) < column_end
    ada = next(w for w in words if w["text"] == "Ada")
    assert ada["size"] == pytest.approx(9) and 15 < ada["top"] - first["top"] < 21


def test_rows_fill_the_first_page_or_end_at_a_later_pages_foot() -> None:
    assert rows_for(18, 25, 0) == 18
    assert rows_for(18, 25, 18) == 18
    assert rows_for(18, 25, 19) == 43
    assert rows_for(18, 25, 44) == 68


@pytest.mark.client
@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_pdffonts_shows_every_font_embedded(kit: Path | None, tmp_path: Path) -> None:
    path = tmp_path / "sign-in.pdf"
    path.write_bytes(_built(SHIPPED, kit)[1])
    tool = shutil.which("pdffonts")
    assert tool, "pdffonts is missing: run scripts/install-clients.sh"
    rows = subprocess.run([tool, str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]  # fmt: skip
    assert rows and all(row.split()[-5] == "yes" for row in rows), rows


def test_a_registration_list_prints_its_names_and_warns_at_a_bad_row(tmp_path: Path) -> None:
    roster = tmp_path / "registered.csv"
    roster.write_text("Name,Organisation\nAda Lovelace,Clinic\n42,Bad row\nGrace Hopper,Navy\n")
    job = pipeline.Job(Path("sources/therapeutic-crying.yaml"), roster=roster)
    loaded, files = pipeline.produce(job, ["sign-in"])
    assert loaded.registered == ("Ada Lovelace", "Grace Hopper")
    bad = [p for p in loaded.problems if p.file == str(roster)]
    assert [(p.line, p.severity) for p in bad] == [(3, "warning")]
    text = PdfReader(io.BytesIO(files["sign-in.pdf"])).pages[0].extract_text()
    assert text.index("Ada Lovelace") < text.index("Grace Hopper")
