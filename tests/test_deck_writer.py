"""The deck writer: build a small deck inline, read the .pptx back with python-pptx."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Pt

from builder import pipeline
from builder.brand import Brand, Colors, default_kit, load_brand
from builder.document import (
    Deck,
    ListBlock,
    Meta,
    Paragraph,
    QuoteBlock,
    Row,
    Run,
    Slide,
    Step,
    StepsBlock,
    Table,
)
from builder.errors import LayoutError
from builder.writers.deck import add_notes_master_id, build_deck
from builder.writers.pptx_text import safe_url
from tests.conftest import MINIMAL

TRICKY = "Tears & <fears>: \"quoted\" 'text'"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
TEMPLATE = Path(__file__).resolve().parent.parent / "builder" / "templates" / "deck-16x9.pptx"


def runs(text: str, bold: bool = False) -> tuple[Run, ...]:
    return (Run(text, bold=bold),)


def notes(text: str) -> tuple[Paragraph, ...]:
    return (Paragraph(runs(text)),)


def small_deck() -> Deck:
    steps = tuple(Step(f"Phase {i}", runs(f"what happens in phase {i}")) for i in range(1, 5))
    rows = (
        Row((runs("Time"), runs("Segment"), runs("Minutes")), header=True),
        Row((runs("0:00"), runs("Basics"), runs("30"))),
        Row((runs("0:30"), runs("Break (no CE credit)"), runs("10"))),
    )
    items = (runs("First point", bold=True), runs(TRICKY), runs("See https://example.org/ce"))
    slides = (
        Slide(
            "title",
            "Crying in therapy",
            (Paragraph(runs("Ada Lovelace, PhD"), "meta"),),
            runs("A short workshop"),
            notes("Welcome."),
        ),
        Slide("section", "Part 1: Basics", (), runs("30 minutes"), notes("Section.")),
        Slide("content", TRICKY, (ListBlock(items),), (), notes("Go slowly & gently.")),
        Slide(
            "content",
            "Many points",
            (ListBlock(tuple(runs(f"Point {i}") for i in range(9))),),
            (),
            notes("Long list."),
        ),
        Slide(
            "quote",
            "In her words",
            (QuoteBlock(runs("The less we do, the better."), "A. B."),),
            (),
            notes("Pause."),
        ),
        Slide("process", "The sequence", (StepsBlock("S", steps),), (), notes("Each phase.")),
        Slide("content", "Agenda", (Table(rows, (0.2, 0.6, 0.2)),), (), notes("Timing.")),
        Slide("closing", "Evaluation", (Paragraph(runs("Fill in the form, javascript:alert(1)")),)),
    )
    return Deck(
        Meta("Crying in therapy", "en-US", "Ada Lovelace", "Tears", ("crying", "CE")), slides
    )


@pytest.fixture(scope="module")
def brand() -> Brand:
    return load_brand(default_kit())[0]


@pytest.fixture
def built(brand: Brand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    path = tmp_path / "deck.pptx"
    path.write_bytes(build_deck(small_deck(), brand))
    return path


def text_runs(shape):  # type: ignore[no-untyped-def]
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in shape.shapes:
            yield from text_runs(child)
    elif shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield from (r for p in cell.text_frame.paragraphs for r in p.runs)
    elif shape.has_text_frame:
        yield from (r for p in shape.text_frame.paragraphs for r in p.runs)


def is_footer(shape) -> bool:  # type: ignore[no-untyped-def]
    return shape.is_placeholder and shape.placeholder_format.type in (
        PP_PLACEHOLDER.FOOTER,
        PP_PLACEHOLDER.SLIDE_NUMBER,
    )


def test_slide_size_is_16x9_without_screen4x3(built: Path) -> None:
    prs = Presentation(str(built))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    xml = zipfile.ZipFile(built).read("ppt/presentation.xml").decode()
    assert "screen4x3" not in xml


def test_every_slide_has_a_unique_title_in_its_title_placeholder(built: Path) -> None:
    titles = []
    for slide in Presentation(str(built)).slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder
        assert title.text_frame.text.strip()
        titles.append(title.text_frame.text)
    assert len(titles) == len(set(titles)) == 9
    assert "Many points (cont.)" in titles and TRICKY in titles


def test_notes_on_slides_and_notes_master_listed(built: Path) -> None:
    prs = Presentation(str(built))
    with_notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert len(with_notes) == 8 and "Go slowly & gently." in with_notes
    xml = zipfile.ZipFile(built).read("ppt/presentation.xml").decode()
    assert "<p:notesMasterIdLst><p:notesMasterId r:id=" in xml


def test_notes_master_id_is_added_where_python_pptx_forgets_it() -> None:
    prs = Presentation()  # python-pptx's own template has no notes master yet (#1051)
    prs.slides.add_slide(prs.slide_layouts[6]).notes_slide.notes_text_frame.text = "note"
    assert prs.part._element.find(qn("p:notesMasterIdLst")) is None
    add_notes_master_id(prs)
    add_notes_master_id(prs)  # idempotent
    (entry,) = prs.part._element.findall(f"{qn('p:notesMasterIdLst')}/{qn('p:notesMasterId')}")
    assert prs.part.rels[entry.get(qn("r:id"))].reltype.endswith("/notesMaster")


def test_body_text_has_explicit_sizes_of_at_least_18_pt(built: Path) -> None:
    checked = 0
    for slide in Presentation(str(built)).slides:
        for shape in slide.shapes:
            if is_footer(shape) or shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                continue
            for run in text_runs(shape):
                assert run.font.size is not None and run.font.size >= Pt(18), run.text
                checked += 1
    assert checked > 30


def test_text_frames_wrap_and_never_auto_fit(built: Path) -> None:
    for slide in Presentation(str(built)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame and not is_footer(shape) and shape.text_frame.text:
                body_pr = shape.text_frame._txBody.bodyPr
                assert body_pr.get("wrap") == "square"
                assert body_pr.find(qn("a:noAutofit")) is not None
                assert body_pr.find(qn("a:normAutofit")) is None


def test_special_characters_appear_literally(built: Path) -> None:
    slide = Presentation(str(built)).slides[2]
    text = "\n".join(r.text for s in slide.shapes for r in text_runs(s))
    assert TRICKY in text and "&amp;" not in text and "&lt;" not in text


def test_runs_keep_bold_from_the_model_and_brand_fonts(built: Path, brand: Brand) -> None:
    slide = Presentation(str(built)).slides[2]
    body = slide.placeholders[1]
    first = body.text_frame.paragraphs[0].runs[0]
    assert first.text == "First point" and first.font.bold
    assert first.font.name == brand.body_font.deck_name
    assert slide.shapes.title.text_frame.paragraphs[0].runs[0].font.name == (
        brand.heading_font.deck_name
    )


def test_process_slide_draws_numbered_boxes_joined_by_arrows(built: Path) -> None:
    slide = Presentation(str(built)).slides[6]
    (group,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]
    shapes = list(group.shapes)
    boxes = [
        s
        for s in shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
        and s.auto_shape_type == MSO_SHAPE.ROUNDED_RECTANGLE
    ]
    arrows = [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.LINE]
    assert len(boxes) == 4 and len(arrows) == 3
    assert all(a._element.find(".//" + qn("a:tailEnd")) is not None for a in arrows)
    assert all(a.begin_x < a.end_x for a in arrows)
    assert [b.text_frame.paragraphs[0].runs[0].text for b in boxes][0] == "Phase 1"
    assert all(r.font.size >= Pt(14) for b in boxes for r in text_runs(b))


def test_agenda_is_a_real_table_with_a_header_row(built: Path) -> None:
    slide = Presentation(str(built)).slides[7]
    (frame,) = [s for s in slide.shapes if s.has_table]
    assert frame.table.first_row
    assert frame.table.cell(0, 1).text_frame.text == "Segment"
    assert frame.table.cell(2, 1).text_frame.text == "Break (no CE credit)"


def test_footer_and_slide_number_on_every_slide_but_the_title(built: Path) -> None:
    slides = list(Presentation(str(built)).slides)
    assert not any(is_footer(s) for s in slides[0].shapes)
    for number, slide in enumerate(slides[1:], start=2):
        kinds = {s.placeholder_format.type: s for s in slide.shapes if is_footer(s)}
        assert kinds[PP_PLACEHOLDER.FOOTER].text_frame.text == "Crying in therapy"
        field = kinds[PP_PLACEHOLDER.SLIDE_NUMBER]._element.find(".//" + qn("a:fld"))
        assert field is not None and field.get("type") == "slidenum"
        assert kinds[PP_PLACEHOLDER.SLIDE_NUMBER].text_frame.text == str(number)


def test_long_footer_text_is_shortened_to_one_line(brand: Brand) -> None:
    meta = Meta("A program title that runs on and on " * 6, "en")
    slides = (Slide("content", "One", (ListBlock((runs("point"),)),)),)
    prs = Presentation(io.BytesIO(build_deck(Deck(meta, slides), brand)))
    footers = [
        s for s in prs.slides[0].placeholders if s.placeholder_format.type == PP_PLACEHOLDER.FOOTER
    ]
    (footer,) = footers
    assert footer.text_frame.text.endswith("…")
    assert len(footer.text_frame.text) < len(meta.title)


def test_only_safe_urls_become_links(built: Path) -> None:
    prs = Presentation(str(built))
    links = [r.hyperlink.address for s in prs.slides for sh in s.shapes for r in text_runs(sh)]
    assert "https://example.org/ce" in links
    assert not any(a and a.startswith("javascript") for a in links)
    assert safe_url("mailto:ce@example.org") and not safe_url("javascript:alert(1)")


def test_core_properties_are_set_from_meta_and_source_date_epoch(built: Path) -> None:
    core = Presentation(str(built)).core_properties
    assert (core.title, core.author, core.subject) == ("Crying in therapy", "Ada Lovelace", "Tears")
    assert core.keywords == "crying, CE" and core.language == "en-US"
    assert core.revision == 1 and core.last_modified_by == "workshop"
    assert core.created is not None and core.created.isoformat() == "2026-01-01T00:00:00"
    assert core.modified == core.created


def test_builds_are_byte_identical_with_source_date_epoch(
    built: Path, brand: Brand, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = build_deck(small_deck(), brand)
    assert again == built.read_bytes()
    infos = zipfile.ZipFile(io.BytesIO(again)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}


def test_logo_alt_text_is_the_brand_alt_never_the_file_name(brand: Brand, tmp_path: Path) -> None:
    logo = tmp_path / "acme-logo.png"
    Image.new("RGB", (300, 100), (40, 120, 110)).save(logo)
    branded = dataclasses.replace(brand, logo=logo, logo_alt="Acme Institute logo")
    prs = Presentation(io.BytesIO(build_deck(small_deck(), branded)))
    pictures = [
        s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) >= 2  # the title slide, and small in the footer corner
    assert {p._element.nvPicPr.cNvPr.get("descr") for p in pictures} == {"Acme Institute logo"}
    assert any(p in prs.slides[0].shapes for p in pictures)


@pytest.mark.parametrize("size", [(300, 100), (600, 100), (100, 100), (120, 300)])
def test_logos_keep_their_aspect_at_a_legible_height(
    brand: Brand, tmp_path: Path, size: tuple[int, int]
) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", size, (40, 120, 110)).save(logo)
    branded = dataclasses.replace(brand, logo=logo, logo_alt="Logo")
    prs = Presentation(io.BytesIO(build_deck(small_deck(), branded)))
    for number, slide in enumerate(prs.slides):
        for p in slide.shapes:
            if p.shape_type != MSO_SHAPE_TYPE.PICTURE:
                continue
            assert abs(p.width / p.height - size[0] / size[1]) < 0.02
            wide = size[0] / size[1] > 4.8  # the cover's room beside the details is 175 pt wide
            assert p.height >= Pt(24 if number or wide else 36)  # 1/3 in; 1/2 in on the cover
            assert p.top + p.height <= prs.slide_height and p.left + p.width <= prs.slide_width


def test_decorative_shapes_are_marked_decorative(built: Path) -> None:
    slide = Presentation(str(built)).slides[5]
    bar = next(s for s in slide.shapes if s.name == "Quote Bar")
    c_nv_pr = bar._element.nvSpPr.cNvPr
    assert c_nv_pr.get("descr") == ""
    assert "decorative" in c_nv_pr.xml and 'val="1"' in c_nv_pr.xml


def test_quote_that_cannot_fit_any_slide_raises_layout_error(brand: Brand) -> None:
    huge = Slide(
        "quote", "Too much", (QuoteBlock(runs("word " * 900), "A. Author", at="w.yaml:5"),)
    )
    with pytest.raises(LayoutError) as caught:
        build_deck(Deck(Meta("T", "en"), (huge,)), brand)
    assert caught.value.problems[0].line == 5
    assert "quote cannot fit" in caught.value.problems[0].message


def test_bullet_longer_than_a_slide_continues_at_word_ends(brand: Brand) -> None:
    huge = Slide("content", "Long", (ListBlock((runs("word " * 900),), item_at=("w.yaml:5",)),))
    prs = Presentation(io.BytesIO(build_deck(Deck(Meta("T", "en"), (huge,)), brand)))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert len(titles) > 2 and titles[1] == "Long (cont.)"
    words = sum(
        p.text.split().count("word")
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame and sh != s.shapes.title
        for p in sh.text_frame.paragraphs
    )
    assert words == 900


def test_template_is_16x9_with_named_layouts_and_no_stale_parts() -> None:
    prs = Presentation(str(TEMPLATE))
    names = [layout.name for master in prs.slide_masters for layout in master.slide_layouts]
    assert names == ["Title Slide", "Title and Content", "Section Header", "Title Only", "Blank"]
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width
            assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height
    body = prs.slide_layouts[1].placeholders[1]
    assert body.width > 12 * 914400  # laid out across the full 13.333 in, not the left 10 in
    members = zipfile.ZipFile(TEMPLATE).namelist()
    assert not any("thumbnail" in m or "printerSettings" in m for m in members)
    assert prs.core_properties.author == "" and prs.core_properties.last_modified_by == ""


def test_template_script_regenerates_the_committed_template() -> None:
    script = TEMPLATE.parents[2] / "scripts" / "make_deck_template.py"
    spec = importlib.util.spec_from_file_location("make_deck_template", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build_template() == TEMPLATE.read_bytes()


def test_dark_brand_slides_take_its_background_and_readable_text(brand: Brand) -> None:
    night = Colors("#E0A526", "#5FC2B8", "#5FC2B8", "#F2F4F7", "#0F1B2D", "#1C2E47", "#111111")
    dark = dataclasses.replace(brand, colors=night)
    data = build_deck(small_deck(), dark)
    package = zipfile.ZipFile(io.BytesIO(data))
    theme = package.read("ppt/theme/theme1.xml").decode()
    master = package.read("ppt/slideMasters/slideMaster1.xml").decode()
    assert '<a:lt1><a:srgbClr val="0F1B2D"/></a:lt1>' in theme
    assert '<a:schemeClr val="bg1"/></p:bgRef>' in master and 'bg1="lt1"' in master
    slides = list(Presentation(io.BytesIO(data)).slides)

    def colour(shape) -> str:  # type: ignore[no-untyped-def]
        return str(shape.text_frame.paragraphs[0].runs[0].font.color.rgb)

    section, content = slides[1], slides[2]
    assert colour(section.shapes.title) == colour(section.placeholders[1]) == "111111"
    assert colour(content.shapes.title) == "E0A526" and colour(content.placeholders[1]) == "F2F4F7"


def test_a_draft_decks_long_title_stays_clear_of_the_draft_tag(write_outline) -> None:  # type: ignore[no-untyped-def]
    long = (  # 120 capitals: three lines even at the smallest title size
        "DOCUMENTATION, REMEDIATION AND GATEKEEPING: WHAT SUPERVISORS MUST RECORD AND HOW TO "
        "RESPOND TO CONCERNS EARLY IN WRITING"
    )
    text = MINIMAL.replace("  - title: Basics", f'  - title: "{long}"')
    path = write_outline(text.replace("name: Ada Lovelace", 'name: "[Presenter name]"'))
    _, files = pipeline.produce(pipeline.Job(path), ["deck", "deck-pdf"])
    prs = Presentation(io.BytesIO(files["deck.pptx"]))
    moved = 0
    for number, slide in enumerate(prs.slides, 1):
        tag = next(s for s in slide.shapes if s.name == "Draft")
        title = slide.shapes.title
        if title is None or not title.text_frame.text.startswith("DOCUMENTATION"):
            continue
        moved += 1
        assert title.left + title.width < tag.left  # the pptx: the placeholder moved left
        for word in _words(files["deck.pdf"], number):  # deck.pdf: no word under the tag
            assert not _overlap(
                word, [v / 12700 for v in (tag.left, tag.top, tag.width, tag.height)]
            )
    assert moved >= 1


def _words(pdf: bytes, page: int) -> list[list[float]]:
    """Return each word's box (x, y, w, h in points from the top left) on a page of pdf."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
                         input=pdf, capture_output=True, check=True).stdout.decode()  # fmt: skip
    boxes = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', out
    )
    return [
        [float(a), float(b), float(c) - float(a), float(d) - float(b)]
        for a, b, c, d, w in boxes
        if w != "DRAFT"
    ]


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
