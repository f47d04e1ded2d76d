"""Write tagged PDFs of certificate pages copied out of drawn parts (`pdf_part`): one page
alone, or every page of many parts joined, one part in memory at a time.

Every page has the same structure (the drawing put the same MCIDs on each): the writer gives
each page it writes its own copy of that tree (a child of the one Document element), a parent
tree entry, /StructParents and /Tabs; the catalog gets the StructTreeRoot, MarkInfo and XMP
metadata (dc:title, pdfuaid:part 1). A page's /Contents is the part's template stream (the
program's text, MCIDs 0..k-1, and the decoration, drawn once a part) then its own (MCIDs k..).
Written as bytes, with no PDF library: 10,000 pages take a second.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import os
import re
import struct
import zlib
from array import array
from collections.abc import Iterable
from typing import IO
from xml.sax.saxutils import escape

from builder.document import Meta
from builder.writers.pdf_part import REF, Part, head
from builder.writers.pdf_tags import Mark, Node

# the numbers our files give these; copies start at 8
_CATALOG, _TREE, _INFO, _STRUCT, _PARENTS, _XMP, _DOCUMENT = 1, 2, 3, 4, 5, 6, 7
_RESOURCES = -1  # in Writer.copied: the number of the template's resources


class Writer:
    """Writes a tagged PDF of copied pages, renumbered, each with its structure; then its
    catalog, page tree, structure tree, properties and cross-reference stream.

    A page's structure elements (some 40) go into one compressed object stream: written
    plainly they made a merged PDF eight times the size of the untagged one.
    """

    def __init__(self, out: IO[bytes], header: bool = True) -> None:
        # where each object is, as machine integers (a merged PDF has 45 objects a page): its
        # offset, or -1 - (its object stream's number << 16 | its index there) (_packed)
        self.out, self.offsets, self.pages = out, array("q", [0] * 8), array("q")
        self.sects, self.parents = array("q"), list[bytes]()  # per page, in order
        self.digest = hashlib.md5(usedforsecurity=False)
        self.part: Part | None = None  # the part being copied, and its objects' numbers here
        self.copied: dict[int, int] = {}
        self.template = Template(Node("Sect"))
        # the xref rows of the objects after the Document up to a number, packed already
        self.packed = (_DOCUMENT + 1, b"")
        if header:
            self._write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")  # 1.5: object and xref streams

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)

    def _object(self, number: int, body: bytes) -> None:
        if number < len(self.offsets):
            self.offsets[number] = self.out.tell()
        else:
            self.offsets.append(self.out.tell())
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def fork(self, out: IO[bytes]) -> Writer:
        """Return a writer to out that starts where this one (writing to memory) is: what it
        wrote is written to out, its numbers and digest carried on."""
        assert isinstance(self.out, io.BytesIO), "only a writer to memory can be forked"
        twin = Writer(out, header=False)
        out.write(self.out.getvalue())  # digested already
        twin.offsets, twin.digest = array("q", self.offsets), self.digest.copy()
        if self.packed[0] < len(self.offsets):  # the rows of what is written, packed once
            self.packed = (len(self.offsets), self._rows(_DOCUMENT + 1, len(self.offsets)))
        twin.packed = self.packed
        twin.part, twin.copied, twin.template = self.part, dict(self.copied), self.template
        return twin

    def copy(self, part: Part, numbers: list[int]) -> None:
        """Copy the objects numbers of part (but those copied already), and the template's
        resources once, which every page of the part uses."""
        if part is not self.part:
            self.part, self.copied = part, {part.tree: _TREE}
            self.template = Template(part.structure)
        fresh = [n for n in numbers if n not in self.copied]
        resources = _RESOURCES not in self.copied  # written once a part, first
        first = len(self.offsets) + resources
        self.copied.update({old: first + i for i, old in enumerate(fresh)})
        if resources:
            self.copied[_RESOURCES] = first - 1
            self._object(first - 1, REF.sub(self._renumbered, part.resources))
        for old in fresh:
            self._object(self.copied[old], self._renumber(part.body(old)))

    def _renumber(self, body: bytes) -> bytes:
        """Return an object copied: the references of its dictionary renumbered."""
        dictionary = head(body)
        return REF.sub(self._renumbered, dictionary) + body[len(dictionary) :]

    def _renumbered(self, ref: re.Match[bytes]) -> bytes:
        return b"%d 0 R" % self.copied[int(ref.group(1))]

    def add_pages(self, part: Part, pages: Iterable[int]) -> None:
        """Write the pages of part (whose common objects are copied) at these indexes: each
        its own content stream after the template's, the template's resources, its
        structure."""
        for index in pages:
            own = part.streams[index]
            contents = len(self.offsets)
            self._object(
                contents, b"<< /Filter /FlateDecode /Length %d >>%s" % (len(own), _stream(own))
            )
            self._object(contents + 1, self._page(part, contents, len(self.pages)))
            self.pages.append(contents + 1)
            self._structure(contents + 1)

    def _page(self, part: Part, contents: int, key: int) -> bytes:
        """Return a page: the template's content stream and then its own, the template's
        resources, its key in the parent tree."""
        new = self.copied
        return (
            b"<< /Type /Page /Parent 2 0 R %s /Resources %d 0 R /Contents [ %d 0 R %d 0 R ] "
            b"/StructParents %d /Tabs /S >>"
            % (part.box, new[_RESOURCES], new[part.shared], contents, key)
        )

    def _structure(self, page: int) -> None:
        """Write the page's structure elements in an object stream; note its Sect and its
        parent tree entry."""
        stream, template = len(self.offsets), self.template
        base = stream + 1
        self._object(stream, template.stream(base, page))
        packed = -1 - (stream << 16)  # see __init__: in object stream `stream`, at index i
        self.offsets.extend(range(packed, packed - template.count, -1))
        self.sects.append(base)
        self.parents.append(template.parents(base))

    def finish(self, meta: Meta) -> None:
        """Write the catalog, the page tree, the structure tree, the properties, the XMP
        metadata and the cross-reference stream."""
        kids = b" ".join(b"%d 0 R" % p for p in self.pages)
        catalog = (
            b"<< /Type /Catalog /Pages 2 0 R /Lang %s /MarkInfo << /Marked true >> "
            b"/StructTreeRoot %d 0 R /Metadata %d 0 R "
            b"/ViewerPreferences << /DisplayDocTitle true >> >>"
            % (_string(meta.lang), _STRUCT, _XMP)
        )
        tree = b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.pages), kids)
        sects = b" ".join(b"%d 0 R" % s for s in self.sects)
        root = b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>"
        document = b"<< /Type /StructElem /S /Document /P %d 0 R /K [ %s ] >>"
        nums = b" ".join(b"%d %s" % pair for pair in enumerate(self.parents))
        xmp = _xmp(meta)
        for number, body in (
            (_CATALOG, catalog),
            (_TREE, tree),
            (_INFO, _info(meta)),
            (_STRUCT, root % (_DOCUMENT, _PARENTS, len(self.pages))),
            (_DOCUMENT, document % (_STRUCT, sects)),
            (_PARENTS, b"<< /Nums [ %s ] >>" % nums),
            (_XMP, b"<< /Type /Metadata /Subtype /XML /Length %d >>%s" % (len(xmp), _stream(xmp))),
        ):  # fmt: skip
            self._object(number, body)
        self._xref()

    def _xref(self) -> None:
        """Write the cross-reference stream (it holds the trailer's keys) and the end."""
        start, ident = self.out.tell(), self.digest.hexdigest().encode("ascii")
        self.offsets.append(start)  # the xref stream is an object too
        pack, (end, packed) = zlib.compressobj(1), self.packed
        data = [pack.compress(_ROW.pack(0, 0, 65535) + self._rows(1, _DOCUMENT + 1) + packed)]
        for at in range(end, len(self.offsets), 4096):  # in slices: the rows are 7 bytes each
            data.append(pack.compress(self._rows(at, at + 4096)))
        data.append(pack.flush())
        head = (
            b"<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root 1 0 R /Info 3 0 R /ID [<%s><%s>] "
            b"/Filter /FlateDecode /Length %d >>"
            % (len(self.offsets), ident, ident, sum(map(len, data)))
        )
        rows = _stream(b"".join(data))
        self.out.write(b"%d 0 obj\n%s%s\nendobj\n" % (len(self.offsets) - 1, head, rows))
        self.out.write(b"startxref\n%d\n%%%%EOF\n" % start)

    def _rows(self, start: int, end: int) -> bytes:
        """Return the xref stream rows of objects start to end (excluded)."""
        return b"".join(_ROW.pack(*_entry(o)) for o in self.offsets[start:end])


_ROW = struct.Struct(">BIH")  # an xref stream's row: type, offset or stream, 0 or index


def _entry(where: int) -> tuple[int, int, int]:
    """Return an object's xref stream row: (1, offset, 0) or (2, object stream, index)."""
    if where >= 0:
        return 1, where, 0
    return 2, (-1 - where) >> 16, (-1 - where) & 0xFFFF


def _stream(data: bytes) -> bytes:
    return b"\nstream\n%s\nendstream" % data


class Template:
    """The structure of a page as PDF objects to fill in: its element dictionaries, one a
    line, with holes for the numbers of each one's parent, its page and its child elements."""

    PAGE, DOCUMENT = -1, -2  # holes filled with the page's number, the Document's

    def __init__(self, root: Node) -> None:
        self.nodes: list[tuple[Node, int]] = []  # (node, its parent's index; -2: the root)
        self._flatten(root, self.DOCUMENT)
        index = {id(node): i for i, (node, _) in enumerate(self.nodes)}
        forms = [_element_form(node, index) for node, _ in self.nodes]
        self.form = b"\n".join(form for form, _ in forms)
        self.holes = [h for (_, parent), (_, kids) in zip(self.nodes, forms, strict=True)
                      for h in (parent, self.PAGE, *kids)]  # fmt: skip
        owners = {k.mcid: i for i, (node, _) in enumerate(self.nodes) for k in node.kids
                  if isinstance(k, Mark)}  # fmt: skip
        self.owners = [owners[mcid] for mcid in sorted(owners)]
        self.parent_form = b"[ %s ]" % b" ".join(b"%d 0 R" for _ in self.owners)
        self.count, self._indexes = len(self.nodes), dict[tuple[int, ...], bytes]()
        self._streams: dict[tuple[int, int], bytes] = {}  # the last page's

    def _flatten(self, node: Node, parent: int) -> None:
        self.nodes.append((node, parent))
        at = len(self.nodes) - 1
        for kid in node.kids:
            if isinstance(kid, Node):
                self._flatten(kid, at)

    def stream(self, base: int, page: int) -> bytes:
        """Return the object stream of a page's elements numbered from base (each page's own
        file of a part has the same numbers: made once)."""
        if (base, page) not in self._streams:
            bodies = self.elements(base, page)
            index = self.index(bodies) % tuple(range(base, base + self.count))
            data = zlib.compress(index + bodies, 1)  # fast: repetitive text
            head_ = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
            self._streams = {
                (base, page): head_ % (self.count, len(index), len(data)) + _stream(data)
            }
        return self._streams[(base, page)]

    def elements(self, base: int, page: int) -> bytes:
        """Return the element dictionaries of a page's copy numbered from base, one a line."""
        fill = {self.PAGE: page, self.DOCUMENT: _DOCUMENT}
        return bytes(self.form % tuple(base + h if h >= 0 else fill[h] for h in self.holes))

    def index(self, bodies: bytes) -> bytes:
        """Return the object stream's index for elements bodies (one a line), its numbers
        as holes: pages whose numbers have as many digits share it."""
        lengths = tuple(map(len, bodies.split(b"\n")))
        if lengths not in self._indexes:
            starts = [0, *itertools.accumulate(n + 1 for n in lengths)][:-1]
            self._indexes[lengths] = b" ".join(b"%%d %d" % at for at in starts) + b"\n"
        return self._indexes[lengths]

    def parents(self, base: int) -> bytes:
        """Return the page's parent tree entry: the element of each MCID, in order."""
        return bytes(self.parent_form % tuple(base + owner for owner in self.owners))


def _element_form(node: Node, index: dict[int, int]) -> tuple[bytes, list[int]]:
    """Return a structure element as a dictionary with %d holes (its parent, its page, then
    each kid's element or page) and what fills the kids' holes: an element's index, or -1
    for the page."""
    kids, holes = [], []
    for kid in node.kids:
        if isinstance(kid, Node):
            kids.append(b"%d 0 R")
            holes.append(index[id(kid)])
        elif isinstance(kid, Mark):
            kids.append(b"<< /Type /MCR /Pg %%d 0 R /MCID %d >>" % kid.mcid)
            holes.append(-1)
    extra = b" /Alt %s" % _string(node.alt) if node.alt is not None else b""
    if node.scope:
        extra += b" /A << /O /Table /Scope /%s >>" % node.scope.encode("ascii")
    form = b"<< /Type /StructElem /S /%s /P %%d 0 R /Pg %%d 0 R%s /K [ %s ] >>" % (
        node.role.encode("ascii"),
        extra,
        b" ".join(kids),
    )
    return form, holes


def page_alone(part: Part, page: int, meta: Meta, out: IO[bytes]) -> None:
    """Write the page-th page of part as a PDF of its own, with meta as its properties: what
    every page needs is written once per part (`_common`), and copied."""
    writer = _common(part).fork(out)
    writer.add_pages(part, [page])
    writer.finish(meta)


@functools.lru_cache(maxsize=1)
def _common(part: Part) -> Writer:
    """Return a writer to memory that has written what every page of part needs."""
    writer = Writer(io.BytesIO())
    writer.copy(part, part.common())
    return writer


def join(parts: Iterable[bytes], target: IO[bytes], meta: Meta) -> None:
    """Write the pages of parts one after another as one PDF, one part in memory at a time."""
    writer = Writer(target)
    for data in parts:
        part = Part(data)
        writer.copy(part, part.objects())
        writer.add_pages(part, range(len(part.streams)))
    writer.finish(meta)


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


def _when() -> dt.datetime:
    """Return SOURCE_DATE_EPOCH (else now), in UTC."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.now(dt.timezone.utc)
    return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc) if raw.isdigit() else now


def _pdf_date() -> bytes:
    """Return SOURCE_DATE_EPOCH (else now) as a PDF date, in UTC."""
    return b"(D:%s+00'00')" % _when().strftime("%Y%m%d%H%M%S").encode("ascii")


def _xmp(meta: Meta) -> bytes:
    """Return the XMP metadata: title, language, author, subject, PDF/UA-1, tool and dates."""
    when, e = _when().strftime("%Y-%m-%dT%H:%M:%S+00:00"), escape
    alt = '<rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt>'
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<dc:title>{alt.format(e(meta.title))}</dc:title>"
        f"<dc:language><rdf:Bag><rdf:li>{e(meta.lang)}</rdf:li></rdf:Bag></dc:language>"
        f"<dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:description>{alt.format(e(meta.subject))}</dc:description>"
        "<pdfuaid:part>1</pdfuaid:part><xmp:CreatorTool>workshop</xmp:CreatorTool>"
        f"<xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate>"
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()
