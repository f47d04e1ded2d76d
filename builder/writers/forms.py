"""The page kit of the printed forms (evaluation.pdf, sign-in.pdf): their type, the blocks every
form shares (headings, paragraphs, lists, tables, page breaks) and a doc template whose running
header names the sheet a page belongs to.

The evaluation and sign-in writers convert their own blocks (rating rows, answer fields, the
attendance grid) and hand the rest to `convert`. Both are tagged PDF/UA-1 (TAGGED-PDF.md):
`FormTags` puts each block's element in reading order (headings H1 to H3 without gaps, P, L,
Table), `CellTags` tags a table's cells as it draws them, a field inside a `Form` element of
its own; headers, footers, page numbers and answer lines are artifacts.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    ListFlowable,
    PageTemplate,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Table as PdfTable

from builder import document as d
from builder.brand import Brand
from builder.errors import Problem, WriteError
from builder.i18n import words_for
from builder.images import logo_png
from builder.writable import column_count, form_message, table_message
from builder.writers.form_fields import FormField
from builder.writers.handout_flowables import NoteLines
from builder.writers.handout_look import Look, hyphenation
from builder.writers.handout_text import Text, markup
from builder.writers.pdf_kit import (
    BOTTOM,
    SIDE,
    Decor,
    TypeTable,
    image,
    palette,
    paper,
    register,
    styles,
    tagged_two_pass,
)
from builder.writers.pdf_tags import (
    ArtifactFlowable,
    Node,
    TableTags,
    Tagged,
    Tags,
    tag_list,
)

BODY_PT = 9.5

# name: (family, face, size, leading, color, space before, space after)
# Nothing under 9 pt, as in the handout (README, Accessibility).
_TYPE: TypeTable = {
    "body": ("body", "regular", BODY_PT, 13.5, "foreground", 0, 6),
    "item": ("body", "regular", BODY_PT, 13.5, "foreground", 0, 2),
    "lead": ("head", "bold", 12.5, 16, "foreground", 0, 8),
    "meta": ("body", "regular", BODY_PT, 13, "foreground", 0, 2),
    "small": ("body", "regular", 9, 12, "foreground", 0, 5),
    "cite": ("body", "italic", 9, 12, "muted", 0, 5),
    "reference": ("body", "regular", 9, 12, "foreground", 0, 4),
    "statement": ("body", "regular", 9, 11.5, "muted", 4, 4),
    "presenter": ("body", "regular", BODY_PT, 13, "foreground", 0, 2),
    "h1": ("head", "bold", 17, 21, "primary", 0, 6),
    "h2": ("head", "bold", 12.5, 16, "primary", 12, 5),
    "h3": ("head", "bold", 10.5, 14, "secondary", 8, 3),
    "cell": ("body", "regular", 9, 12, "foreground", 0, 0),
    "cell_head": ("body", "bold", 9, 11, "white", 0, 0),
    "label": ("body", "bold", BODY_PT, 13, "foreground", 4, 3),
}


# A form's look is the handout's (fonts, colours, styles, page, words), without slides.
FormLook = Look


def form_look(brand: Brand, language: str, landscape: bool = False) -> FormLook:
    """Return the look of a form in brand's printed colours, portrait or landscape."""
    faces = {"body": register(brand.body_font), "head": register(brand.heading_font)}
    colours = palette(brand)
    # Narrow columns ("Bundesland") break at hyphenation points in the outline's language.
    keep = {name: {"keepWithNext": 1} for name in ("h1", "h2", "h3", "label")}
    made = styles(_TYPE, faces, colours, hyphenation(language), keep)
    width, height = paper(brand)
    page = (height, width) if landscape else (width, height)
    return FormLook(brand, faces["body"], colours, made, page, words_for(language))


class Heading(Text):
    """A heading that marks its outline destination; level 1 names the sheet in the header."""

    def __init__(self, block: d.Heading, style: ParagraphStyle, key: str) -> None:
        super().__init__(markup(block.runs), style)
        self.entry = (key, d.plain(block.runs), min(max(block.level, 1), 3) - 1)

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.entry[0], 0, self.height)
        super().draw()


