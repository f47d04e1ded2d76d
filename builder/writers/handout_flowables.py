"""The handout's drawn flowables: quote panels, process diagrams, figures and lines for notes.

Used by the handout writer, which maps document blocks to flowables; these draw themselves on
reportlab's canvas and split across pages where a reader would expect it.
"""

from __future__ import annotations

import io
import math
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as Para

from builder.document import Figure
from builder.figures import MIN_DPI, MIN_SHARE
from builder.images import pixels_for, prepared
from builder.writers.pdf_kit import pen
from builder.writers.pdf_tags import Node, Tags

NOTE_SPACING = 26.0


class Quote(Flowable):  # type: ignore[misc]
    """A quote on a light panel with a rule in the brand color, its attribution below."""

    PAD, RULE, GAP = 11.0, 3.0, 5.0

    def __init__(
        self, quote: Para, by: Para | None, palette: dict[str, Any], tags: Tags, nodes: list[Node]
    ) -> None:
        super().__init__()
        self.parts = [p for p in (quote, by) if p is not None]
        self.quote, self.by, self.palette = quote, by, palette
        self.spaceBefore, self.spaceAfter = 6, 14
        # the quote's text and its attribution: one element each, whichever part draws them
        self.tags, self.nodes = tags, nodes

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        heights = [p.wrap(aw - 2 * self.PAD - self.RULE, ah)[1] for p in self.parts]
        self.width, self.height = aw, sum(heights) + self.GAP * (len(heights) - 1) + 2 * self.PAD
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        parts = self.quote.split(aw - 2 * self.PAD - self.RULE, ah - 2 * self.PAD)
        if len(parts) < 2:
            return []
        site = (self.tags, self.nodes)
        return [
            Quote(parts[0], None, self.palette, *site),
            Quote(parts[1], self.by, self.palette, *site),
        ]

    def draw(self) -> None:
        with self.tags.artifact(self.canv), pen(self.canv, fill=self.palette["light"]) as canv:
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canv.setFillColor(self.palette["secondary"])
            canv.rect(0, 0, self.RULE, self.height, stroke=0, fill=1)
        y = self.height - self.PAD
        for part in self.parts:
            y -= part.height
            with self.tags.marked(self.canv, self.nodes[part is self.by]):
                part.drawOn(self.canv, self.RULE + self.PAD, y)
            y -= self.GAP


