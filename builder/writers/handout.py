"""The handout writer: a Document and a Brand in, PDF bytes out (reportlab platypus).

Last stage of the handout pipeline. One flowable per document block and page decoration only in
page callbacks, so the tagging route in TAGGED-PDF.md can wrap them later without a rewrite.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    ListFlowable,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Table as PdfTable

from builder import document as d
from builder.brand import Brand
from builder.errors import Problem, WriteError
from builder.hyphenate import dictionary
from builder.i18n import Words, words_for
from builder.images import logo_png
from builder.tables import content_widths
from builder.writers.handout_flowables import FigureImage, NoteLines, Process, Quote, TickBox
from builder.writers.handout_text import Text, markup
from builder.writers.pdf_kit import (
    BOTTOM,
    SIDE,
    TOP,
    Decor,
    Faces,
    TypeTable,
    draw_logo,
    image,
    palette,
    paper,
    pen,
    register,
    styles,
    tagged_two_pass,
)
from builder.writers.pdf_tags import ArtifactFlowable, Node, TableTags, Tagged, Tags

# Body text at 11 pt and nothing under 9 pt (README, Accessibility).
BODY_PT = 11

# name: (family, face, size, leading, color, space before, space after)
_TYPE: TypeTable = {
    "body": ("body", "regular", BODY_PT, 16, "foreground", 0, 7),
    "item": ("body", "regular", BODY_PT, 16, "foreground", 0, 3),
    "lead": ("body", "regular", 12.5, 18, "foreground", 0, 10),
    "small": ("body", "regular", 9, 12.5, "foreground", 0, 7),
    "meta": ("body", "regular", 11, 16.5, "foreground", 0, 2),
    "cite": ("body", "italic", 9.5, 13, "muted", 0, 7),
    "reference": ("body", "regular", 10, 13.5, "foreground", 0, 5),
    "statement": ("body", "regular", 10, 14, "foreground", 16, 24),
    "h1": ("head", "bold", 20, 24, "primary", 6, 10),
    "h2": ("head", "bold", 14, 18, "primary", 18, 6),
    "h3": ("head", "bold", 11.5, 15, "secondary", 10, 3),
    "cover_title": ("head", "bold", 28, 33, "white", 0, 14),
    "cover_lead": ("body", "regular", 13.5, 19, "tint", 0, 0),
    "cell": ("body", "regular", 10, 13.5, "foreground", 0, 0),
    "cell_head": ("body", "bold", 10, 13.5, "white", 0, 0),
    "quote": ("body", "italic", 12, 17.5, "foreground", 0, 0),
    "quote_by": ("body", "regular", 9.5, 13, "muted", 0, 0),
    "figure_caption": ("body", "regular", 9.5, 13, "foreground", 0, 2),
    "figure_credit": ("body", "regular", 9, 12, "muted", 0, 0),
    "caption": ("head", "bold", 11, 14, "primary", 0, 8),
    "step_name": ("head", "bold", 10, 13, "primary", 0, 3),
    "step_text": ("body", "regular", 9.5, 13, "foreground", 0, 0),
}
_EXTRA: dict[str, dict[str, Any]] = {
    "reference": {"leftIndent": 18, "firstLineIndent": -18},
    # The panel's padding sits inside the indents, so the panel lines up with the text column.
    "statement": {"leftIndent": 10, "rightIndent": 10, "borderPadding": (7, 10, 8, 10)},
    **{h: {"keepWithNext": 1} for h in ("h1", "h2", "h3")},
}
# Long URLs break after / . - ? & = when a line would otherwise waste this share of its width.
_URI_WASTE = 0.3


@dataclasses.dataclass(frozen=True)
class Look:
    """What every converter needs: fonts, colors, styles and page geometry."""

    brand: Brand
    body: Faces
    palette: dict[str, Any]
    styles: dict[str, ParagraphStyle]
    page: tuple[float, float]
    words: Words
    slides: Expand | None = None

    @property
    def width(self) -> float:
        return float(self.page[0] - 2 * SIDE)


# the flowables that stand for a <slides/> block, tagged through the story that holds them
Expand = Callable[[Look, "Story"], list[Flowable]]


def build_handout(document: d.Document, brand: Brand, slides: Expand | None = None) -> bytes:
    """Return the PDF bytes of the handout for document in brand's look.

    slides makes the flowables of a <slides/> block (the guide's slide pages).
    """
    look, logo = _look(brand, document.meta.lang, slides), _logo(brand)
    # Two passes: the footer's "of Y" needs the page count of the first.
    return tagged_two_pass(
        lambda total, tags: _render(document, look, logo, total, tags), document.meta
    )


def _hyphenation(language: str) -> dict[str, Any]:
    """Return the style options that hyphenate in language (pyphen) and break long URLs."""
    name = dictionary(language)
    # Without a dictionary for the language, no hyphenation beats hyphenating it as English.
    hyphens = {"hyphenationLang": name, "embeddedHyphenation": 1} if name else {}
    return {**hyphens, "uriWasteReduce": _URI_WASTE}


def _look(brand: Brand, language: str, slides: Expand | None = None) -> Look:
    faces = {"body": register(brand.body_font), "head": register(brand.heading_font)}
    colours = palette(brand)
    common = {"bulletFontName": faces["body"].regular, **_hyphenation(language)}
    made = styles(_TYPE, faces, colours, common, _EXTRA)
    made["statement"].backColor = colours["light"]
    words = words_for(language)
    return Look(brand, faces["body"], colours, made, paper(brand), words, slides)


def _logo(brand: Brand) -> ImageReader | None:
    return image(logo_png(brand), str(brand.logo))


class _HandoutDoc(BaseDocTemplate):  # type: ignore[misc]
    """A doc template that turns marked headings into outline entries."""

    def beforeDocument(self) -> None:
        self.depth = -1

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "outline_entry", None)
        if entry is not None:
            key, title, level = entry
            # The PDF outline cannot skip a level (reportlab raises ValueError).
            self.depth = min(level, self.depth + 1)
            self.canv.addOutlineEntry(title, key, level=self.depth, closed=False)


class _Heading(Text):
    """A heading that binds its outline destination to its top edge when drawn."""

    # An <a name> anchor glued to a long first word stops reportlab from breaking that word.
    outline_entry: tuple[str, str, int] | None = None  # parts of a split heading have none

    def draw(self) -> None:
        if self.outline_entry is not None:
            self.canv.bookmarkHorizontal(self.outline_entry[0], 0, self.height)
        super().draw()


class _KeepWithNext(KeepTogether):  # type: ignore[misc]
    """Keeps headings with the start of the next block rather than with all of it.

    reportlab's KeepTogether moves a heading and the whole of a long next block to a new page,
    leaving gaps of up to a page; here a block that can split may start under its heading.
    """

    def split(self, aw: float, ah: float) -> list[Flowable]:
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        if len(self._content) == 1:
            # reportlab sometimes groups a heading alone: still ask for room for three lines
            need = self._content[0].wrap(aw, ah)[1] + 3 * BODY_PT * 1.45
            return list(self._content) if need <= ah or at_top else [FrameBreak(), *self._content]
        *heads, body = self._content
        used = sum(f.wrap(aw, ah)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
        left = ah - used - body.getSpaceBefore()
        starts = left > 0 and (body.wrap(aw, left)[1] <= left or _starts_in(body, aw, left))
        return list(self._content) if starts or at_top else [FrameBreak(), *self._content]


def _starts_in(body: Flowable, aw: float, left: float) -> bool:
    """Return whether a real first part of body fits in left (some split() return body whole)."""
    # Ask for room for about three lines: some flowables (lists) claim a split that the
    # frame then refuses, which would strand the heading at the foot of the page.
    if left < 3 * BODY_PT * 1.45:
        return False
    parts = body.split(aw, left)
    return bool(parts) and parts[0] is not body and parts[0].wrap(aw, left)[1] <= left


def _render(
    document: d.Document, look: Look, logo: ImageReader | None, total: int, tags: Tags
) -> tuple[bytes, int]:
    story, band = Story(look, tags).flowables(document.blocks)
    decor = _Decor(look, document.meta, logo, total, band, tags)
    out, meta, (w, h) = io.BytesIO(), document.meta, look.page
    frame = Frame(SIDE, BOTTOM, w - 2 * SIDE, h - TOP - BOTTOM, 0, 0, 0, 0, id="body")
    pages = [
        PageTemplate("cover", [frame], onPage=decor.cover, autoNextPageTemplate="page"),
        PageTemplate("page", [frame], onPage=decor.page),
    ]
    template = _HandoutDoc(
        out,
        pagesize=look.page,
        pageTemplates=pages,
        title=meta.title,
        author=meta.author,
        subject=meta.subject,
        keywords=list(meta.keywords),
        creator="workshop",
        lang=meta.lang,
        displayDocTitle=1,
        keepTogetherClass=_KeepWithNext,
        initialFontName=look.body.regular,
        initialFontSize=BODY_PT,
    )
    template.build(story)
    return out.getvalue(), decor.pages


class Story:
    """Converts document blocks to flowables, one per block."""

    def __init__(self, look: Look, tags: Tags) -> None:
        self.look, self.s, self.keys = look, look.styles, 0
        self.tags, self.root, self.level = tags, tags.root, 0

    def flowables(self, blocks: tuple[d.Block, ...]) -> tuple[list[Flowable], float]:
        """Return the story and the height of the cover band (0 without a cover title)."""
        cover, band = self._cover(blocks)
        rest = blocks[len(cover) :]
        story = []
        for block, after in zip(rest, (*rest[1:], None), strict=False):
            if isinstance(block, d.SlidePages):
                expand = self.look.slides
                story += expand(self.look, self) if expand else []
            else:
                story.append(self._placed(block, after))
        facts = next((i for i, b in enumerate(rest) if not _styled(b, "meta")), len(rest))
        if cover and facts:
            story[facts - 1].spaceAfter = 16  # the cover's facts end as a group
        return cover + story, band

    def _placed(self, block: d.Block, after: d.Block | None) -> Flowable:
        flowable = self.convert(block)
        if _styled(after, "cite") and isinstance(block, d.StepsBlock | d.QuoteBlock):
            flowable.keepWithNext = 1  # a citation stays on the page of a figure it cites
        if isinstance(after, d.NoteLines) and after.count:
            flowable.keepWithNext = 1  # a question stays with the lines that answer it
        return flowable

    def _cover(self, blocks: tuple[d.Block, ...]) -> tuple[list[Flowable], float]:
        title, lead = (list(blocks[:2]) + [None, None])[:2]
        if not (isinstance(title, d.Heading) and title.level == 1):
            return [], 0.0
        parts = [self._heading(title, self.s["cover_title"])]
        if isinstance(lead, d.Paragraph) and lead.style == "lead":
            parts.append(self.tag("P", Text(markup(lead.runs), self.s["cover_lead"])))
        # The band ends 30 pt under the text; what follows starts 28 pt under its accent stripe.
        parts[-1].spaceAfter = 62
        heights = [p.wrap(self.look.width, self.look.page[1])[1] for p in parts]
        text = sum(heights) + (len(parts) - 1) * self.s["cover_title"].spaceAfter
        return parts, TOP + text + 30

    def convert(self, block: d.Block) -> Flowable:
        """Return the one flowable that shows block, its parts tagged in reading order."""
        s = self.s
        if isinstance(block, d.Heading):
            return self._heading(block, s[f"h{min(max(block.level, 1), 3)}"])
        if isinstance(block, d.Paragraph):
            return self.tag("P", Text(markup(block.runs), s.get(block.style, s["body"])))
        if isinstance(block, d.ListBlock):
            return self._list(block)
        if isinstance(block, d.QuoteBlock):
            return self._quote(block)
        if isinstance(block, d.StepsBlock):
            return self._process(block)
        if isinstance(block, d.Table):
            table = _table(block, self.look)
            heads = frozenset(i for i, row in enumerate(block.rows) if row.header)
            table._renderCB = TableTags(self.tags, self.root.add("Table"), heads)
            return table
        if isinstance(block, d.Figure):
            return self._figure(block)
        if isinstance(block, d.NoteLines):
            return ArtifactFlowable(NoteLines(block.count, self.look.palette["rule"]), self.tags)
        return PdfPageBreak()

    def tag(self, role: str, flowable: Flowable, alt: str | None = None) -> Flowable:
        """Return flowable drawn as a new element of role, next in reading order."""
        return Tagged(flowable, self.root.add(role, alt=alt), self.tags)

    def _quote(self, block: d.QuoteBlock) -> Flowable:
        s, node = self.s, self.root.add("BlockQuote")
        by = Text(f"\u2014 {escape(block.by)}", s["quote_by"]) if block.by else None
        nodes = [node.add("P")] + ([node.add("P")] if by else [])
        text = Text(markup(block.runs), s["quote"])
        return Quote(text, by, self.look.palette, self.tags, nodes)

    def _process(self, block: d.StepsBlock) -> Flowable:
        """Return the process diagram, tagged as a list: number, then name and text."""
        s = self.s
        caption = Text(escape(block.title), s["caption"]) if block.title else None
        caption_node = self.root.add("P") if caption else None
        steps = [
            (Text(escape(t.name), s["step_name"]), Text(markup(t.runs), s["step_text"]))
            for t in block.steps
        ]
        items = [self.root.add("L")] if steps else []
        nodes = [(li.add("Lbl"), li.add("LBody")) for li in (items[0].add("LI") for _ in steps)]
        look = (self.look.palette, self.look.body.bold)
        return Process(caption, steps, look, self.tags, (caption_node, nodes))

    def _figure(self, block: d.Figure) -> Flowable:
        """Return the image at the column's width, at most half a page tall, with its texts."""
        texts = [
            Text(markup(runs), self.s[style])
            for runs, style in ((block.caption, "figure_caption"), (block.credit, "figure_credit"))
            if runs
        ]
        tallest = (self.look.page[1] - TOP - BOTTOM) / 2
        nodes = [self.root.add("Figure", alt=block.alt)] + [self.root.add("P") for _ in texts]
        return FigureImage(block, texts, tallest, self.tags, nodes)

    def _heading(self, block: d.Heading, style: ParagraphStyle) -> Flowable:
        self.keys += 1
        key = f"h{self.keys}"
        para = _Heading(markup(block.runs), style)
        if block.level <= 2:
            para.outline_entry = (key, d.plain(block.runs), max(block.level, 1) - 1)
        return self.tag(self.heading_role(block.level), para)

    def heading_role(self, level: int) -> str:
        """Return the tag of a heading of level: levels never skip one (H1 then H3 is an
        error in PDF/UA)."""
        self.level = min(max(level, 1), self.level + 1, 6)
        return f"H{self.level}"

    def _list(self, block: d.ListBlock) -> Flowable:
        items = [Text(markup(item), self.s["item"]) for item in block.items]
        if not items:
            return Spacer(0, 0)  # reportlab's ListFlowable fails on an empty list
        if block.check:
            return self._checklist(items)
        face = self.look.body.bold if block.ordered else self.look.body.regular
        numbers = {"bulletType": "1", "bulletFormat": "%s."}
        kind = numbers if block.ordered else {"bulletType": "bullet", "start": "\u2022"}
        color = self.look.palette["secondary"]
        made = ListFlowable(
            items,
            leftIndent=18,
            bulletFontName=face,
            bulletFontSize=BODY_PT,
            bulletColor=color,
            spaceBefore=2,
            spaceAfter=8,
            **kind,
        )
        tag_list(made, self.root.add("L"), self.tags)
        return made

    def _checklist(self, items: list[Flowable]) -> Flowable:
        """Return items each after a box to tick, as a two-column table."""
        style = self.s["item"]
        color = self.look.palette["secondary"]
        rows = [[TickBox(9, color, style.leading), item] for item in items]
        table = PdfTable(
            rows, [20, self.look.width - 20], hAlign="LEFT", spaceBefore=2, spaceAfter=8
        )
        pads = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
        # Table sets its default font (Helvetica, unembedded) unless told ours.
        font = ("FONT", (0, 0), (-1, -1), self.look.body.regular, BODY_PT)
        table.setStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), font]
            + [(p, (0, 0), (-1, -1), 0) for p in pads]
            + [("BOTTOMPADDING", (0, 0), (-1, -1), 5)]
        )
        table._renderCB = TableTags(self.tags, self.root.add("L"), frozenset(), as_list=True)
        return table


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


