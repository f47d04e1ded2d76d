"""guide.pdf: the facilitator guide, a document (run sheet, set-up, materials checklist) from
guide.xml.j2 whose <slides/> block becomes every slide's thumbnail beside its speaker notes.

Drawn by the handout writer (same page kit, styles, bookmarks), so it prints like the handout.
Each slide of an agenda section gets a timing cue: the time the section's share of minutes puts
it at ("By 10:15 you should be here"), its slides sharing the section's minutes evenly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, ImageAndFlowables, Spacer

from builder.document import Deck, Document, ListBlock, Paragraph
from builder.placement import PlannedSlide
from builder.writers.handout import build_handout
from builder.writers.handout_look import Look, Tagging
from builder.writers.handout_text import Text, markup
from builder.writers.slide_art import SlideArt
from builder.writers.slide_thumb import SlideThumb

THUMB_WIDTH = 3.1 * inch


def build_guide(
    document: Document,
    deck: Deck,
    plan: Sequence[PlannedSlide],
    art: SlideArt,
    clock: Callable[[int], str],
) -> bytes:
    """Return the PDF bytes of the guide, its thumbnails drawn with art (the slides' own look)
    and its pages in the brand's print colours; clock names a minute from the start."""
    cues = slide_cues(deck, plan)

    def slides(look: Look, story: Tagging) -> list[Flowable]:
        entries: list[Flowable] = []
        for number, planned in enumerate(plan, start=1):
            cue = cues[number - 1]
            entries += [_entry(look, story, art, deck, planned, number, cue, clock), Spacer(0, 14)]
        return entries

    return build_handout(document, art.brand.printed(), slides)


def slide_cues(deck: Deck, plan: Sequence[PlannedSlide]) -> list[int | None]:
    """Return, per planned slide, the minute it should be reached (None outside the agenda).

    A section's slides share its minutes evenly, in order.
    """
    counts: dict[int, int] = {}
    for planned in plan:
        counts[planned.slide.part] = counts.get(planned.slide.part, 0) + 1
    seen: dict[int, int] = {}
    cues: list[int | None] = []
    for planned in plan:
        part = planned.slide.part
        if not part:
            cues.append(None)
            continue
        k = seen.get(part, 0)
        seen[part] = k + 1
        section = deck.parts[part - 1]
        cues.append(section.start + round(section.minutes * k / counts[part]))
    return cues


def _entry(
    look: Look,
    story: Tagging,
    art: SlideArt,
    deck: Deck,
    planned: PlannedSlide,
    number: int,
    cue: int | None,
    clock: Callable[[int], str],
) -> Flowable:
    """Return one slide's entry: its thumbnail with, beside it, cue, title and speaker notes."""
    s, words = look.styles, look.words
    heading = f"{words('slide_number', n=number)} · {planned.title}"
    # Reading order: the heading, the slide (a figure named by its title), cue, notes.
    text: list[Flowable] = [story.tag(story.heading_role(3), Text(_escape(heading), s["h3"]))]
    alt = f"{words('slide_number', n=number)}: {planned.title}"
    thumb = story.tag("Figure", SlideThumb(planned, art, number, deck.meta, THUMB_WIDTH), alt)
    if cue is not None:
        text.append(story.tag("P", Text(_escape(words("cue_by", time=clock(cue))), s["cite"])))
    text += [story.tag("P", Text(markup(note.runs), s["body"])) for note in _notes(planned)]
    text += [story.tag("P", f) for f in _on_the_slide(planned, look)]
    return ImageAndFlowables(
        thumb, text, imageLeftPadding=0, imageRightPadding=14, imageSide="left"
    )


def _on_the_slide(planned: PlannedSlide, look: Look) -> list[Flowable]:
    """Return a discussion's questions or an activity's instructions in full (the thumbnail
    is small), on the slide's first page only."""
    slide = planned.slide
    if slide.role not in ("discussion", "activity") or planned.continuation:
        return []
    s, out = look.styles, []
    for block in slide.blocks:
        if isinstance(block, ListBlock):
            out += [
                Text(f"{i}. {markup(item)}", s["item"]) for i, item in enumerate(block.items, 1)
            ]
        elif isinstance(block, Paragraph) and block.style != "cite":
            out.append(Text(markup(block.runs), s["item"]))
    return out


def _notes(planned: PlannedSlide) -> tuple[Paragraph, ...]:
    """Return a slide's speaker notes: on its first slide only (continuations say so)."""
    return planned.slide.notes if planned.continuation == 0 else ()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