class Process(Flowable):  # type: ignore[misc]
    """A process: numbered rounded boxes joined by arrows, in one row if it fits, else a column.

    Box text is laid out by Paragraph, which measures each word with the registered font's
    metrics (pdfmetrics.stringWidth) and breaks over-long words, so no text leaves its box.
    """

    PAD, BADGE, ARROW, MIN_BOX, MAX_ROW = 9.0, 18.0, 20.0, 96.0, 230.0

    def __init__(
        self,
        caption: Para | None,
        steps: list[tuple[Para, Para]],
        look: tuple[dict[str, Any], str],
        tags: Tags,
        nodes: tuple[Node | None, list[tuple[Node, Node]]],
        first: int = 1,
        column: bool = False,
    ) -> None:
        super().__init__()
        self.caption, self.steps, self.first = caption, steps, first
        self.palette, self.badge_font = look
        # the caption's element, then each step's label (its number) and body (name, text)
        self.tags, self.nodes = tags, nodes
        self.column = column  # the parts of a split column stay a column
        self.spaceBefore, self.spaceAfter = 6, 14
        self.row, self.top = False, 0.0
        self.boxes: list[tuple[float, float, float, float]] = []

    def _text_h(self, step: tuple[Para, Para], width: float) -> float:
        return float(sum(p.wrap(width, 1e6)[1] for p in step) + step[0].style.spaceAfter)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        n = len(self.steps)
        box_w = (aw - (n - 1) * self.ARROW) / max(n, 1)
        row_h = max((self._text_h(s, box_w - 2 * self.PAD) for s in self.steps), default=0.0)
        self.row = not self.column and box_w >= self.MIN_BOX and row_h <= self.MAX_ROW
        h = row_h + self.BADGE + 6 + 2 * self.PAD
        self.boxes = [(i * (box_w + self.ARROW), 0.0, box_w, h) for i in range(n)]
        if not self.row:  # boxes as (x, distance below the top, width, height)
            self.boxes, y = [], 0.0
            for step in self.steps:
                h = max(self._text_h(step, aw - 3 * self.PAD - self.BADGE), self.BADGE)
                self.boxes.append((0.0, y, aw, h + 2 * self.PAD))
                y += h + 2 * self.PAD + self.ARROW
        self.top = self.caption.wrap(aw, 1e6)[1] + 8 if self.caption is not None else 0.0
        self.width = aw
        self.height = self.top + max((y + h for _, y, _, h in self.boxes), default=0.0)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        fit = sum(1 for _, y, _, h in self.boxes if self.top + y + h <= ah)
        if self.row or fit in (0, len(self.steps)):
            return []
        head, tail, look = self.steps[:fit], self.steps[fit:], (self.palette, self.badge_font)
        caption, items = self.nodes
        return [
            Process(self.caption, head, look, self.tags, (caption, items[:fit]), self.first, True),
            Process(None, tail, look, self.tags, (None, items[fit:]), self.first + fit, True),
        ]

    def draw(self) -> None:
        if self.caption is not None and self.nodes[0] is not None:
            self.caption.wrap(self.width, 1e6)
            with self.tags.marked(self.canv, self.nodes[0]):
                self.caption.drawOn(self.canv, 0, self.height - self.top + 8)
        inset = (
            (self.PAD, self.PAD + self.BADGE + 6)
            if self.row
            else (2 * self.PAD + self.BADGE, self.PAD)
        )
        # Step by step, so the structure reads as a list: number, name, text, then the next.
        for i, (step, (x, y, w, h)) in enumerate(zip(self.steps, self.boxes, strict=True)):
            top = self.height - self.top - y
            label, body = self.nodes[1][i]
            with self.tags.artifact(self.canv):
                self._panel(x, top - h, w, h)
                if i + 1 < len(self.boxes):
                    self._link((x, top, w, h), self.boxes[i + 1])
            with self.tags.marked(self.canv, label):
                self._badge(x + self.PAD + self.BADGE / 2, top - self.PAD - self.BADGE / 2, i)
            with self.tags.marked(self.canv, body):
                self._text(step, x + inset[0], top - inset[1], w - inset[0] - self.PAD)

    def _link(self, box: tuple[float, float, float, float], nxt: tuple[float, ...]) -> None:
        x, top, w, h = box
        if self.row:
            self._arrow(x + w + 3, top - h / 2, nxt[0] - 3, top - h / 2)
        else:
            mid = x + self.PAD + self.BADGE / 2
            self._arrow(mid, top - h - 3, mid, top - h - self.ARROW + 3)

    def _panel(self, x: float, y: float, w: float, h: float) -> None:
        p = self.palette
        with pen(self.canv, fill=p["light"], stroke=p["primary"], width=0.75) as canv:
            canv.roundRect(x, y, w, h, 6, stroke=1, fill=1)

    def _badge(self, cx: float, cy: float, index: int) -> None:
        with pen(self.canv, fill=self.palette["accent"]) as canv:
            canv.circle(cx, cy, self.BADGE / 2, stroke=0, fill=1)
            canv.setFillColor(self.palette["white"])
            canv.setFont(self.badge_font, 9.5)
            canv.drawCentredString(cx, cy - 3.4, str(self.first + index))

    def _text(self, step: tuple[Para, Para], x: float, top: float, width: float) -> None:
        name, text = step
        top -= name.wrap(width, 1e6)[1]
        name.drawOn(self.canv, x, top)
        text.drawOn(self.canv, x, top - name.style.spaceAfter - text.wrap(width, 1e6)[1])

    def _arrow(self, x0: float, y0: float, x1: float, y1: float, head: float = 5.0) -> None:
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx, by = x1 - ux * head, y1 - uy * head
        color = self.palette["secondary"]
        with pen(self.canv, fill=color, stroke=color, width=1.5) as canv:
            canv.line(x0, y0, bx, by)
            path = canv.beginPath()
            path.moveTo(x1, y1)
            path.lineTo(bx - uy * head * 0.8, by + ux * head * 0.8)
            path.lineTo(bx + uy * head * 0.8, by - ux * head * 0.8)
            path.close()
            canv.drawPath(path, stroke=0, fill=1)


