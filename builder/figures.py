"""Figures on a slide: an image scaled into a region, its caption and credit line under it.

Placement calls `fit_figure` for a figure that fills the body or its column beside the text.
Pure functions in points: the image keeps its aspect, is centred, and only ever scales down;
layout keeps a figure off a slide where it would come out much smaller than it could be.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.document import Figure
from builder.fonts import FontFamily
from builder.measure import TEXT_INSETS, Box, Para, text_height

BESIDE_SHARE = 0.45  # beside text, the image's column takes this share of the body's width
MIN_SHARE = 0.6  # a figure shares a slide only at this share of its width alone on the slide
CAPTION_GAP = 4.0  # between the image and its caption
CAPTION_MIN_WIDTH = 420.0  # a narrow image's caption may be wider than the image
MIN_DPI = 96  # a small image is drawn no larger than this many pixels an inch: larger blurs


@dataclass(frozen=True)
class FigurePart:
    """An image drawn in box (its aspect), its caption and credit in text_box at size points."""

    box: Box
    figure: Figure
    size: int
    paras: tuple[Para, ...] = ()
    text_box: Box | None = None


def figure_paras(figure: Figure, lang: str = "") -> tuple[Para, ...]:
    """Return the paragraphs under an image: its caption, then its credit."""
    texts = (figure.caption, figure.credit)
    return tuple(Para(runs, "body", at=figure.at, lang=lang) for runs in texts if runs)


def _scaled(figure: Figure, room: Box) -> Box | None:
    """Return the image's box inside room: the largest with its aspect, centred, at MIN_DPI or
    more. None when the room has no height left."""
    if room.w <= 0 or room.h <= 0:
        return None
    scale = min(room.w / figure.width, room.h / figure.height, 72 / MIN_DPI)
    w, h = figure.width * scale, figure.height * scale
    return Box(room.x + (room.w - w) / 2, room.y, w, h)


def fit_figure(
    figure: Figure, region: Box, family: FontFamily, size: int, lang: str = ""
) -> FigurePart | None:
    """Return the figure with its caption under it (at size: the slide's smallest, so the image
    gets the room), centred in region, or None when no room.

    The caption is as wide as the image would be under a caption of the region's width (at
    least CAPTION_MIN_WIDTH): narrowing it to the final image would make it taller, the image
    smaller, and so on down.
    """
    paras = figure_paras(figure, lang)
    first = _under(figure, region, paras, region.w, family, size)
    if first is None:
        return None
    wide = max(first[0].box.w, CAPTION_MIN_WIDTH) + 2 * TEXT_INSETS.x
    width = min(region.w, wide) if paras else region.w
    found = _under(figure, region, paras, width, family, size)
    return _centred(found[0], region, width, found[1]) if found is not None else None


def _under(
    figure: Figure,
    region: Box,
    paras: tuple[Para, ...],
    width: float,
    family: FontFamily,
    size: int,
) -> tuple[FigurePart, float] | None:
    """Return the image above a caption width points wide, and the caption's height + gap."""
    need = text_height(paras, family, size, width, size) + CAPTION_GAP if paras else 0.0
    image = _scaled(figure, Box(region.x, region.y, region.w, region.h - need))
    return (FigurePart(image, figure, size, paras), need) if image is not None else None


def _centred(part: FigurePart, region: Box, width: float, need: float) -> FigurePart:
    """Return the part moved to the middle of region, its caption box centred under the image
    (its text, inside the frame's insets, lines up with a full-width image's edge)."""
    top = region.y + (region.h - part.box.h - need) / 2
    box = Box(part.box.x, top, part.box.w, part.box.h)
    if not part.paras:
        return FigurePart(box, part.figure, part.size)
    centre = box.x + box.w / 2
    left = min(max(region.x, centre - width / 2), region.x + region.w - width)
    text = Box(left, top + box.h + CAPTION_GAP, width, need - CAPTION_GAP)
    return FigurePart(box, part.figure, part.size, part.paras, text)


def big_enough(part: FigurePart, alone: FigurePart | None) -> bool:
    """Return whether a figure sharing a slide keeps MIN_SHARE of its width alone on one."""
    return alone is None or part.box.w >= MIN_SHARE * alone.box.w - 0.5
