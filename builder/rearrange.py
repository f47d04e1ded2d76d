"""Rearranging slides before they are planned: the title slide's presenters and sparse slides.

Layout calls these with `fits`, which plans one slide and says whether it fits on one slide.
A title slide that cannot hold its details moves its presenters to the optional slide after it;
neighbouring slides marked merge share one slide while their text stays large.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from builder.document import Block, Heading, ListBlock, Paragraph, Run, Slide
from builder.placement import MAX_BULLETS, Frame, Geometry, PlannedSlide

MERGE_MIN_PT = 24  # neighbours share a slide only if their text stays this large
SPARSE_ITEMS = 2  # a slide of one or two items may join a neighbour down to SPARSE_MIN_PT
SPARSE_MIN_PT = 20

Fits = Callable[[Slide, Frame], "PlannedSlide | None"]


def _joined(slide: Slide, style: str) -> Slide:
    """Return the slide with its paragraphs of this style joined into one, with " · "."""
    found = [b for b in slide.blocks if isinstance(b, Paragraph) and b.style == style]
    if len(found) < 2:
        return slide
    runs: list[Run] = []
    for i, p in enumerate(found):
        runs.extend([*([Run(" · ")] if i else []), *p.runs])
    joined = Paragraph(tuple(runs), found[0].style, found[0].line, found[0].at)
    first = slide.blocks.index(found[0])
    rest = [b for b in slide.blocks if b not in found]
    return replace(slide, blocks=(*rest[:first], joined, *rest[first:]))


def _without_presenters(slide: Slide) -> Slide:
    kept = (b for b in slide.blocks if not (isinstance(b, Paragraph) and b.style == "presenter"))
    return replace(slide, blocks=tuple(kept))


def _wide(frame: Frame) -> Frame:
    """Return the title frame with its details as wide as the title (no room for a logo)."""
    body = replace(frame.body, w=max(frame.body.w, frame.title.w))
    return replace(frame, body=body)


def _title_slide(slide: Slide, frame: Frame, fits: Fits) -> tuple[Slide, bool, Frame]:
    """Return the title slide that fits, whether its presenters moved, and its frame.

    Presenters one per line, then on one line, then on their own slide; then the date, venue
    and provider in one paragraph; then the details as wide as the title.
    """
    alone = _without_presenters(slide)
    tries = [
        (slide, False, frame),
        (_joined(slide, "presenter"), False, frame),
        (alone, True, frame),
        (_joined(alone, "meta"), True, frame),
        (_joined(alone, "meta"), True, _wide(frame)),
    ]
    for candidate, moved, where in tries:
        if fits(candidate, where) is not None:
            return candidate, moved, where
    return tries[-1]


def resolve_optional(
    slides: Sequence[Slide], geometry: Geometry, fits: Fits
) -> tuple[list[Slide], dict[Slide, Frame]]:
    """Fit title slides (moving presenters when needed) and keep optional slides only then.

    Returns the slides and the frames that differ from the template's (a widened title slide).
    """
    out: list[Slide] = []
    frames: dict[Slide, Frame] = {}
    moved = False
    for slide in slides:
        if slide.optional:
            if moved:
                out.append(replace(slide, optional=False))
            continue
        moved = False
        if slide.kind == "title":
            slide, moved, frames[slide] = _title_slide(slide, geometry.frames["title"], fits)
        out.append(slide)
    return out, frames


def _merged(a: Slide, b: Slide) -> Slide:
    """Return b's content under a heading after a's, sources last, notes joined."""

    def body(s: Slide) -> list[Block]:
        return [x for x in s.blocks if not (isinstance(x, Paragraph) and x.style == "cite")]

    cites = [x for s in (a, b) for x in s.blocks if isinstance(x, Paragraph) and x.style == "cite"]
    unique = list({c.runs: c for c in cites}.values())
    heading = Heading(3, (Run(b.title),), b.line, b.at)
    blocks = (*body(a), heading, *body(b), *unique)
    return replace(a, blocks=tuple(blocks), notes=a.notes + b.notes)


def merge_sparse(
    slides: Sequence[Slide], geometry: Geometry, fits: Fits, body_max_pt: int
) -> list[Slide]:
    """Let neighbouring mergeable slides share one slide while the text stays large."""
    out: list[Slide] = []
    for slide in slides:
        prev = out[-1] if out else None
        if prev is not None and _may_merge(prev, slide):
            candidate = _merged(prev, slide)
            plan = fits(candidate, geometry.frames["content"])
            sparse = min(_item_count(prev), _item_count(slide)) <= SPARSE_ITEMS
            least = min(SPARSE_MIN_PT if sparse else MERGE_MIN_PT, body_max_pt)
            if plan is not None and plan.body_pt >= least:
                out[-1] = candidate
                continue
        out.append(slide)
    return out


def _may_merge(a: Slide, b: Slide) -> bool:
    both = a.merge and b.merge and a.kind == b.kind == "content"
    return both and _item_count(a) + _item_count(b) <= MAX_BULLETS + 1


def _item_count(slide: Slide) -> int:
    count = 0
    for b in slide.blocks:
        if isinstance(b, ListBlock):
            count += len(b.items)
        elif isinstance(b, Paragraph):
            count += b.style != "cite"
        elif not isinstance(b, Heading):
            count += 3  # a figure weighs like a few points
    return count
