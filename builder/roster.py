"""The attendance roster: a CSV or XLSX file read into attendees, and a problem for each bad row.

The first stage of `workshop certificates`. CSV files may be UTF-8 (with or without the BOM
Excel writes), Windows-1252, or UTF-16 or UTF-32 with their BOM; the encoding is detected and
reported. XLSX files are read by `builder.roster_xlsx` (from the first sheet with a filled
cell); an Excel 97-2003 or password-protected workbook, or another spreadsheet's file, is
refused with what to save instead. Columns are found by their header names (any case and
spacing, with the aliases of COLUMNS); other columns are ignored. A bad row becomes a
`Rejected` with `ROSTER:line: column: expected X, got Y` problems; every other row is still
read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem, WorkshopError
from builder.roster_csv import TableError, csv_records
from builder.roster_row import Attendee, Cell, Rejected, RowReader, as_cell, clean_text, filled
from builder.roster_xlsx import SheetError, sheet_rows

# Header names as people write them (compared after _key: lower case, '-', '_' and '.' as
# spaces), for each column the certificates use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "attendee",
        "attendee name",
        "participant",
        "participant name",
        "name original name",
    ),  # fmt: skip
    "first name": ("first name", "given name", "first"),
    "last name": ("last name", "family name", "surname", "last"),
    "e-mail": (
        "e mail",
        "email",
        "e mail address",
        "email address",
        "mail",
        "user email",
        "attendee email",
        "participant email",
    ),  # fmt: skip
    "license": (
        "license",
        "licence",
        "license number",
        "licence number",
        "license no",
        "license type and number",
        "credential",
    ),  # fmt: skip
    "attended minutes": (
        "attended minutes",
        "minutes",
        "minutes attended",
        "duration",
        "duration minutes",
        "time attended",
        "attendance minutes",
        "in meeting duration",
        "total duration",
        "attendance duration",
    ),  # fmt: skip
    "credit minutes": ("credit minutes", "attended credit minutes", "instructional minutes"),
    "time in": (
        "time in",
        "in",
        "sign in",
        "signed in",
        "check in",
        "join time",
        "joined",
        "first join",
        "first join time",
    ),
    "time out": (
        "time out",
        "out",
        "sign out",
        "signed out",
        "check out",
        "leave time",
        "left",
        "last leave",
        "last leave time",
    ),  # fmt: skip
    "evaluation completed": (
        "evaluation completed",
        "evaluation",
        "evaluation complete",
        "evaluated",
        "eval",
        "eval completed",
        "evaluation done",
        "evaluation submitted",
        "completed evaluation",
        "did you complete the evaluation",
    ),  # fmt: skip
    "post-test passed": ("post test passed", "post test", "posttest", "test passed"),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_NAMES = frozenset(("name", "first name", "last name"))
HEADER_SEARCH = 20  # filled rows a report may put above its table
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: Excel 97-2003, or a locked .xlsx
_NOT_READ = (".xls", ".xlsb", ".numbers", ".ods")  # what else a roster may be saved as
MAX_FILE = 50 * 2**20  # a roster of MAX_ROWS people is about 20 MB
Table = Iterator[tuple[int, list[Cell], str]]  # records: first line, cells, undecodable bytes


class RosterError(WorkshopError):
    """The roster cannot be read at all: no such file, no header, a required column missing."""


@dataclass(frozen=True)
class Roster:
    """Every row of the roster in file order, good or bad, and how the file was read."""

    path: Path
    encoding: str  # UTF-8, UTF-8 with BOM, Windows-1252, UTF-16, UTF-32, XLSX (, sheet 'Name')
    rows: tuple[Attendee | Rejected, ...]
    ignored: tuple[str, ...] = ()  # headers of columns no certificate uses

    @property
    def problems(self) -> list[Problem]:
        """Return the problems of every bad row, in file order."""
        return [p for row in self.rows if isinstance(row, Rejected) for p in row.problems]


def read_roster(path: Path) -> Roster:
    """Return the roster at path (CSV or XLSX), or raise RosterError when no row can be read."""
    table, encoding = _table(path, _read(path))
    return _rows(path, encoding, table)


def registered_names(path: Path) -> tuple[list[str], list[Problem]]:
    """Return the names of a registration list (only a name column is needed), in file order,
    and the problems of rows without a usable name; raise RosterError when it cannot be read."""
    table = _table(path, _read(path))[0]
    header = _header(table)
    if header is None:
        raise RosterError(Problem(str(path), 0, "expected a header row and names, got none"))
    names = [clean_text(c) for c in header[1]]
    columns, _ = _columns(path, header[0], names, attendance=False)
    found, problems = [], []
    for number, values, undecodable in table:
        if filled(values):
            row = RowReader(path, number, names, columns, values, undecodable)
            row.formulas(("name", "first name", "last name"))
            name = row.name()
            problems += row.problems
            found += [] if row.problems else [name]
    return found, problems


def _read(path: Path) -> bytes:
    """Return the file's bytes, refusing one over MAX_FILE (read no further: /dev/zero ends)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE + 1)
    except OSError as exc:
        raise RosterError(Problem(str(path), 0, f"could not read: {exc.strerror}")) from None
    if len(data) > MAX_FILE:
        message = f"expected a roster of at most {MAX_FILE // 2**20} MB, got more (the right file?)"
        raise RosterError(Problem(str(path), 0, message))
    return data


