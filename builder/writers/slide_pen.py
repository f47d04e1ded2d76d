"""The pen every slide drawing goes through: slide points onto a reportlab canvas, text frames
as clients lay them out (builder.writers.slide_text), in the brand's registered faces.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader

from builder.measure import Box
from builder.placement import STEP_CORNER, QuotePart, TextPart
from builder.writers.pdf_kit import Faces, register
from builder.writers.slide_art import SlideArt, TextSlot
from builder.writers.slide_text import Frame, Ink, Line, frame_lines


@dataclass
class Pen:
    """A canvas, the slide's height (to flip y), faces by family, and whether to link URLs."""

    canv: Any
    height: float
    faces: dict[str, Faces]
    links: bool = True

    def y(self, top: float) -> float:
        return self.height - top

    def fill_box(
        self, box: Box, color: str, kind: str = "rect", line: str = "", lw: float = 0
    ) -> None:
        """Fill (and stroke) a rectangle, rounded rectangle or oval in slide points."""
        c = self.canv
        c.saveState()
        c.setFillColor(HexColor(color)) if color else None
        if line:
            c.setStrokeColor(HexColor(line))
            c.setLineWidth(lw)
        y = self.y(box.y + box.h)
        fill, stroke = int(bool(color)), int(bool(line))
        if kind == "ellipse":
            c.ellipse(box.x, y, box.x + box.w, y + box.h, stroke=stroke, fill=fill)
        elif kind == "roundRect":
            radius = STEP_CORNER * min(box.w, box.h)
            c.roundRect(box.x, y, box.w, box.h, radius, stroke=stroke, fill=fill)
        else:
            c.rect(box.x, y, box.w, box.h, stroke=stroke, fill=fill)
        c.restoreState()

    def lines(self, lines: Sequence[Line], family: str, marker: str = "") -> None:
        """Draw text lines: every piece in its face, markers in the marker colour."""
        faces, c = self.faces[family], self.canv
        for line in lines:
            base = self.y(line.baseline)
            if line.marker:
                c.setFillColor(HexColor(marker or line.color))
                c.setFont(faces.face(line.pieces[0].bold if line.pieces else False), line.size)
                c.drawString(line.marker_x, base, line.marker)
            x = line.x
            for piece in line.pieces:
                face = faces.face(piece.bold, piece.italic)
                c.setFont(face, line.size)
                c.setFillColor(HexColor(line.color))
                c.drawString(x, base, piece.text)
                width = c.stringWidth(piece.text, face, line.size)
                if piece.url and self.links:
                    area = (x, base - 0.25 * line.size, x + width, base + 0.9 * line.size)
                    c.linkURL(piece.url, area, relative=1)
                x += width

    def picture(self, data: bytes, box: Box) -> None:
        """Draw an image scaled into box, proportions kept (right-aligned, centred)."""
        reader = ImageReader(io.BytesIO(data))
        iw, ih = reader.getSize()
        scale = min(box.w / iw, box.h / ih)
        w, h = iw * scale, ih * scale
        x, top = box.x + box.w - w, box.y + (box.h - h) / 2
        self.canv.drawImage(reader, x, self.y(top + h), w, h, mask="auto")


def pen_for(canv: Any, art: SlideArt, links: bool = True) -> Pen:
    """Return a pen for drawing slides of this art on canv."""
    brand = art.brand
    faces = {"body": register(brand.body_font), "heading": register(brand.heading_font)}
    return Pen(canv, art.height, faces, links)


def ink(color: str, art: SlideArt) -> Ink:
    c = art.brand.colors
    return Ink(color, c.primary, c.secondary, color)


def draw_text(
    pen: Pen, part: TextPart | QuotePart, slot: TextSlot, art: SlideArt, color: str, floor: int = 0
) -> None:
    frame = Frame(part.box, slot.insets, slot.anchor)
    family = art.brand.body_font
    lines = frame_lines(
        part.paras, frame, family, part.size, floor or art.brand.body_min_pt, ink(color, art)
    )
    pen.lines(lines, "body", art.brand.colors.secondary)
