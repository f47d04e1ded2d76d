"""The XLSX roster's package checked before openpyxl reads it: zip bombs, DTDs and entities,
sheets reaching the last cell and tags long enough to stall the parser are refused at once, at
the file, while a workbook as Excel saves it reads as before."""

from __future__ import annotations

import re
import secrets
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import Workbook

from builder.roster import RosterError, read_roster
from builder.roster_row import Attendee

SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes its strings inline, in the sheet


def _roster(tmp_path: Path, minutes: object = 75) -> Path:
    """Return a small valid roster, written by openpyxl."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "E-mail", "Minutes", "Evaluation completed"])
    sheet.append(["Ana Núñez", "ana@x.org", minutes, True])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def _rewrite(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Return a copy of the workbook with one part changed."""
    out = path.with_name("hostile.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info.filename, change(data) if info.filename == part else data)
    return out


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    """Fail the test, rather than hang it, when the block runs longer than seconds."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _refusal(path: Path) -> str:
    """Return the problems the roster is refused with, failing if it takes over 10 s."""
    with _within(10), pytest.raises(RosterError) as caught:
        read_roster(path)
    return "\n".join(str(p) for p in caught.value.problems)


def test_a_formula_with_its_saved_value_reads_as_that_value(tmp_path: Path) -> None:
    path = _rewrite(
        _roster(tmp_path, "=45*2"), SHEET, lambda xml: xml.replace(b"<v></v>", b"<v>90</v>")
    )
    (row,) = read_roster(path).rows
    assert isinstance(row, Attendee) and (row.name, row.minutes) == ("Ana Núñez", 90)


def _declared(xml: bytes) -> bytes:
    return b'<!DOCTYPE w [<!ENTITY e "Eve">]>' + xml.replace(b"ana@x.org", b"&e;")


def _undeclared(xml: bytes) -> bytes:  # the hunt's file: its entity's DTD was lost
    return xml.replace(b"ana@x.org", b"&e;")


@pytest.mark.parametrize(
    ("change", "got"),
    [(_declared, f"a DTD in {SHEET}"), (_undeclared, f"the entity &e; in {SHEET}")],
)
def test_a_dtd_or_an_entity_is_refused_never_expanded(
    tmp_path: Path, change: Callable[[bytes], bytes], got: str
) -> None:
    path = _rewrite(_roster(tmp_path), SHEET, change)
    assert _refusal(path) == f"{path}: expected a spreadsheet without DTDs or entities, got {got}"


def test_xml_in_an_encoding_ooxml_does_not_allow_is_refused(tmp_path: Path) -> None:
    declared = b'<?xml version="1.0" encoding="cp037"?>'
    path = _rewrite(_roster(tmp_path), SHEET, lambda xml: declared + xml)
    assert _refusal(path) == f"{path}: expected XML parts in UTF-8 or UTF-16, got {SHEET} in CP037"


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    padding = b" " * 3 * 2**20  # packs to a few kilobytes
    path = _rewrite(
        _roster(tmp_path),
        SHEET,
        lambda xml: xml.replace(b"</sheetData>", padding + b"</sheetData>"),
    )
    assert re.fullmatch(
        rf"{re.escape(str(path))}: expected parts of at most 50 MB packed at most 100:1, "
        rf"got {SHEET} \(3 MB, \d+:1\)",
        _refusal(path),
    )


def test_a_sheet_reaching_the_last_cell_is_refused_at_once(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Name", "E-mail", "Minutes", "Evaluation completed"])
    book.active["XFD1048576"] = "x"
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert _refusal(path) == (
        f"{path}: expected a sheet of at most 100,000 rows and 256 columns, got sheet 'Sheet' "
        "reaching XFD1048576; delete the rows and columns after the roster, or save it as CSV"
    )


def test_a_sheet_without_a_dimension_stops_at_the_last_row_a_roster_may_have(
    tmp_path: Path,
) -> None:
    book = Workbook()
    book.active.append(["Name", "E-mail", "Minutes", "Evaluation completed"])
    book.active["A1048576"] = "x"
    book.save(tmp_path / "roster.xlsx")
    path = _rewrite(
        tmp_path / "roster.xlsx", SHEET, lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml)
    )
    assert _refusal(path) == f"{path}:100001: expected a sheet of at most 100,000 rows, got more"


@pytest.mark.parametrize("where", ["comment", "attribute"])
def test_a_tag_or_comment_long_enough_to_stall_the_parser_is_refused(
    tmp_path: Path, where: str
) -> None:
    noise = secrets.token_hex(600_000).encode()  # 1.2 million characters that do not pack
    if where == "comment":  # a '<' is allowed in a comment: the length is still the comment's
        long, at = b"<!--" + noise.replace(b"a", b"<") + b"-->", b"</sheetData>"
    else:
        long, at = b'<sheetPr codeName="' + noise + b'"/>', b"<sheetData>"
    path = _rewrite(_roster(tmp_path), SHEET, lambda xml: xml.replace(at, long + at))
    assert _refusal(path) == (
        f"{path}: expected no tag, text or comment over 1,048,576 characters, got a longer one "
        f"in {SHEET}"
    )


def test_a_sheet_that_is_not_well_formed_xml_is_refused_at_the_file(tmp_path: Path) -> None:
    path = _rewrite(_roster(tmp_path), SHEET, lambda xml: xml.replace(b"</row>", b"</rows>", 1))
    assert _refusal(path).startswith(
        f"{path}: expected the sheet as well-formed XML, got mismatched tag: line "
    )


@pytest.mark.parametrize(
    ("parts", "named"),
    [
        ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
         "an OpenDocument spreadsheet (.ods)"),
        ({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "\x00"},
         "an Excel binary workbook (.xlsb)"),
        ({"Index/Document.iwa": "\x00", "Metadata/Properties.plist": "x"},
         "a Numbers spreadsheet"),
        ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}, "a Word document"),
        ({"notes.txt": "hello"}, "a zip without a workbook (no xl/workbook.xml)"),
    ],
)  # fmt: skip
def test_a_zip_that_is_no_xlsx_workbook_is_named_for_what_it_is(
    tmp_path: Path, parts: dict[str, str], named: str
) -> None:
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    refusal = _refusal(path)  # openpyxl's "There is no item named ..." before
    assert refusal == f"{path}: expected an .xlsx workbook, got {named}: save it as .xlsx or CSV"


def test_an_empty_first_sheet_reaching_past_the_bounds_is_refused_by_its_name(
    tmp_path: Path,
) -> None:
    book = Workbook()
    book.active.title = "Notes"
    book.create_sheet("Roster").append(["Name"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    hostile = _rewrite(
        path,
        SHEET,
        lambda xml: re.sub(b'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert "got sheet 'Notes' reaching XFD1048576" in _refusal(hostile)
