"""Slide titles: unique, sized, and never failing (more lines, then cut at a word with "…").

Last step of layout: every planned slide gets its title's size; a generated title too long for
its box is shortened by rule, keeping the " (2)" that makes it unique. On a draft deck a title
that needs more than its preferred lines fills its box up to the top, where the DRAFT tag sits:
it is then fitted to the part of its box left of the tag, and the writers move it there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from builder.brand import Brand
from builder.errors import LayoutError, problem_at
from builder.fonts import metrics
from builder.measure import (
    TEXT_INSETS,
    TITLE_LINES,
    TITLE_MIN_PT,
    Box,
    fit_title,
    title_height,
    title_lines,
)
from builder.placement import Geometry, PlannedSlide, draft_tag

COVER_TITLE_LINES = 3  # the title slide's own title reads best in three lines at most
MANY_LINES = 12  # when the preferred lines cannot hold a title, as many as its box holds


def title_lines_for(kind: str) -> int:
    """Return how many lines a title should take on a slide of this kind."""
    return COVER_TITLE_LINES if kind == "title" else TITLE_LINES


def _title_max(kind: str, brand: Brand) -> int:
    extra = {"title": 8, "section": 4}.get(kind, 0)
    return max(TITLE_MIN_PT, brand.title_max_pt + extra)


def _fit_any_title(
    title: str, kind: str, boxes: tuple[Box, Box | None], brand: Brand, lang: str, suffix: str = ""
) -> tuple[str, int, Box]:
    """Return the title, its size and its box: the preferred lines in its box, then as many
    as the box holds; on a draft deck, when a line would then run under the tag (boxes: the
    title's box and the tag's), as many as the part of the box left of the tag holds; then cut.

    A cut keeps whole words where it can and always keeps the suffix (a "(2)" that makes the
    title unique), so a generated title never fails the build.
    """
    family, top = brand.heading_font, _title_max(kind, brand)
    whole, (box, tag) = title + suffix, boxes
    size = fit_title(whole, family, box, top, title_lines_for(kind), lang=lang)
    if size is not None:
        return whole, size, box
    size = fit_title(whole, family, box, top, MANY_LINES, lang=lang)
    if size is not None and not _under(tag, whole, size, box, brand, lang):
        return whole, size, box
    rest = _left_of(box, tag)
    for cut in (title, *_cuts(title)):
        size = fit_title(cut + suffix, family, rest, top, MANY_LINES, lang=lang)
        if size is not None:
            return cut + suffix, size, rest
    return "…" + suffix, TITLE_MIN_PT, rest


def _under(tag: Box | None, title: str, size: int, box: Box, brand: Brand, lang: str) -> bool:
    """Return whether a title that fills its box has a line under the DRAFT tag: one whose
    top may lie above the tag's foot and whose end reaches past the tag's left edge."""
    tag = _clash(box, tag)
    if tag is None:
        return False
    face = metrics(brand.heading_font.bold)
    step = title_height(1, size, brand.heading_font) - title_height(0, size, brand.heading_font)
    for i, line in enumerate(title_lines(title, brand.heading_font, size, box, lang)):
        top = box.y + TEXT_INSETS.top + i * step
        if top < tag.y + tag.h and box.x + TEXT_INSETS.x + face.width(line, size) > tag.x:
            return True
    return False


def _left_of(box: Box, tag: Box | None) -> Box:
    """Return the part of a title's box left of the DRAFT tag (the box if the tag is clear)."""
    tag = _clash(box, tag)
    return box if tag is None else Box(box.x, box.y, tag.x - 6.0 - box.x, box.h)


def _clash(box: Box, tag: Box | None) -> Box | None:
    """Return the (top right) DRAFT tag if it reaches into box, else None."""
    if tag is not None and box.x < tag.x < box.x + box.w and box.y < tag.y + tag.h:
        return tag
    return None


def _cuts(title: str) -> Iterator[str]:
    """Yield ever shorter cuts of title ending in "…": at word ends, then (one long word) letters."""
    kept = title.split()
    while len(kept) > 1:
        kept.pop()
        yield " ".join(kept).rstrip(",;:·—–-") + "…"
    word = kept[0] if kept else ""
    for end in range(len(word) - 1, 0, -max(1, len(word) // 40)):
        yield word[:end] + "…"


def fit_titles(
    planned: list[PlannedSlide], geometry: Geometry, brand: Brand, lang: str, draft: bool = False
) -> list[PlannedSlide]:
    """Make titles unique (PowerPoint's accessibility checker asks for it) and size them."""
    seen: set[str] = set()
    out = []
    tag = draft_tag(geometry.width) if draft else None
    for p in planned:
        if not p.title.strip():
            raise LayoutError(problem_at(p.slide.at, "expected a non-empty slide title"))
        kind, n = p.slide.kind, 2
        boxes = (geometry.frames[kind].title, tag)
        title, size, box = _fit_any_title(p.title, kind, boxes, brand, lang)
        while title.casefold() in seen:
            title, size, box = _fit_any_title(p.title, kind, boxes, brand, lang, f" ({n})")
            n += 1
        seen.add(title.casefold())
        moved = box if box != boxes[0] else None
        out.append(replace(p, title=title, title_pt=size, title_box=moved))
    return out
