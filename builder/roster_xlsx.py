"""The XLSX side of the roster: the workbook's package checked, then its roster sheet's rows.

Called by `builder.roster` for a zip file. Before openpyxl opens the workbook, a zip that is
no Excel workbook (an .ods, .xlsb, Numbers or Word file), a zip bomb, a part that declares a
DTD or an entity, XML in an encoding OOXML does not allow, or a tag long enough to stall the
parser is refused; rows are then read in read-only mode, up to MAX_ROWS rows of MAX_COLUMNS
columns, from the first worksheet with a filled cell (an empty sheet before it is passed over).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_PARTS = 1000
MAX_PART = 50 * 2**20  # one part, unpacked: a sheet of 100,000 rows is about 30 MB
MAX_TOTAL = 100 * 2**20  # every part together, unpacked
MAX_RATIO = 100  # unpacked to packed, for parts over RATIO_FROM: real sheets pack about 13:1
RATIO_FROM = 2**20
MAX_ROWS = 100_000  # a roster of thousands of people, with room to spare
MAX_COLUMNS = 256  # the columns of Excel 2003 (A to IV); a roster needs about ten
MAX_TOKEN = 2**20  # characters in one tag, text, comment or instruction
MAX_SPECIALS = 1000  # comments and instructions in one part: Excel writes one, <?xml ...?>
_XML = (".xml", ".rels", ".vml")
_OTHER_KINDS = (  # the start of a part's name that tells a zip's kind
    ("xl/workbook.bin", "an Excel binary workbook (.xlsb)"),
    ("Index/", "a Numbers spreadsheet"),
    ("word/document.xml", "a Word document"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
)
_UTF16 = {
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
    b"<\x00": "utf-16-le",
    b"\x00<": "utf-16-be",
}
_DECLARED = re.compile(r"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_ENCODINGS = frozenset(("utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii"))
_DTD = re.compile(r"<!DOCTYPE|<!ENTITY")
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)[\w.:-]{0,20};?")
_FORMULA = re.compile(r"[<:]f[\s/>]")  # <f>, <x:f t="shared"/>: a hint, to read formulas
_LONG = re.compile(f"<[^<]{{{MAX_TOKEN}}}")  # no '<' in a tag: this bounds every tag's length


# What zipfile raises for a package it cannot read: damaged (BadZipFile, zlib.error, EOFError
# when cut short, OSError), ZIP64 it refuses (LargeZipFile), a compression it lacks
# (NotImplementedError), an encrypted member (RuntimeError): each is the file's fault.
_UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
)


class SheetError(Exception):
    """The workbook cannot be read: the row it stopped at (0: the whole file) and why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


@dataclass(frozen=True)
class Formula:
    """A formula cell without a saved value (its program wrote the formula, never calculated)."""

    text: str


def sheet_rows(data: bytes) -> tuple[str | None, Iterator[tuple[int, list[Any]]]]:
    """Return the roster's sheet (the first worksheet with a filled cell) by name when it is
    not the first, and its rows with their numbers; a formula without a saved value is a
    Formula. Raise SheetError when the workbook breaks a bound or cannot be read."""
    formulas = _check_package(data)
    book = _open(data, data_only=True)
    try:
        index = _roster_sheet(book)
    except SheetError:
        book.close()
        raise
    name = book.worksheets[index].title if index else None
    return name, _rows(data, book, index, formulas)


def _rows(data: bytes, book: Any, index: int, formulas: bool) -> Iterator[tuple[int, list[Any]]]:
    """Yield the rows of the book's sheet at index, reading its formulas when there are any;
    close what was opened at the end."""
    books = [book]
    try:
        rows = _guarded(book.worksheets[index].iter_rows(values_only=True))
        if formulas:  # only the formulas' reading tells a formula from an empty cell
            books.append(_open(data, data_only=False))
            written = _guarded(books[1].worksheets[index].iter_rows(values_only=True))
            rows = _with_formulas(rows, written)
        for number, values in enumerate(rows, start=1):
            _check_row(number, values)
            yield number, list(values)
    finally:
        for each in books:
            each.close()


