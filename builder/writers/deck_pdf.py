"""deck.pdf: every slide of the deck as a 16:9 vector page, drawn from the layout plan.

For presenting from PDF and for learning-management uploads. Same plan, fonts (embedded),
colours, logos, diagrams and tables as deck.pptx; one bookmark per agenda section with its
slides beneath, and one for each slide outside the agenda. Tagged PDF/UA: one Sect per slide
(builder.writers.slide_tags), finished by builder.writers.pdf_structure.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from builder.document import Deck
from builder.placement import PlannedSlide
from builder.writers.pdf_kit import register, set_properties
from builder.writers.pdf_structure import finish
from builder.writers.pdf_tags import Tags
from builder.writers.slide_art import SlideArt
from builder.writers.slide_draw import draw_slide
from builder.writers.slide_pen import pen_for


def build_deck_pdf(deck: Deck, plan: Sequence[PlannedSlide], art: SlideArt) -> bytes:
    """Return the PDF bytes of the planned deck, one page per slide, drawn with art."""
    brand = art.brand
    out = io.BytesIO()
    # The canvas's initial font is set on every page: our face, or Helvetica goes in unembedded.
    body = register(brand.body_font).regular
    canv = Canvas(
        out, pagesize=(art.width, art.height), pageCompression=1, lang=deck.meta.lang,
        initialFontName=body,
    )  # fmt: skip
    set_properties(canv, deck.meta)
    tags = Tags(deck.meta.lang)
    pen = pen_for(canv, art, tags=tags)
    marks = SectionMarks(canv, deck)
    for number, planned in enumerate(plan, start=1):
        marks.add(number, planned)
        draw_slide(pen, planned, art, number, deck.meta, tags.root)
        canv.showPage()
    canv.showOutline()
    canv.save()
    return finish(out.getvalue(), tags, deck.meta)


class SectionMarks:
    """Outline entries: each agenda section once, at its first slide, with its slides inside.

    A section without slides of its own (a short wrap-up, say) is bookmarked at the slide that
    follows where its slides would be, and the slides after the agenda go under the last one.
    """

    def __init__(self, canv: Any, deck: Deck) -> None:
        self.canv, self.deck, self.next, self.inside = canv, deck, 1, False

    def add(self, number: int, planned: PlannedSlide) -> None:
        key, part = f"s{number}", planned.slide.part
        self.canv.bookmarkPage(key)
        after_agenda = part == 0 and self.next > 1
        last = part if part else len(self.deck.parts) if after_agenda else 0
        while self.next <= last:  # reportlab keys entries by destination: one each
            self.canv.bookmarkPage(f"p{self.next}")
            title = self.deck.parts[self.next - 1].title
            self.canv.addOutlineEntry(title, f"p{self.next}", level=0, closed=True)
            self.next, self.inside = self.next + 1, True
        self.inside = self.inside and (part > 0 or after_agenda)
        self.canv.addOutlineEntry(planned.title, key, level=1 if self.inside else 0)
