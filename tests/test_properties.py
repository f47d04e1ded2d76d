"""Property tests over whole outlines: any valid outline with printable text builds.

Text is drawn from every printable character the font covers (accents, curly quotes, `<`, `&`),
with lengths a trainer might write; both outputs must build, and the layout's own measurement
must say everything fits. Text the font cannot show must be an error at its line, never a crash.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder import pipeline
from builder.brand import default_kit, load_brand
from builder.errors import WorkshopError
from builder.fonts import metrics
from builder.layout import StepsPart, part_fits, plan_deck
from builder.markup import parse_deck
from builder.templating import environment, render
from builder.writers.deck import template_geometry
from tests.conftest import MINIMAL

BRAND, _ = load_brand(default_kit())
COVERED = sorted(
    chr(c) for c in metrics(BRAND.body_font.regular).advances if chr(c).isprintable() and c < 0x2100
)
letters = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")).filter(
    lambda c: c in set(COVERED)
)


def text(lo: int, hi: int) -> st.SearchStrategy[str]:
    """Return a strategy of non-blank covered text between lo and hi characters."""
    words = st.text(letters, min_size=1, max_size=14)
    return (
        st.lists(words, min_size=1, max_size=hi // 4)
        .map(" ".join)
        .map(lambda s: s[:hi])
        .filter(lambda s: len(s.strip()) >= lo)
    )


def _outline(title: str, points: list[str], quote: str, steps: list[str], notes: str) -> dict:  # type: ignore[type-arg]
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(MINIMAL)
    data["program"]["title"] = title
    blocks = data["agenda"][0]["blocks"]
    blocks[:1] = [{"point": p, "detail": p, "notes": notes, "cite": "a2012"} for p in points]
    next(b for b in blocks if "quote" in b)["quote"] = quote
    next(b for b in blocks if "process" in b)["steps"] = [
        {"name": s[:24], "text": s} for s in steps
    ]
    data["takeaways"] = points[:3]
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    title=text(1, 90),
    points=st.lists(text(1, 110), min_size=1, max_size=12),
    quote=text(1, 200),
    steps=st.lists(text(1, 60), min_size=2, max_size=5),
    notes=text(1, 1500),
)
def test_any_valid_outline_builds_and_fits(
    tmp_path_factory, title: str, points: list[str], quote: str, steps: list[str], notes: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("p") / "o.yaml"
    data = _outline(title, points, quote, steps, notes)
    path.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    job = pipeline.Job(path)
    loaded, files = pipeline.produce(job, ["deck", "handout"])
    assert files["deck.pptx"][:2] == b"PK" and files["handout.pdf"][:5] == b"%PDF-"
    markup = render(environment(None), "deck.xml.j2", pipeline.context(loaded, path))
    geometry = template_geometry()
    for planned in plan_deck(parse_deck(markup, "deck"), geometry, loaded.brand):
        frame = geometry.frames[planned.slide.kind]
        for part in planned.parts:
            floor = 14 if isinstance(part, StepsPart) else loaded.brand.body_min_pt
            assert frame.body.contains(part.box) or planned.slide.kind == "title"
            assert part_fits(part, loaded.brand.body_font, floor)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(anything=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=400))
def test_arbitrary_text_builds_or_fails_with_file_and_line(tmp_path_factory, anything: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("q") / "o.yaml"
    data = _outline("Title", [anything], "A quote.", ["One", "Two"], anything)
    path.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    try:
        pipeline.produce(pipeline.Job(path), ["deck", "handout"])
    except WorkshopError as exc:
        assert all(p.file and p.message for p in exc.problems)
        assert any(p.line > 0 for p in exc.problems), [str(p) for p in exc.problems]
