"""Text frames of a slide as positioned lines, the way a client lays out the .pptx we write.

Used by the slide drawer (vector PDF of the deck). The deck writer puts measure's breaks inside
long words and URLs into the file as explicit breaks; a client then wraps the rest greedily at
the frame's full inner width. This module does the same from the same runs, so every line of
deck.pdf holds the words of the matching line in PowerPoint or LibreOffice, at its baseline.
Pure functions in slide points (y down from the slide's top).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from builder.client_wrap import drawn_runs
from builder.document import Inline, Run
from builder.fonts import FontFamily, metrics
from builder.measure import (
    BODY_SPACING,
    BOLD_STYLES,
    LINE_HEIGHT,
    MARKED_STYLES,
    Box,
    Insets,
    Para,
    indent,
    para_size,
    space_before,
    wrap_runs,
)
from builder.writers.pptx_text import link_targets


@dataclass(frozen=True)
class Piece:
    """A stretch of one line in one face; url when it is (part of) a link."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str = ""


@dataclass(frozen=True)
class Line:
    """One drawn line: where its text starts, its baseline, size, colour and pieces.

    marker is a bullet or number drawn at marker_x (hanging indent); empty for none. para is
    the index of its paragraph in the frame (the tagged PDF's element the line belongs to).
    """

    x: float
    baseline: float
    size: float
    color: str
    pieces: tuple[Piece, ...]
    marker: str = ""
    marker_x: float = 0.0
    width: float = 0.0
    para: int = 0


@dataclass(frozen=True)
class Ink:
    """The colours a frame's text uses: text, the bold names of steps, markers, links."""

    text: str
    name: str
    marker: str
    link: str


@dataclass(frozen=True)
class Frame:
    """A text frame as the .pptx describes it: box, insets, anchor (t, ctr, b), line spacing."""

    box: Box
    insets: Insets
    anchor: str = "t"
    spacing: float = BODY_SPACING
    natural: bool = False  # lines spaced by the font's own height (LibreOffice's table cells)


def line_metrics(
    family: FontFamily, size: float, spacing: float, natural: bool = False
) -> tuple[float, float]:
    """Return (baseline below a line's top, line pitch) as clients space our frames.

    In a text frame a line is 1.2 em whatever the font, the baseline 1 em down; below 100%
    the line shrinks and the ascent becomes at most 0.8 of it (LibreOffice, measured on every
    line of our decks in Arial, Carlito and Atkinson Hyperlegible). natural: the font's own
    ascent and descent, as LibreOffice spaces the lines of a table cell.
    """
    if natural:
        face = metrics(family.regular)
        return face.ascent * size, (face.ascent + face.descent) * size * spacing
    pitch = LINE_HEIGHT * size * spacing
    return min(size, 0.8 * pitch), pitch


def frame_lines(
    paras: Sequence[Para],
    frame: Frame,
    family: FontFamily,
    size: int,
    floor: int,
    ink: Ink,
) -> list[Line]:
    """Return the lines of paras in frame at body size, anchored as the frame says."""
    inner = frame.box.w - 2 * frame.insets.x
    lines: list[Line] = []
    y = 0.0
    for i, para in enumerate(paras):
        s = para_size(para, size, floor)
        if i:
            y += space_before(s)
        drawn = _para_lines(para, family, s, inner, frame, ink)
        ascent, pitch = line_metrics(family, s, frame.spacing, frame.natural)
        for line in drawn:
            lines.append(replace(line, baseline=y + ascent, para=i))
            y += pitch
    return _anchored(lines, y, frame)


def _anchored(lines: list[Line], height: float, frame: Frame) -> list[Line]:
    """Move lines from a top of 0 to where the frame's anchor puts a block of height."""
    box, insets = frame.box, frame.insets
    room = box.h - insets.top - insets.bottom
    top = box.y + insets.top
    if frame.anchor == "ctr":
        top += (room - height) / 2
    elif frame.anchor == "b":
        top += room - height
    return [replace(line, baseline=line.baseline + top) for line in lines]


def _para_lines(
    para: Para, family: FontFamily, size: int, inner: float, frame: Frame, ink: Ink
) -> list[Line]:
    """Return a paragraph's lines (baselines from 0), wrapped at the frame's full width."""
    bold = para.style in BOLD_STYLES
    runs = tuple(
        Run(r.text, r.bold or bold, r.italic) for r in drawn_runs(para, family, size, inner)
    )
    left, first = indent(para, size)
    marked = para.style in MARKED_STYLES
    start = left if marked else left + first
    texts = wrap_runs(runs, family, size, inner - start, inner - left, para.lang)
    color = ink.name if para.style == "name" else ink.text
    x0 = frame.box.x + frame.insets.x
    out = []
    for n, pieces in enumerate(_pieces(runs, texts)):
        x = x0 + (start if n == 0 else left)
        marker = (_marker(para) if marked and n == 0 else "", x0 + left + first)
        width = _width(pieces, family, size)
        if para.style == "by":  # right-aligned attribution
            x = x0 + inner - width
        out.append(Line(x, 0.0, size, color, pieces, *marker, width))
    return out


def _marker(para: Para) -> str:
    return f"{max(para.number, 1)}." if para.style == "number" else "•"


def _width(pieces: Sequence[Piece], family: FontFamily, size: float) -> float:
    return sum(metrics(family.face(p.bold, p.italic)).width(p.text, size) for p in pieces)


def _pieces(runs: Inline, lines: Sequence[str]) -> list[tuple[Piece, ...]]:
    """Cut runs into the pieces of each wrapped line (styles and links kept)."""
    text = "".join(r.text for r in runs)
    styles = [(r.bold, r.italic) for r in runs for _ in r.text]
    links = link_targets(tuple(runs))  # the words the deck writer links, not the URL
    out: list[tuple[Piece, ...]] = []
    pos = 0
    for line in lines:
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        mark = "" if text.startswith(line, pos) else line[-1:]
        body = line[: len(line) - len(mark)]
        pieces = _split(text, styles, links, pos, pos + len(body))
        if mark:  # a hyphen the wrapper added: take the style of the letter before it
            pieces.append(Piece(mark, *(styles[pos + len(body) - 1] if body else (False, False))))
        out.append(tuple(pieces))
        pos += len(body)
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] == "\n":
            pos += 1
    return out


def _split(
    text: str, styles: list[tuple[bool, bool]], links: list[str], start: int, end: int
) -> list[Piece]:
    pieces: list[Piece] = []
    for i in range(start, end):
        key = (*styles[i], links[i])
        if pieces and (pieces[-1].bold, pieces[-1].italic, pieces[-1].url) == key:
            last = pieces[-1]
            pieces[-1] = Piece(last.text + text[i], *key)
        else:
            pieces.append(Piece(text[i], *key))
    return pieces