class FormTags:
    """A form's structure as its story is made: each block's element next in reading order."""

    def __init__(self, tags: Tags) -> None:
        self.tags, self.root, self.level = tags, tags.root, 0

    def tag(self, role: str, flowable: Flowable) -> Flowable:
        """Return flowable drawn as a new element of role."""
        return Tagged(flowable, self.root.add(role), self.tags)

    def heading(self, level: int) -> str:
        """Return the role of a heading of level: levels never skip one (H1, then H2)."""
        self.level = min(max(level, 1), self.level + 1, 3)
        return f"H{self.level}"

    def table(self, grid: PdfTable, heads: int, row_heads: bool = False) -> PdfTable:
        """Return grid tagged as a Table whose first heads rows are its header."""
        node = self.root.add("Table")
        grid._renderCB = CellTags(self.tags, node, frozenset(range(heads)), row_heads)
        return grid

    def layout(self, grid: PdfTable) -> PdfTable:
        """Return a table used for layout only: each cell a P or a Form, in a Div."""
        grid._renderCB = CellTags(self.tags, self.root.add("Div"), frozenset(), layout=True)
        return grid

    def artifact(self, flowable: Flowable) -> Flowable:
        """Return flowable drawn as an artifact (answer lines)."""
        return ArtifactFlowable(flowable, self.tags)


class CellTags(TableTags):
    """Tags a form's table as it draws: TableTags, and a field's cell holds a Form element
    that takes its widget; with row_heads, a body row's first cell is its header (TH, Row).
    A layout table is no table: its text cells are P and its fields Form elements."""

    def __init__(
        self,
        tags: Tags,
        node: Node,
        header_rows: frozenset[int],
        row_heads: bool = False,
        layout: bool = False,
    ) -> None:
        super().__init__(tags, node, header_rows)
        self.row_heads, self.layout, self.open = row_heads, layout, False

    def startCell(self, table: Any, row: int, col: int, value: Any, *rest: Any) -> None:  # noqa: N802
        field = _field(value)
        if self.layout:
            self._layout_cell(value, field)
        elif field is None:
            super().startCell(table, row, col, value, *rest)
            self.open = True
        else:
            if col == 0:
                self.row = self._row(value)
            assert self.row is not None, "a field in a repeated header row"
            field.form = self.row[0].add("TD").add("Form", alt=field.name)

    def _layout_cell(self, value: Any, field: FormField | None) -> None:
        if field is not None:
            field.form = self.node.add("Form", alt=field.name)
            return
        self.cell = self.node.add("P"), len(self.canv._annotationrefs)  # its links become its Links
        self.cell[0].kids.append(self.tags.begin(self.canv, "P"))
        self.open = True

    def _cell(self, index: int, col: int) -> tuple[str, str | None]:
        if self.row_heads and col == 0 and index not in self.heads:
            return "TH", "Row"
        role: tuple[str, str | None] = super()._cell(index, col)
        return role

    def endCell(self, table: Any) -> None:  # noqa: N802
        if self.open:
            super().endCell(table)
        self.open = False


def _field(value: Any) -> FormField | None:
    """Return the field a cell holds (reportlab hands a cell's flowables over as a tuple)."""
    cell = value if isinstance(value, list | tuple) else [value]
    return next((f for f in cell if isinstance(f, FormField)), None)


def convert(
    block: d.Block, look: FormLook, tagger: FormTags, source: str, key: str = ""
) -> Flowable:
    """Return the tagged flowable of a block every form shows alike; key names a heading's
    bookmark."""
    s = look.styles
    if isinstance(block, d.Heading):
        role = tagger.heading(block.level)
        return tagger.tag(role, Heading(block, s[f"h{min(max(block.level, 1), 3)}"], key))
    if isinstance(block, d.Paragraph):
        return tagger.tag("P", Text(markup(block.runs), s.get(block.style, s["body"])))
    if isinstance(block, d.ListBlock):
        return _list(block, look, tagger)
    if isinstance(block, d.Table):
        return tagger.table(table(block, look, source), header_count(block), row_heads=True)
    if isinstance(block, d.NoteLines):
        return tagger.artifact(NoteLines(block.count, look.palette["rule"]))
    if isinstance(block, d.PageBreak):
        return PdfPageBreak()
    message = form_message(block) or "expected a block a form can show"
    raise WriteError(Problem(f"{source} (rendered)", block.line, message))


def _list(block: d.ListBlock, look: FormLook, tagger: FormTags) -> Flowable:
    items = [Text(markup(item), look.styles["item"]) for item in block.items]
    kind = {"bulletType": "1", "bulletFormat": "%s."} if block.ordered else {"start": "\u2022"}
    made = ListFlowable(
        items or [Text("", look.styles["item"])],  # reportlab fails on an empty list
        leftIndent=14,
        bulletFontName=look.body.regular,
        bulletFontSize=BODY_PT,
        spaceAfter=6,
        **({"bulletType": "bullet"} | kind),
    )
    tag_list(made, tagger.root.add("L"), tagger.tags)
    return made