def _styled(block: d.Block | None, style: str) -> bool:
    return isinstance(block, d.Paragraph) and block.style == style


def _table(block: d.Table, look: Look) -> PdfTable:
    columns = max((len(r.cells) for r in block.rows), default=0)
    if columns == 0 or (block.widths and len(block.widths) != columns):
        message = f"expected {columns} column widths, got {len(block.widths)}"
        message = message if columns else "expected a row with cells"
        raise WriteError(Problem(block.at or "handout", 0, message, "table"))
    weights = block.widths or content_widths(block, look.width, look.brand.body_font, 9.5)
    widths = [look.width * w / sum(weights) for w in weights]
    data = [
        [
            Text(markup(cell), look.styles["cell_head" if row.header else "cell"])
            for cell in list(row.cells) + [()] * (columns - len(row.cells))
        ]
        for row in block.rows
    ]
    heads = next((i for i, row in enumerate(block.rows) if not row.header), len(block.rows))
    table = PdfTable(data, widths, repeatRows=heads, hAlign="LEFT", spaceBefore=4, spaceAfter=12)
    table.setStyle(_table_style(block, look, heads))
    return table


def _table_style(block: d.Table, look: Look, heads: int) -> list[tuple[Any, ...]]:
    p = look.palette
    cmds: list[tuple[Any, ...]] = [
        # Cells are Paragraphs, but Table still sets its default font (Helvetica) once.
        ("FONT", (0, 0), (-1, -1), look.body.regular, 9.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, p["rule"]),
        ("ROWBACKGROUNDS", (0, heads), (-1, -1), [p["white"], p["light"]]),
    ]
    rows = [i for i, row in enumerate(block.rows) if row.header]
    return cmds + [("BACKGROUND", (0, i), (-1, i), p["primary"]) for i in rows]


