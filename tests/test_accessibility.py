"""Accessible by construction (issue 13): the handout and the guide are tagged PDF/UA-1.

Each is validated with page-validation's UA-1 profile and, because a crude PDF with one tag a
page would pass it too, its structure is read back and asserted: headings in order, lists and
tables tagged as such, figures with alt text, links as Link elements, nothing drawn untagged,
the text in structure order following the outline, and the handout's type sizes.
"""

from __future__ import annotations

import collections
import functools
import io
from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest

from builder import pipeline
from builder.context import part_numbers
from tests.conftest import EXAMPLE_KITS, FIXTURE_OUTLINES
from tests.pdf_tags_read import Element, read_tree, untagged_chars

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
KITS = EXAMPLE_KITS
FORMATS = ["handout", "guide"]


@functools.cache
def _built(outline: Path, kit: str) -> dict[str, bytes]:
    return pipeline.produce(pipeline.Job(outline, KITS[kit]), FORMATS)[1]


@functools.cache
def _tree(outline: Path, kit: str, name: str, tmp: Path) -> tuple[Path, Element]:
    path = tmp / f"{outline.stem}-{kit}-{name}"
    path.write_bytes(_built(outline, kit)[name])
    return path, read_tree(path)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tagged")


def _failures(data: bytes) -> list[str]:
    report = page.validate_pdf_bytes(data, profile="ua1")
    return sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


@pytest.mark.parametrize("kit", list(KITS))
@pytest.mark.parametrize("name", ["handout.pdf", "guide.pdf"])
def test_shipped_pdfs_pass_pdf_ua_1(kit: str, name: str) -> None:
    assert _failures(_built(SHIPPED, kit)[name]) == []


@pytest.mark.parametrize("outline", FIXTURE_OUTLINES, ids=lambda p: p.stem)
def test_every_fixture_handout_and_guide_pass_pdf_ua_1(outline: Path) -> None:
    built = _built(outline, "default")
    assert {name: _failures(built[name]) for name in ("handout.pdf", "guide.pdf")} == {
        "handout.pdf": [],
        "guide.pdf": [],
    }


def test_an_untagged_pdf_fails_the_validator() -> None:
    """Negative control: the same handout without its structure tree is not PDF/UA."""
    with pikepdf.open(io.BytesIO(_built(SHIPPED, "default")["handout.pdf"])) as pdf:
        del pdf.Root.StructTreeRoot
        del pdf.Root.MarkInfo
        out = io.BytesIO()
        pdf.save(out)
    assert any("STRUCT-TREE" in f or "TAGGED" in f for f in _failures(out.getvalue()))


def test_a_figure_without_alt_fails_the_validator() -> None:
    """Negative control: removing one Figure's /Alt is reported."""
    data = _built(ROOT / "tests" / "fixtures" / "outlines" / "figures.yaml", "default")
    with pikepdf.open(io.BytesIO(data["handout.pdf"])) as pdf:
        figures = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                   and o.get("/S") == "/Figure"]  # fmt: skip
        assert figures
        del figures[0].Alt
        out = io.BytesIO()
        pdf.save(out)
    assert any("ALT" in f.upper() for f in _failures(out.getvalue()))


@pytest.mark.parametrize("name", ["handout.pdf", "guide.pdf"])
def test_nothing_is_drawn_untagged(name: str, tmp: Path) -> None:
    path, _ = _tree(SHIPPED, "default", name, tmp)
    assert untagged_chars(path) == []


@pytest.mark.parametrize("name", ["handout.pdf", "guide.pdf"])
def test_headings_start_at_h1_and_never_skip_a_level(name: str, tmp: Path) -> None:
    _, tree = _tree(SHIPPED, "default", name, tmp)
    levels = [int(e.role[1]) for e in tree.walk() if e.role in {f"H{n}" for n in range(1, 7)}]
    assert levels[0] == 1 and len(levels) > 10
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_handout_headings_follow_the_outline_in_order(tmp: Path) -> None:
    loaded = pipeline.load(pipeline.Job(SHIPPED))
    _, tree = _tree(SHIPPED, "default", "handout.pdf", tmp)
    headings = [e.text for e in tree.walk() if e.role in ("H2", "H3")]
    numbers = part_numbers(loaded.workshop)
    parts = [
        f"Part {n}: {s.title}" if n else s.title
        for n, s in zip(numbers, loaded.workshop.agenda, strict=True)
    ]
    found = [next(i for i, h in enumerate(headings) if h.startswith(p[:30])) for p in parts]
    assert found == sorted(found) and len(found) == len(loaded.workshop.agenda)


