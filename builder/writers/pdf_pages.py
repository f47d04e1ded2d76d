"""Copy pages of our own reportlab PDFs into new files: one page alone, or many files joined.

Certificates are drawn a hundred to a PDF (a part); each attendee's file is one page copied
out of its part with what that page uses, and the merged PDF is every part copied one after
another, one part in memory at a time. The parts are reportlab's output, so the reading here
is that of reportlab's plain layout (one xref table, direct stream lengths, no object streams),
not of any PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from typing import IO

from builder.document import Meta
from builder.errors import Problem, WriteError

_REF = re.compile(rb"(\d+) 0 R\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_CATALOG, _TREE, _INFO = 1, 2, 3  # the numbers our files give these; copies start at 4


class Part:
    """A reportlab PDF read for copying: its objects by number and its pages in order."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf, self.offsets = pdf, _xref(pdf)
        self._bodies: dict[int, bytes] = {}
        trailer = pdf[pdf.rindex(b"trailer") :]
        root = _number(trailer, b"/Root")
        catalog = self.body(root)
        self.tree = _number(catalog, b"/Pages")
        outlines = _number(catalog, b"/Outlines", required=False)
        self.skipped = {root, _number(trailer, b"/Info"), self.tree, outlines}
        self.pages = [int(k) for k in _REF.findall(self.body(self.tree))]

    def body(self, number: int) -> bytes:
        """Return what lies between 'N 0 obj' and 'endobj' (a stream with its data)."""
        if number not in self._bodies:
            self._bodies[number] = _object(self.pdf, self.offsets[number])
        return self._bodies[number]

    def objects(self) -> list[int]:
        """Return the numbers of every object but the catalog, page tree, outlines and info."""
        return sorted(n for n in self.offsets if n not in self.skipped)

    def used_by(self, page: int) -> list[int]:
        """Return the numbers of the objects the page-th page needs, itself included."""
        seen: set[int] = set()
        todo = [self.pages[page]]
        while todo:
            number = todo.pop()
            if number in seen or number in self.skipped:  # /Parent leads to the tree
                continue
            seen.add(number)
            todo += [int(n) for n in _REF.findall(_head(self.body(number)))]
        return sorted(seen)


class Writer:
    """Writes a PDF of copied objects, renumbered; then its catalog, page tree, document
    properties and cross-reference table."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.offsets, self.pages = out, [0, 0, 0, 0], list[int]()
        self.digest = hashlib.md5(usedforsecurity=False)
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)

    def copy(self, part: Part, numbers: list[int]) -> None:
        """Copy the objects numbers of part; its pages among them become pages here."""
        first = len(self.offsets)
        renumbered = {old: first + i for i, old in enumerate(numbers)} | {part.tree: _TREE}
        for old in numbers:
            body = part.body(old)
            head = _REF.sub(lambda m: b"%d 0 R" % renumbered[int(m.group(1))], _head(body))
            self.offsets.append(self.out.tell())
            self._write(
                b"%d 0 obj\n%s%s\nendobj\n" % (renumbered[old], head, body[len(_head(body)) :])
            )
        self.pages += [renumbered[p] for p in part.pages if p in renumbered]

    def finish(self, meta: Meta) -> None:
        """Write the catalog, the page tree, the properties and the xref table."""
        kids = b" ".join(b"%d 0 R" % p for p in self.pages)
        catalog = (
            b"<< /Type /Catalog /Pages 2 0 R /Lang %s "
            b"/ViewerPreferences << /DisplayDocTitle true >> >>" % _string(meta.lang)
        )
        tree = b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.pages), kids)
        for number, body in ((_CATALOG, catalog), (_TREE, tree), (_INFO, _info(meta))):
            self.offsets[number] = self.out.tell()
            self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        start, ident = self.out.tell(), self.digest.hexdigest().encode("ascii")
        rows = [b"0000000000 65535 f \n"] + [b"%010d 00000 n \n" % o for o in self.offsets[1:]]
        self.out.write(b"xref\n0 %d\n%s" % (len(rows), b"".join(rows)))
        self.out.write(
            b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R /ID [<%s><%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (len(rows), ident, ident, start)
        )


def page_alone(part: Part, page: int, meta: Meta, out: IO[bytes]) -> None:
    """Write the page-th page of part as a PDF of its own, with meta as its properties."""
    writer = Writer(out)
    writer.copy(part, part.used_by(page))
    writer.finish(meta)


def _head(body: bytes) -> bytes:
    """Return an object's dictionary part: all of it but a stream's data."""
    stream = _STREAM.search(body)
    return body[: stream.start() + 2] if stream else body


def _xref(pdf: bytes) -> dict[int, int]:
    """Return the offset of each object in use, from the PDF's one xref table."""
    start = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    _, _, table = pdf[start:].partition(b"\n0 ")
    count, _, rows = table.partition(b"\n")
    entries = re.findall(rb"(\d{10}) \d{5} ([nf])", rows[: int(count) * 21])
    return {n: int(o) for n, (o, kind) in enumerate(entries) if kind == b"n"}


def _object(pdf: bytes, offset: int) -> bytes:
    """Return an object's body: from after 'N 0 obj' to before 'endobj'."""
    start = pdf.index(b"obj", offset) + 3
    end = pdf.index(b"endobj", start)
    stream = _STREAM.search(pdf, start, end)
    if stream is not None:  # its data may hold 'endobj': measure it by /Length
        end = stream.end() + _number(pdf[start : stream.start()], b"/Length")
        return pdf[start:end].lstrip(b"\r\n") + b"endstream"
    return pdf[start:end].strip()


def _number(data: bytes, key: bytes, required: bool = True) -> int:
    """Return the number (or object number) after key in a dictionary; -1 when absent."""
    match = re.search(re.escape(key) + rb"\s+(\d+)", data)
    if match is None and required:
        raise WriteError(Problem("certificates", 0, f"expected {key.decode()} in a drawn PDF"))
    return int(match.group(1)) if match else -1


def _string(text: str) -> bytes:
    """Return text as a PDF string: UTF-16 with its byte-order mark, in hex."""
    return b"<FEFF%s>" % text.encode("utf-16-be").hex().upper().encode("ascii")


def _info(meta: Meta) -> bytes:
    """Return the document properties: title, author, subject, keywords, creator and dates."""
    when = _pdf_date()
    fields = {
        b"Title": _string(meta.title),
        b"Author": _string(meta.author),
        b"Subject": _string(meta.subject),
        b"Keywords": _string(", ".join(meta.keywords)),
        b"Creator": _string("workshop"),
        b"CreationDate": when,
        b"ModDate": when,
    }
    return b"<< " + b" ".join(b"/%s %s" % pair for pair in fields.items()) + b" >>"


def _pdf_date() -> bytes:
    """Return SOURCE_DATE_EPOCH (else now) as a PDF date, in UTC."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.now(dt.timezone.utc)
    when = dt.datetime.fromtimestamp(int(raw), dt.timezone.utc) if raw.isdigit() else now
    return b"(D:%s+00'00')" % when.strftime("%Y%m%d%H%M%S").encode("ascii")
