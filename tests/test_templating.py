"""Templating: sandboxed, strict, escaped by construction, overridable."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from lxml import etree

from builder.emphasis import unmarked
from builder.errors import TemplateError
from builder.templating import environment, inline, render


def test_inline_escapes_first_then_adds_emphasis() -> None:
    assert str(inline("a <x> & **b** and *c*")) == "a &lt;x&gt; &amp; <b>b</b> and <i>c</i>"
    assert str(inline("2 * 3 * 4")) == "2 * 3 * 4"
    assert str(inline(None)) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Use ***both*** here", "Use <b><i>both</i></b> here"),
        ("*x **y** z*", "<i>x <b>y</b> z</i>"),
        ("*a **b* c**", "*a <b>b* c</b>"),  # overlapping: the asterisks stay
        ("**a ***b** c***", "**a <b><i>b** c</i></b>"),
    ],
)
def test_inline_emphasis_always_nests(text: str, expected: str) -> None:
    assert str(inline(text)) == expected


def test_inline_is_well_formed_on_any_mix_of_asterisks() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice("** ab*<&") for _ in range(rng.randint(1, 14)))
        etree.fromstring(f"<p>{inline(text)}</p>")  # raises on crossed tags


def test_undefined_variable_is_an_error_with_template_line(tmp_path: Path) -> None:
    (tmp_path / "deck.xml.j2").write_text("line one\n{{ nosuch.thing }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render(environment(tmp_path), "deck.xml.j2", {})
    problem = info.value.problems[0]
    assert problem.file.endswith("deck.xml.j2") and problem.line == 2


def test_syntax_error_names_line(tmp_path: Path) -> None:
    (tmp_path / "deck.xml.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render(environment(tmp_path), "deck.xml.j2", {})
    assert info.value.problems[0].line == 2


def test_override_extends_builtin(tmp_path: Path) -> None:
    (tmp_path / "handout.xml.j2").write_text(
        '{% extends "builtin/handout.xml.j2" %}{% block takeaways %}<p>MINE</p>{% endblock %}',
        encoding="utf-8",
    )
    env = environment(tmp_path)
    source = env.loader.get_source(env, "handout.xml.j2")[0]  # type: ignore[union-attr]
    assert "MINE" in source
    assert "builtin/handout.xml.j2" in env.list_templates() or env.get_template(
        "builtin/handout.xml.j2"
    )


def test_sandbox_bounds_huge_strings(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text("{{ 'a' * 1000000000 }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="not allowed"):
        render(environment(tmp_path), "x.j2", {})


def test_sandbox_blocks_attribute_tricks(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text("{{ ''.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(TemplateError):
        render(environment(tmp_path), "x.j2", {})


def test_none_renders_empty(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text("[{{ v }}]", encoding="utf-8")
    assert render(environment(tmp_path), "x.j2", {"v": None}) == "[]"


@pytest.mark.parametrize(
    ("bio", "shown"),
    [
        ("Ada Lovelace is a psychologist", "Ada Lovelace is a psychologist"),
        ("Dr. Lovelace is a psychologist", "Dr. Lovelace is a psychologist"),
        ("A psychologist of many years", "Ada Lovelace: A psychologist of many years"),
    ],
)
def test_the_presenters_notes_name_a_presenter_once(bio: str, shown: str, tmp_path: Path) -> None:
    from builder import pipeline
    from tests.conftest import MINIMAL

    start = MINIMAL.index("      Ada Lovelace is a psychologist")
    end = MINIMAL.index("    disclosure:")
    outline = tmp_path / "w.yaml"
    outline.write_text(MINIMAL[:start] + f"      {bio} " + "word " * 40 + "\n" + MINIMAL[end:])
    job = pipeline.Job(outline)
    loaded = pipeline.load(job)
    ctx = pipeline.context(loaded, outline)
    deck = pipeline.Materials(environment(None), ctx, loaded.brand, job).deck
    (slide,) = [s for s in deck.slides if s.title == "Presenter"]
    (note,) = ["".join(r.text for r in p.runs) for p in slide.notes]
    assert note.startswith(shown + " word")


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("**Grief**, *loss* and ***meaning***", "Grief, loss and meaning"),
        ("5 * 3 = 15 and a_b", "5 * 3 = 15 and a_b"),
        ("*a **b* c**", "*a b* c"),  # inline: "*a <b>b* c</b>"
        ("**<intro> & more**", "<intro> & more"),
    ],
)
def test_unmarked_drops_only_the_asterisks_inline_would_turn_into_tags(
    text: str, plain: str
) -> None:
    assert unmarked(text) == plain


def test_emphasis_in_titles_shows_no_asterisks_where_it_cannot_be_drawn(tmp_path: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    from builder import pipeline
    from tests.conftest import MINIMAL

    outline = tmp_path / "marked.yaml"
    outline.write_text(
        MINIMAL.replace("title: Crying in therapy", "title: '**Crying** in *therapy*'")
    )
    _, files = pipeline.produce(pipeline.Job(outline), ["deck", "deck-pdf", "handout"])
    deck = Presentation(io.BytesIO(files["deck.pptx"]))
    titles = [s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title is not None]
    assert titles[0] == "Crying in therapy"
    pages = PdfReader(io.BytesIO(files["deck.pdf"])).pages  # each slide's footer has the title
    assert all("*" not in page.extract_text() for page in pages), "a footer with asterisks"
    handout = PdfReader(io.BytesIO(files["handout.pdf"]))
    assert handout.metadata is not None and handout.metadata.title == "Crying in therapy"
