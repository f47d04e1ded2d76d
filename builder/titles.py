"""Slide titles: unique, sized, and never failing (more lines, then cut at a word with "…").

Last step of layout: every planned slide gets its title's size; a generated title too long for
its box is shortened by rule, keeping the " (2)" that makes it unique.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from builder.brand import Brand
from builder.errors import LayoutError, problem_at
from builder.measure import TITLE_LINES, TITLE_MIN_PT, Box, fit_title
from builder.placement import Geometry, PlannedSlide

COVER_TITLE_LINES = 3  # the title slide's own title reads best in three lines at most
MANY_LINES = 12  # when the preferred lines cannot hold a title, as many as its box holds


def title_lines_for(kind: str) -> int:
    """Return how many lines a title should take on a slide of this kind."""
    return COVER_TITLE_LINES if kind == "title" else TITLE_LINES


def _title_max(kind: str, brand: Brand) -> int:
    extra = {"title": 8, "section": 4}.get(kind, 0)
    return max(TITLE_MIN_PT, brand.title_max_pt + extra)


def _fit_any_title(
    title: str, kind: str, box: Box, brand: Brand, lang: str, suffix: str = ""
) -> tuple[str, int]:
    """Return the title and its size: preferred lines, then as many as the box holds, then cut.

    A cut keeps whole words where it can and always keeps the suffix (a "(2)" that makes the
    title unique), so a generated title never fails the build.
    """
    family, top = brand.heading_font, _title_max(kind, brand)
    whole = title + suffix
    for lines in (title_lines_for(kind), MANY_LINES):
        size = fit_title(whole, family, box, top, lines, lang=lang)
        if size is not None:
            return whole, size
    for cut in _cuts(title):
        size = fit_title(cut + suffix, family, box, top, MANY_LINES, lang=lang)
        if size is not None:
            return cut + suffix, size
    return "…" + suffix, TITLE_MIN_PT


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
    planned: list[PlannedSlide], geometry: Geometry, brand: Brand, lang: str
) -> list[PlannedSlide]:
    """Make titles unique (PowerPoint's accessibility checker asks for it) and size them."""
    seen: set[str] = set()
    out = []
    for p in planned:
        if not p.title.strip():
            raise LayoutError(problem_at(p.slide.at, "expected a non-empty slide title"))
        box, n = geometry.frames[p.slide.kind].title, 2
        title, size = _fit_any_title(p.title, p.slide.kind, box, brand, lang)
        while title.casefold() in seen:
            title, size = _fit_any_title(p.title, p.slide.kind, box, brand, lang, f" ({n})")
            n += 1
        seen.add(title.casefold())
        out.append(replace(p, title=title, title_pt=size))
    return out
