"""The attendance roster: a CSV or XLSX file read into attendees, and a problem for each bad row.

The first stage of `workshop certificates`. CSV files may be UTF-8 (with or without the BOM
Excel writes), Windows-1252, or UTF-16 or UTF-32 with their BOM; the encoding is detected and
reported. XLSX files are read by `builder.roster_xlsx`. Columns are found by
their header names (any case and spacing, with the aliases of COLUMNS); other columns are
ignored. A bad row becomes a `Rejected` with `ROSTER:line: column: expected X, got Y`
problems; every other row is still read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem, WorkshopError
from builder.roster_csv import MAX_CELL, TableError, csv_records
from builder.roster_xlsx import Formula, SheetError, sheet_rows

# Header names as people write them (compared after _key: lower case, '-', '_' and '.' as
# spaces), for each column the certificates use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "attendee", "attendee name", "participant", "participant name"),
    "first name": ("first name", "given name", "first"),
    "last name": ("last name", "family name", "surname", "last"),
    "e-mail": ("e mail", "email", "e mail address", "email address", "mail"),
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
    ),  # fmt: skip
    "credit minutes": ("credit minutes", "attended credit minutes", "instructional minutes"),
    "time in": ("time in", "in", "sign in", "signed in", "check in", "join time", "joined"),
    "time out": ("time out", "out", "sign out", "signed out", "check out", "leave time", "left"),
    "evaluation completed": (
        "evaluation completed",
        "evaluation",
        "evaluation complete",
        "evaluated",
        "eval",
        "eval completed",
        "evaluation done",
    ),  # fmt: skip
    "post-test passed": ("post test passed", "post test", "posttest", "test passed"),
}
_ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_YES = frozenset(("yes", "y", "true", "1", "x", "✓", "✔", "done", "completed", "complete",
                  "sí", "si", "ja", "oui"))  # fmt: skip
_NO = frozenset(("no", "n", "false", "0", "", "nein", "non", "-"))
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
_NUMBER = re.compile(r"[+-]?[\d\s.,]*\d[\d\s.,]*")
_TIME = re.compile(r"(\d{1,2})[:.h](\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ATTENDANCE = ("attended minutes", "credit minutes", "time in", "time out")
MAX_FILE = 50 * 2**20  # a roster of MAX_ROWS people is about 20 MB
Cell = str | int | float | bool | dt.datetime | dt.time | Formula | None


class RosterError(WorkshopError):
    """The roster cannot be read at all: no such file, no header, a required column missing."""


@dataclass(frozen=True)
class Attendee:
    """One good row: who attended, how long and whether the evaluation was completed."""

    line: int
    name: str
    email: str
    license: str
    evaluation: bool
    minutes: int | None = None  # attended minutes: present, breaks included
    credit_minutes: int | None = None  # minutes of instruction attended, as the roster says
    time_in: dt.time | None = None
    time_out: dt.time | None = None
    post_test: bool | None = None  # self-study programs only


@dataclass(frozen=True)
class Rejected:
    """A bad row: what could be read of it and every problem found in it."""

    line: int
    name: str
    email: str
    license: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Roster:
    """Every row of the roster in file order, good or bad, and how the file was read."""

    path: Path
    encoding: str  # UTF-8, UTF-8 with BOM, Windows-1252, UTF-16, UTF-32 or XLSX
    rows: tuple[Attendee | Rejected, ...]
    ignored: tuple[str, ...] = ()  # headers of columns no certificate uses

    @property
    def problems(self) -> list[Problem]:
        """Return the problems of every bad row, in file order."""
        return [p for row in self.rows if isinstance(row, Rejected) for p in row.problems]


def read_roster(path: Path) -> Roster:
    """Return the roster at path (CSV or XLSX), or raise RosterError when no row can be read."""
    data = _read(path)
    if data.startswith(b"PK\x03\x04"):  # a zip: what Excel writes as .xlsx
        table, encoding = _xlsx_rows(path, data), "XLSX"
    elif path.suffix.lower() in (".xls", ".numbers", ".ods"):
        message = f"expected a .csv or .xlsx file, got {path.suffix} (save it as .xlsx or CSV)"
        raise RosterError(Problem(str(path), 0, message))
    else:
        table, encoding = _csv_rows(path, data)
    return _rows(path, encoding, table)


def registered_names(path: Path) -> tuple[list[str], list[Problem]]:
    """Return the names of a registration list (only a name column is needed), in file order,
    and the problems of rows without a usable name; raise RosterError when it cannot be read."""
    data = _read(path)
    table = _xlsx_rows(path, data) if data.startswith(b"PK\x03\x04") else _csv_rows(path, data)[0]
    header = next((r for r in table if _filled(r[1])), None)
    if header is None:
        raise RosterError(Problem(str(path), 0, "expected a header row and names, got none"))
    names = [_text(c) for c in header[1]]
    columns, _ = _columns(path, header[0], names, attendance=False)
    found, problems = [], []
    for number, values, undecodable in table:
        if _filled(values):
            row = _Row(path, number, names, columns, values, undecodable)
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


def _csv_rows(path: Path, data: bytes) -> tuple[Iterator[tuple[int, list[Cell], str]], str]:
    """Return the CSV's records (first line, cells, undecodable bytes) and its encoding."""
    try:
        records, encoding = csv_records(data)
    except TableError as exc:
        raise RosterError(Problem(str(path), exc.line, exc.message)) from None
    return _reported(path, records), encoding


