"""slides.pdf: the slide handout, 1, 2, 3, 4 or 6 vector thumbnails a page.

Three a page (the default) sets each slide beside ruled lines for notes, as PowerPoint's
three-slide handout does; one a page puts the lines under the slide. Pages carry the page kit's
header (program title, brand) and footer ("Page X of Y"), on the brand's printed colours; the
thumbnails keep the slides' own. Tagged PDF/UA: each thumbnail is its slide's Sect (title, text,
lists, tables, as in deck.pdf), in slide order; header, footer and note lines are artifacts.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from builder.document import Deck
from builder.i18n import words_for
from builder.images import logo_png
from builder.placement import PlannedSlide
from builder.writers.deck_pdf import SectionMarks
from builder.writers.pdf_kit import (
    BOTTOM,
    GRAYS,
    SIDE,
    TOP,
    Decor,
    image,
    palette,
    paper,
    register,
    set_properties,
)
from builder.writers.pdf_structure import finish
from builder.writers.pdf_tags import Tags
from builder.writers.slide_art import SlideArt
from builder.writers.slide_thumb import draw_thumb

LINE_GAP = 22.0  # between ruled note lines
GUTTER = 18.0


@dataclass(frozen=True)
class Grid:
    """How a page holds its slides: columns, rows, and whether note lines go beside or under."""

    columns: int
    rows: int
    lines: str  # "beside", "under" or ""


GRIDS = {1: Grid(1, 1, "under"), 2: Grid(1, 2, ""), 3: Grid(1, 3, "beside"),
         4: Grid(2, 2, ""), 6: Grid(2, 3, "")}  # fmt: skip


def build_slides(deck: Deck, plan: Sequence[PlannedSlide], art: SlideArt, per_page: int) -> bytes:
    """Return the PDF bytes of the slide handout with per_page slides a page."""
    printed = art.brand.printed()
    grid = GRIDS[per_page]
    out = io.BytesIO()
    size = paper(printed)
    faces = register(printed.body_font)
    canv = Canvas(
        out, pagesize=size, pageCompression=1, lang=deck.meta.lang, initialFontName=faces.regular
    )
    set_properties(canv, deck.meta)
    total = max(1, math.ceil(len(plan) / per_page))
    tags = Tags(deck.meta.lang)
    decor = Decor(printed, faces, palette(printed), words_for(deck.meta.lang), deck.meta.title,
                  image(logo_png(printed)), total, draft=deck.meta.draft, tags=tags)  # fmt: skip
    marks = SectionMarks(canv, deck)
    for first in range(0, len(plan), per_page):
        decor.header(canv, *size)
        decor.footer(canv, size[0])
        chunk = list(enumerate(plan[first : first + per_page], start=first + 1))
        for number, planned in chunk:
            marks.add(number, planned)
        _page(canv, chunk, art, deck, grid, size, tags)
        canv.showPage()
    canv.showOutline()
    canv.save()
    return finish(out.getvalue(), tags, deck.meta)


def _page(
    canv: Canvas,
    chunk: Sequence[tuple[int, PlannedSlide]],
    art: SlideArt,
    deck: Deck,
    grid: Grid,
    size: tuple[float, float],
    tags: Tags,
) -> None:
    """Draw one page's slides in its grid, each with its note lines (artifacts)."""
    w, h = size
    region_w, region_h = w - 2 * SIDE, h - TOP - BOTTOM - 12
    cell_w = (region_w - (grid.columns - 1) * GUTTER) / grid.columns
    cell_h = (region_h - (grid.rows - 1) * GUTTER) / grid.rows
    thumb_w = _thumb_width(grid, cell_w, cell_h, art)
    for i, (number, planned) in enumerate(chunk):
        row, col = divmod(i, grid.columns)
        left = SIDE + col * (cell_w + GUTTER)
        top = h - TOP - 6 - row * (cell_h + GUTTER)
        x = left if grid.lines == "beside" else left + (cell_w - thumb_w) / 2
        height = art.height * thumb_w / art.width
        if not grid.lines:  # no lines: the slide in the middle of its cell
            top -= (cell_h - height) / 2
        at = (x, top - height, thumb_w)
        draw_thumb(canv, planned, art, number, deck.meta, at, tags, tags.root)
        with tags.artifact(canv):
            if grid.lines == "beside":
                _rules(canv, left + thumb_w + GUTTER, left + cell_w, top - 4, top - height)
            elif grid.lines == "under":
                _rules(canv, left, left + cell_w, top - height - 2 * LINE_GAP, h - TOP - region_h)


def _thumb_width(grid: Grid, cell_w: float, cell_h: float, art: SlideArt) -> float:
    """Return the width of a thumbnail in a cell: as large as fits, leaving room for lines."""
    aspect = art.height / art.width
    if grid.lines == "beside":
        return min(cell_w * 0.56, cell_h / aspect)
    if grid.lines == "under":
        return min(cell_w, cell_h * 0.55 / aspect)
    return min(cell_w, cell_h / aspect)


def _rules(canv: Canvas, x0: float, x1: float, top: float, bottom: float) -> None:
    """Rule note lines LINE_GAP apart from top down to bottom."""
    canv.saveState()
    canv.setStrokeColor(HexColor(GRAYS["rule"]))
    canv.setLineWidth(0.6)
    y = top - LINE_GAP
    while y >= bottom:
        canv.line(x0, y, x1, y)
        y -= LINE_GAP
    canv.restoreState()
