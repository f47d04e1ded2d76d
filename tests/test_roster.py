"""The roster: encodings detected and reported, columns by header name, bad rows reported with
their line while every good row is still read."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from builder import roster as roster_module
from builder.roster import RosterError, read_roster
from builder.roster_row import Attendee, Rejected

ROSTERS = Path(__file__).parent / "fixtures" / "rosters"
HEADER = "Name,E-mail,License,Attended minutes,Evaluation completed\n"


def _write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _names(rows: tuple[Attendee | Rejected, ...]) -> list[str]:
    return [row.name for row in rows if isinstance(row, Attendee)]


def test_excel_csv_with_a_bom_is_read_as_utf8_with_bom_and_its_header_found() -> None:
    roster = read_roster(ROSTERS / "excel-bom.csv")
    assert roster.encoding == "UTF-8 with BOM"
    assert _names(roster.rows) == ["Zoë Ingrid Sørensen", "Ólafur Þórsson"]
    first = roster.rows[0]
    assert isinstance(first, Attendee)
    assert (first.email, first.license, first.minutes, first.evaluation) == (
        "zoe@example.org", "LMFT 1201", 75, True,
    )  # fmt: skip


def test_windows_1252_with_semicolons_is_detected_and_accents_kept() -> None:
    roster = read_roster(ROSTERS / "windows-1252.csv")
    assert roster.encoding == "Windows-1252"
    assert _names(roster.rows) == ["José Peña", "Inés Muñoz", "Renée Ødegård"]
    assert all(isinstance(r, Attendee) and r.evaluation for r in roster.rows)  # sí, x, yes


def test_bad_rows_are_reported_at_their_line_and_good_rows_still_read() -> None:
    path = ROSTERS / "mixed.csv"
    roster = read_roster(path)
    assert roster.encoding == "UTF-8"
    assert _names(roster.rows) == ["Ana Núñez", "Björn Åberg", "Chidi Okafor", "Dana Scott"]
    assert [str(p) for p in roster.problems] == [
        f"{path}:6: Name: expected the attendee's name, got an empty cell",
        f"{path}:7: Name: expected text, got the number 12345",
        f"{path}:8: E-mail: expected each e-mail once, got 'ANA@example.org' again (line 2)",
        f"{path}:9: Name: expected UTF-8 text like the rest of the file, got the byte 0xE7",
        f"{path}:10: Evaluation completed: expected yes or no, got 'maybe'",
    ]
    assert roster.ignored == ("Notes",)


def test_headers_are_matched_by_alias_whatever_their_case_and_spacing(tmp_path: Path) -> None:
    text = (
        "  FULL_NAME ,E-Mail Address,Licence,Credit Minutes,Eval, Room \nAl Bo,al@x.org,,60,Y,3\n"
    )
    roster = read_roster(_write(tmp_path, text))
    row = roster.rows[0]
    assert isinstance(row, Attendee)
    assert (row.name, row.email, row.credit_minutes, row.evaluation) == (
        "Al Bo",
        "al@x.org",
        60,
        True,
    )
    assert roster.ignored == ("Room",)


def test_first_and_last_name_columns_make_the_name(tmp_path: Path) -> None:
    text = "First name,Last name,Email,Minutes,Evaluation\nAda,Lovelace,ada@x.org,60,yes\n"
    assert _names(read_roster(_write(tmp_path, text)).rows) == ["Ada Lovelace"]


def test_a_missing_column_stops_with_every_column_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "Name,Phone\nAl,555\n")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{path}:1: e-mail: expected a column 'e-mail', got 'Name', 'Phone'",
        f"{path}:1: evaluation completed: expected a column 'evaluation completed', got 'Name', 'Phone'",
        f"{path}:1: attended minutes: expected a column 'attended minutes' (or 'credit minutes', or "
        "'time in' and 'time out'), got 'Name', 'Phone'",
    ]


def test_an_unquoted_comma_gives_one_problem_for_the_shifted_row(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "Doe, Jim,jim@x.org,,75,yes\nAl Bo,al@x.org,,75,yes\n")
    roster = read_roster(path)
    assert [str(p) for p in roster.problems] == [
        f"{path}:2: row: expected 5 cells as in the header, got 6 (is a comma inside an unquoted "
        "name?)"
    ]
    assert _names(roster.rows) == ["Al Bo"]


def test_lines_stay_right_after_blank_lines_and_cells_spanning_lines(tmp_path: Path) -> None:
    text = HEADER + '\nAl Bo,al@x.org,"LCSW\n12",75,yes\n\n,cy@x.org,,75,yes\n'
    roster = read_roster(_write(tmp_path, text))
    assert [row.line for row in roster.rows] == [3, 6]
    assert roster.rows[0].license == "LCSW 12"


def test_times_in_and_out_are_read_in_24_hour_and_am_pm_forms(tmp_path: Path) -> None:
    text = "Name,Email,Time in,Time out,Evaluation\nAl,al@x.org,9:05 AM,13:30,yes\n"
    text += "Bo,bo@x.org,25:00,13:30,yes\nCy,cy@x.org,14:00,13:00,yes\n"
    path = _write(tmp_path, text)
    roster = read_roster(path)
    first = roster.rows[0]
    assert isinstance(first, Attendee)
    assert (first.time_in, first.time_out) == (dt.time(9, 5), dt.time(13, 30))
    assert [str(p) for p in roster.problems] == [
        f"{path}:3: Time in: expected a time as HH:MM, got '25:00'",
        f"{path}:4: Time out: expected a time after time in, got 13:00, before time in 14:00",
    ]


def test_minutes_must_be_a_number(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "Al,al@x.org,,about an hour,yes\nBo,bo@x.org,,,yes\n")
    assert [p.message for p in read_roster(path).problems] == [
        "expected a number of minutes, got 'about an hour'",
        "expected the minutes attended (or time in and out), got none",
    ]


def test_an_xlsx_roster_is_read_with_excel_rows_as_lines(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "E-mail", "License", "Minutes", "Evaluation completed"])
    sheet.append(["Zoë Ortiz", "zoe@x.org", 40512, 75.0, True])
    sheet.append([42, "n@x.org", None, 75, True])
    sheet.append(["Ines Paz", "ines@x.org", "LPC 9", 60, False])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    roster = read_roster(path)
    assert roster.encoding == "XLSX"
    first, bad, third = roster.rows
    assert isinstance(first, Attendee) and isinstance(third, Attendee)
    assert (first.name, first.license, first.minutes, first.evaluation) == (
        "Zoë Ortiz", "40512", 75, True,
    )  # fmt: skip
    assert third.evaluation is False
    assert [str(p) for p in roster.problems] == [
        f"{path}:3: Name: expected text, got the number 42"
    ]


def test_an_old_excel_file_is_refused_with_what_to_save_instead(tmp_path: Path) -> None:
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old binary excel")
    with pytest.raises(RosterError, match=r"expected a \.csv or \.xlsx file, got \.xls"):
        read_roster(path)


def test_a_cell_past_the_csv_limit_stops_at_its_line_with_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + 'Al,al@x.org,"' + "x" * 200_000 + '",75,yes\n')
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: expected a cell of at most 2,000 characters, got one of more than "
        f"{csv.field_size_limit():,} (a quote never closed?)"
    ]


def test_a_cell_longer_than_any_name_rejects_its_row_and_the_next_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + f"Al,al@x.org,{'L' * 2001},75,yes\nBo,bo@x.org,,75,yes\n")
    roster = read_roster(path)
    assert [str(p) for p in roster.problems] == [
        f"{path}:2: License: expected a cell of at most 2,000 characters, got 2,001"
    ]
    assert _names(roster.rows) == ["Bo"]


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")],
)
def test_a_utf16_or_utf32_csv_is_read_in_the_encoding_its_bom_names(
    tmp_path: Path, codec: str, encoding: str
) -> None:
    text = "\ufeff" + HEADER.replace(",", "\t") + "Zoë Ø\tzoe@x.org\t\t75\tyes\n"
    path = tmp_path / "roster.csv"
    path.write_bytes((text + "Bo Li\tbo@x.org\t\t75\tmaybe\n").encode(codec))
    roster = read_roster(path)
    assert roster.encoding == encoding
    assert _names(roster.rows) == ["Zoë Ø"]
    assert [str(p) for p in roster.problems] == [
        f"{path}:3: Evaluation completed: expected yes or no, got 'maybe'"
    ]


def test_a_csv_of_more_lines_than_any_roster_is_refused_before_it_is_split(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, HEADER + "\n" * 100_001)
    with pytest.raises(
        RosterError, match=r"expected a roster of at most 100,000 lines, got 100,002"
    ):
        read_roster(path)


def test_a_file_bigger_than_any_roster_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_module, "MAX_FILE", 2 * 2**20)
    path = _write(tmp_path, HEADER + "Al,al@x.org,,75,yes\n" * 120_000)
    with pytest.raises(RosterError, match=r"expected a roster of at most 2 MB, got more"):
        read_roster(path)


def test_an_xlsx_formula_without_a_saved_value_is_named_not_read_as_empty(
    tmp_path: Path,
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "E-mail", "Minutes", "Evaluation completed"])
    sheet.append(['=HYPERLINK("http://x.org","Al")', "al@x.org", 75, True])
    sheet.append(["Bo", "bo@x.org", "=45*2", True])
    sheet.append(["Cy", "cy@x.org", 75, "=TRUE()"])  # read as "no" before
    sheet.append(["Di", "di@x.org", 75, True])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    roster = read_roster(path)
    saved = (
        "without a saved value (open and save the file in Excel or LibreOffice, or type the value)"
    )
    assert [str(p) for p in roster.problems] == [
        f'{path}:2: Name: expected a value, got the formula =HYPERLINK("http://x.org","Al") {saved}',
        f"{path}:3: Minutes: expected a value, got the formula =45*2 {saved}",
        f"{path}:4: Evaluation completed: expected a value, got the formula =TRUE() {saved}",
    ]
    assert _names(roster.rows) == ["Di"]


CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: Excel 97-2003, or a locked .xlsx


@pytest.mark.parametrize("name", ["roster.xlsx", "roster.csv", "roster.xls", "registered.txt"])
@pytest.mark.parametrize("read", [read_roster, roster_module.registered_names])
def test_an_old_or_password_protected_workbook_is_named_whatever_its_file_name(
    tmp_path: Path, name: str, read: Callable[[Path], object]
) -> None:
    path = tmp_path / name
    path.write_bytes(CFB + bytes(range(256)) * 8)  # read as Windows-1252 text before
    with pytest.raises(RosterError) as caught:
        read(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 0)
    assert "an Excel 97-2003 workbook or one saved with a password" in problem.message
    assert "save it as .xlsx without a password, or as CSV" in problem.message


@pytest.mark.parametrize("suffix", [".xls", ".ODS", ".numbers", ".xlsb"])
def test_a_registration_list_in_a_format_not_read_is_refused_by_its_name(
    tmp_path: Path, suffix: str
) -> None:
    path = _write(tmp_path, "Name\nAda Lovelace\n", "registered" + suffix)  # read as CSV before
    with pytest.raises(RosterError, match=rf"expected a \.csv or \.xlsx file, got \{suffix}"):
        roster_module.registered_names(path)


def _book(path: Path, *sheets: list[list[object]]) -> Path:
    """Write a workbook of the given sheets (rows of cells), in tab order, to path."""
    book = Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(["Notes", "Roster", "Summary"][index])
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


ROWS: list[list[object]] = [
    ["Name", "E-mail", "Minutes", "Evaluation completed"],
    ["Ana Núñez", "ana@x.org", 75, True],
    ["Bo Lind", "bo@x.org", "=45*2", True],
]


def test_an_empty_first_sheet_is_passed_for_the_first_with_cells_and_its_name_said(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "roster.xlsx", [], ROWS, [["Total", 2]])
    roster = read_roster(path)  # "expected a header row and attendees, got none" before
    assert roster.encoding == "XLSX, sheet 'Roster'"
    assert _names(roster.rows) == ["Ana Núñez"]
    (problem,) = roster.problems  # the formula is read from the same sheet
    assert (problem.line, problem.field) == (3, "Minutes")
    assert "the formula =45*2 without a saved value" in problem.message
    names, problems = roster_module.registered_names(path)
    assert (names, problems) == (["Ana Núñez", "Bo Lind"], [])


def test_the_first_sheet_with_cells_is_read_even_when_later_ones_have_some(
    tmp_path: Path,
) -> None:
    path = _book(tmp_path / "roster.xlsx", ROWS[:2], [["Name"], ["Someone Else"]])
    roster = read_roster(path)
    assert (roster.encoding, _names(roster.rows)) == ("XLSX", ["Ana Núñez"])


def test_a_workbook_without_a_filled_cell_has_no_header(tmp_path: Path) -> None:
    path = _book(tmp_path / "roster.xlsx", [], [[None, "  "]])
    with pytest.raises(RosterError, match="expected a header row and attendees, got none"):
        read_roster(path)


def test_minutes_past_ten_days_are_a_slip_not_a_number_to_log(tmp_path: Path) -> None:
    rows = "Al,al@x.org,,99999999999999999999999,yes\nBo,bo@x.org,,14400,yes\n"
    roster = read_roster(_write(tmp_path, HEADER + rows))  # Al was logged 99999999999999991611392
    assert [p.message for p in roster.problems] == [
        "expected a number of minutes up to 14,400 (ten days), got '99999999999999999999999'"
    ]
    assert [r.minutes for r in roster.rows if isinstance(r, Attendee)] == [14400]


def test_a_cell_excel_shows_as_a_date_reads_as_the_date(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "roster.xlsx", [[*ROWS[0], "License"], [*ROWS[1], dt.datetime(2027, 3, 12)]]
    )
    (row,) = read_roster(path).rows  # the license was '2027-03-12 00:00:00'
    assert isinstance(row, Attendee) and row.license == "2027-03-12"


# -- rosters as meeting and form tools export them ---------------------------------------------


def test_a_zoom_participants_export_is_read_as_it_is(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Evaluation\n"
        "Ana Núñez,ana@x.org,03/12/2027 08:58:10 AM,03/12/2027 10:31:02 AM,93,No,yes\n"
    ))  # fmt: skip
    roster = read_roster(path)  # no 'name' or 'e-mail' column before
    (row,) = roster.rows
    assert isinstance(row, Attendee)
    assert (row.name, row.email, row.minutes) == ("Ana Núñez", "ana@x.org", 93)
    assert (row.time_in, row.time_out) == (dt.time(8, 58), dt.time(10, 31))


def test_a_teams_attendance_report_is_read_past_its_summary(tmp_path: Path) -> None:
    text = (
        "1. Summary\nMeeting title\tTherapeutic Crying\nAttended participants\t2\n\n"
        "2. Participants\n"
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tEvaluation\n"
        "Ana Núñez\t3/12/27, 8:58:10 AM\t3/12/27, 10:31:02 AM\t1h 32m 52s\tana@x.org\tyes\n"
        "Zoë Berg\t3/12/27, 9:05:00 AM\t3/12/27, 10:00:00 AM\t55m\tzoe@x.org\tyes\n"
    )
    path = tmp_path / "teams.csv"
    path.write_bytes(text.encode("utf-16"))  # as Teams saves it
    roster = read_roster(path)  # its first line was taken for the header, split on commas
    assert roster.encoding == "UTF-16" and roster.problems == []
    assert [(r.line, r.name, r.minutes, r.time_in) for r in roster.rows] == [  # type: ignore[union-attr]
        (7, "Ana Núñez", 92, dt.time(8, 58)), (8, "Zoë Berg", 55, dt.time(9, 5)),
    ]  # fmt: skip


def test_a_google_forms_question_heads_its_column(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "Timestamp,Email Address,Full name,Minutes attended,Did you complete the evaluation?\n"
        "2027/03/12 10:40:11 AM EST,ana@x.org,Ana Núñez,90,Yes\n"
    ))  # fmt: skip
    (row,) = read_roster(path).rows
    assert isinstance(row, Attendee) and (row.name, row.evaluation) == ("Ana Núñez", True)


@pytest.mark.parametrize(
    ("cell", "minutes"),
    [(dt.time(1, 30), 90), (dt.timedelta(hours=2, minutes=5, seconds=59), 125), ("1:30:00", 90),
     ("1h 32m 52s", 92), ("2h", 120), ("45 min", 45)],
)  # fmt: skip
def test_durations_as_workbooks_and_meeting_tools_write_them_are_minutes(
    tmp_path: Path, cell: object, minutes: int
) -> None:
    path = _book(
        tmp_path / "roster.xlsx", [["Roster of 12 March"], [], ROWS[0], ROWS[1][:2] + [cell, True]]
    )
    (row,) = read_roster(path).rows  # "expected a number of minutes, got '1:30:00'" before
    assert isinstance(row, Attendee) and row.minutes == minutes


def test_a_header_not_found_near_the_top_is_reported_at_the_first_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "Roster\n" * 25 + "Name,E-mail,Minutes,Evaluation\n")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert {p.line for p in caught.value.problems} == {1}
