"""Decks with no accessibility findings (issue 13): builder.deck_audit on every deck we build.

The shipped workshop and every fixture outline are built under every kit in one build, and each
deck must have no finding. Negative controls: small decks made here with python-pptx that each
break one rule must give exactly that finding, so a silent audit is not mistaken for a clean deck.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder.brand import default_kit, load_brand
from builder.cli import main
from builder.deck_audit import Finding, audit_deck
from builder.document import Row, Run, Table
from builder.writers.deck_shapes import describe, table_alt
from builder.writers.pptx_text import break_links, client_wraps, link_targets
from tests.conftest import FIXTURE_OUTLINES

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
OUTLINES = [SHIPPED, *FIXTURE_OUTLINES]
KITS = {
    "default": "default",
    "harborlight": "harborlight",
    "northwind": "northwind",
    "atkinson": str(ROOT / "tests" / "fixtures" / "brands" / "atkinson"),
}
CASES = [(outline, kit) for outline in OUTLINES for kit in KITS]


# ---- every deck we build ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build every outline's deck under every kit, in one build: OUT/<outline>/<kit>/deck.pptx."""
    out = tmp_path_factory.mktemp("audit")
    brands = [arg for kit in KITS.values() for arg in ("--brand", kit)]
    args = ["build", *map(str, OUTLINES), *brands, "--format", "deck", "--out", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize(("outline", "kit"), CASES, ids=[f"{o.stem}-{k}" for o, k in CASES])
def test_a_built_deck_has_no_accessibility_finding(built: Path, outline: Path, kit: str) -> None:
    deck = built / outline.stem / kit / "deck.pptx"
    assert deck.is_file(), sorted(p.name for p in (built / outline.stem).iterdir())
    findings = audit_deck(deck)
    assert findings == [], "\n".join(map(str, findings[:20]))


def test_references_link_their_titles_not_their_urls(built: Path) -> None:
    """The references slide links each entry's title; the URL stays as text."""
    prs = Presentation(str(built / SHIPPED.stem / "default" / "deck.pptx"))
    linked: dict[str, str] = {}  # link target -> its text (runs joined, line breaks dropped)
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        if run.hyperlink.address:
                            address = run.hyperlink.address
                            linked[address] = f"{linked.get(address, '')} {run.text}".strip()
    doi = "https://doi.org/10.1037/pst0000342"
    assert linked[doi] == "A clinical practice review of crying research.", linked
    assert len(linked) == 5 and not any(text.startswith("http") for text in linked.values())


# ---- where a link goes -------------------------------------------------------------------------


def _linked(*runs: Run) -> str:
    text = "".join(r.text for r in runs)
    return "".join(c for c, url in zip(text, link_targets(runs), strict=True) if url)


def test_a_reference_links_its_plain_title_up_to_the_italic_source() -> None:
    runs = (
        Run("Bylsma, L. M. (2021). A clinical practice review of crying research. "),
        Run("Psychotherapy", italic=True),
        Run(", 58(1), 133–149. https://doi.org/10.1037/pst0000342"),
    )
    assert _linked(*runs) == "A clinical practice review of crying research."


def test_a_reference_links_its_italic_title_broken_over_lines() -> None:
    runs = (
        Run("Haute Autorité de Santé. (2017). "),
        Run("Repérage et prise en\ncharge", italic=True),
        Run(". https://www.has-sante.fr/jcms/\nc_2769318/fr"),
    )
    assert _linked(*runs) == "Repérage et prise encharge"


def test_a_reference_without_author_links_its_opening_title() -> None:
    runs = (Run("Tears: A sign", italic=True), Run(". (n.d.). Site. https://example.org/t"))
    assert _linked(*runs) == "Tears: A sign"


def test_other_text_links_the_words_before_the_url_and_a_lone_url_stays_unlinked() -> None:
    assert _linked(Run("Read it. Exercises: https://example.org/x")) == "Exercises"
    assert _linked(Run("https://example.org/x")) == ""
    assert _linked(Run("Bad: javascript:alert(1)")) == ""


def test_a_link_that_wraps_gets_an_explicit_break_there_and_other_text_does_not() -> None:
    """LibreOffice moves a link that does not fit whole to the next line: break it ourselves."""
    runs = (Run("Intro words. Title of the page: https://example.org/x"),)
    text = runs[0].text
    wraps = [text.index("words"), text.index("of")]
    broken, targets = break_links(runs, link_targets(runs), wraps)
    assert (
        "".join(r.text for r in broken) == "Intro words. Title\nof the page: https://example.org/x"
    )
    linked = "".join(c if url else "_" for c, url in zip(broken[0].text, targets, strict=True))
    assert linked == "_" * 13 + "Title_of the page" + "_" * 23


def test_client_wraps_finds_where_a_narrow_line_wraps() -> None:
    family = load_brand(default_kit())[0].body_font
    runs = (Run("one two three four"),)
    assert client_wraps(runs, family, 18, (1000.0, 1000.0)) == []
    wraps = client_wraps(runs, family, 18, (60.0, 60.0))
    assert wraps and all(runs[0].text[at - 1] == " " for at in wraps)


def test_a_table_is_named_by_its_slide_title_and_headings() -> None:
    table = Table((Row(((Run("Time"),), (Run("Segment"),)), header=True),))
    assert table_alt("Agenda", table) == "Agenda: Time, Segment"
    assert table_alt("", table) == "Time, Segment"


# ---- negative controls -------------------------------------------------------------------------

Edit = Callable[[Any], None]


def _text(frame: Any, text: str, size: float | None = None, lang: str | None = "en-US") -> Any:
    """Write one run into a text frame; return the run."""
    frame.text = ""
    run = frame.paragraphs[0].add_run()
    run.text = text
    if size is not None:
        run.font.size = Pt(size)
    if lang:
        run._r.get_or_add_rPr().set("lang", lang)
    return run


def _slide(prs: Any, title: str) -> Any:
    """Add a Title Only slide titled title (44 pt black on white, lang set)."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _text(slide.shapes.title.text_frame, title)
    return slide


def _box(slide: Any, text: str, size: float = 24, lang: str | None = "en-US") -> Any:
    box = slide.shapes.add_textbox(Emu(914400), Emu(2743200), Emu(6400800), Emu(914400))
    box.name = "Body"
    return _text(box.text_frame, text, size, lang)


def _audit(*edits: Edit, slides: int = 1) -> list[Finding]:
    """Return the findings of a small clean deck after the edits (each gets the presentation)."""
    prs = Presentation()
    for n in range(slides):
        slide = _slide(prs, f"Slide {n + 1}")
        _box(slide, "Plain body text")
    for edit in edits:
        edit(prs)
    out = io.BytesIO()
    prs.save(out)
    return audit_deck(out.getvalue())


def _rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#336699").save(out, "PNG")
    out.seek(0)
    return out


def test_the_clean_control_deck_has_no_finding() -> None:
    assert _audit(slides=2) == []


def test_a_slide_without_title_text_is_found() -> None:
    def untitled(prs: Any) -> None:
        title = prs.slides[0].shapes.title
        title.element.getparent().remove(title.element)

    found = _audit(untitled)
    assert _rules(found) == ["title"] and found[0].slide == 1


def test_two_slides_with_one_title_are_found() -> None:
    def same(prs: Any) -> None:
        _text(prs.slides[1].shapes.title.text_frame, "slide  1")

    found = _audit(same, slides=2)
    assert _rules(found) == ["unique-title"] and found[0].slide == 2


def test_a_title_after_other_content_is_found() -> None:
    def late(prs: Any) -> None:
        title = prs.slides[0].shapes.title.element
        tree = title.getparent()
        tree.remove(title)
        tree.append(title)

    assert _rules(_audit(late)) == ["title-order"]


def test_a_picture_without_alt_text_is_found_and_a_decorative_one_is_not() -> None:
    def picture(prs: Any) -> None:
        shapes = prs.slides[0].shapes
        pic = shapes.add_picture(_png(), Emu(0), Emu(0), Emu(91440), Emu(91440))
        pic.name = "Photo"
        describe(pic, "")
        describe(shapes.add_picture(_png(), Emu(0), Emu(0)), decorative=True)

    found = _audit(picture)
    assert _rules(found) == ["alt-text"] and found[0].shape == "Photo"


def test_a_run_without_language_is_found() -> None:
    found = _audit(lambda prs: _box(prs.slides[0], "No language", lang=None))
    assert _rules(found) == ["language"]


def test_text_under_18_pt_is_found() -> None:
    found = _audit(lambda prs: _box(prs.slides[0], "Small print", size=14))
    assert _rules(found) == ["text-size"] and "14 pt" in found[0].message


def test_a_size_inherited_from_the_layout_is_resolved() -> None:
    """A body placeholder's run without sz takes the layout's list style: 14 pt is found."""

    def inherited(prs: Any) -> None:
        layout = prs.slide_layouts[1]
        body = layout.placeholders[1].element
        style = body.find(qn("p:txBody")).find(qn("a:lstStyle"))
        level = etree.SubElement(style, qn("a:lvl1pPr"))
        etree.SubElement(level, qn("a:defRPr"), sz="1400")
        slide = prs.slides.add_slide(layout)
        _text(slide.shapes.title.text_frame, "Inherited")
        _text(slide.placeholders[1].text_frame, "Inherits its size")

    assert _rules(_audit(inherited)) == ["text-size"]


def test_grey_text_on_white_is_found_and_white_text_on_a_dark_panel_is_not() -> None:
    def grey(prs: Any) -> None:
        _box(prs.slides[0], "Faint").font.color.rgb = RGBColor(0xB5, 0xB5, 0xB5)  # 2.0:1

    found = _audit(grey)
    assert _rules(found) == ["contrast"] and "2.0" in found[0].message

    def on_panel(prs: Any) -> None:
        shapes = prs.slides[0].shapes
        panel = shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Emu(2000000), Emu(9144000), Emu(3e6))
        panel.fill.solid()
        panel.fill.fore_color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        describe(panel, decorative=True)
        _box(prs.slides[0], "Light on dark").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    assert _audit(on_panel) == []


def test_a_link_drawn_in_a_faint_theme_colour_is_found() -> None:
    """Clients draw links in the theme's hlink colour, whatever the run's colour says."""

    def faint_link(prs: Any) -> None:
        run = _box(prs.slides[0], "The evaluation form")
        run.hyperlink.address = "https://example.org/form"
        theme = prs.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
        )
        theme._blob = theme.blob.replace(b'<a:srgbClr val="0000FF"/>', b'<a:srgbClr val="BBBBFF"/>')

    assert _rules(_audit(faint_link)) == ["contrast"]


def test_a_link_whose_text_is_a_bare_url_is_found() -> None:
    def bare(prs: Any) -> None:
        run = _box(prs.slides[0], "https://example.org/form")
        run.hyperlink.address = "https://example.org/form"

    found = _audit(bare)
    assert _rules(found) == ["link-text"]


def _table(prs: Any, header: bool = True) -> Any:
    frame = prs.slides[0].shapes.add_table(2, 2, Emu(0), Emu(3657600), Emu(4572000), Emu(731520))
    frame.name = "Scores"
    describe(frame, "Scores by week")
    frame.table.first_row = header
    return frame.table


def test_the_control_table_is_clean() -> None:
    assert _audit(_table) == []


def test_a_merged_cell_is_found() -> None:
    def merged(prs: Any) -> None:
        table = _table(prs)
        table.cell(1, 0).merge(table.cell(1, 1))

    found = _audit(merged)
    assert _rules(found) == ["merged-cell"] and found[0].shape == "Scores"


def test_a_table_without_header_row_is_found() -> None:
    found = _audit(lambda prs: _table(prs, header=False))
    assert _rules(found) == ["table-header"]
