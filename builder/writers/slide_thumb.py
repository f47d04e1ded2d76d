"""A slide as a vector thumbnail: drawn scaled from the layout plan inside a thin frame.

Shared by slides.pdf (the slide handout) and the guide; links are left to deck.pdf. slides.pdf
tags each thumbnail as its slide's Sect; the guide draws it untagged, inside one Figure.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from builder.document import Meta
from builder.placement import PlannedSlide
from builder.writers.pdf_tags import Node, Tags
from builder.writers.slide_art import SlideArt
from builder.writers.slide_draw import draw_slide
from builder.writers.slide_pen import pen_for

FRAME_COLOR = "#8A96A3"


def draw_thumb(
    canv: Any,
    plan: PlannedSlide,
    art: SlideArt,
    number: int,
    meta: Meta,
    at: tuple[float, float, float],
    tags: Tags | None = None,
    parent: Node | None = None,
) -> float:
    """Draw slide number at (x, y of its bottom edge, width) on canv; return its height.

    With tags, the slide is tagged as a Sect of parent and its frame as an artifact.
    """
    x, y, width = at
    scale = width / art.width
    height = art.height * scale
    pen = pen_for(canv, art, links=False, tags=tags)
    canv.saveState()
    canv.translate(x, y)
    canv.scale(scale, scale)
    with pen.artifact():
        path = canv.beginPath()
        path.rect(0, 0, art.width, art.height)
        canv.clipPath(path, stroke=0, fill=0)
    draw_slide(pen, plan, art, number, meta, parent)
    canv.restoreState()
    with pen.artifact():
        _frame(canv, x, y, width, height)
    return height


def _frame(canv: Any, x: float, y: float, width: float, height: float) -> None:
    canv.saveState()
    canv.setStrokeColor(HexColor(FRAME_COLOR))
    canv.setLineWidth(0.6)
    canv.rect(x, y, width, height, stroke=1, fill=0)
    canv.restoreState()


class SlideThumb(Flowable):  # type: ignore[misc]
    """A thumbnail as a platypus flowable, width points wide."""

    def __init__(
        self, plan: PlannedSlide, art: SlideArt, number: int, meta: Meta, width: float
    ) -> None:
        super().__init__()
        self.plan, self.art, self.number, self.meta = plan, art, number, meta
        self.width, self.height = width, art.height * width / art.width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _restrictSize(self, available_width: float, available_height: float) -> tuple[float, float]:  # noqa: N802
        """The size reportlab's ImageAndFlowables asks an image for: ours is fixed."""
        return self.width, self.height

    def _unRestrictSize(self) -> None:  # noqa: N802
        """ImageAndFlowables undoes a restriction first: there is none to undo."""

    def draw(self) -> None:
        draw_thumb(self.canv, self.plan, self.art, self.number, self.meta, (0, 0, self.width))
