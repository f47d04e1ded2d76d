"""A roster's CSV file as records: the encoding detected (UTF-8 with or without its BOM,
Windows-1252, or UTF-16 or UTF-32 by their BOM), the delimiter guessed, and bounds kept.

Used by `builder.roster`, which turns a TableError into a problem at the roster's line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from builder.roster_xlsx import MAX_ROWS

MAX_CELL = 2000  # characters: no name, e-mail or license comes near, a long note fits
_WIDE = (  # BOM, encoding, codec: UTF-32 first, as its little-endian BOM starts like UTF-16's
    (b"\xff\xfe\x00\x00", "UTF-32", "utf-32"),
    (b"\x00\x00\xfe\xff", "UTF-32", "utf-32"),
    (b"\xff\xfe", "UTF-16", "utf-16"),
    (b"\xfe\xff", "UTF-16", "utf-16"),
)


class TableError(Exception):
    """The file cannot be read as records: the line it stopped at (0: the whole file), why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def csv_records(data: bytes) -> tuple[Iterator[tuple[int, list[str], str]], str]:
    """Return the CSV's records (first line, cells, undecodable bytes) and its encoding."""
    wide = next((w for w in _WIDE if data.startswith(w[0])), None)
    if wide is not None:  # Excel's "Unicode Text" export: UTF-16, its BOM first
        return _records(_wide_lines(data, wide[1], wide[2]), {}), wide[1]
    _check_lines(max(data.count(b"\n"), data.count(b"\r")))
    bom = data.startswith(b"\xef\xbb\xbf")
    lines = data[3 if bom else 0 :].splitlines(keepends=True)
    encoding = "UTF-8 with BOM" if bom else _encoding(lines)
    codec = "cp1252" if encoding == "Windows-1252" else "utf-8"
    texts, bad = [], {}  # the lines as text; line -> the problem of its undecodable bytes
    for number, raw in enumerate(lines, start=1):
        try:
            texts.append(raw.decode(codec))
        except UnicodeDecodeError as exc:
            bad[number] = _undecodable(raw[exc.start : exc.end], encoding)
            texts.append(raw.decode(codec, errors="replace"))
    return _records(texts, bad), encoding


def _wide_lines(data: bytes, encoding: str, codec: str) -> list[str]:
    """Return the lines of a UTF-16 or UTF-32 file, its BOM telling the byte order."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        message = _undecodable(data[exc.start : exc.end], encoding)
        raise TableError(line, message) from None
    _check_lines(max(text.count("\n"), text.count("\r")))
    return io.StringIO(text, newline="").readlines()  # split as the csv reader splits


def _check_lines(count: int) -> None:
    """Refuse a file of more than MAX_ROWS lines before splitting it."""
    if count > MAX_ROWS:
        message = f"expected a roster of at most {MAX_ROWS:,} lines, got {count:,}"
        raise TableError(0, message)


def _encoding(lines: Sequence[bytes]) -> str:
    """Return UTF-8 unless no line is UTF-8 text beyond ASCII and some line is not UTF-8."""
    utf8 = failed = 0
    for raw in lines:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            failed += 1
            continue
        utf8 += not raw.isascii()
    return "Windows-1252" if failed and not utf8 else "UTF-8"


def _undecodable(raw: bytes, encoding: str) -> str:
    """Return the problem of bytes that are not text in the file's encoding."""
    shown = " ".join(f"0x{b:02X}" for b in raw)
    what = "the byte" if len(raw) == 1 else "the bytes"
    return f"expected {encoding} text like the rest of the file, got {what} {shown}"


def _records(texts: list[str], bad: dict[int, str]) -> Iterator[tuple[int, list[str], str]]:
    """Yield each CSV record with the line it starts on and its undecodable bytes' problem."""
    # Excel in many European locales writes ';', Teams a tab; lines, not the first alone: a
    # report's title line above its table has none
    sample = "".join(texts[:20])
    delimiter = max(",;\t", key=sample.count)
    reader = csv.reader(io.StringIO("".join(texts), newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            end = reader.line_num
            undecodable = next((bad[n] for n in range(start, end + 1) if n in bad), "")
            yield start, list(cells), undecodable
            start = end + 1
    except csv.Error:  # the only one with newline='': a cell over csv.field_size_limit()
        message = (
            f"expected a cell of at most {MAX_CELL:,} characters, got one of more than "
            f"{csv.field_size_limit():,} (a quote never closed?)"
        )
        raise TableError(start, message) from None
