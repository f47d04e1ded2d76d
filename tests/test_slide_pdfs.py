"""deck.pdf, slides.pdf and guide.pdf: drawn from the layout plan, read back as a person would.

Every slide's words in order, vector thumbnails, bookmarks, embedded fonts, metadata, the
per-page grids of the slide handout, the guide's timing cues, and reproducible bytes.
"""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from builder import pipeline
from builder.document import Deck, DeckPart, Meta, Slide
from builder.writers.guide import slide_cues

SHIPPED = Path("sources/therapeutic-crying.yaml")
KITS = [None, *sorted(p for p in Path("sources/brands").iterdir() if (p / "_brand.yml").is_file())]
PDFS = ("deck.pdf", "slides.pdf", "guide.pdf")


@pytest.fixture(scope="module", params=KITS, ids=lambda k: k.name if k else "default")
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build every format of the shipped workshop under one kit; return the folder."""
    folder = tmp_path_factory.mktemp("pdfs")
    _, files = pipeline.produce(pipeline.Job(SHIPPED, request.param), list(pipeline.FORMATS))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def slide_words(pptx: Path) -> list[list[str]]:
    """Return each slide's words as python-pptx reads them: every text frame and table cell."""
    out = []
    for slide in Presentation(str(pptx)).slides:
        words: list[str] = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words += shape.text_frame.text.split()
            if shape.has_table:
                words += [w for row in shape.table.rows for c in row.cells for w in c.text.split()]
            if shape.shape_type == 6:  # a group: the process diagram
                words += [
                    w for s in shape.shapes if s.has_text_frame for w in s.text_frame.text.split()
                ]
        out.append(words)
    return out


