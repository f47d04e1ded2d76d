"""sign-in.pdf: the attendance sheets, a Document from signin.xml.j2 with one sheet per date.

A table of the template that has only a header row is an attendance grid: the writer fills it
with rows to the foot of its last page (the roster's names first, then blank rows for everyone
else), and its header row repeats on every page. A column headed "#" numbers the rows; the
first other column takes the names. Pages are landscape, so a row has room to sign.

Tagged PDF/UA-1: a sheet is one Table over all its pages: the header row TH (Column), each row
a TR of TD cells; the header repeated on a later page, the bands and rules are artifacts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Table as PdfTable

from builder import document as d
from builder.brand import Brand
from builder.writers.forms import (
    CellTags,
    FormLook,
    FormTags,
    build_form,
    columns,
    convert,
    form_look,
    table_style,
)
from builder.writers.handout_text import Text, markup
from builder.writers.pdf_kit import fit

SOURCE = "signin.xml.j2"
ROW = 18.0  # a quarter inch a row, as printed sign-in sheets have
BLANK = 8  # rows left blank after a roster's names, for walk-ins
MIN_ROWS = 4  # fewer rows than this left on a page: the sheet starts on the next one
NAME_PT, NAME_MIN_PT = 9.0, 6.5


def build_signin(document: d.Document, brand: Brand, names: Sequence[str] = ()) -> bytes:
    """Return the PDF bytes of the attendance sheets; names prefill each sheet's rows."""
    look = form_look(brand, document.meta.lang, landscape=True)
    return build_form(
        document.meta, look, lambda look, tagger: _story(document.blocks, look, names, tagger)
    )


def is_sheet(block: d.Block) -> bool:
    """Return whether a block is an attendance grid: a table of header rows only."""
    return isinstance(block, d.Table) and bool(block.rows) and all(r.header for r in block.rows)


def rows_for(first: int, per_page: int, needed: int) -> int:
    """Return how many rows a sheet has: at least needed, ending at the foot of a page, when
    first rows fit on its first page and per_page on each later one."""
    if needed <= first:
        return first
    return first + math.ceil((needed - first) / per_page) * per_page


def _story(
    blocks: Sequence[d.Block], look: FormLook, names: Sequence[str], tagger: FormTags
) -> list[Flowable]:
    story: list[Flowable] = []
    for number, block in enumerate(blocks, start=1):
        if is_sheet(block):
            assert isinstance(block, d.Table)
            story.append(Sheet(block, look, names, tagger))
        else:
            story.append(convert(block, look, tagger, SOURCE, f"s{number}"))
    return story


class Sheet(Flowable):  # type: ignore[misc]
    """An attendance grid that grows to fill the page it starts on, or the pages it needs."""

    def __init__(
        self, block: d.Table, look: FormLook, names: Sequence[str], tagger: FormTags
    ) -> None:
        super().__init__()
        self.look, self.names = look, list(names)
        self.widths = columns(block, look.width, SOURCE)
        self.head = [
            [Text(markup(c), look.styles["cell_head"]) for c in row.cells] for row in block.rows
        ]
        self.numbered = bool(block.rows[0].cells) and d.plain(block.rows[0].cells[0]) == "#"
        self.number = ParagraphStyle("number", parent=look.styles["cell"], alignment=TA_RIGHT)
        self.grid: PdfTable | None = None
        heads = frozenset(range(len(self.head)))
        self.tags = CellTags(tagger.tags, tagger.root.add("Table"), heads)  # every part's

    def _head_height(self, aw: float, ah: float) -> float:
        head = PdfTable(self.head, self.widths)
        head.setStyle(table_style(self.look, len(self.head)))
        return float(head.wrap(aw, ah)[1])

    def _capacity(self, aw: float, ah: float) -> int:
        """Return how many rows fit under the header in ah, as reportlab's split decides."""
        parts = self._grid(math.ceil(ah / ROW) + 1).split(aw, ah)
        if len(parts) < 2:
            return 0
        height = float(parts[0].wrap(aw, ah)[1])
        return round((height - self._head_height(aw, ah)) / ROW)

    def _table(self, aw: float, ah: float) -> PdfTable:
        """Return the grid with rows to the foot of the page it ends on."""
        first, per_page = self._capacity(aw, ah), self._capacity(aw, self.look.height)
        if first < MIN_ROWS:
            first = per_page  # it will start on the next page (split refuses this one)
        return self._grid(rows_for(first, per_page, len(self.names) + BLANK if self.names else 0))

    def _grid(self, count: int) -> PdfTable:
        """Return the header rows over count rows, the header repeating on every page."""
        body = [self._row(i) for i in range(count)]
        heads = len(self.head)
        grid = PdfTable(
            [*self.head, *body], self.widths, [None] * heads + [ROW] * count, repeatRows=heads
        )
        p = self.look.palette
        bands = ("ROWBACKGROUNDS", (0, heads), (-1, -1), [p["white"], p["light"]])
        lines = ("INNERGRID", (0, 0), (-1, -1), 0.5, p["rule"])
        grid.setStyle([*table_style(self.look, heads), bands, lines,
                       ("BOX", (0, 0), (-1, -1), 0.75, p["muted"])])  # fmt: skip
        grid._renderCB = self.tags
        return grid

    def _row(self, index: int) -> list[Any]:
        """Return row index: its number, its roster name if any, blank cells to fill in."""
        cells: list[Any] = [""] * len(self.widths)
        cells[0] = Text("", self.number)  # each row's own first cell: tagging tells rows apart
        at = 1 if self.numbered else 0
        if self.numbered:
            cells[0] = Text(str(index + 1), self.number)
        if index < len(self.names) and at < len(cells):
            cells[at] = self._name(self.names[index], self.widths[at] - 10)
        return cells

    def _name(self, name: str, width: float) -> Text:
        """Return a roster name on one line: smaller type when long, cut only past 6.5 pt."""
        face = self.look.styles["cell"].fontName
        size = max(
            NAME_MIN_PT, min(NAME_PT, NAME_PT * width / max(stringWidth(name, face, NAME_PT), 1))
        )
        style = ParagraphStyle(
            "name", parent=self.look.styles["cell"], fontSize=size, leading=size * 1.2
        )
        return Text(markup((d.Run(fit(name, face, size, width)),)), style)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.grid = self._table(aw, ah)
        width, height = self.grid.wrap(aw, ah)
        return float(width), float(height)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if self._capacity(aw, ah) < MIN_ROWS:
            return []
        self.grid = self._table(aw, ah)
        return list(self.grid.split(aw, ah))

    def draw(self) -> None:
        assert self.grid is not None
        self.grid.drawOn(self.canv, 0, 0)