class FigureImage(Flowable):  # type: ignore[misc]
    """An image at the column's width (at most max_height tall, its aspect kept, never drawn
    larger than MIN_DPI allows), its caption and credit under it: never split from them.
    Near a page's foot it shrinks to the room left, down to MIN_SHARE of its size."""

    GAP = 5.0

    def __init__(
        self, figure: Figure, texts: list[Para], max_height: float, tags: Tags, nodes: list[Node]
    ) -> None:
        super().__init__()
        self.figure, self.texts, self.max_height = figure, texts, max_height
        self.tags, self.nodes = tags, nodes  # the Figure (with its alt), then one per text
        self.spaceBefore, self.spaceAfter = 6, 12
        self.image_w = self.image_h = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        w, h = self.figure.width, self.figure.height
        scale = min(aw / w, self.max_height / h, 72 / MIN_DPI)
        text = sum(p.wrap(aw, 1e6)[1] + p.style.spaceAfter for p in self.texts)
        text += self.GAP if self.texts else 0.0
        if h * scale + text > ah >= h * scale * MIN_SHARE + text:
            scale = (ah - text) / h
        self.image_w, self.image_h = w * scale, h * scale
        self.width, self.height = aw, self.image_h + text
        return self.width, self.height

    def draw(self) -> None:
        f = self.figure
        size = pixels_for(f.width, f.height, self.image_w, self.image_h)
        data = prepared(f.path, size, f.at).data
        top = self.height - self.image_h
        with self.tags.marked(self.canv, self.nodes[0]):
            self.canv.drawImage(
                ImageReader(io.BytesIO(data)), 0, top, self.image_w, self.image_h, mask="auto"
            )
        y = top - self.GAP
        for text, node in zip(self.texts, self.nodes[1:], strict=True):
            y -= text.wrap(self.width, 1e6)[1]
            with self.tags.marked(self.canv, node):
                text.drawOn(self.canv, 0, y)
            y -= text.style.spaceAfter


class NoteLines(Flowable):  # type: ignore[misc]
    """Ruled lines to write on, NOTE_SPACING apart; splits across pages between lines."""

    def __init__(self, count: int, color: Any) -> None:
        super().__init__()
        self.count, self.color = max(count, 0), color
        self.spaceBefore, self.spaceAfter = 4, 10

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, self.count * NOTE_SPACING
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        fit = int(ah // NOTE_SPACING)
        if fit < 1 or fit >= self.count:
            return []
        return [NoteLines(fit, self.color), NoteLines(self.count - fit, self.color)]

    def draw(self) -> None:
        with pen(self.canv, stroke=self.color, width=0.6) as canv:
            for i in range(self.count):
                canv.line(0, i * NOTE_SPACING, self.width, i * NOTE_SPACING)


class TickBox(Flowable):  # type: ignore[misc]
    """An empty square to tick, drawn (kit fonts may have no box glyph), on the first line."""

    def __init__(self, size: float, color: Any, leading: float) -> None:
        super().__init__()
        self.size, self.color, self.leading = size, color, leading

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.leading

    def draw(self) -> None:
        with pen(self.canv, stroke=self.color, width=0.9) as canv:
            bottom = (self.leading - self.size) / 2 + 1
            canv.rect(0, bottom, self.size, self.size, stroke=1, fill=0)