def _check_package(data: bytes) -> bool:
    """Raise SheetError when the package breaks a bound or an XML part has a DTD or entity;
    return whether a worksheet has formulas."""
    formulas = False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            _check_sizes(infos)
            other = _other_kind(package)
            if other:
                raise SheetError(
                    0, f"expected an .xlsx workbook, got {other}: save it as .xlsx or CSV"
                )
            for info in infos:
                if info.filename.lower().endswith(_XML):
                    text = _xml_text(package.read(info), info.filename)
                    sheet = info.filename.startswith("xl/worksheets/")
                    formulas = formulas or bool(sheet and _FORMULA.search(text))
    except _UNREADABLE_ZIP:
        raise SheetError(0, "expected an .xlsx workbook (a readable zip)") from None
    return formulas


def _other_kind(package: zipfile.ZipFile) -> str | None:
    """Return what a zip holding no Excel workbook is, as a person would name it; None for a
    workbook (.xlsx, .xlsm and their templates all have xl/workbook.xml)."""
    names = set(package.namelist())
    if "xl/workbook.xml" in names:
        return None
    mimetype = package.getinfo("mimetype") if "mimetype" in names else None
    if (
        mimetype
        and mimetype.file_size < 100
        and b"opendocument.spreadsheet" in package.read(mimetype)
    ):
        return "an OpenDocument spreadsheet (.ods)"
    for part, kind in _OTHER_KINDS:
        if any(n.startswith(part) for n in names):
            return kind
    return "a zip without a workbook (no xl/workbook.xml)"


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a package of too many parts, or parts too big or packed too tightly (a bomb)."""
    if len(infos) > MAX_PARTS:
        raise SheetError(0, f"expected at most {MAX_PARTS} parts in the workbook, got {len(infos)}")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        unpacked = f"{MAX_TOTAL // 2**20} MB unpacked, got {total // 2**20} MB"
        raise SheetError(0, f"expected a workbook of at most {unpacked}")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            raise SheetError(0, (
                f"expected parts of at most {MAX_PART // 2**20} MB packed at most {MAX_RATIO}:1, "
                f"got {info.filename} ({info.file_size // 2**20} MB, {ratio:.0f}:1)"
            ))  # fmt: skip


def _xml_text(blob: bytes, name: str) -> str:
    """Return an XML part as text to search; refuse an encoding OOXML does not allow (only
    UTF-8 and UTF-16: expat would read a declared EBCDIC past the checks) or a DTD or entity."""
    codec = _UTF16.get(blob[:2], "latin-1")  # latin-1 keeps UTF-8's ASCII letters as they are
    text = blob.decode(codec, errors="replace")
    declared = _DECLARED.match(text.removeprefix("\ufeff"))
    encoding = declared.group(1).strip().lower() if declared else "utf-8"
    if "\x00" in text or encoding not in _ENCODINGS:
        got = f"{name} in {encoding.upper()}" if "\x00" not in text else f"{name} in neither"
        raise SheetError(0, f"expected XML parts in UTF-8 or UTF-16, got {got}")
    found = _DTD.search(text) or _ENTITY.search(text)
    if found:
        what = "a DTD" if found.re is _DTD else f"the entity {found.group()}"
        raise SheetError(
            0, f"expected a spreadsheet without DTDs or entities, got {what} in {name}"
        )
    _check_tokens(text, name)
    return text


def _check_tokens(text: str, name: str) -> None:
    """Refuse a tag, text, comment or instruction over MAX_TOKEN characters: the parser, fed
    16 KB at a time, reads an unfinished one again from its start (expat 2.5: time squared)."""
    specials = text.count("<!--") + text.count("<?")
    if specials > MAX_SPECIALS:
        message = f"expected at most {MAX_SPECIALS:,} comments and instructions, got {specials:,}"
        raise SheetError(0, f"{message} in {name}")
    longest = max(_longest(text, "<!--", "-->"), _longest(text, "<?", "?>"))
    if longest > MAX_TOKEN or _LONG.search(text):
        message = f"expected no tag, text or comment over {MAX_TOKEN:,} characters"
        raise SheetError(0, f"{message}, got a longer one in {name}")


def _longest(text: str, opener: str, closer: str) -> int:
    """Return the length of the longest stretch of text from opener to closer (or the end)."""
    longest, start = 0, text.find(opener)
    while start != -1:
        end = text.find(closer, start + len(opener))
        end = len(text) if end == -1 else end
        longest, start = max(longest, end - start), text.find(opener, end)
    return longest


def _open(data: bytes, data_only: bool) -> Any:
    """Return the workbook opened read-only: data_only gives saved values, else formulas."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # ships no types

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors alike
        raise SheetError(0, f"expected an .xlsx workbook, got {exc}") from None


