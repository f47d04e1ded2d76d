"""One roster row's cells read into an Attendee, or a Rejected row with every problem found.

Called by `builder.roster` for each filled record after the header, with the column of each
known header; cells are CSV text or XLSX values (numbers, booleans, times, a `Formula`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem
from builder.roster_csv import MAX_CELL
from builder.roster_xlsx import Formula

_YES = frozenset(("yes", "y", "true", "1", "x", "✓", "✔", "done", "completed", "complete",
                  "sí", "si", "ja", "oui"))  # fmt: skip
_NO = frozenset(("no", "n", "false", "0", "", "nein", "non", "-"))
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
_NUMBER = re.compile(r"[+-]?[\d\s.,]*\d[\d\s.,]*")
_TIME = re.compile(  # a date before the time is Zoom's and Teams' "3/12/27, 8:58:10 AM"
    r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+)?(\d{1,2})[:.h](\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?",
    re.IGNORECASE,
)
_DURATION = re.compile(  # Teams' "1h 32m 52s", "45m"; a time as h:mm or h:mm:ss
    r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:\d+\s*s)?|(\d+):([0-5]\d)(?::[0-5]\d)?",
    re.IGNORECASE,
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
MAX_MINUTES = 10 * 24 * 60  # a program's dates are at most ten: more is a typing slip
_ATTENDANCE = ("attended minutes", "credit minutes", "time in", "time out")
Cell = str | int | float | bool | dt.datetime | dt.time | dt.timedelta | Formula | None


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


def as_cell(value: object) -> Cell:
    """Return a value openpyxl read as a Cell (anything else as its text)."""
    if isinstance(value, str | int | float | bool | dt.datetime | dt.time | dt.timedelta | Formula):
        return value
    return None if value is None else str(value)


def filled(values: list[Cell]) -> bool:
    """Return whether a row has a cell with text, or a formula (a value never saved)."""
    return any(isinstance(v, Formula) or clean_text(v) for v in values)


def clean_text(cell: Cell) -> str:
    """Return a cell as clean one-line text (numbers as written, control characters gone)."""
    if cell is None or isinstance(cell, Formula):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():  # a cell shown as a date
        return cell.date().isoformat()
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", str(cell)))
    return " ".join(text.split())


def _minutes_in(cell: Cell, text: str) -> float | None:
    """Return the minutes a cell gives: a number, a number as text ('90', '90,5') or a
    duration; None for anything else."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return cell if cell >= 0 else None
    if re.fullmatch(r"\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    return _duration(cell, text)


def _duration(cell: Cell, text: str) -> int | None:
    """Return the whole minutes of a duration: a time or timedelta a workbook holds, Teams'
    "1h 32m 52s", or "1:32:52"; None for anything else (a plain number among them)."""
    if isinstance(cell, dt.time):
        return cell.hour * 60 + cell.minute
    if isinstance(cell, dt.timedelta):
        return int(cell.total_seconds() // 60)
    found = _DURATION.fullmatch(text.strip())
    if not found or not any(found.groups()):
        return None
    hours, minutes, clock_hours, clock_minutes = (int(g or 0) for g in found.groups())
    return (hours + clock_hours) * 60 + minutes + clock_minutes


class RowReader:
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
        raw = (
            clean_text(self.cell("name")),
            clean_text(self.cell("e-mail")),
            clean_text(self.cell("license")),
        )
        return Rejected(self.line, *raw, tuple(problems))

    def _misaligned(self) -> bool:
        """Flag undecodable bytes; return whether the row has cells beyond the header's or a
        cell longer than MAX_CELL (a quote never closed takes in the rows after it)."""
        if self.undecodable:
            column = next((c for c in self.columns if "\ufffd" in clean_text(self.cell(c))), "")
            self.fault(column or "row", self.undecodable)
        extra = [v for v in self.values[len(self.names) :] if clean_text(v)]
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
        text = clean_text(cell)
        if column == "license":
            return text
        is_number = isinstance(cell, int | float) and not isinstance(cell, bool)
        if is_number or (text and _NUMBER.fullmatch(text)):
            self.fault(column, f"expected text, got the number {text}")
        elif required and not text:
            self.fault(column, "expected the attendee's name, got an empty cell")
        return text

    def email(self, seen: dict[str, int]) -> str:
        text = clean_text(self.cell("e-mail"))
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
        text = clean_text(cell).casefold().rstrip(".")
        if text in _YES or text in _NO:
            return text in _YES
        self.fault(column, f"expected yes or no, got {clean_text(cell)!r}")
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
        text = clean_text(cell)
        if not text:
            return None
        number = _minutes_in(cell, text)
        if number is not None and number <= MAX_MINUTES:
            return int(number)
        bound = f" up to {MAX_MINUTES:,} (ten days)" if number is not None else ""
        self.fault(column, f"expected a number of minutes{bound}, got {text!r}")
        return None

    def time(self, column: str) -> dt.time | None:
        cell = self.cell(column)
        if isinstance(cell, dt.datetime):
            return cell.time()
        if isinstance(cell, dt.time):
            return cell
        text = clean_text(cell)
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