class _Decor:
    """Page callbacks: the cover band, the running header and the footer."""

    def __init__(
        self,
        look: Look,
        meta: d.Meta,
        logo: ImageReader | None,
        total: int,
        band: float,
        tags: Tags,
    ) -> None:
        self.look, self.logo, self.band, self.tags = look, logo, band, tags
        kit = Decor(look.brand, look.body, look.palette, look.words, meta.title, logo, total)
        self.kit = dataclasses.replace(kit, draft=meta.draft, tags=tags)

    @property
    def pages(self) -> int:
        return self.kit.pages

    def cover(self, canv: Any, doc: Any) -> None:
        """Draw the first page's band and footer."""
        canv.showOutline()
        if self.band:
            with self.tags.artifact(canv):
                self._band(canv, *self.look.page)
        self.kit.footer(canv, self.look.page[0])

    def page(self, canv: Any, doc: Any) -> None:
        """Draw a later page's header and footer."""
        self.kit.header(canv, *self.look.page)
        self.kit.footer(canv, self.look.page[0])

    def _band(self, canv: Any, w: float, h: float) -> None:
        p = self.look.palette
        with pen(canv, fill=p["primary"], stroke=p["white"], width=14):
            canv.rect(0, h - self.band, w, self.band, stroke=0, fill=1)
            canv.setFillColor(p["accent"])
            canv.rect(0, h - self.band - 4, w, 4, stroke=0, fill=1)
            # Faint rings bleeding off the right edge keep the band from looking like a default.
            canv.setStrokeAlpha(0.08)
            for r in (70, 120, 170):
                canv.circle(w - 40, h - self.band * 0.35, r, stroke=1, fill=0)
            canv.setFillColor(p["tint"])
            canv.setFont(self.look.body.bold, 9)
            canv.drawString(SIDE, h - 0.5 * inch, self.look.brand.name.upper(), charSpace=1.4)
            if self.logo is not None:
                canv.setFillColor(p["white"])
                canv.roundRect(w - SIDE - 110, h - 0.72 * inch, 110, 34, 5, stroke=0, fill=1)
                draw_logo(canv, self.logo, (w - SIDE - 105, h - 0.72 * inch + 5, 100, 24), "c")