def _reported(
    path: Path, records: Iterator[tuple[int, list[str], str]]
) -> Iterator[tuple[int, list[Cell], str]]:
    """Yield the records, a table error raised as the roster's, at its line."""
    try:
        for number, cells, undecodable in records:
            yield number, list(cells), undecodable
    except TableError as exc:
        raise RosterError(Problem(str(path), exc.line, exc.message)) from None


def _xlsx_rows(path: Path, data: bytes) -> Iterator[tuple[int, list[Cell], str]]:
    """Yield each row of the workbook's first sheet with its row number."""
    try:
        for number, values in sheet_rows(data):
            yield number, [_xlsx_cell(v) for v in values], ""
    except SheetError as exc:
        raise RosterError(Problem(str(path), exc.line, exc.message)) from None


def _xlsx_cell(value: object) -> Cell:
    if isinstance(value, str | int | float | bool | dt.datetime | dt.time | Formula):
        return value
    return None if value is None else str(value)


def _rows(path: Path, encoding: str, table: Iterator[tuple[int, list[Cell], str]]) -> Roster:
    """Return the roster from its header and records."""
    header = next((r for r in table if _filled(r[1])), None)
    if header is None:
        raise RosterError(Problem(str(path), 0, "expected a header row and attendees, got none"))
    line, cells, _ = header
    names = [_text(c) for c in cells]
    columns, ignored = _columns(path, line, names)
    rows: list[Attendee | Rejected] = []
    seen: dict[str, int] = {}
    for number, values, undecodable in table:
        if _filled(values):
            reader = _Row(path, number, names, columns, values, undecodable)
            rows.append(reader.read(seen))
    return Roster(path, encoding, tuple(rows), tuple(ignored))


def _key(header: str) -> str:
    """Return a header as compared with COLUMNS: 'E-Mail ' -> 'e mail'."""
    return " ".join(re.sub(r"[-_.:#/()]+", " ", header).casefold().split())


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


def _filled(values: list[Cell]) -> bool:
    """Return whether a row has a cell with text, or a formula (a value never saved)."""
    return any(isinstance(v, Formula) or _text(v) for v in values)


def _text(cell: Cell) -> str:
    """Return a cell as clean one-line text (numbers as written, control characters gone)."""
    if cell is None or isinstance(cell, Formula):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", str(cell)))
    return " ".join(text.split())


