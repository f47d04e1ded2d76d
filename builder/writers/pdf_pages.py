"""Copy pages of our own reportlab PDFs into new files: one page alone, or many files joined.

Certificates are drawn a hundred to a PDF (a part); each attendee's file is one page copied
out of its part with what that page uses, and the merged PDF is every part copied one after
another, one part in memory at a time. The parts are reportlab's output, so the reading here
is that of reportlab's plain layout (one xref table, direct stream lengths, no object streams),
not of any PDF.

The files written are tagged PDF/UA-1. Every page of a part has the same structure (the
drawing put the same MCIDs on each): `with_structure` notes it after the part's end as a tree
of `pdf_tags` nodes, and the writer gives each page it copies its own copy of that tree (a
child of the one Document element), a parent tree entry, /StructParents and /Tabs; the catalog
gets the StructTreeRoot, MarkInfo and XMP metadata (dc:title, pdfuaid:part 1). ToUnicode maps lose the entries reportlab sends to
U+0000, which PDF/UA forbids. Written as bytes, with no PDF library: 10,000 pages take a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import re
import struct
import zlib
from array import array
from typing import IO, Any, TypeGuard
from xml.sax.saxutils import escape

from builder.document import Meta
from builder.errors import Problem, WriteError
from builder.writers.pdf_tags import Annot, Mark, Node

_REF = re.compile(rb"(\d+) 0 R\b")
_CMAP = re.compile(rb"/ToUnicode (\d+) 0 R")
_STREAM = re.compile(rb">>\s*stream\r?\n")
# the numbers our files give these; copies start at 8
_CATALOG, _TREE, _INFO, _STRUCT, _PARENTS, _XMP, _DOCUMENT = 1, 2, 3, 4, 5, 6, 7
_NOTE = b"%workshop-structure "  # after a part's end: the structure of its every page


class Part:
    """A reportlab PDF read for copying: its objects by number and its pages in order."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf, self.offsets = pdf, _xref(pdf)
        self._bodies: dict[int, bytes] = {}
        self._reached: dict[int, frozenset[int]] = {}
        self.cmaps = {int(n) for n in _CMAP.findall(pdf)}  # ToUnicode maps, cleaned as read
        trailer = pdf[pdf.rindex(b"trailer") :]
        root = _number(trailer, b"/Root")
        catalog = self.body(root)
        self.tree = _number(catalog, b"/Pages")
        outlines = _number(catalog, b"/Outlines", required=False)
        self.skipped = {root, _number(trailer, b"/Info"), self.tree, outlines}
        self.pages = [int(k) for k in _REF.findall(self.body(self.tree))]
        self.template = Template(_read_note(pdf))

    def body(self, number: int) -> bytes:
        """Return what lies between 'N 0 obj' and 'endobj' (a stream with its data); a
        ToUnicode map without its entries for U+0000."""
        if number not in self._bodies:
            body = _object(self.pdf, self.offsets[number])
            self._bodies[number] = _clean_cmap(body) if number in self.cmaps else body
        return self._bodies[number]

    def objects(self) -> list[int]:
        """Return the numbers of every object but the catalog, page tree, outlines and info."""
        return sorted(n for n in self.offsets if n not in self.skipped)

    def used_by(self, page: int) -> list[int]:
        """Return the numbers of the objects the page-th page needs, itself included."""
        number = self.pages[page]
        seen = {number}
        for ref in _REF.findall(_head(self.body(number))):
            seen |= self._reach(int(ref))
        return sorted(seen)

    def _reach(self, start: int) -> frozenset[int]:
        """Return the objects start leads to, itself included; what every page uses (fonts,
        forms, images) is followed once per part."""
        if start not in self._reached:
            seen: set[int] = set()
            todo = [start]
            while todo:
                number = todo.pop()
                if number in seen or number in self.skipped:  # /Parent leads to the tree
                    continue
                seen.add(number)
                todo += [int(n) for n in _REF.findall(_head(self.body(number)))]
            self._reached[start] = frozenset(seen)
        return self._reached[start]