def pdf_words(pdf: Path, page: int | None = None) -> list[str]:
    """Return the words of a PDF (or one page) in the order they are drawn."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.split()


def in_order(needles: list[str], haystack: list[str]) -> bool:
    """Return whether needles appear in haystack in the same order (not necessarily adjacent)."""
    it = iter(haystack)
    return all(any(word == hay for hay in it) for word in needles)


def test_the_five_files_build_under_every_kit(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    assert {"deck.pptx", "deck.pdf", "handout.pdf", "slides.pdf", "guide.pdf"} <= names
    slides = len(Presentation(str(built / "deck.pptx")).slides)
    assert len(PdfReader(built / "deck.pdf").pages) == slides
    assert len(PdfReader(built / "slides.pdf").pages) == math.ceil(slides / 3)
    page = PdfReader(built / "deck.pdf").pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)


def test_every_slide_s_words_appear_in_order_on_its_page(built: Path) -> None:
    for number, words in enumerate(slide_words(built / "deck.pptx"), start=1):
        assert in_order(words, pdf_words(built / "deck.pdf", number)), f"slide {number}"


@pytest.mark.parametrize("name", ["slides.pdf", "guide.pdf"])
def test_slide_handout_and_guide_show_every_slide_s_words_in_slide_order(
    built: Path, name: str
) -> None:
    everything = [w for words in slide_words(built / "deck.pptx") for w in words]
    assert in_order(everything, pdf_words(built / name))
    assert not in_order(everything[::-1][:40], pdf_words(built / name))  # order matters


def test_thumbnails_are_vector_only_logos_are_images(built: Path) -> None:
    for name in PDFS:
        listing = subprocess.run(["pdfimages", "-list", str(built / name)], capture_output=True,
                                 text=True, check=True).stdout.splitlines()[2:]  # fmt: skip
        sizes = {tuple(line.split()[3:5]) for line in listing}
        assert len(sizes) <= 1, (name, sizes)  # the logo (and its mask), nothing else


def test_fonts_embedded_and_metadata_set(built: Path) -> None:
    for name in PDFS:
        fonts = subprocess.run(["pdffonts", str(built / name)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]  # fmt: skip
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), (name, fonts)
        assert PdfReader(built / name).metadata.title.startswith("Therapeutic Crying")


@pytest.mark.parametrize("name", ["deck.pdf", "slides.pdf"])
def test_pdfs_of_slides_bookmark_every_agenda_section(built: Path, name: str) -> None:
    outline = PdfReader(built / name).outline
    top = [entry.title for entry in outline if not isinstance(entry, list)]
    sections = [s.title for s in pipeline.load(pipeline.Job(SHIPPED)).workshop.agenda]
    assert [t for t in top if t in sections] == sections  # each once, in agenda order
    assert any(isinstance(entry, list) for entry in outline)  # slides nested under sections


@pytest.mark.parametrize("per_page", pipeline.PER_PAGE)
def test_slide_handout_pages_for_each_per_page_value(per_page: int) -> None:
    job = pipeline.Job(SHIPPED, per_page=per_page)
    _, files = pipeline.produce(job, ["deck", "slides"])
    reader = PdfReader(__import__("io").BytesIO(files["slides.pdf"]))
    slides = len(Presentation(__import__("io").BytesIO(files["deck.pptx"])).slides)
    pages = math.ceil(slides / per_page)
    assert len(reader.pages) == pages
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last
    assert "Therapeutic Crying in Psychotherapy" in last  # the running header


def test_guide_runs_the_sheet_then_slides_then_the_checklist(built: Path) -> None:
    text = " ".join(pdf_words(built / "guide.pdf"))
    assert text.index("Run sheet") < text.index("Slide 1 ·") < text.index("Materials checklist")
    assert re.search(r"By 0:\d\d you should be here", text)


def test_cues_share_a_section_s_minutes_among_its_slides() -> None:
    parts = (DeckPart("One", 0, 10), DeckPart("Two", 10, 30))
    slides = [Slide("title", "T"), *[Slide("content", "a", part=1)] * 2,
              *[Slide("content", "b", part=2)] * 3, Slide("closing", "c")]  # fmt: skip
    deck = Deck(Meta("x", "en"), tuple(slides), parts)

    class Planned:
        def __init__(self, slide: Slide) -> None:
            self.slide = slide

    cues = slide_cues(deck, [Planned(s) for s in slides])  # type: ignore[misc]
    assert cues == [None, 0, 5, 10, 20, 30, None]


def test_pdfs_are_byte_identical_with_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = pipeline.produce(pipeline.Job(SHIPPED), ["deck-pdf", "slides", "guide"])[1]
    second = pipeline.produce(pipeline.Job(SHIPPED), ["deck-pdf", "slides", "guide"])[1]
    assert first == second


def test_check_does_not_draw_what_only_redraws_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(materials: object) -> bytes:
        raise AssertionError("check drew deck.pdf")

    for name in ("deck-pdf", "slides"):
        fmt = pipeline.FORMATS[name]
        monkeypatch.setitem(
            pipeline.FORMATS,
            name,
            pipeline.Format(fmt.name, fmt.templates, fail, fmt.filename, True),
        )
    assert not [
        p
        for p in pipeline.check(pipeline.Job(SHIPPED), list(pipeline.FORMATS))
        if p.severity == "error"
    ]


def test_guide_repeats_discussion_questions_and_activity_instructions(built: Path) -> None:
    workshop = pipeline.load(pipeline.Job(SHIPPED)).workshop
    text = " ".join(pdf_words(built / "guide.pdf"))
    blocks = [b for s in workshop.agenda for b in s.blocks]
    questions = [q for b in blocks if hasattr(b, "discussion") for q in b.questions]
    instructions = [b.instructions for b in blocks if hasattr(b, "activity")]
    assert questions and instructions
    # once in the thumbnail, once in full beside it
    for question in questions:
        assert text.count(" ".join(question.split()[:6])) >= 2, question
    for instruction in instructions:
        assert text.count(" ".join(instruction.split()[:8])) >= 2, instruction


@pytest.mark.parametrize("outline", ["three-presenters", "processes", "taller-es"])
def test_the_guides_slide_by_slide_heading_starts_the_page_of_the_first_slide(
    outline: str, tmp_path: Path
) -> None:
    """A heading alone at a page's foot, its first slide entry (a thumbnail that does not
    split) on the next page, is what these outlines' guides had."""
    _, files = pipeline.produce(
        pipeline.Job(Path(f"tests/fixtures/outlines/{outline}.yaml")), ["guide"]
    )
    guide = tmp_path / "guide.pdf"
    guide.write_bytes(files["guide.pdf"])
    pages = [" ".join(pdf_words(guide, n)) for n in range(1, len(PdfReader(guide).pages) + 1)]
    heading = "Diapositiva por diapositiva" if outline == "taller-es" else "Slide by slide"
    (page,) = [p for p in pages if heading in p]
    assert re.search(r"(Slide|Diapositiva) 1 ·", page.split(heading, 1)[1])