def _roster_sheet(book: Any) -> int:
    """Return the index of the first worksheet with a filled cell (0 when none has one): a
    sheet of notes left empty before the roster is passed over. Raise when there is no
    worksheet, or when a sheet looked at reaches past the bounds."""
    if not book.worksheets:  # chart sheets are not among them
        raise SheetError(0, "expected a worksheet in the workbook, got none")
    for index, sheet in enumerate(book.worksheets):
        _check_dimension(sheet)
        if _has_cells(sheet):
            return index
    return 0


def _has_cells(sheet: Any) -> bool:
    """Return whether a sheet has a cell that is not empty or blank."""
    for number, values in enumerate(_guarded(sheet.iter_rows(values_only=True)), start=1):
        _check_row(number, values)
        if any(v is not None and str(v).strip() for v in values):
            return True
    return False


def _check_dimension(sheet: Any) -> None:
    """Refuse a sheet declared to reach past MAX_ROWS or MAX_COLUMNS: openpyxl would give
    every empty cell up to its corner, one by one."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

        corner = f"{get_column_letter(columns)}{rows}"
        raise SheetError(0, (
            f"expected a sheet of at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns, got sheet "
            f"{sheet.title!r} reaching {corner}; delete the rows and columns after the roster, "
            "or save it as CSV"
        ))  # fmt: skip


def _check_row(number: int, values: tuple[Any, ...]) -> None:
    """Refuse a row past MAX_ROWS, or wider than MAX_COLUMNS (a sheet without a dimension)."""
    if number > MAX_ROWS:
        raise SheetError(number, f"expected a sheet of at most {MAX_ROWS:,} rows, got more")
    if len(values) > MAX_COLUMNS:
        message = f"expected at most {MAX_COLUMNS} columns, got a row of {len(values):,} cells"
        raise SheetError(number, message)


def _guarded(rows: Iterator[Any]) -> Iterator[Any]:
    """Yield the rows openpyxl reads, turning its errors on a malformed sheet into SheetError."""
    try:
        yield from rows
    except Exception as exc:  # ParseError, ValueError, IndexError: whatever the bad XML raised
        raise SheetError(0, f"expected the sheet as well-formed XML, got {exc}") from None


def _with_formulas(values: Iterator[Any], formulas: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
    """Yield the rows of saved values, a Formula where a formula has no saved value."""
    for saved, written in zip(values, formulas, strict=False):  # one sheet read twice: alike
        yield tuple(
            Formula(_formula_text(w)) if v is None and w is not None else v
            for v, w in zip(saved, written, strict=False)
        )


def _formula_text(written: object) -> str:
    """Return a formula as written ('=45*2'): openpyxl gives a text or an ArrayFormula."""
    text = written if isinstance(written, str) else str(getattr(written, "text", "") or "")
    return text if len(text) <= 40 else text[:39] + "…"