class Writer:
    """Writes a tagged PDF of copied pages, renumbered, each with its structure; then its
    catalog, page tree, structure tree, properties and cross-reference stream.

    A page's structure elements (some 40) go into one compressed object stream: written
    plainly they made a merged PDF eight times the size of the untagged one.
    """

    def __init__(self, out: IO[bytes]) -> None:
        # where each object is, as machine integers (a merged PDF has 45 objects a page): its
        # offset, or -1 - (its object stream's number << 16 | its index there) (_packed)
        self.out, self.offsets, self.pages = out, array("q", [0] * 8), array("q")
        self.sects, self.parents = array("q"), list[bytes]()  # per page, in order
        self.digest = hashlib.md5(usedforsecurity=False)
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

    def copy(self, part: Part, numbers: list[int]) -> None:
        """Copy the objects numbers of part; its pages among them become pages here, each
        with the part's page structure."""
        first = len(self.offsets)
        renumbered = {old: first + i for i, old in enumerate(numbers)} | {part.tree: _TREE}
        wanted = set(numbers)
        pages = [p for p in part.pages if p in wanted]
        keys = {page: len(self.pages) + i for i, page in enumerate(pages)}  # /StructParents
        for old in numbers:
            body = part.body(old)
            head = _REF.sub(lambda m: b"%d 0 R" % renumbered[int(m.group(1))], _head(body))
            if old in keys:
                head = head.rstrip()[:-2] + b" /StructParents %d /Tabs /S >>" % keys[old]
            self._object(renumbered[old], head + body[len(_head(body)) :])
        for page in pages:
            self.pages.append(renumbered[page])
            self._structure(part.template, renumbered[page])

    def _structure(self, template: Template, page: int) -> None:
        """Write the page's structure elements in an object stream; note its Sect and its
        parent tree entry."""
        stream = len(self.offsets)
        base = stream + 1
        bodies = template.elements(base, page)
        index = template.index(bodies) % tuple(range(base, base + template.count))
        data = zlib.compress(index + bodies, 1)  # fast: repetitive text
        head = b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
        self._object(stream, head % (template.count, len(index), len(data)) + _stream(data))
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
        pack = zlib.compressobj(1)
        data = [pack.compress(_ROW.pack(0, 0, 65535))]
        for at in range(1, len(self.offsets), 4096):  # in slices: the rows are 7 bytes each
            data.append(
                pack.compress(b"".join(_ROW.pack(*_entry(o)) for o in self.offsets[at : at + 4096]))
            )
        data.append(pack.flush())
        head = (
            b"<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root 1 0 R /Info 3 0 R /ID [<%s><%s>] "
            b"/Filter /FlateDecode /Length %d >>"
            % (len(self.offsets), ident, ident, sum(map(len, data)))
        )
        rows = _stream(b"".join(data))
        self.out.write(b"%d 0 obj\n%s%s\nendobj\n" % (len(self.offsets) - 1, head, rows))
        self.out.write(b"startxref\n%d\n%%%%EOF\n" % start)


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

    def _flatten(self, node: Node, parent: int) -> None:
        self.nodes.append((node, parent))
        at = len(self.nodes) - 1
        for kid in node.kids:
            if isinstance(kid, Node):
                self._flatten(kid, at)

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


def with_structure(pdf: bytes, page: Node) -> bytes:
    """Return a drawn part with the structure its every page shares (the MCIDs of page 0)
    noted after its end, where Part reads it back."""
    return pdf + _NOTE + json.dumps(_plain(page)).encode().hex().encode("ascii") + b"\n"


def _plain(node: Node) -> dict[str, Any]:
    kids = [_plain(k) if isinstance(k, Node) else k.mcid for k in node.kids if _drawn(k)]
    return {"role": node.role, "alt": node.alt, "scope": node.scope, "kids": kids}


def _drawn(kid: object) -> TypeGuard[Node | Mark]:
    return isinstance(kid, Node | Mark)  # certificates have no annotations


def _read_note(pdf: bytes) -> Node:
    """Return the page structure noted after a part's end."""
    at = pdf.rfind(_NOTE)
    if at < 0:
        raise WriteError(Problem("certificates", 0, "expected a page structure in a drawn PDF"))
    return _node(json.loads(bytes.fromhex(pdf[at + len(_NOTE) :].strip().decode("ascii"))))


def _node(plain: dict[str, Any]) -> Node:
    kids: list[Node | Mark | Annot] = [
        _node(k) if isinstance(k, dict) else Mark(0, k) for k in plain["kids"]
    ]
    return Node(plain["role"], kids, plain["alt"], scope=plain["scope"])


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


_UNUSED = re.compile(rb"<[0-9A-Fa-f]{2,4}> <0000>\n")
_CHARS = re.compile(rb"(\d+) beginbfchar\n(.*?)endbfchar", re.S)
_LENGTH = re.compile(rb"/Length \d+")


def _clean_cmap(body: bytes) -> bytes:
    """Return a ToUnicode map's stream without the entries to U+0000 (codes reportlab's
    subsets leave unused), compressed again."""
    head, rest = _head(body), body[len(_head(body)) :]
    data = rest[rest.index(b"stream") + 6 :].removesuffix(b"endstream")
    data = data[2:] if data.startswith(b"\r\n") else data[1:]  # the EOL after 'stream'
    compressed = b"/FlateDecode" in head
    text = zlib.decompress(data) if compressed else data
    text = _CHARS.sub(_recount, text)
    data = zlib.compress(text) if compressed else text
    head = _LENGTH.sub(b"/Length %d" % len(data), head, count=1)
    return b"%s\nstream\n%s\nendstream" % (head, data)


def _recount(m: re.Match[bytes]) -> bytes:
    entries = _UNUSED.sub(b"", m.group(2))
    return b"%d beginbfchar\n%sendbfchar" % (entries.count(b"\n"), entries)
