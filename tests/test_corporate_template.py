"""Decks built on a corporate template: the Northwind example kit's, read back with python-pptx."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from builder.brand import Brand, default_kit, load_brand
from builder.document import (
    Deck,
    ListBlock,
    Meta,
    Paragraph,
    QuoteBlock,
    Run,
    Slide,
    Step,
    StepsBlock,
)
from builder.errors import WriteError
from builder.layout import plan_deck
from builder.writers.deck import build_deck, template_geometry
from builder.writers.pptx_colors import text_color
from builder.writers.pptx_inspect import format_inspection, inspect_template

ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = ROOT / "sources" / "brands" / "northwind" / "template.pptx"
EPOCH = "1767225600"
MAPPING = (
    ("title", "Titelfolie"),
    ("section", "Abschnittsüberschrift"),
    ("content", "Titel und Inhalt"),
    ("quote", "Zitat"),
    ("process", "Nur Titel"),
    ("closing", "Titel und Inhalt"),
)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
FOOTERS = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


def runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def deck() -> Deck:
    steps = tuple(Step(f"Phase {i}", runs(f"what happens in phase {i}")) for i in range(1, 4))
    slides = (
        Slide(
            "title",
            "Crying in therapy",
            (
                Paragraph(runs("Ada Lovelace, PhD"), "meta"),
                Paragraph(runs("March 12, 2027"), "meta"),
            ),
            runs("A short workshop"),
            (Paragraph(runs("Welcome.")),),
        ),
        Slide("section", "Part 1: Basics", (), runs("30 minutes")),
        Slide("content", "Many points", (ListBlock(tuple(runs(f"Point {i}") for i in range(9))),)),
        Slide("quote", "In her words", (QuoteBlock(runs("The less we do, the better."), "A. B."),)),
        Slide(
            "process", "The sequence", (StepsBlock("S", steps),), (), (Paragraph(runs("Slowly.")),)
        ),
        Slide("closing", "Evaluation", (Paragraph(runs("Fill in the form.")),)),
    )
    return Deck(Meta("Crying in therapy", "en-US", "Ada Lovelace"), slides)


def corporate(template: Path = NORTHWIND, **layouts: str) -> Brand:
    base = load_brand(default_kit())[0]
    mapping = tuple((dict(MAPPING) | layouts).items())
    return dataclasses.replace(base, template=template, layouts=mapping)


@pytest.fixture(scope="module")
def brand() -> Brand:
    return corporate()


@pytest.fixture
def built(brand: Brand, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    path = tmp_path / "deck.pptx"
    path.write_bytes(build_deck(deck(), brand))
    return path


def kinds(brand: Brand) -> list[str]:
    return [p.slide.kind for p in plan_deck(deck(), template_geometry(brand), brand)]


def title_of(slide):  # type: ignore[no-untyped-def]
    (title,) = [s for s in slide.placeholders if s.placeholder_format.type in TITLES]
    return title


def test_every_slide_uses_the_layout_the_kit_maps(built: Path, brand: Brand) -> None:
    names = [slide.slide_layout.name for slide in Presentation(str(built)).slides]
    assert names == [dict(MAPPING)[kind] for kind in kinds(brand)]
    assert "Abschnittsüberschrift" in names and "Zitat" in names


def test_the_templates_own_slide_is_gone_without_orphan_parts(built: Path, brand: Brand) -> None:
    prs = Presentation(str(built))
    assert len(prs.slides) == len(kinds(brand)) == 7  # "Many points" continues once
    with zipfile.ZipFile(built) as package:
        names = package.namelist()
        text = b"".join(package.read(n) for n in names if n.endswith(".xml"))
        rels = package.read("ppt/_rels/presentation.xml.rels").decode()
    slides = [n for n in names if n.startswith("ppt/slides/slide")]
    notes = [n for n in names if n.startswith("ppt/notesSlides/notesSlide")]
    assert len(slides) == len(prs.slides)
    assert all(f'Target="{n[4:]}"' in rels for n in slides)
    assert len(notes) == sum(s.has_notes_slide for s in prs.slides) == 2
    assert b"Willkommen" not in text and b"sectionLst" not in text
    assert "thumbnail" not in " ".join(names)


def test_titles_sit_in_title_placeholders_and_body_in_the_template_idx(built: Path) -> None:
    prs = Presentation(str(built))
    titles = [title_of(slide).text_frame.text for slide in prs.slides]
    assert titles[:3] == ["Crying in therapy", "Part 1: Basics", "Many points"]
    assert len(set(titles)) == len(titles)
    content = prs.slides[2]
    (body,) = [s for s in content.placeholders if s.placeholder_format.idx == 14]
    assert body.text_frame.paragraphs[0].runs[0].text == "Point 0"
    assert not any(s.placeholder_format.idx == 13 for sl in prs.slides for s in sl.placeholders)


def test_text_is_measured_against_the_templates_placeholder_boxes(brand: Brand) -> None:
    layout = next(
        lay for lay in Presentation(str(NORTHWIND)).slide_layouts if lay.name == "Titel und Inhalt"
    )
    (body,) = [p for p in layout.placeholders if p.placeholder_format.idx == 14]
    frame = template_geometry(brand).frames["content"]
    assert (frame.body.x, frame.body.w) == (body.left / 12700, body.width / 12700)
    assert frame.body.h == pytest.approx(4.75 * 72)
    for planned in plan_deck(deck(), template_geometry(brand), brand):
        for part in planned.parts:
            assert template_geometry(brand).frames[planned.slide.kind].body.contains(part.box)


def test_title_slide_details_go_below_the_subtitle_when_no_placeholder_is_spare(
    built: Path,
) -> None:
    slide = Presentation(str(built)).slides[0]
    (subtitle,) = [s for s in slide.placeholders if s.placeholder_format.idx == 10]
    (details,) = [s for s in slide.shapes if not s.is_placeholder and s.has_text_frame]
    assert "Ada Lovelace, PhD" in details.text_frame.text
    assert details.top >= subtitle.top + subtitle.height
    assert details.top + details.height <= 6858000
    assert all(r.font.size.pt >= 18 for p in details.text_frame.paragraphs for r in p.runs)


def test_footers_and_slide_numbers_on_every_slide_but_the_title(built: Path) -> None:
    slides = list(Presentation(str(built)).slides)
    assert not any(
        s.is_placeholder and s.placeholder_format.type in FOOTERS for s in slides[0].shapes
    )
    for number, slide in enumerate(slides[1:], start=2):
        found = {
            s.placeholder_format.type: s
            for s in slide.placeholders
            if s.placeholder_format.type in FOOTERS
        }
        assert found[PP_PLACEHOLDER.FOOTER].text_frame.text == "Crying in therapy"
        assert found[PP_PLACEHOLDER.SLIDE_NUMBER].text_frame.text == str(number)
        assert {s.placeholder_format.idx for s in found.values()} == {21, 22}


def test_a_layout_of_the_second_master_can_be_selected(tmp_path: Path) -> None:
    brand = corporate(title="Titelfolie (breit)", content="Titel und Inhalt (breit)")
    prs = Presentation(io.BytesIO(build_deck(deck(), brand)))
    second = prs.slide_masters[1]
    title, content = prs.slides[0], prs.slides[2]
    assert title.slide_layout.slide_master == second == content.slide_layout.slide_master
    assert content.slide_layout.name == "Titel und Inhalt (breit)"
    (details,) = [s for s in title.placeholders if s.placeholder_format.idx == 34]
    assert "Ada Lovelace, PhD" in details.text_frame.text  # the spare placeholder takes them


def test_a_missing_layout_is_an_error_listing_the_available_names() -> None:
    with pytest.raises(WriteError) as caught:
        build_deck(deck(), corporate(quote="Zitate"))
    (problem,) = caught.value.problems
    assert problem.file == str(NORTHWIND)
    assert "'Zitate'" in problem.message and "did you mean 'Zitat'" in problem.message
    for name in ("Titelfolie", "Vergleich", "Titel und Inhalt (breit)"):
        assert repr(name) in problem.message


def test_a_potx_template_builds_the_same_deck(
    brand: Brand, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    potx = tmp_path / "template.potx"
    with zipfile.ZipFile(NORTHWIND) as src, zipfile.ZipFile(potx, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            dst.writestr(item, data)
    with pytest.raises(ValueError):
        Presentation(str(potx))  # python-pptx refuses the template content type itself
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert build_deck(deck(), corporate(potx)) == built.read_bytes()


def test_corporate_builds_are_byte_identical(
    brand: Brand, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert build_deck(deck(), brand) == built.read_bytes()


def test_notes_master_listed_and_template_metadata_replaced(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        presentation = package.read("ppt/presentation.xml").decode()
        app = package.read("docProps/app.xml").decode()
    assert "<p:notesMasterIdLst><p:notesMasterId r:id=" in presentation
    assert "Willkommen" not in app
    core = Presentation(str(built)).core_properties
    assert (core.title, core.author, core.revision) == ("Crying in therapy", "Ada Lovelace", 1)


def test_the_template_keeps_its_own_theme_colours(built: Path) -> None:
    theme = zipfile.ZipFile(built).read("ppt/theme/theme1.xml").decode()
    assert '<a:dk2><a:srgbClr val="12355B"/></a:dk2>' in theme  # Northwind's, not the brand's


def test_titles_inherit_the_template_colour_and_drawn_text_matches_it(built: Path) -> None:
    slide = Presentation(str(built)).slides[0]
    run = title_of(slide).text_frame.paragraphs[0].runs[0]
    assert run.font.color.type is None  # the layout's white title, not a colour of ours
    (details,) = [s for s in slide.shapes if not s.is_placeholder and s.has_text_frame]
    rgb = details.text_frame.paragraphs[0].runs[0].font.color.rgb
    assert str(rgb) == "EDF2F6"  # the subtitle's frost, readable on the dark title slide


def test_text_colour_follows_the_templates_inheritance_and_modifiers() -> None:
    prs = Presentation(str(NORTHWIND))
    layouts = {lay.name: lay for m in prs.slide_masters for lay in m.slide_layouts}
    content, wide = layouts["Titel und Inhalt"], layouts["Titel und Inhalt (breit)"]
    assert text_color(content, 0) == "#12355B"  # master title style: tx2 -> dk2
    assert text_color(wide, 0) == "#FFFFFF"  # the second master's titles sit on its band
    assert text_color(content, None) == "#1E252B"  # body style: tx1 -> dk1
    assert text_color(layouts["Titelfolie"], 10) == "#EDF2F6"  # the layout's own bg2
    fill = layouts["Zitat"].placeholders.get(idx=16).element.find(".//" + qn("a:schemeClr"))
    fill.append(fill.makeelement(qn("a:lumMod"), {"val": "50000"}))  # half as light
    assert text_color(layouts["Zitat"], 16) == "#0F1215"


def test_inspect_template_lists_each_masters_layouts_and_placeholders() -> None:
    infos = inspect_template(NORTHWIND)
    names = [(i.master, i.name) for i in infos]
    assert names[:6] == [
        (1, "Titelfolie"),
        (1, "Abschnittsüberschrift"),
        (1, "Titel und Inhalt"),
        (1, "Nur Titel"),
        (1, "Zitat"),
        (1, "Vergleich"),
    ]
    assert (2, "Titel und Inhalt (breit)") in names
    content = next(i for i in infos if i.name == "Titel und Inhalt")
    body = next(p for p in content.placeholders if p.idx == 14)
    assert (body.type, body.box) == ("object", (0.75, 2.0, 11.9, 4.75))
    listing = format_inspection(infos)
    assert "master 2 'Northwind Breit'" in listing and "layout 'Abschnittsüberschrift'" in listing
    assert "idx 10  subtitle" in listing


def test_inspect_template_reports_a_file_that_is_no_template(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pptx"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(WriteError, match="expected a PowerPoint .pptx or .potx"):
        inspect_template(bogus)


def test_template_script_regenerates_the_committed_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = ROOT / "scripts" / "make_example_kit_template.py"
    spec = importlib.util.spec_from_file_location("make_example_kit_template", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look themselves up
    spec.loader.exec_module(module)
    assert module.build_template() == NORTHWIND.read_bytes()
    prs = Presentation(str(NORTHWIND))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert len(prs.slide_masters) == 2 and len(prs.slides) == 1
    assert not any(n.startswith("ppt/media") for n in zipfile.ZipFile(NORTHWIND).namelist())


@pytest.mark.client
def test_libreoffice_converts_the_corporate_deck_one_page_per_slide(
    built: Path, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "soffice is missing: run scripts/install-clients.sh"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(built),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file()  # soffice exits 0 even when it fails
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) == len(Presentation(str(built)).slides)


def test_a_template_whose_links_cannot_be_read_on_its_background_is_an_error(
    tmp_path: Path,
) -> None:
    faint = tmp_path / "faint.pptx"
    with zipfile.ZipFile(NORTHWIND) as src, zipfile.ZipFile(faint, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("ppt/theme/"):
                data = data.replace(
                    b'<a:hlink><a:srgbClr val="1B5FA8"/>', b'<a:hlink><a:srgbClr val="C9D6E3"/>'
                )
            dst.writestr(info, data)
    with pytest.raises(WriteError) as caught:
        build_deck(deck(), corporate(faint))
    (problem,) = caught.value.problems
    assert problem.file == str(faint)
    assert "hyperlink color" in problem.message and "#C9D6E3 on #FFFFFF" in problem.message
    build_deck(deck(), corporate())  # the shipped template's links read (6.5:1): it builds


def test_a_template_whose_text_cannot_be_read_on_its_slides_is_an_error(tmp_path: Path) -> None:
    from builder import pipeline

    kit = Path(shutil.copytree(NORTHWIND.parent, tmp_path / "kit"))
    dark = b'<p:bgPr><a:solidFill><a:srgbClr val="101010"/>'
    with zipfile.ZipFile(NORTHWIND) as src, zipfile.ZipFile(kit / NORTHWIND.name, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("ppt/slideMasters/"):
                data = data.replace(b'<p:bgPr><a:solidFill><a:schemeClr val="bg1"/>', dark)
            dst.writestr(info, data)
    job = pipeline.Job(ROOT / "sources" / "therapeutic-crying.yaml", kit)
    (problem,) = [p for p in pipeline.check(job, ["deck"]) if p.severity == "error"]
    assert problem.file == str(kit / NORTHWIND.name) and problem.field == "template"
    assert "to reach" in problem.message and "on #101010" in problem.message
    with pytest.raises(WriteError):  # build refuses what check refuses
        pipeline.produce(job, ["deck"])


def test_powerpoints_own_template_is_refused_with_the_layout_that_would_serve(
    tmp_path: Path,
) -> None:
    stock = tmp_path / "stock.pptx"
    Presentation().save(str(stock))  # python-pptx's default: PowerPoint's stock layouts, 4:3
    base = load_brand(default_kit())[0]
    with pytest.raises(WriteError) as caught:
        template_geometry(dataclasses.replace(base, template=stock))  # its layouts by role
    (problem,) = caught.value.problems
    assert "expected room for the presenter details under the subtitle of 'Title Slide'" in (
        problem.message
    )
    assert "(workshop.yml: layouts: title: 'Two Content')" in problem.message
    layouts = (("title", "Two Content"),)
    template_geometry(dataclasses.replace(base, template=stock, layouts=layouts))  # it serves


def test_layouts_drawn_for_another_slide_size_are_an_error_naming_the_layout(
    tmp_path: Path,
) -> None:
    prs = Presentation(str(NORTHWIND))
    prs.slide_width, prs.slide_height = prs.slide_height, prs.slide_width  # portrait, layouts not
    portrait = tmp_path / "portrait.pptx"
    prs.save(str(portrait))
    with pytest.raises(WriteError) as caught:  # built with its text running off the slide before
        build_deck(deck(), corporate(portrait))
    (problem,) = caught.value.problems
    assert (
        problem.file == str(portrait) and "expected the placeholders of layout" in problem.message
    )
    assert "the text would run off the slide" in problem.message
