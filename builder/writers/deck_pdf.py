"""deck.pdf: every slide of the deck as a 16:9 vector page, drawn from the layout plan.

For presenting from PDF and for learning-management uploads. Same plan, fonts (embedded),
colours, logos, diagrams and tables as deck.pptx; one bookmark per agenda section with its
slides beneath, and one for each slide outside the agenda.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from builder.brand import Brand
from builder.document import Deck
from builder.placement import PlannedSlide
from builder.writers.pdf_kit import set_properties
from builder.writers.slide_art import slide_art
from builder.writers.slide_draw import draw_slide
from builder.writers.slide_pen import pen_for


def build_deck_pdf(deck: Deck, plan: Sequence[PlannedSlide], brand: Brand) -> bytes:
    """Return the PDF bytes of the planned deck, one page per slide."""
    art = slide_art(brand)
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(art.width, art.height), pageCompression=1, lang=deck.meta.lang)
    set_properties(canv, deck.meta)
    pen = pen_for(canv, art)
    marks = _Bookmarks(canv, deck)
    for number, planned in enumerate(plan, start=1):
        marks.add(number, planned)
        draw_slide(pen, planned, art, number, deck.meta)
        canv.showPage()
    canv.showOutline()
    canv.save()
    return out.getvalue()


class _Bookmarks:
    """Outline entries: an agenda section once, at its first slide, with its slides inside."""

    def __init__(self, canv: Any, deck: Deck) -> None:
        self.canv, self.deck, self.part = canv, deck, 0

    def add(self, number: int, planned: PlannedSlide) -> None:
        key, part = f"s{number}", planned.slide.part
        self.canv.bookmarkPage(key)
        if part and part != self.part:
            title = self.deck.parts[part - 1].title
            self.canv.addOutlineEntry(title, key, level=0, closed=True)
        self.part = part
        self.canv.addOutlineEntry(planned.title, key, level=1 if part else 0)
