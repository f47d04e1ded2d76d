"""Tagged PDF, build half: structure nodes, and the marked content reportlab writes for them.

Every PDF writer draws through this module (see ../shared/TAGGED-PDF.md): each piece of content
is drawn between `/Role <</MCID n>> BDC` and `EMC`, recorded on a structure `Node`, and every
decoration (headers, footers, rules, panels) is drawn as an artifact. `pdf_structure.finish`
then turns the nodes into the PDF's structure tree.

How writers use it: `Tags(lang)`; `tags.root.add(role)` appends an element in reading order;
on a canvas, `with tags.marked(canv, node):` draws content of node (links or fields made
inside become its Link children) and `with tags.artifact(canv, kind, subtype):` draws
decoration; in a story, `Tagged(flowable, node, tags)`, `ArtifactFlowable` and `TableTags`
(a Table's renderCB). `pdf_kit.tagged_two_pass` or `pdf_structure.finish` ends the PDF.
Read back in tests with tests/pdf_tags_read.py; validate with page-validation (profile ua1).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.platypus import Flowable, ListFlowable
from reportlab.platypus.tables import TableRenderCB

# Our roles are all standard structure types: no role map is needed.
ROLES = frozenset(
    [
        "Document",
        "Part",
        "Sect",
        "Div",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "P",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "THead",
        "TBody",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Caption",
        "Link",
        "Form",
        "BlockQuote",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Span",
    ]
)


@dataclasses.dataclass(frozen=True)
class Mark:
    """One marked-content sequence: its page (0-based) and its MCID on that page."""

    page: int
    mcid: int


@dataclasses.dataclass(frozen=True)
class Annot:
    """One annotation (a link or a form field) by its page and its place in the page's list."""

    page: int
    index: int


@dataclasses.dataclass(eq=False)
class Node:
    """A structure element: its role, its children in reading order, and its attributes."""

    role: str
    kids: list[Node | Mark | Annot] = dataclasses.field(default_factory=list)
    alt: str | None = None  # Figures: the alternative text; Links and fields: their description
    lang: str | None = None  # a passage in another language than the document's
    scope: str | None = None  # TH: "Column" or "Row"

    def add(self, role: str, alt: str | None = None, **kw: Any) -> Node:
        """Return a new child node of role, appended to this node's children."""
        if role not in ROLES:
            raise ValueError(f"not a standard structure type: {role}")
        child = Node(role, alt=alt, **kw)
        self.kids.append(child)
        return child


class Tags:
    """The structure tree of one PDF as it is drawn, and the MCIDs used on each page."""

    def __init__(self, lang: str) -> None:
        self.root, self.lang = Node("Document"), lang
        self._next: dict[int, int] = {}
        self._open = False

    @contextmanager
    def marked(self, canv: Any, node: Node) -> Iterator[None]:
        """Draw the body's content as a marked-content sequence of node.

        Links and form fields made inside become Link children of node (a Link or Form node
        takes them itself).
        """
        first = annotation_count(canv)
        node.kids.append(self.begin(canv, node.role))
        try:
            yield
        finally:
            self.end(canv)
        adopt(canv, node, first)

    @contextmanager
    def artifact(self, canv: Any, kind: str = "Layout", subtype: str = "") -> Iterator[None]:
        """Draw the body's content as an artifact (decoration, header, footer, page number)."""
        self.begin_artifact(canv, kind, subtype)
        try:
            yield
        finally:
            self.end(canv)

    def begin(self, canv: Any, role: str) -> Mark:
        """Open a marked-content sequence for role on the current page and return it."""
        page = canv.getPageNumber() - 1
        mark = Mark(page, self._next.get(page, 0))
        self._next[page] = mark.mcid + 1
        self._literal(canv, f"/{role} <</MCID {mark.mcid}>> BDC")
        return mark

    def begin_artifact(self, canv: Any, kind: str = "Layout", subtype: str = "") -> None:
        """Open an artifact sequence (kind Layout or Pagination, subtype Header or Footer)."""
        extra = f" /Subtype /{subtype}" if subtype else ""
        self._literal(canv, f"/Artifact <</Type /{kind}{extra}>> BDC")

    def end(self, canv: Any) -> None:
        """Close the open sequence."""
        canv.addLiteral("EMC")
        self._open = False

    def _literal(self, canv: Any, operator: str) -> None:
        if self._open:
            raise RuntimeError("marked content cannot nest: a tagged flowable inside another")
        self._open = True
        canv.addLiteral(operator)


