"""A drawn part of the certificates: what `certificate` draws and `pdf_pages` copies pages from.

A part is the reportlab PDF of a template page (what every certificate of the program shows,
drawn once), then a line with the structure every page shares and the lengths of the pages'
own content streams, then those streams (compressed), then a line with the PDF's length. The
PDF is reportlab's output, so the reading here is that of reportlab's plain layout (one xref
table, direct stream lengths, no object streams), not of any PDF. ToUnicode maps lose the
entries reportlab sends to U+0000, which PDF/UA forbids.
"""

from __future__ import annotations

import itertools
import json
import re
import zlib
from collections.abc import Sequence
from typing import Any

from builder.errors import Problem, WriteError
from builder.writers.pdf_tags import Annot, Mark, Node, unicode_map_cleaned

REF = re.compile(rb"(\d+) 0 R\b")
_CMAP = re.compile(rb"/ToUnicode (\d+) 0 R")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_END = b"%workshop-part "  # a part's last line: the length of its PDF


def part_file(pdf: bytes, page: Node, streams: Sequence[bytes]) -> bytes:
    """Return a part: the template page's PDF, the structure of every page (the MCIDs each
    page's content has, the template's and its own), and each page's own content stream."""
    note = json.dumps({"page": _plain(page), "streams": [len(s) for s in streams]})
    return b"".join([pdf, b"\n", note.encode("ascii"), b"\n", *streams, _END, b"%d\n" % len(pdf)])


class Part:
    """A part read for copying: the template page's objects by number, its content stream,
    resources and media box; the page structure; each page's own content stream.

    Every page is copied with the template's content stream before its own (/Contents is an
    array, painted as one) and the template's resources, which name what either stream uses.
    """

    def __init__(self, data: bytes) -> None:
        end = int(data[data.rindex(_END) + len(_END) :])
        self.pdf = pdf = data[:end]
        line = data.index(b"\n", end + 1)
        note = json.loads(data[end + 1 : line])
        self.structure = _node(note["page"])
        bounds = list(itertools.accumulate(note["streams"], initial=line + 1))
        self.streams = [data[a:b] for a, b in itertools.pairwise(bounds)]
        self.offsets = _xref(pdf)
        self._bodies: dict[int, bytes] = {}
        self._reached: dict[int, frozenset[int]] = {}
        self.cmaps = {int(n) for n in _CMAP.findall(pdf)}  # ToUnicode maps, cleaned as read
        self._template(pdf[pdf.rindex(b"trailer") :])

    def _template(self, trailer: bytes) -> None:
        """Read the catalog, page tree and template page (which are not copied)."""
        root = _number(trailer, b"/Root")
        catalog = self.body(root)
        self.tree = _number(catalog, b"/Pages")
        template = int(REF.findall(self.body(self.tree))[0])
        outlines = _number(catalog, b"/Outlines", required=False)
        self.skipped = {root, _number(trailer, b"/Info"), self.tree, outlines, template}
        page = self.body(template)
        self.shared = _number(page, b"/Contents")  # the template's content stream
        self.resources = _dictionary(page, page.index(b"/Resources"))
        box = page.index(b"/MediaBox")
        self.box = page[box : page.index(b"]", box) + 1]

    def body(self, number: int) -> bytes:
        """Return what lies between 'N 0 obj' and 'endobj' (a stream with its data); a
        ToUnicode map without its entries for U+0000."""
        if number not in self._bodies:
            body = _object(self.pdf, self.offsets[number])
            self._bodies[number] = _clean_cmap(body) if number in self.cmaps else body
        return self._bodies[number]

    def objects(self) -> list[int]:
        """Return the numbers of the objects to copy: all but the catalog, page tree,
        outlines, info and template page."""
        return sorted(n for n in self.offsets if n not in self.skipped)

    def common(self) -> list[int]:
        """Return the numbers of the objects every page needs: the template's content stream
        and what the template's resources name (fonts, images)."""
        seen = {self.shared}
        for ref in REF.findall(self.resources):
            seen |= self._reach(int(ref))
        return sorted(seen)

    def _reach(self, start: int) -> frozenset[int]:
        """Return the objects start leads to, itself included; what every page uses (fonts,
        images) is followed once per part."""
        if start not in self._reached:
            seen: set[int] = set()
            todo = [start]
            while todo:
                number = todo.pop()
                if number in seen or number in self.skipped:  # /Parent leads to the tree
                    continue
                seen.add(number)
                todo += [int(n) for n in REF.findall(head(self.body(number)))]
            self._reached[start] = frozenset(seen)
        return self._reached[start]


def _plain(node: Node) -> dict[str, Any]:
    kids = [
        _plain(k) if isinstance(k, Node) else k.mcid for k in node.kids if not isinstance(k, Annot)
    ]
    return {"role": node.role, "alt": node.alt, "scope": node.scope, "kids": kids}


def _node(plain: dict[str, Any]) -> Node:
    kids: list[Node | Mark | Annot] = [
        _node(k) if isinstance(k, dict) else Mark(0, k) for k in plain["kids"]
    ]
    return Node(plain["role"], kids, plain["alt"], scope=plain["scope"])


_BRACKETS = re.compile(rb"<<|>>")


def _dictionary(data: bytes, start: int) -> bytes:
    """Return the dictionary that opens at or after start, nested ones included."""
    depth, begin = 0, data.index(b"<<", start)
    for bracket in _BRACKETS.finditer(data, begin):
        depth += 1 if bracket.group() == b"<<" else -1
        if depth == 0:
            return data[begin : bracket.end()]
    raise WriteError(Problem("certificates", 0, "expected a whole dictionary in a drawn PDF"))


def head(body: bytes) -> bytes:
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


_LENGTH = re.compile(rb"/Length \d+")


def _clean_cmap(body: bytes) -> bytes:
    """Return a ToUnicode map's stream without the entries to U+0000 (codes reportlab's
    subsets leave unused), compressed again."""
    head_, rest = head(body), body[len(head(body)) :]
    data = rest[rest.index(b"stream") + 6 :].removesuffix(b"endstream")
    data = data[2:] if data.startswith(b"\r\n") else data[1:]  # the EOL after 'stream'
    compressed = b"/FlateDecode" in head_
    text = zlib.decompress(data) if compressed else data
    text = unicode_map_cleaned(text)
    data = zlib.compress(text) if compressed else text
    head_ = _LENGTH.sub(b"/Length %d" % len(data), head_, count=1)
    return b"%s\nstream\n%s\nendstream" % (head_, data)
