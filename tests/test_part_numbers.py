"""A break is not a part: the handout's section headings and the deck's dividers number the
parts of the agenda without counting breaks (no credit, nothing to show), so "Part 6" follows
"Part 5" across a break, in every language; the break's heading is its title alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder import pipeline
from builder.context import part_numbers
from builder.document import Document, Heading
from builder.document import plain as plain_runs
from builder.templating import environment

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
OUTLINES = Path(__file__).parent / "fixtures" / "outlines"
PART = {"en": "Part", "de": "Teil", "es": "Parte"}


def _materials(path: Path) -> pipeline.Materials:
    job = pipeline.Job(path)
    loaded = pipeline.load(job)
    ctx = pipeline.context(loaded, job.outline)
    return pipeline.Materials(environment(None), ctx, loaded.brand, job)


def test_the_shipped_workshops_break_is_not_counted() -> None:
    workshop = pipeline.load(pipeline.Job(SHIPPED)).workshop
    assert [s.title for s in workshop.agenda][5] == "Break"
    assert part_numbers(workshop) == [1, 2, 3, 4, 5, None, 6, 7, 8, 9]


@pytest.mark.parametrize("name", ["day-long.yaml", "long-tokens-de.yaml", "taller-es.yaml"])
def test_parts_run_on_across_breaks_in_the_handout_and_the_deck(name: str) -> None:
    materials = _materials(OUTLINES / name)
    agenda = materials.ctx["w"].agenda
    word = PART[materials.ctx["lang"]]
    handout: Document = materials.model("handout.xml.j2")
    titled = [plain_runs(b.runs) for b in handout.blocks if isinstance(b, Heading) and b.level == 2]
    numbered = [int(m[1]) for h in titled if (m := re.match(rf"{word} (\d+)\b", h))]
    breaks = [s for s in agenda if not s.credit and not s.blocks]
    assert breaks, f"{name} has no break to skip"
    assert numbered == list(range(1, len(agenda) - len(breaks) + 1))
    assert all(s.title in titled for s in breaks)  # the title alone, no number
    dividers = [re.match(rf"{word} (\d+)\b", slide.title) for slide in materials.deck.slides]
    shown = [int(m[1]) for m in dividers if m]
    assert shown == sorted(shown) and set(shown) <= set(numbered)
