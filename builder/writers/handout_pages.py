"""The handout's pages: the doc template (bookmarks from headings), headings kept with what
follows them, and the page decoration (cover band, running header, footer) as artifacts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, Flowable, FrameBreak, KeepTogether

from builder import document as d
from builder.writers.handout_look import BODY_PT, Look
from builder.writers.handout_text import Text
from builder.writers.pdf_kit import SIDE, Decor, draw_logo, pen
from builder.writers.pdf_tags import Tags


class HandoutDoc(BaseDocTemplate):  # type: ignore[misc]
    """A doc template that turns marked headings into outline entries."""

    def beforeDocument(self) -> None:
        self.depth = -1

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        """Group headings with what follows them, as reportlab does; where what follows may
        not join them (a list, a guide's slide entry: reportlab keeps containers out of a
        group), the group learns what follows, to move to a new page unless it starts here."""
        super().handle_keepWithNext(flowables)
        group = flowables[0] if flowables else None
        if isinstance(group, KeepWithNext) and len(flowables) > 1 and group.stranded():
            group.following = flowables[1]

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "outline_entry", None)
        if entry is not None:
            key, title, level = entry
            # The PDF outline cannot skip a level (reportlab raises ValueError).
            self.depth = min(level, self.depth + 1)
            self.canv.addOutlineEntry(title, key, level=self.depth, closed=False)


class Heading(Text):
    """A heading that binds its outline destination to its top edge when drawn."""

    # An <a name> anchor glued to a long first word stops reportlab from breaking that word.
    outline_entry: tuple[str, str, int] | None = None  # parts of a split heading have none

    def draw(self) -> None:
        if self.outline_entry is not None:
            self.canv.bookmarkHorizontal(self.outline_entry[0], 0, self.height)
        super().draw()


class KeepWithNext(KeepTogether):  # type: ignore[misc]
    """Keeps headings with the start of the next block rather than with all of it.

    reportlab's KeepTogether moves a heading and the whole of a long next block to a new page,
    leaving gaps of up to a page; here a block that can split may start under its heading.
    """

    following: Flowable | None = None  # what follows headings grouped alone (HandoutDoc)

    def stranded(self) -> bool:
        """Return whether the group is headings only: what follows them is not in it."""
        return bool(self._content) and bool(self._content[-1].getKeepWithNext())

    def split(self, aw: float, ah: float) -> list[Flowable]:
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        if self.stranded():
            # headings grouped alone: ask for room for what follows to start (three lines)
            heads = sum(f.wrap(aw, ah)[1] + f.getSpaceAfter() for f in self._content)
            need = heads + _start(self.following, aw, ah)
            return list(self._content) if need <= ah or at_top else [FrameBreak(), *self._content]
        *heads, body = self._content
        used = sum(f.wrap(aw, ah)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
        left = ah - used - body.getSpaceBefore()
        starts = left > 0 and (body.wrap(aw, left)[1] <= left or _starts_in(body, aw, left))
        return list(self._content) if starts or at_top else [FrameBreak(), *self._content]


def _start(following: Flowable | None, aw: float, ah: float) -> float:
    """Return the room a flowable needs to start: its image's for an image beside flowables
    (a guide's slide entry: the thumbnail does not split), else about three lines."""
    lines = 3 * BODY_PT * 1.45
    image = getattr(following, "_I", None)  # reportlab's ImageAndFlowables
    return max(lines, image.wrap(aw, ah)[1] + image.getSpaceBefore()) if image else lines


def _starts_in(body: Flowable, aw: float, left: float) -> bool:
    """Return whether a real first part of body fits in left (some split() return body whole)."""
    # Ask for room for about three lines: some flowables (lists) claim a split that the
    # frame then refuses, which would strand the heading at the foot of the page.
    if left < 3 * BODY_PT * 1.45:
        return False
    parts = body.split(aw, left)
    return bool(parts) and parts[0] is not body and parts[0].wrap(aw, left)[1] <= left


class Pages:
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
