"""Tests of the handout writer: build small documents and read the PDF back."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from builder.brand import Brand, default_kit, load_brand
from builder.document import (
    Block,
    Document,
    Heading,
    ListBlock,
    Meta,
    NoteLines,
    PageBreak,
    Paragraph,
    QuoteBlock,
    Row,
    Run,
    Step,
    StepsBlock,
    Table,
)
from builder.errors import WriteError
from builder.writers.handout import build_handout

META = Meta(
    title="Tears in therapy",
    lang="pl-PL",
    author="Ada Lovelace",
    subject="CE handout",
    keywords=("crying", "therapy"),
)
LONG = "Slow down, lower your voice and make room for the tears without hurrying on. " * 3


@pytest.fixture(scope="module")
def brand() -> Brand:
    return load_brand(default_kit())[0]


def text(value: str, style: str = "body") -> Paragraph:
    return Paragraph((Run(value),), style)


def build(brand: Brand, *blocks: Block, meta: Meta = META) -> bytes:
    return build_handout(Document(meta, tuple(blocks)), brand)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(pdf: bytes) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())


def cover(title: str = "Tears in therapy") -> tuple[Block, ...]:
    return (
        Heading(1, (Run(title),)),
        text("A short workshop", "lead"),
        text("Date: 12 March 2027", "meta"),
        PageBreak(),
    )


def test_markup_characters_in_text_print_literally(brand: Brand) -> None:
    pdf = build(brand, text('<b>&amp; "x" R&D < 5'), text("line one\nline two"))
    assert '<b>&amp; "x" R&D < 5' in flat(pdf)
    assert "line one\nline two" in page_texts(pdf)[0]


def test_bold_run_uses_the_bold_face(brand: Brand) -> None:
    para = Paragraph((Run("plain "), Run("Strong", bold=True), Run(" tilted", italic=True)))
    with pdfplumber.open(io.BytesIO(build(brand, para))) as doc:
        fonts = {c["text"]: c["fontname"] for c in doc.pages[0].chars}
    assert fonts["S"].endswith("Arimo-Bold")
    assert "Italic" in fonts["t"] and "Bold" not in fonts["t"]
    assert fonts["p"].endswith("Arimo-Regular")


def test_headings_of_levels_one_and_two_become_bookmarks(brand: Brand) -> None:
    pdf = build(
        brand,
        *cover(),
        Heading(1, (Run("About"),)),
        Heading(2, (Run("Objectives"),)),
        Heading(3, (Run("Detail"),)),
        text("body"),
    )
    outline = PdfReader(io.BytesIO(pdf)).outline
    assert [o.title for o in outline if not isinstance(o, list)] == ["Tears in therapy", "About"]
    assert [o.title for o in outline[-1]] == ["Objectives"]
    assert "Detail" not in str(outline)


def test_heading_levels_that_skip_are_clamped_in_the_outline(brand: Brand) -> None:
    pdf = build(brand, Heading(2, (Run("Starts at two"),)), Heading(3, (Run("Three"),)))
    outline = PdfReader(io.BytesIO(pdf)).outline
    assert [o.title for o in outline] == ["Starts at two"]


def test_metadata_language_and_viewer_preferences(brand: Brand) -> None:
    reader = PdfReader(io.BytesIO(build(brand, *cover())))
    info, root = reader.metadata, reader.trailer["/Root"]
    assert info is not None
    assert (info.title, info.author) == ("Tears in therapy", "Ada Lovelace")
    assert info.subject == "CE handout"
    assert info["/Keywords"] == "crying, therapy"
    assert info["/Creator"] == "workshop"
    assert root["/Lang"] == "pl-PL"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/PageMode"] == "/UseOutlines"


def _fonts(reader: PdfReader) -> list[Any]:
    fonts: dict[int, Any] = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            assert isinstance(ref, IndirectObject)
            fonts[ref.idnum] = ref.get_object()
    return list(fonts.values())


def test_every_font_is_embedded_and_none_is_standard(brand: Brand) -> None:
    table = Table((Row(((Run("Head"),),), header=True), Row(((Run("Cell"),),))))
    lists = ListBlock(((Run("one"),), (Run("two"),)), ordered=True)
    steps = StepsBlock("Steps", (Step("A", (Run("x"),)), Step("B", (Run("y"),))))
    pdf = build(brand, *cover(), text("Body"), table, lists, ListBlock(((Run("dot"),),)), steps)
    fonts = _fonts(PdfReader(io.BytesIO(pdf)))
    assert len(fonts) >= 2
    for font in fonts:
        assert "Helvetica" not in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]


def test_footer_numbers_every_page_of_the_total(brand: Brand) -> None:
    pages = page_texts(build(brand, *cover(), text("Second page"), PageBreak(), text("Third")))
    assert len(pages) == 3
    assert "Page 1 of 3" in pages[0]
    assert "Page 3 of 3" in pages[2]


def test_brand_footer_and_running_header_after_the_first_page(brand: Brand) -> None:
    branded = dataclasses.replace(brand, footer="Institute for Tears · ce@example.org")
    pages = page_texts(build(branded, *cover("Cover title"), text("Body")))
    assert "Institute for Tears · ce@example.org" in pages[1]
    assert "Tears in therapy" in pages[1]  # the document title, as running header
    assert brand.name in pages[1]  # the brand name
    assert brand.name not in pages[0].replace(brand.name.upper(), "")


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595, 842))])
def test_paper_size_follows_the_brand(brand: Brand, paper: str, size: tuple[int, int]) -> None:
    pdf = build(dataclasses.replace(brand, paper=paper), text("Body"))
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_builds_are_byte_identical_with_source_date_epoch(
    brand: Brand, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    blocks = (*cover(), text("Body"), NoteLines(3))
    first, second = build(brand, *blocks), build(brand, *blocks)
    assert first == second
    assert b"D:20231114221320" in first


def test_cover_title_is_white_on_the_primary_band(brand: Brand) -> None:
    with pdfplumber.open(io.BytesIO(build(brand, *cover("Cover"), text("More")))) as doc:
        page = doc.pages[0]
        title = [c for c in page.chars if c["size"] > 20]
        band = [r for r in page.rects if r["top"] < 1 and r["width"] >= page.width - 1]
    assert "".join(c["text"] for c in title) == "Cover"
    assert all(c["non_stroking_color"] == (1, 1, 1) for c in title)
    assert band and band[0]["bottom"] > title[0]["bottom"]
    navy = tuple(int(brand.colors.primary[i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert band[0]["non_stroking_color"] == pytest.approx(navy, abs=0.01)


def test_long_steps_keep_every_word_inside_the_page_frame(brand: Brand) -> None:
    steps = tuple(Step(f"Name{i}", (Run(LONG + f"End{i}"),)) for i in range(6))
    pdf = build(brand, StepsBlock("A long process", steps))
    words = flat(pdf)
    assert all(f"Name{i}" in words and f"End{i}" in words for i in range(6))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            body = [c for c in page.chars if 60 < c["top"] < page.height - 60]
            assert min(c["x0"] for c in body) >= 0.8 * 72 - 0.5
            assert max(c["x1"] for c in body) <= page.width - 0.8 * 72 + 0.5


def test_process_taller_than_a_page_continues_as_a_column(brand: Brand) -> None:
    steps = tuple(Step(f"Name{i}", (Run(LONG),)) for i in range(9))
    pages = page_texts(build(brand, text("Intro"), StepsBlock("", steps)))
    assert len(pages) == 2
    assert "Name0" in pages[0] and "Name8" in pages[1]
    assert sum(page.count("Name") for page in pages) == 9


def test_short_steps_sit_in_one_row(brand: Brand) -> None:
    steps = tuple(Step(f"S{i}", (Run("quick."),)) for i in range(4))
    with pdfplumber.open(io.BytesIO(build(brand, StepsBlock("Row", steps)))) as doc:
        chars = doc.pages[0].chars
    tops = {round(c["top"]) for c in chars if c["text"] == "S"}
    assert len(tops) == 1


def test_unbreakable_word_in_a_step_stays_in_its_box(brand: Brand) -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    steps = (Step(word, (Run(word),)), Step("B", (Run("x"),)), Step("C", (Run("y"),)))
    with pdfplumber.open(io.BytesIO(build(brand, StepsBlock("", steps)))) as doc:
        page = doc.pages[0]
        boxes = sorted((c for c in page.curves), key=lambda c: c["x0"])
        first = boxes[0]
        letters = [c for c in page.chars if c["x0"] < first["x1"] and c["top"] > first["top"]]
    assert len(letters) >= 2 * len(word)
    assert max(c["x1"] for c in letters) <= first["x1"]


def test_long_document_spans_several_pages(brand: Brand) -> None:
    blocks = [text(f"Paragraph {i}. {LONG}") for i in range(40)]
    pages = page_texts(build(brand, Heading(1, (Run("Long"),)), *blocks))
    assert len(pages) >= 4
    assert "Paragraph 39." in pages[-1]


def test_table_header_repeats_on_every_page_of_the_table(brand: Brand) -> None:
    head = Row(((Run("Sign"),), (Run("Meaning"),)), header=True)
    rows = [Row(((Run(f"row {i}"),), (Run(LONG),))) for i in range(40)]
    pages = page_texts(build(brand, Table((head, *rows), widths=(0.25, 0.75))))
    assert len(pages) >= 2
    assert all("Sign" in page and "Meaning" in page for page in pages)


def test_table_widths_are_relative(brand: Brand) -> None:
    row = Row(((Run("A"),), (Run("B"),)), header=True)
    with pdfplumber.open(io.BytesIO(build(brand, Table((row,), widths=(0.25, 0.75))))) as doc:
        a, b = (next(c for c in doc.pages[0].chars if c["text"] == t) for t in "AB")
        frame = doc.pages[0].width - 2 * 0.8 * 72
    assert b["x0"] - a["x0"] == pytest.approx(0.25 * frame, abs=1)


def test_table_widths_for_the_wrong_column_count_raise_write_error(brand: Brand) -> None:
    table = Table((Row(((Run("A"),), (Run("B"),))),), widths=(1.0,), at="mini.yaml:12")
    with pytest.raises(WriteError, match="mini.yaml:12: table: expected 2 column widths, got 1"):
        build(brand, table)


def test_quote_shows_text_and_attribution(brand: Brand) -> None:
    quote = QuoteBlock((Run("The less the therapist does, the better."),), "Von Glahn & <co>")
    expected = "The less the therapist does, the better. — Von Glahn & <co>"
    assert expected in flat(build(brand, quote))


def test_note_lines_draw_one_rule_per_line(brand: Brand) -> None:
    def rules(count: int) -> int:
        with pdfplumber.open(io.BytesIO(build(brand, NoteLines(count)))) as doc:
            return len(doc.pages[0].lines)

    assert rules(7) - rules(0) == 7


def test_curly_quotes_dashes_and_accented_letters_survive(brand: Brand) -> None:
    words = "Łódź żółć — “ř š” ’tis"
    assert words in flat(build(brand, text(words)))


def test_logo_is_drawn_on_the_cover_and_later_pages(brand: Brand, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (200, 60), (20, 80, 120, 128)).save(logo)
    pdf = build(dataclasses.replace(brand, logo=logo), *cover(), text("Body"))
    for page in PdfReader(io.BytesIO(pdf)).pages:
        images = page["/Resources"]["/XObject"].values()
        assert any(x.get_object()["/Subtype"] == "/Image" for x in images)


def test_unreadable_logo_raises_write_error(brand: Brand, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_text("not an image")
    with pytest.raises(WriteError, match="logo: expected a PNG or JPEG image"):
        build(dataclasses.replace(brand, logo=logo), text("Body"))


@pytest.mark.parametrize("lines", range(22, 27))
def test_citation_stays_on_the_page_of_what_it_cites(brand: Brand, lines: int) -> None:
    quote = QuoteBlock((Run("Claim"),), "")
    pages = page_texts(build(brand, NoteLines(lines), quote, text("Source: X", "cite")))
    assert [("Claim" in page, "Source: X" in page) for page in pages].count((True, True)) == 1


@pytest.mark.parametrize("level", [1, 2])
def test_unbreakable_heading_wraps_inside_the_margins(brand: Brand, level: int) -> None:
    pdf = build(brand, text("Intro"), Heading(level, (Run("A" * 200),)))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        letters = [c for c in page.chars if c["text"] == "A"]
        assert max(c["x1"] for c in letters) <= page.width - 0.8 * 72 + 0.5
    assert len(letters) == 200
    assert PdfReader(io.BytesIO(pdf)).outline[0].title == "A" * 200


@pytest.mark.parametrize("lines", [12, 18, 22, 23, 24, 25])
def test_heading_stays_with_the_start_of_a_long_paragraph(brand: Brand, lines: int) -> None:
    body = text("Start of the section. " + LONG * 5)
    pages = page_texts(build(brand, NoteLines(lines), Heading(2, (Run("Head"),)), body))
    page = next(i for i, page in enumerate(pages) if "Head" in page)
    assert "Start of the section." in pages[page]
    if lines <= 18:  # with room for a few lines, the paragraph starts under its heading
        assert page == 0


@pytest.mark.parametrize("lines", range(21, 26))
def test_question_stays_with_its_answer_lines(brand: Brand, lines: int) -> None:
    pdf = build(brand, NoteLines(lines), text("Question?"), NoteLines(4))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words()
            asked = [w["bottom"] for w in words if w["text"] == "Question?"]
            if asked:
                body = [line for line in page.lines if line["top"] < page.height - 0.85 * 72]
                assert any(line["top"] > asked[0] for line in body)


URL = (
    "https://register.awmf.org/de/leitlinien/detail/051-028?utm_source=fortbildung"
    "&utm_medium=handout&utm_campaign=achtsamkeit2027&utm_content=literaturverzeichnis-seite-6"
)


@pytest.mark.parametrize("style", ["body", "reference"])
def test_a_link_longer_than_two_lines_stays_inside_the_margins(brand: Brand, style: str) -> None:
    pdf = build(brand, text(f"Bandelow, B. (2021). S3-Leitlinie. AWMF. {URL} {URL}", style))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert max(c["x1"] for c in page.chars) <= page.width - 0.8 * 72 + 0.5
        shown = "".join(c["text"] for c in page.chars)
    assert shown.count("utm_content=literaturverzeichnis-seite-6") == 2  # every character kept
    assert "-seite-6-" not in shown  # no hyphen added inside a link


def test_a_paragraph_breaks_its_lines_once_a_width(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from builder.writers.handout_text import Text

    calls: list[float] = []
    original = Paragraph.breakLines

    def counted(self: Any, widths: Any) -> Any:
        calls.append(widths[0])
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    text = Text("a line of words that wraps at narrow widths " * 4, ParagraphStyle("s"))
    first = text.wrap(200, 500)
    assert text.wrap(200, 900) == first and len(calls) == 1  # asked again: the same lines
    narrow = text.wrap(120, 500)
    assert narrow[1] > first[1] and len(calls) == 2  # another width: broken again
    assert text.wrap(200, 500) == first and len(calls) == 3
    assert text.wrap(0, 500) == (0, 0x7FFFFFFF) and text.wrap(0, 500) == (0, 0x7FFFFFFF)
    text.wrap(200, 500)
    del text.blPara  # as split does when the paragraph moves on whole to the next frame
    assert text.wrap(200, 500) == first and text.blPara.lines  # broken again, ready to draw