def test_reading_order_is_the_outline_order(tmp: Path) -> None:
    """The tree's text, in structure order, has the document's paragraphs in order."""
    _, tree = _tree(SHIPPED, "default", "handout.pdf", tmp)
    text = " ".join(tree.all_text().split())
    marks = [
        "Learning objectives",
        "Part 1: Welcome",
        "Part 3: The S-P",
        "Key takeaways",
        "References",
    ]
    places = [text.find(m) for m in marks]
    assert -1 not in places and places == sorted(places)


def test_lists_tables_and_the_process_are_tagged_as_such(tmp: Path) -> None:
    _, tree = _tree(SHIPPED, "default", "handout.pdf", tmp)
    roles = collections.Counter(e.role for e in tree.walk())
    assert roles["L"] >= 3 and roles["LI"] == roles["LBody"] and roles["Lbl"] == roles["LI"]
    assert roles["Table"] >= 2 and roles["TR"] >= 10 and roles["TH"] >= 4
    process = [e for e in tree.walk() if e.role == "L" and e.kids[0].kids[0].text == "1"]
    assert process and [li.kids[0].text for li in process[0].kids] == ["1", "2", "3", "4"]
    assert "Supportive setting" in process[0].kids[0].kids[1].text
    assert all(e.scope == "Column" for e in tree.walk() if e.role == "TH")


def test_figures_carry_the_outlines_alt_text(tmp: Path) -> None:
    outline = ROOT / "tests" / "fixtures" / "outlines" / "figures.yaml"
    loaded = pipeline.load(pipeline.Job(outline))
    _, tree = _tree(outline, "default", "handout.pdf", tmp)
    alts = [e.alt for e in tree.walk() if e.role == "Figure"]
    wanted = {b.alt for part in loaded.workshop.agenda for b in part.blocks if hasattr(b, "alt")}
    assert alts and set(alts) <= wanted and all(alts)


def test_guide_thumbnails_are_figures_named_by_their_slide(tmp: Path) -> None:
    _, tree = _tree(SHIPPED, "default", "guide.pdf", tmp)
    alts = [e.alt or "" for e in tree.walk() if e.role == "Figure"]
    assert len(alts) > 20 and all(a.startswith("Slide ") for a in alts)


def test_reference_urls_are_links_with_a_description(tmp: Path) -> None:
    path, tree = _tree(SHIPPED, "default", "handout.pdf", tmp)
    links = [e for e in tree.walk() if e.role == "Link"]
    assert len(links) >= 4 and all(e.annots == 1 for e in links)
    with pikepdf.open(path) as pdf:
        annots = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
    uris = {str(a.A.URI) for a in annots}
    assert "https://doi.org/10.1037/pst0000342" in uris
    assert all(str(a.Contents).startswith("Link to ") and "/StructParent" in a for a in annots)


def test_handout_body_is_11_pt_and_nothing_is_under_9_pt() -> None:
    data = _built(SHIPPED, "default")["handout.pdf"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sizes = collections.Counter(round(c["size"], 1) for p in pdf.pages for c in p.chars)
    body = sizes.most_common(1)[0][0]
    assert body >= 11 and min(sizes) >= 9
    small = sum(n for size, n in sizes.items() if size < 11)
    assert small / sum(sizes.values()) < 0.35  # it was 86% under 11 pt


def test_document_language_title_and_metadata() -> None:
    data = _built(SHIPPED, "default")["handout.pdf"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "en" and bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Therapeutic Crying in Psychotherapy"
        assert meta["pdfuaid:part"] == "1"
        assert all(p.Tabs == "/S" for p in pdf.pages)