class _Row:
    """Reads one record's cells into an Attendee, collecting every problem of the row."""

    def __init__(
        self,
        path: Path,
        line: int,
        names: list[str],
        columns: dict[str, int],
        values: list[Cell],
        undecodable: str,
    ) -> None:
        self.path, self.line, self.names, self.columns = path, line, names, columns
        self.values, self.undecodable = values, undecodable
        self.problems: list[Problem] = []
        self.uncalculated: set[str] = set()  # columns whose formula was never calculated

    def cell(self, column: str) -> Cell:
        index = self.columns.get(column)
        return self.values[index] if index is not None and index < len(self.values) else None

    def fault(self, column: str, message: str) -> None:
        if column in self.uncalculated:  # its formula is the problem, not the missing value
            return
        header = self.names[self.columns[column]] if column in self.columns else column
        self.problems.append(Problem(str(self.path), self.line, message, header or column))

    def read(self, seen: dict[str, int]) -> Attendee | Rejected:
        """Return the attendee of this row, or the row rejected with its problems."""
        if self._misaligned():  # the other cells are shifted: their messages would mislead
            return self.rejected()
        self.formulas(self.columns)
        name, email = self.name(), self.email(seen)
        license_ = self.words("license", required=False)
        evaluation = self.yes_no("evaluation completed")
        post_test = self.yes_no("post-test passed") if "post-test passed" in self.columns else None
        attendance = self.attendance()
        if self.problems:
            return self.rejected()
        minutes, credit_minutes, time_in, time_out = attendance
        return Attendee(
            self.line, name, email, license_, bool(evaluation), minutes, credit_minutes,
            time_in, time_out, post_test,
        )  # fmt: skip

    def rejected(self) -> Rejected:
        """Return the row as rejected, its problems in the order of the columns."""
        order = {self.names[i]: i for i in reversed(range(len(self.names)))}
        problems = sorted(self.problems, key=lambda p: order.get(p.field, -1))
        raw = (_text(self.cell("name")), _text(self.cell("e-mail")), _text(self.cell("license")))
        return Rejected(self.line, *raw, tuple(problems))

    def _misaligned(self) -> bool:
        """Flag undecodable bytes; return whether the row has cells beyond the header's or a
        cell longer than MAX_CELL (a quote never closed takes in the rows after it)."""
        if self.undecodable:
            column = next((c for c in self.columns if "\ufffd" in _text(self.cell(c))), "")
            self.fault(column or "row", self.undecodable)
        extra = [v for v in self.values[len(self.names) :] if _text(v)]
        if extra:
            message = (
                f"expected {len(self.names)} cells as in the header, got {len(self.values)} "
                "(is a comma inside an unquoted name?)"
            )
            self.fault("row", message)
        return bool(extra) or self._overlong()

    def _overlong(self) -> bool:
        """Flag the first cell longer than MAX_CELL characters; return whether there is one."""
        index = next(
            (i for i, v in enumerate(self.values) if isinstance(v, str) and len(v) > MAX_CELL), None
        )
        if index is None:
            return False
        header = self.names[index] if index < len(self.names) else ""
        got = f"{len(str(self.values[index])):,}"
        self.fault(
            header or "row", f"expected a cell of at most {MAX_CELL:,} characters, got {got}"
        )
        return True

    def formulas(self, columns: Iterable[str]) -> None:
        """Flag each of the columns holding a formula without a saved value; their other
        problems (an empty cell) would mislead, so they are left out."""
        for column in columns:
            cell = self.cell(column)
            if isinstance(cell, Formula) and column not in self.uncalculated:
                written = f"the formula {cell.text}" if cell.text else "a formula"
                message = (
                    f"expected a value, got {written} without a saved value (open and save the "
                    "file in Excel or LibreOffice, or type the value)"
                )
                self.fault(column, message)
                self.uncalculated.add(column)

    def name(self) -> str:
        if "name" in self.columns:
            return self.words("name")
        first, last = self.words("first name"), self.words("last name")
        return f"{first} {last}".strip()

    def words(self, column: str, required: bool = True) -> str:
        """Return a cell's text; a number, or an empty required cell, is a problem."""
        cell = self.cell(column)
        text = _text(cell)
        if column == "license":
            return text
        is_number = isinstance(cell, int | float) and not isinstance(cell, bool)
        if is_number or (text and _NUMBER.fullmatch(text)):
            self.fault(column, f"expected text, got the number {text}")
        elif required and not text:
            self.fault(column, "expected the attendee's name, got an empty cell")
        return text

    def email(self, seen: dict[str, int]) -> str:
        text = _text(self.cell("e-mail"))
        if not _EMAIL.fullmatch(text):
            got = f"{text!r}" if text else "an empty cell"
            self.fault("e-mail", f"expected an e-mail address, got {got}")
        elif text.casefold() in seen:
            first = seen[text.casefold()]
            self.fault("e-mail", f"expected each e-mail once, got {text!r} again (line {first})")
        else:
            seen[text.casefold()] = self.line
        return text

    def yes_no(self, column: str) -> bool | None:
        cell = self.cell(column)
        if isinstance(cell, bool):
            return cell
        text = _text(cell).casefold().rstrip(".")
        if text in _YES or text in _NO:
            return text in _YES
        self.fault(column, f"expected yes or no, got {_text(cell)!r}")
        return None

    def attendance(self) -> tuple[int | None, int | None, dt.time | None, dt.time | None]:
        """Return attended minutes, credit minutes, time in and time out (those given)."""
        before = len(self.problems)
        time_in, time_out = self.time("time in"), self.time("time out")
        if time_in and time_out and time_out <= time_in:
            got = f"{time_out:%H:%M}, before time in {time_in:%H:%M}"
            self.fault("time out", f"expected a time after time in, got {got}")
        minutes, credit = self.minutes("attended minutes"), self.minutes("credit minutes")
        given = minutes is not None or credit is not None or (time_in and time_out)
        uncalculated = self.uncalculated.intersection(_ATTENDANCE)
        if not given and len(self.problems) == before and not uncalculated:  # none, not bad
            column = next(c for c in _ATTENDANCE if c in self.columns)
            self.fault(column, "expected the minutes attended (or time in and out), got none")
        return minutes, credit, time_in, time_out

    def minutes(self, column: str) -> int | None:
        cell = self.cell(column)
        text = _text(cell)
        if not text:
            return None
        if isinstance(cell, int | float) and not isinstance(cell, bool) and cell >= 0:
            return int(cell)
        if re.fullmatch(r"\d+([.,]\d+)?", text):
            return int(float(text.replace(",", ".")))
        self.fault(column, f"expected a number of minutes, got {text!r}")
        return None

    def time(self, column: str) -> dt.time | None:
        cell = self.cell(column)
        if isinstance(cell, dt.datetime):
            return cell.time()
        if isinstance(cell, dt.time):
            return cell
        text = _text(cell)
        match = _TIME.fullmatch(text)
        if not text:
            return None
        hour = int(match.group(1)) if match else 99
        if match and match.group(3):
            hour = hour % 12 + (12 if match.group(3).lower().startswith("p") else 0)
        if not match or hour > 23 or int(match.group(2)) > 59:
            self.fault(column, f"expected a time as HH:MM, got {text!r}")
            return None
        return dt.time(hour, int(match.group(2)))