def annotation_count(canv: Any) -> int:
    """Return how many annotations the canvas's current page has so far."""
    return len(canv._annotationrefs)  # reportlab's list of this page's annotations


def adopt(canv: Any, node: Node, first: int) -> None:
    """Make the annotations made on this page since first (links, fields) children of node:
    Link elements, or node's own when it is a Link or Form."""
    page = canv.getPageNumber() - 1
    for index in range(first, annotation_count(canv)):
        holder = node if node.role in ("Link", "Form") else node.add("Link")
        holder.kids.append(Annot(page, index))


_UNUSED = re.compile(rb"<[0-9A-Fa-f]{2,4}> <0000>\n")
_BFCHAR = re.compile(rb"(\d+) beginbfchar\n(.*?)endbfchar", re.S)


def unicode_map_cleaned(cmap: bytes) -> bytes:
    """Return a ToUnicode map's text without the entries reportlab sends to U+0000 (codes
    its subsets leave unused), which PDF/UA forbids; both finishing halves use it."""
    return _BFCHAR.sub(_recount, cmap)


def _recount(m: re.Match[bytes]) -> bytes:
    entries = _UNUSED.sub(b"", m.group(2))
    return b"%d beginbfchar\n%sendbfchar" % (entries.count(b"\n"), entries)


class Tagged(Flowable):  # type: ignore[misc]
    """A story flowable drawn as marked content of one node, in every part it splits into.

    Attribute reads and writes go to the wrapped flowable, so reportlab sees the flowable
    itself (its styles, spaces and keepWithNext, even when written through __dict__).
    """

    # the proxy's own names; dunder names (but __dict__) are its own too
    _OWN = frozenset({"drawOn", "split", "splitOn", "_wrapped", "_inner", "_node", "_tags"})

    def __init__(self, inner: Flowable, node: Node, tags: Tags) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_node", node)
        object.__setattr__(self, "_tags", tags)

    def __getattribute__(self, name: str) -> Any:
        if name in Tagged._OWN or (name.startswith("__") and name != "__dict__"):
            return object.__getattribute__(self, name)
        return getattr(object.__getattribute__(self, "_inner"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._inner, name)

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        with self._tags.marked(canv, self._node):
            self._inner.drawOn(canv, x, y, _sW)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return self._wrapped(self._inner.split(aw, ah))

    def splitOn(self, canv: Any, aw: float, ah: float) -> list[Flowable]:  # noqa: N802
        return self._wrapped(self._inner.splitOn(canv, aw, ah))

    def _wrapped(self, parts: list[Flowable]) -> list[Flowable]:
        # the parts of a split stay one element, with a marked sequence on each page
        return [Tagged(p, self._node, self._tags) for p in parts]


class ArtifactFlowable(Flowable):  # type: ignore[misc]
    """A story flowable drawn as an artifact (note lines, spacers that paint)."""

    def __init__(self, inner: Flowable, tags: Tags) -> None:
        super().__init__()
        self.inner, self.tags = inner, tags

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        size: tuple[float, float] = self.inner.wrap(aw, ah)
        self.width, self.height = size
        return size

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return [ArtifactFlowable(p, self.tags) for p in self.inner.split(aw, ah)]

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        with self.tags.artifact(canv):
            self.inner.drawOn(canv, x, y, _sW)

    def getSpaceBefore(self) -> float:  # noqa: N802
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.inner.getSpaceAfter())


