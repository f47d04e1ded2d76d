"""The handout writer: a Document and a Brand in, PDF bytes out (reportlab platypus).

Last stage of the handout pipeline. One flowable per document block, each tagged as it is made
(pdf_tags), so the structure tree reads in the document's order; page decoration only in page
callbacks (handout_pages), as artifacts. Its look is in handout_look.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Frame, ListFlowable, PageTemplate, Spacer
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Table as PdfTable

from builder import document as d
from builder.brand import Brand
from builder.errors import Problem, WriteError
from builder.tables import content_widths
from builder.writable import column_count, table_message
from builder.writers.handout_flowables import FigureImage, NoteLines, Process, Quote, TickBox
from builder.writers.handout_look import BODY_PT, Expand, Look, make_logo, make_look
from builder.writers.handout_pages import HandoutDoc, Heading, KeepWithNext, Pages
from builder.writers.handout_text import Text, markup
from builder.writers.pdf_kit import BOTTOM, SIDE, TOP, tagged_two_pass
from builder.writers.pdf_tags import ArtifactFlowable, TableTags, Tagged, Tags, tag_list

__all__ = ["BODY_PT", "SIDE", "Look", "Story", "build_handout", "tag_list"]


def build_handout(document: d.Document, brand: Brand, slides: Expand | None = None) -> bytes:
    """Return the PDF bytes of the handout for document in brand's look.

    slides makes the flowables of a <slides/> block (the guide's slide pages).
    """
    look, logo = make_look(brand, document.meta.lang, slides), make_logo(brand)
    # Two passes: the footer's "of Y" needs the page count of the first (or of the last build).
    key = f"{'guide' if slides else 'handout'}|{document.meta.title}|{brand.name}|{look.page}"
    return tagged_two_pass(
        lambda total, tags: _render(document, look, logo, total, tags), document.meta, key
    )


def _render(
    document: d.Document, look: Look, logo: ImageReader | None, total: int, tags: Tags
) -> tuple[bytes, int]:
    story, band = Story(look, tags).flowables(document.blocks)
    decor = Pages(look, document.meta, logo, total, band, tags)
    out, meta, (w, h) = io.BytesIO(), document.meta, look.page
    frame = Frame(SIDE, BOTTOM, w - 2 * SIDE, h - TOP - BOTTOM, 0, 0, 0, 0, id="body")
    pages = [
        PageTemplate("cover", [frame], onPage=decor.cover, autoNextPageTemplate="page"),
        PageTemplate("page", [frame], onPage=decor.page),
    ]
    template = HandoutDoc(
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
        keepTogetherClass=KeepWithNext,
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
        para = Heading(markup(block.runs), style)
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


def _styled(block: d.Block | None, style: str) -> bool:
    return isinstance(block, d.Paragraph) and block.style == style


def _table(block: d.Table, look: Look) -> PdfTable:
    if (message := table_message(block)) is not None:
        raise WriteError(Problem(block.at or "handout", 0, message, "table"))
    columns = column_count(block)
    size = look.styles["cell"].fontSize  # the widths of the words as set
    weights = block.widths or content_widths(block, look.width, look.brand.body_font, size)
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
