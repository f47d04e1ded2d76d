"""The pen every slide drawing goes through: slide points onto a reportlab canvas, text frames
as clients lay them out (builder.writers.slide_text), in the brand's registered faces.

With tags, the pen writes what it draws as marked content: text into the structure elements
builder.writers.slide_tags gives it, shapes and pictures as artifacts (see pdf_tags).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader

from builder.measure import Box
from builder.placement import STEP_CORNER, QuotePart, TextPart
from builder.writers.pdf_kit import Faces, register
from builder.writers.pdf_tags import Node, Tags
from builder.writers.slide_art import SlideArt, TextSlot
from builder.writers.slide_tags import Target, para_targets
from builder.writers.slide_text import Frame, Ink, Line, Piece, frame_lines


@dataclass
class Pen:
    """A canvas, the slide's height (to flip y), faces by family, whether to link URLs, and
    the structure tree being drawn (None: untagged)."""

    canv: Any
    height: float
    faces: dict[str, Faces]
    links: bool = True
    tags: Tags | None = None
    _urls: dict[Node, str] = field(default_factory=dict)  # the URL of each Link drawn

    def y(self, top: float) -> float:
        return self.height - top

    def marked(self, node: Node) -> AbstractContextManager[None]:
        """Return a context drawing its content as marked content of node (if tagged)."""
        return nullcontext() if self.tags is None else self.tags.marked(self.canv, node)

    def artifact(self, kind: str = "Layout", subtype: str = "") -> AbstractContextManager[None]:
        """Return a context drawing its content as an artifact (if tagged)."""
        if self.tags is None:
            return nullcontext()
        return self.tags.artifact(self.canv, kind, subtype)

    def fill_box(
        self, box: Box, color: str, kind: str = "rect", line: str = "", lw: float = 0
    ) -> None:
        """Fill (and stroke) a rectangle, rounded rectangle or oval in slide points (an
        artifact: every filled shape of a slide is decoration)."""
        with self.artifact():
            self.canv.saveState()
            self.canv.setFillColor(HexColor(color)) if color else None
            if line:
                self.canv.setStrokeColor(HexColor(line))
                self.canv.setLineWidth(lw)
            self._shape(box, kind, int(bool(color)), int(bool(line)))
            self.canv.restoreState()

    def _shape(self, box: Box, kind: str, fill: int, stroke: int) -> None:
        c, y = self.canv, self.y(box.y + box.h)
        if kind == "ellipse":
            c.ellipse(box.x, y, box.x + box.w, y + box.h, stroke=stroke, fill=fill)
        elif kind == "roundRect":
            radius = STEP_CORNER * min(box.w, box.h)
            c.roundRect(box.x, y, box.w, box.h, radius, stroke=stroke, fill=fill)
        else:
            c.rect(box.x, y, box.w, box.h, stroke=stroke, fill=fill)

    def lines(
        self, lines: Sequence[Line], family: str, marker: str = "", into: Sequence[Target] = ()
    ) -> None:
        """Draw text lines: every piece in its face, markers in the marker colour.

        into: the element of each paragraph (by a line's para); empty: the caller has opened
        an artifact around the lines.
        """
        for line in lines:
            target = into[line.para] if into else None
            if line.marker:
                with self._into(target.label or target.body if target else None):
                    self._marker(line, family, marker)
            x = line.x
            for url, group in groupby(line.pieces, key=lambda p: p.url if self.links else ""):
                with self._into(self._link(target.body, url) if target else None):
                    x = self._pieces(line, family, x, list(group))

    def _into(self, node: Node | None) -> AbstractContextManager[None]:
        return nullcontext() if node is None else self.marked(node)

    def _link(self, body: Node, url: str) -> Node:
        """Return the element a stretch of text goes in: body, or a Link in it for a URL (the
        same Link as the stretch before when a URL goes on over a line break)."""
        if not url:
            return body
        last = body.kids[-1] if body.kids else None
        if isinstance(last, Node) and self._urls.get(last) == url:
            return last
        link = body.add("Link")
        self._urls[link] = url
        return link

    def _marker(self, line: Line, family: str, color: str) -> None:
        faces, c = self.faces[family], self.canv
        c.setFillColor(HexColor(color or line.color))
        c.setFont(faces.face(line.pieces[0].bold if line.pieces else False), line.size)
        c.drawString(line.marker_x, self.y(line.baseline), line.marker)

    def _pieces(self, line: Line, family: str, x: float, pieces: Sequence[Piece]) -> float:
        """Draw pieces of a line from x, linking URLs; return where the next piece starts."""
        faces, c, base = self.faces[family], self.canv, self.y(line.baseline)
        for piece in pieces:
            face = faces.face(piece.bold, piece.italic)
            c.setFont(face, line.size)
            c.setFillColor(HexColor(line.color))
            c.drawString(x, base, piece.text)
            width = c.stringWidth(piece.text, face, line.size)
            if piece.url and self.links:
                area = (x, base - 0.25 * line.size, x + width, base + 0.9 * line.size)
                c.linkURL(piece.url, area, relative=1)
            x += width
        return x

    def picture(self, data: bytes, box: Box) -> None:
        """Draw an image scaled into box, proportions kept (right-aligned, centred): a logo or
        a template's picture, an artifact."""
        reader = ImageReader(io.BytesIO(data))
        iw, ih = reader.getSize()
        scale = min(box.w / iw, box.h / ih)
        w, h = iw * scale, ih * scale
        x, top = box.x + box.w - w, box.y + (box.h - h) / 2
        with self.artifact():
            self.canv.drawImage(reader, x, self.y(top + h), w, h, mask="auto")


def pen_for(canv: Any, art: SlideArt, links: bool = True, tags: Tags | None = None) -> Pen:
    """Return a pen for drawing slides of this art on canv (tagged into tags, if given)."""
    brand = art.brand
    faces = {"body": register(brand.body_font), "heading": register(brand.heading_font)}
    return Pen(canv, art.height, faces, links, tags)


def ink(color: str, art: SlideArt) -> Ink:
    c = art.brand.colors
    return Ink(color, c.primary, c.secondary, color)


def draw_text(
    pen: Pen,
    part: TextPart | QuotePart,
    slot: TextSlot,
    art: SlideArt,
    color: str,
    parent: Node,
    floor: int = 0,
) -> None:
    """Draw a text part's paragraphs in slot, each tagged as an element under parent."""
    frame = Frame(part.box, slot.insets, slot.anchor)
    family = art.brand.body_font
    lines = frame_lines(
        part.paras, frame, family, part.size, floor or art.brand.body_min_pt, ink(color, art)
    )
    pen.lines(lines, "body", art.brand.colors.secondary, para_targets(parent, part.paras))