def _table(path: Path, data: bytes) -> tuple[Table, str]:
    """Return the file's records (first line, cells, undecodable bytes) and how it was read:
    a zip as XLSX, anything else as CSV. A format not read is refused by its bytes or name."""
    if data.startswith(_CFB):
        message = (
            "expected a .csv or .xlsx file, got an Excel 97-2003 workbook or one saved with a "
            "password (save it as .xlsx without a password, or as CSV)"
        )
        raise RosterError(Problem(str(path), 0, message))
    if data.startswith(b"PK\x03\x04"):  # a zip: what Excel writes as .xlsx
        return _xlsx_rows(path, data)
    if path.suffix.lower() in _NOT_READ:
        message = f"expected a .csv or .xlsx file, got {path.suffix} (save it as .xlsx or CSV)"
        raise RosterError(Problem(str(path), 0, message))
    return _csv_rows(path, data)


def _csv_rows(path: Path, data: bytes) -> tuple[Table, str]:
    """Return the CSV's records and its encoding."""
    try:
        records, encoding = csv_records(data)
    except TableError as exc:
        raise _failed(path, exc) from None
    return _reported(path, ((n, list(c), bad) for n, c, bad in records)), encoding


def _xlsx_rows(path: Path, data: bytes) -> tuple[Table, str]:
    """Return the rows of the workbook's roster sheet, and "XLSX" (with the sheet's name when
    it is not the first)."""
    try:
        sheet, rows = sheet_rows(data)
    except SheetError as exc:
        raise _failed(path, exc) from None
    encoding = "XLSX" if sheet is None else f"XLSX, sheet {sheet!r}"
    return _reported(path, ((n, [as_cell(v) for v in values], "") for n, values in rows)), encoding


def _reported(path: Path, records: Table) -> Table:
    """Yield the records, a table's or a sheet's error raised as the roster's, at its line."""
    try:
        yield from records
    except (TableError, SheetError) as exc:
        raise _failed(path, exc) from None


def _failed(path: Path, exc: TableError | SheetError) -> RosterError:
    """Return a CSV's or a workbook's error as the roster's, at its line."""
    return RosterError(Problem(str(path), exc.line, exc.message))


def _rows(path: Path, encoding: str, table: Table) -> Roster:
    """Return the roster from its header and records."""
    header = _header(table)
    if header is None:
        raise RosterError(Problem(str(path), 0, "expected a header row and attendees, got none"))
    line, cells, _ = header
    names = [clean_text(c) for c in cells]
    columns, ignored = _columns(path, line, names)
    rows: list[Attendee | Rejected] = []
    seen: dict[str, int] = {}
    for number, values, undecodable in table:
        if filled(values):
            reader = RowReader(path, number, names, columns, values, undecodable)
            rows.append(reader.read(seen))
    return Roster(path, encoding, tuple(rows), tuple(ignored))


def _header(table: Table) -> tuple[int, list[Cell], str] | None:
    """Return the header: the first filled row with a name column, looked for past a report's
    summary block (Zoom's meeting details, Teams' "1. Summary") in the first HEADER_SEARCH
    filled rows; else the first filled row, whose missing columns are then reported."""
    first = None
    for count, row in enumerate((r for r in table if filled(r[1])), start=1):
        first = first or row
        if any(_ALIASES.get(_key(clean_text(cell))) in _NAMES for cell in row[1]):
            return row
        if count == HEADER_SEARCH:
            break
    return first


def _key(header: str) -> str:
    """Return a header as compared with COLUMNS: 'E-Mail ' -> 'e mail'."""
    return " ".join(re.sub(r"[-_.:#/()?*]+", " ", header).casefold().split())


def _columns(
    path: Path, line: int, names: list[str], attendance: bool = True
) -> tuple[dict[str, int], list[str]]:
    """Return each known column's index, and the headers ignored; raise when one is missing
    (attendance False: a registration list, which needs only the name)."""
    columns: dict[str, int] = {}
    ignored, problems = [], []
    for index, name in enumerate(names):
        column = _ALIASES.get(_key(name))
        if column is None:
            ignored += [name] if name else []
        elif column in columns:
            message = f"expected the column once, got {names[columns[column]]!r} and {name!r}"
            problems.append(Problem(str(path), line, message, column))
        else:
            columns[column] = index
    problems += _missing(path, line, columns, names, attendance)
    if problems:
        raise RosterError(problems)
    return columns, ignored


def _missing(
    path: Path, line: int, columns: dict[str, int], names: list[str], attendance: bool = True
) -> list[Problem]:
    """Return a problem for each column the certificates need and the header lacks."""
    got = ", ".join(repr(n) for n in names if n) or "no headers"
    wanted = []
    if "name" not in columns and not {"first name", "last name"} <= columns.keys():
        wanted.append(("name", "a column 'name' (or 'first name' and 'last name')"))
    if not attendance:
        return [Problem(str(path), line, f"expected {what}, got {got}", c) for c, what in wanted]
    if "e-mail" not in columns:
        wanted.append(("e-mail", "a column 'e-mail'"))
    if "evaluation completed" not in columns:
        wanted.append(("evaluation completed", "a column 'evaluation completed'"))
    times = {"time in", "time out"} <= columns.keys()
    if not times and not {"attended minutes", "credit minutes"} & columns.keys():
        what = "a column 'attended minutes' (or 'credit minutes', or 'time in' and 'time out')"
        wanted.append(("attended minutes", what))
    return [Problem(str(path), line, f"expected {what}, got {got}", c) for c, what in wanted]