class TableTags(TableRenderCB):  # type: ignore[misc]
    """Tags a reportlab Table as it draws: backgrounds and rules as artifacts, each cell as
    a TH or TD of its row, and a header row repeated on a later page as a pagination artifact.

    With as_list, the table is a list: rows are LI, the first cell the Lbl, the rest LBody.
    Rows are known by their first cell's flowable, which every split part of a table shares.
    """

    def __init__(
        self, tags: Tags, node: Node, header_rows: frozenset[int], as_list: bool = False
    ) -> None:
        self.tags, self.node, self.heads, self.as_list = tags, node, header_rows, as_list
        self.rows: dict[int, Node] = {}
        self.row: tuple[Node, int] | None = None
        self.cell: tuple[Node, int] | None = None  # the open cell, annotations before it
        self.canv: Any = None

    def startTable(self, table: Any) -> None:  # noqa: N802
        self.canv = table.canv

    def startBG(self, table: Any) -> None:  # noqa: N802
        self.tags.begin_artifact(self.canv)

    def endBG(self, table: Any) -> None:  # noqa: N802
        self.tags.end(self.canv)

    def startLines(self, table: Any) -> None:  # noqa: N802
        self.tags.begin_artifact(self.canv)

    def endLines(self, table: Any) -> None:  # noqa: N802
        self.tags.end(self.canv)

    def startRow(self, table: Any, row: int) -> None:  # noqa: N802
        self.row = None

    def startCell(self, table: Any, row: int, col: int, value: Any, *rest: Any) -> None:  # noqa: N802
        if col == 0:
            self.row = self._row(value)
        if self.row is None:  # a header row repeated on a continuation page
            self.tags.begin_artifact(self.canv, "Pagination")
            return
        node, index = self.row
        role, scope = self._cell(index, col)
        self.cell = node.add(role, scope=scope), annotation_count(self.canv)
        self.cell[0].kids.append(self.tags.begin(self.canv, role))

    def _cell(self, index: int, col: int) -> tuple[str, str | None]:
        if self.as_list:
            return ("Lbl" if col == 0 else "LBody"), None
        head = index in self.heads
        return ("TH", "Column") if head else ("TD", None)

    def _row(self, value: Any) -> tuple[Node, int] | None:
        key = id(value[0] if isinstance(value, list | tuple) and value else value)
        if key in self.rows:
            return None
        self.rows[key] = self.node.add("LI" if self.as_list else "TR")
        return self.rows[key], len(self.rows) - 1

    def endCell(self, table: Any) -> None:  # noqa: N802
        self.tags.end(self.canv)
        if self.cell is not None:  # links in the cell become its Link children
            adopt(self.canv, *self.cell)
            self.cell = None

    def endRow(self, table: Any) -> None:  # noqa: N802
        self.row = None

    def endTable(self, table: Any) -> None:  # noqa: N802
        self.canv = None


def tag_list(made: ListFlowable, node: Node, tags: Tags) -> None:
    """Tag a ListFlowable's items as LI, each bullet as Lbl and each body as LBody."""
    for indenter in made._content:  # reportlab's LIIndenters, one per item
        item = node.add("LI")
        if indenter._bullet is not None:
            indenter._bullet = _Bullet(indenter._bullet, item.add("Lbl"), tags)
        indenter._flowable = Tagged(indenter._flowable, item.add("LBody"), tags)


class _Bullet:
    """A list item's bullet (reportlab's BulletDrawer) drawn as the item's label."""

    def __init__(self, drawer: Any, node: Node, tags: Tags) -> None:
        self.drawer, self.node, self.tags = drawer, node, tags

    def __getattr__(self, name: str) -> Any:
        return getattr(self.drawer, name)

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        with self.tags.marked(canv, self.node):
            self.drawer.drawOn(indenter, canv, x, y, _sW)