def columns(block: d.Table, width: float, source: str) -> list[float]:
    """Return the column widths of a table across width (its own weights, else equal)."""
    if (message := table_message(block)) is not None:
        raise WriteError(Problem(f"{source} (rendered)", block.line, message, "table"))
    count = column_count(block)
    weights = block.widths or (1.0,) * count
    return [width * w / sum(weights) for w in weights]


def header_count(block: d.Table) -> int:
    """Return how many rows head a table (they repeat on every page it covers)."""
    return next((i for i, row in enumerate(block.rows) if not row.header), len(block.rows))


def table(block: d.Table, look: FormLook, source: str) -> PdfTable:
    """Return a table of text: header rows on the brand colour, repeated on each page."""
    widths, heads = columns(block, look.width, source), header_count(block)
    data = [
        [Text(markup(c), look.styles["cell_head" if r.header else "cell"]) for c in r.cells]
        + [""] * (len(widths) - len(r.cells))
        for r in block.rows
    ]
    grid = PdfTable(data, widths, repeatRows=heads, hAlign="LEFT", spaceBefore=2, spaceAfter=8)
    grid.setStyle(table_style(look, heads))
    return grid


def table_style(look: FormLook, heads: int) -> list[tuple[Any, ...]]:
    """Return the style commands of a form's table whose first heads rows are its header."""
    p = look.palette
    return [
        # Cells are Paragraphs, but Table still sets its default font (Helvetica) once.
        ("FONT", (0, 0), (-1, -1), look.body.regular, BODY_PT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, p["rule"]),
        *([("BACKGROUND", (0, 0), (-1, heads - 1), p["primary"])] if heads else []),
    ]


class _KeepStart(KeepTogether):  # type: ignore[misc]
    """Keeps a heading with the start of what follows (a grid's first rows), not all of it.

    reportlab's KeepTogether would move a heading and a whole long grid to the next page.
    """

    ROOM = 90.0  # for the next block's start: a grid's header and two rows, or a question

    def split(self, aw: float, ah: float) -> list[Flowable]:
        *heads, _ = self._content
        used = sum(f.wrap(aw, ah)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        return (
            list(self._content)
            if ah - used >= self.ROOM or at_top
            else [FrameBreak(), *self._content]
        )


class _FormDoc(BaseDocTemplate):  # type: ignore[misc]
    """Turns headings into outline entries and remembers the sheet (level 1) being drawn."""

    def beforeDocument(self) -> None:
        self.depth, self.sheet = -1, ""

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "entry", None)  # a Heading, maybe inside its Tagged
        if entry is not None:
            key, title, level = entry
            # The PDF outline cannot skip a level (reportlab raises ValueError).
            self.depth = min(level, self.depth + 1)
            self.canv.addOutlineEntry(title, key, level=self.depth, closed=False)
            if level == 0:
                self.sheet = title


Story = Callable[[FormLook, FormTags], list[Flowable]]


def build_form(meta: d.Meta, look: FormLook, story: Story) -> bytes:
    """Return the tagged PDF bytes of a form: story's flowables under the kit's header and
    footer (pagination artifacts)."""
    logo = image(logo_png(look.brand), "logo")

    def render(total: int, tags: Tags) -> tuple[bytes, int]:
        decor = Decor(look.brand, look.body, look.palette, look.words, meta.title, logo, total,
                      draft=meta.draft, tags=tags)  # fmt: skip
        return _render(meta, look, story(look, FormTags(tags)), decor)

    # Two passes: the footer's "of Y" needs the page count of the first (or of the last build).
    return tagged_two_pass(render, meta, f"form|{meta.title}|{look.brand.name}|{look.page}")


def _render(
    meta: d.Meta, look: FormLook, flowables: list[Flowable], decor: Decor
) -> tuple[bytes, int]:
    out = io.BytesIO()

    def decorate(canv: Any, doc: _FormDoc) -> None:
        # At the page's end, so the header names the sheet whose heading this page drew.
        decor.title = f"{meta.title} \u00b7 {doc.sheet}" if doc.sheet else meta.title
        canv.showOutline()
        decor.header(canv, *look.page)
        decor.footer(canv, look.page[0])

    frame = Frame(SIDE, BOTTOM, look.width, look.height, 0, 0, 0, 0, id="body")
    template = _FormDoc(
        out,
        pagesize=look.page,
        pageTemplates=[PageTemplate("form", [frame], onPageEnd=decorate)],
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=list(meta.keywords),
        creator="workshop",
        lang=meta.lang,
        displayDocTitle=1,
        keepTogetherClass=_KeepStart,
        initialFontName=look.body.regular,
        initialFontSize=BODY_PT,
    )
    template.build(flowables)
    return out.getvalue(), decor.pages
