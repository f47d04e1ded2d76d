"""deck.pdf and slides.pdf are tagged PDF/UA-1 with a real structure, read back from the files.

For the shipped workshop under every example kit and for the fixture outlines with tables,
figures and processes: page-validation's UA-1 profile passes every rule, nothing is drawn
outside marked content, each slide is one Sect headed by its title (H1), tables are
Table/TR/TH/TD, figures carry the outline's alt, a process reads as a numbered list, and the
text in structure order holds every slide's words (python-pptx on deck.pptx) in slide order.
Controls: the same PDF without its structure tree fails validation; a thumbnail drawn without
tags (as in the guide's Figure) writes no marked content.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import page
import pdfplumber
import pikepdf
import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.text.text import _Run
from reportlab.pdfgen.canvas import Canvas

from builder import pipeline
from builder.writers.slide_thumb import draw_thumb
from tests.conftest import FIXTURE_OUTLINES
from tests.pdf_tags_read import Element, read_tree, untagged_chars

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "outlines"
KITS = sorted(p for p in (ROOT / "sources" / "brands").iterdir() if (p / "_brand.yml").is_file())
CASES = {
    "default": (SHIPPED, None),
    **{kit.name: (SHIPPED, kit) for kit in KITS},
    **{f"fixture-{name}": (FIXTURES / f"{name}.yaml", None) for name in ("tables", "figures", "processes")},
}  # fmt: skip
PDFS = ("deck.pdf", "slides-3.pdf", "slides-6.pdf")
FURNITURE = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


@pytest.fixture(scope="module", params=sorted(CASES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build deck.pptx, deck.pdf and slides.pdf at 3 and 6 a page for one case; return the
    folder."""
    outline, kit = CASES[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    files = pipeline.produce(pipeline.Job(outline, kit), ["deck", "deck-pdf", "slides"])[1]
    six = pipeline.produce(pipeline.Job(outline, kit, per_page=6), ["slides"])[1]
    named = {"deck.pptx": files["deck.pptx"], "deck.pdf": files["deck.pdf"],
             "slides-3.pdf": files["slides.pdf"], "slides-6.pdf": six["slides.pdf"]}  # fmt: skip
    for name, data in named.items():
        (folder / name).write_bytes(data)
    return folder


@functools.cache
def tree(pdf: Path) -> Element:
    """Return a PDF's structure tree as read back (once: several tests read each file)."""
    return read_tree(pdf)


# ---- the reference: deck.pptx as python-pptx reads it --------------------------------------


def slide_titles(pptx: Path) -> list[str]:
    """Return each slide's title, its whitespace made single spaces."""
    return [" ".join(s.shapes.title.text.split()) for s in Presentation(str(pptx)).slides]


def slide_words(pptx: Path) -> list[list[str]]:
    """Return each slide's words in reading order, without footer, slide number and DRAFT tag:
    text frames and table cells in shape order, a process's steps as number, name, text."""
    return [
        [w for shape in _reading(slide.shapes) for w in _shape_words(shape)]
        for slide in Presentation(str(pptx)).slides
    ]


def _reading(shapes: Any) -> list[Any]:
    """Return a slide's shapes in the outline's order. python-pptx lists placeholders first,
    but the body placeholder holds the slide's first text part, which may follow a figure (a
    source line under a chart): it goes after the drawn shapes that start above it."""
    shapes = list(shapes)
    body = next((s for s in shapes if s.is_placeholder and s.placeholder_format.idx == 1), None)
    drawn = [i for i, s in enumerate(shapes) if _drawn(s) and body is not None and s.top < body.top]
    if body is None or not drawn:
        return shapes
    at = drawn[-1] + 1
    return [s for s in shapes[:at] if s is not body] + [body] + shapes[at:]


def _drawn(shape: Any) -> bool:
    return not shape.is_placeholder and shape.name != "Draft"


def _shape_words(shape: Any) -> list[str]:
    if shape.is_placeholder and shape.placeholder_format.type in FURNITURE:
        return []
    if shape.name == "Draft":
        return []
    if shape.shape_type == 6:  # a group: the process diagram
        return _steps_words(shape)
    if shape.has_table:
        return [w for row in shape.table.rows for c in row.cells for w in c.text.split()]
    return shape.text_frame.text.split() if shape.has_text_frame else []


def _steps_words(group: Any) -> list[str]:
    shapes = {s.name: s for s in group.shapes if s.has_text_frame}
    steps = sorted((n for n in shapes if n.startswith("Step ") and n[5:].isdigit()), key=lambda n: int(n[5:]))  # fmt: skip
    return [w for n in steps for s in (f"{n} Number", n) for w in shapes[s].text_frame.text.split()]


def in_order(needles: list[str], haystack: list[str]) -> bool:
    """Return whether needles appear in haystack in the same order (not necessarily adjacent)."""
    it = iter(haystack)
    return all(any(word == hay for hay in it) for word in needles)


# ---- the structure tree's text, in reading order -------------------------------------------

Key = tuple[int, int]  # (page index, MCID)


def sect_words(pdf: Path) -> list[list[str]]:
    """Return the words of each of the Document's Sects, read in structure order."""
    return [text.split() for text in sect_texts(pdf)]


def heading_texts(pdf: Path) -> list[str]:
    """Return the text of each Sect's first element (its heading), read in structure order."""
    return [" ".join(text.split()) for text in sect_texts(pdf, first=True)]


@functools.cache
def sect_texts(pdf: Path, first: bool = False) -> list[str]:
    """Return the text of each of the Document's Sects (or of their first elements).

    Marked sequences of one element follow each other on a line (a link inside a sentence):
    they join without a space when the next starts where the last ended, as readers do.
    """
    chars = _chars_by_mark(pdf)
    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        sects = [sect.K[0] if first else sect for sect in doc.Root.StructTreeRoot.K.K]
        keys = [list(_marks(sect, pages)) for sect in sects]
    return [_joined([chars.get(k, []) for k in marks]) for marks in keys]


def _marks(elem: Any, pages: dict[Any, int]) -> Iterator[Key]:
    kids = elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages[kid.Pg.objgen], int(kid.MCID)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _marks(kid, pages)


def _chars_by_mark(pdf: Path) -> dict[Key, list[dict[str, Any]]]:
    out: dict[Key, list[dict[str, Any]]] = {}
    with pdfplumber.open(pdf) as doc:
        for index, pg in enumerate(doc.pages):
            for char in pg.chars:
                if char.get("mcid") is not None:
                    out.setdefault((index, int(char["mcid"])), []).append(char)
    return out


def _joined(runs: list[list[dict[str, Any]]]) -> str:
    text, last = "", None
    for chars in (r for r in runs if r):
        first = chars[0]
        same_line = last is not None and abs(first["top"] - last["top"]) < 0.5
        touching = same_line and abs(first["x0"] - last["x1"]) < 0.1 * first["size"]
        text += ("" if touching else " ") + "".join(c["text"] for c in chars)
        last = chars[-1]
    return text


# ---- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PDFS)
def test_ua1_validation_passes_every_rule(built: Path, name: str) -> None:
    report = page.validate_pdf(built / name, profile="ua1")
    failures = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
    assert report.rules.failed == 0 and report.is_compliant, failures
    assert report.rules.passed > 0


@pytest.mark.parametrize("name", PDFS)
def test_every_character_is_tagged_or_an_artifact(built: Path, name: str) -> None:
    assert untagged_chars(built / name) == []


def test_the_same_pdf_without_its_structure_tree_fails_validation(built: Path) -> None:
    with pikepdf.open(built / "deck.pdf") as pdf:
        del pdf.Root.StructTreeRoot
        out = io.BytesIO()
        pdf.save(out)
    report = page.validate_pdf_bytes(out.getvalue(), profile="ua1")
    assert report.rules.failed > 0 and not report.is_compliant


@pytest.mark.parametrize(
    "outline",
    [p for p in FIXTURE_OUTLINES if f"fixture-{p.stem}" not in CASES],
    ids=lambda p: p.stem,
)
def test_every_other_fixture_passes_with_a_sect_per_slide(outline: Path, tmp_path: Path) -> None:
    files = pipeline.produce(pipeline.Job(outline), ["deck", "deck-pdf", "slides"])[1]
    (tmp_path / "deck.pptx").write_bytes(files["deck.pptx"])
    titles = slide_titles(tmp_path / "deck.pptx")
    for name in ("deck.pdf", "slides.pdf"):
        (tmp_path / name).write_bytes(files[name])
        report = page.validate_pdf(tmp_path / name, profile="ua1")
        assert report.rules.failed == 0, (name, [f.message for f in report.failures])
        assert untagged_chars(tmp_path / name) == [], name
        sects = read_tree(tmp_path / name).kids
        assert [(s.role, s.kids[0].role) for s in sects] == [("Sect", "H1")] * len(titles), name
        assert heading_texts(tmp_path / name) == titles, name


# ---- structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PDFS)
def test_one_sect_per_slide_headed_by_the_slide_s_title(built: Path, name: str) -> None:
    root = tree(built / name)
    titles = slide_titles(built / "deck.pptx")
    assert [kid.role for kid in root.kids] == ["Sect"] * len(titles)
    assert heading_texts(built / name) == titles
    for number, sect in enumerate(root.kids, start=1):
        assert sect.kids[0].role == "H1", number
        assert [e.role for e in sect.walk()].count("H1") == 1, number


@pytest.mark.parametrize("name", PDFS)
def test_tables_are_tagged_row_by_row_with_column_headers(built: Path, name: str) -> None:
    for number, (slide, sect) in enumerate(slides_and_sects(built, name), start=1):
        ours = [e for e in sect.walk() if e.role == "Table"]
        theirs = [s.table for s in slide.shapes if s.has_table]
        assert len(ours) == len(theirs), number
        for table, reference in zip(ours, theirs, strict=True):
            assert _cells(table) == [
                [" ".join(c.text.split()) for c in row.cells] for row in reference.rows
            ]
            assert [{c.role for c in row.kids} for row in table.kids][:1] == [{"TH"}], number
            assert all(c.scope == "Column" for c in table.kids[0].kids)
            assert all(c.role == "TD" for row in table.kids[1:] for c in row.kids), number


def slides_and_sects(built: Path, name: str) -> list[tuple[Any, Element]]:
    """Return each slide of deck.pptx with its Sect in the PDF."""
    slides = Presentation(str(built / "deck.pptx")).slides
    return list(zip(slides, tree(built / name).kids, strict=True))


def _cells(table: Element) -> list[list[str]]:
    assert {row.role for row in table.kids} == {"TR"}
    return [[" ".join(c.all_text().split()) for c in row.kids] for row in table.kids]


@pytest.mark.parametrize("name", PDFS)
def test_figures_carry_the_outline_s_alt_text(built: Path, name: str) -> None:
    for number, (slide, sect) in enumerate(slides_and_sects(built, name), start=1):
        alts = [e.alt for e in sect.walk() if e.role == "Figure"]
        pictures = [s for s in slide.shapes if s.shape_type == 13 and s.name == "Figure"]
        assert alts == [s._element.nvPicPr.cNvPr.get("descr") for s in pictures], number
        assert all(alt and alt.strip() for alt in alts), number


@pytest.mark.parametrize("name", PDFS)
def test_lists_hold_items_of_a_label_and_a_body(built: Path, name: str) -> None:
    lists = [e for e in tree(built / name).walk() if e.role == "L"]
    assert lists
    for item in (i for lst in lists for i in lst.kids):
        assert item.role == "LI" and [k.role for k in item.kids] == ["Lbl", "LBody"]
        assert item.kids[0].all_text() and item.kids[1].all_text()


def test_links_hold_the_words_deck_pptx_links(built: Path) -> None:
    for number, (slide, sect) in enumerate(slides_and_sects(built, "deck.pdf"), start=1):
        links = [e for e in sect.walk() if e.role == "Link"]
        assert [" ".join(e.all_text().split()) for e in links] == _linked(slide), number
        assert all(e.annots for e in links), number


def _linked(slide: Any) -> list[str]:
    """Return the text of each hyperlink of a slide: runs with one address, across breaks."""
    out: list[str] = []
    for shape in (s for s in _reading(slide.shapes) if s.has_text_frame):
        for paragraph in shape.text_frame.paragraphs:
            last = ""
            for child in paragraph._p:
                if child.tag == qn("a:br") and last:
                    out[-1] += " "  # a link goes on over a line break
                if child.tag != qn("a:r"):
                    continue
                run = _Run(child, paragraph)
                url = run.hyperlink.address or ""
                if url and url == last:
                    out[-1] += run.text
                elif url:
                    out.append(run.text)
                last = url
    return [" ".join(text.split()) for text in out]


def test_each_case_covers_what_it_is_for(built: Path) -> None:
    roles = [e.role for e in tree(built / "deck.pdf").walk()]
    labels = [e.all_text() for e in tree(built / "deck.pdf").walk() if e.role == "Lbl"]
    assert {"Document", "Sect", "H1", "P", "L", "LI", "Table", "TR", "TH", "TD"} <= set(roles)
    name = built.name
    if "figures" in name:
        assert "Figure" in roles
    if "processes" in name:  # a diagram's badges are its items' labels: 1, 2, 3 ...
        assert any(labels[i : i + 3] == ["1", "2", "3"] for i in range(len(labels)))
    if "tables" not in name and "figures" not in name and "processes" not in name:
        assert {"BlockQuote", "Link"} <= set(roles)


# ---- reading order -------------------------------------------------------------------------


@pytest.mark.parametrize("name", PDFS)
def test_each_slide_s_words_read_in_order_in_its_sect(built: Path, name: str) -> None:
    ours = sect_words(built / name)
    theirs = slide_words(built / "deck.pptx")
    assert len(ours) == len(theirs)
    for number, (words, reference) in enumerate(zip(ours, theirs, strict=True), start=1):
        assert reference and in_order(reference, words), (number, reference, words)
    everything = [w for words in theirs for w in words]
    flat = [w for words in ours for w in words]
    assert in_order(everything, flat)
    assert not in_order(everything[::-1][:40], flat)  # the order is what is checked


def test_a_thumbnail_drawn_without_tags_writes_no_marked_content() -> None:
    job = pipeline.Job(SHIPPED)
    loaded = pipeline.load(job)
    m = pipeline.Materials(pipeline.environment(job.templates), pipeline.context(loaded, SHIPPED),
                           loaded.brand, job)  # fmt: skip
    out = io.BytesIO()
    canv = Canvas(out, pageCompression=0)  # uncompressed: the operators show in the bytes
    draw_thumb(canv, m.plan()[5], m.art(), 6, m.deck.meta, (50, 50, 300))
    canv.showPage()
    canv.save()
    assert b") Tj" in out.getvalue()
    assert b"BDC" not in out.getvalue() and b"/Artifact" not in out.getvalue()
