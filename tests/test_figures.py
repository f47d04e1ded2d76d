"""Figures (issue 11, part 1): an image beside the outline on slides, in deck.pdf and in the handout.

The fixture outline tests/fixtures/outlines/figures.yaml has a wide chart (PNG), a photo beside
points (JPEG) and a portrait photo stored on its side; small outlines written here check
downsampling, the errors at a figure's line and what a template may not bring in.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from builder import images, pipeline
from builder.brand import default_kit, load_brand
from builder.cli import main
from builder.document import Figure as DocFigure
from builder.document import Run
from builder.errors import MarkupError
from builder.figures import FigurePart
from builder.markup import parse_deck
from builder.measure import Box, Para
from builder.model import Figure
from builder.placement import Limits, fit_stack
from tests.conftest import MINIMAL, produced

FIXTURE = Path(__file__).parent / "fixtures" / "outlines" / "figures.yaml"
PT = 12700  # EMU per point
SLIDE_W, SLIDE_H = 960.0, 540.0


# ---- helpers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    """Every format of the figures fixture."""
    return pipeline.produce(pipeline.Job(FIXTURE), list(pipeline.FORMATS))[1]


def _figures(deck: bytes) -> list[tuple[int, Any]]:
    """Return (slide number, picture) for every figure picture of a deck."""
    slides = Presentation(io.BytesIO(deck)).slides
    return [
        (n, shape)
        for n, slide in enumerate(slides, 1)
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE and shape.name == "Figure"
    ]


def _box(shape: Any) -> tuple[float, float, float, float]:
    return (shape.left / PT, shape.top / PT, shape.width / PT, shape.height / PT)


def _write(folder: Path, block: str, name: str = "talk.yaml") -> Path:
    """Write the small test outline with block (YAML at block indent) first in its agenda."""
    anchor = "    blocks:\n      - point: Crying can relieve"
    text = MINIMAL.replace(anchor, f"    blocks:\n{block}      - point: Crying can relieve")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _figure_block(file: str, extra: str = "") -> str:
    return f"      - figure: {file}\n        alt: A test picture of a gradient.\n{extra}"


def _check(outline: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(outline)], catch_exceptions=False)
    return result.exit_code, result.output


def _line_of(outline: Path, text: str) -> int:
    lines = outline.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _png(path: Path, size: tuple[int, int], mode: str = "RGB") -> Path:
    Image.linear_gradient("L").resize(size).convert(mode).save(path)
    return path


def _huge_png(path: Path, width: int, height: int) -> Path:
    """Write a PNG whose header claims width x height (a decompression bomb's calling card)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = b"IDAT" + zlib.compress(b"\0" * 10)
    body = ihdr + struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body + end)
    return path


# ---- the fixture in deck.pptx --------------------------------------------------------------


def test_every_figure_is_a_picture_with_the_authors_alt_text(built: dict[str, bytes]) -> None:
    workshop = produced(FIXTURE)[0].workshop
    alts = [b.alt for s in workshop.agenda for b in s.blocks if isinstance(b, Figure)]
    pictures = _figures(built["deck.pptx"])
    assert [p._element.nvPicPr.cNvPr.get("descr") for _, p in pictures] == alts


def test_figures_lie_inside_the_slide_below_the_title(built: dict[str, bytes]) -> None:
    slides = Presentation(io.BytesIO(built["deck.pptx"])).slides
    for number, picture in _figures(built["deck.pptx"]):
        x, y, w, h = _box(picture)
        title = slides[number - 1].shapes.title
        assert x >= 0 and y >= 0 and x + w <= SLIDE_W and y + h <= SLIDE_H - 36, number
        assert y >= (title.top + title.height) / PT - 0.5, number
        assert w >= 200, f"slide {number}: a figure {w:.0f} pt wide is too small to read"


def test_a_figure_with_points_sits_on_the_right_beside_them(built: dict[str, bytes]) -> None:
    slides = Presentation(io.BytesIO(built["deck.pptx"])).slides
    number, photo = _figures(built["deck.pptx"])[1]
    texts = [s for s in slides[number - 1].shapes if s.has_text_frame and "Sit beside" in s.text]
    assert len(texts) == 1
    text_right = (texts[0].left + texts[0].width) / PT
    assert photo.left / PT >= text_right and photo.left / PT > SLIDE_W / 2
    assert "Photo: Fixture Camera Co., CC0" in "".join(
        s.text for s in slides[number - 1].shapes if s.has_text_frame
    )


def test_embedded_images_are_upright_and_carry_no_metadata(built: dict[str, bytes]) -> None:
    portrait = _figures(built["deck.pptx"])[2][1]
    with Image.open(io.BytesIO(portrait.image.blob)) as image:
        assert image.height > image.width  # stored on its side with EXIF orientation 6
        assert not image.getexif() and "icc_profile" not in image.info
    assert portrait.height > portrait.width


# ---- the same boxes in deck.pdf ------------------------------------------------------------


def test_deck_pdf_draws_each_figure_in_the_pptx_box_with_the_same_pixels(
    built: dict[str, bytes],
) -> None:
    pictures = _figures(built["deck.pptx"])
    with pdfplumber.open(io.BytesIO(built["deck.pdf"])) as pdf:
        for number, picture in pictures:
            drawn = pdf.pages[number - 1].images
            assert len(drawn) == 1, number
            x, y, w, h = _box(picture)
            got = drawn[0]
            assert got["x0"] == pytest.approx(x, abs=0.5)
            assert got["top"] == pytest.approx(y, abs=0.5)
            assert got["x1"] - got["x0"] == pytest.approx(w, abs=0.5)
            assert got["bottom"] - got["top"] == pytest.approx(h, abs=0.5)
            with Image.open(io.BytesIO(picture.image.blob)) as image:
                assert tuple(got["srcsize"]) == image.size


@pytest.mark.client
def test_pdfimages_lists_the_figures_at_200_dpi(built: dict[str, bytes], tmp_path: Path) -> None:
    assert shutil.which("pdfimages"), (
        "pdfimages (poppler-utils) is missing: run scripts/install-clients.sh"
    )
    (tmp_path / "deck.pdf").write_bytes(built["deck.pdf"])
    listed = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "deck.pdf")], capture_output=True, text=True
    ).stdout.splitlines()[2:]
    rows = [line.split() for line in listed]
    assert [r[8] for r in rows] == ["image", "jpeg", "jpeg"]  # PNG as pixels, JPEG as JPEG
    assert all(int(r[12]) <= 201 for r in rows), listed  # x-ppi: no more than the box needs


def test_slide_handout_and_guide_draw_the_figures(built: dict[str, bytes]) -> None:
    for name in ("slides.pdf", "guide.pdf"):
        with pdfplumber.open(io.BytesIO(built[name])) as pdf:
            assert sum(len(page.images) for page in pdf.pages) == 3, name


# ---- the handout ---------------------------------------------------------------------------


def test_handout_shows_each_image_at_column_width_with_caption_and_credit(
    built: dict[str, bytes],
) -> None:
    with pdfplumber.open(io.BytesIO(built["handout.pdf"])) as pdf:
        drawn = [(page, image) for page in pdf.pages for image in page.images]
        assert len(drawn) == 3
        chart_page, chart = drawn[0]
        margins = chart_page.width - (chart["x1"] - chart["x0"])
        assert margins < chart_page.width * 0.3  # the column's width, not a thumbnail
        text = "".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    assert "bands at the usual cut-off of 11 or more in red (Levis et al., 2020)" in flat
    assert "Chart: illustrative data drawn for this workshop, CC BY 4.0" in flat
    assert "Portrait pictures stand upright on the slide" in flat


# ---- downsampling --------------------------------------------------------------------------


def test_a_4000_pixel_image_is_embedded_at_what_its_box_needs(tmp_path: Path) -> None:
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(tmp_path / "big.jpg", quality=90)
    outline = _write(tmp_path, _figure_block("big.jpg"))
    files = pipeline.produce(pipeline.Job(outline), ["deck", "deck-pdf"])[1]
    (number, picture), *_ = _figures(files["deck.pptx"])
    _, _, w, h = _box(picture)
    with Image.open(io.BytesIO(picture.image.blob)) as image:
        assert image.format == "JPEG"
        assert image.width <= w * 200 / 72 + 1 and image.height <= h * 200 / 72 + 1
        assert image.width >= w * 200 / 72 - 1  # and no less
    with pdfplumber.open(io.BytesIO(files["deck.pdf"])) as pdf:
        assert pdf.pages[number - 1].images[0]["srcsize"] == (image.width, image.height)


def test_a_small_image_is_never_upscaled_nor_stretched_past_96_dpi(tmp_path: Path) -> None:
    _png(tmp_path / "small.png", (300, 200))
    outline = _write(tmp_path, _figure_block("small.png"))
    deck = pipeline.produce(pipeline.Job(outline), ["deck"])[1]["deck.pptx"]
    (_, picture), *_ = _figures(deck)
    with Image.open(io.BytesIO(picture.image.blob)) as image:
        assert image.size == (300, 200) and image.format == "PNG"
    assert picture.width / PT == pytest.approx(300 * 72 / 96, abs=0.5)


def test_each_image_is_prepared_once_for_every_format(tmp_path: Path) -> None:
    images._prepare.cache_clear()
    pipeline.produce(pipeline.Job(FIXTURE), ["deck", "deck-pdf", "slides", "guide"])
    info = images._prepare.cache_info()
    assert info.misses == 3 and info.hits >= 9  # three images, drawn by four writers


# ---- errors at the figure's line -----------------------------------------------------------


@pytest.mark.parametrize("name", ["../outside.png", "/etc/hosts.png", "sub/../../outside.png"])
def test_a_path_leaving_the_outline_folder_is_refused_at_its_line(
    tmp_path: Path, name: str
) -> None:
    _png(tmp_path / "outside.png", (40, 30))
    folder = tmp_path / "talk"
    folder.mkdir()
    outline = _write(folder, _figure_block(name))
    code, output = _check(outline)
    assert code == 1
    line = _line_of(outline, "figure:")
    assert f"{outline}:{line}:" in output and "inside the outline's folder" in output, output
    assert "Traceback" not in output


def test_a_link_leading_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    _png(tmp_path / "outside.png", (40, 30))
    folder = tmp_path / "talk"
    folder.mkdir()
    (folder / "inside.png").symlink_to(tmp_path / "outside.png")
    outline = _write(folder, _figure_block("inside.png"))
    code, output = _check(outline)
    assert code == 1 and "a link leads outside it" in output, output


@pytest.mark.parametrize(
    ("write", "says"),
    [
        (lambda p: p.write_text("not a picture", encoding="utf-8"), "is not one"),
        (lambda p: p.write_bytes(_png(p, (400, 300)).read_bytes()[:600]), "complete PNG or JPEG"),
        (lambda p: _huge_png(p, 8000, 8000), "at most 50 million pixels"),
        (lambda p: _huge_png(p, 20000, 20000), "at most 50 million pixels"),
        (lambda p: Image.new("RGB", (40, 30)).save(p, "GIF"), "is GIF: save it as PNG"),
    ],
    ids=["text", "truncated", "64-megapixels", "decompression-bomb", "gif"],
)
def test_a_file_that_is_not_a_usable_image_is_refused_at_its_line(
    tmp_path: Path, write: Any, says: str
) -> None:
    write(tmp_path / "figure.png")
    outline = _write(tmp_path, _figure_block("figure.png"))
    code, output = _check(outline)
    assert code == 1, output
    assert f"{outline}:{_line_of(outline, 'figure:')}:" in output and says in output, output
    assert "Traceback" not in output


def test_svg_and_missing_files_are_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    outline = _write(tmp_path, _figure_block("logo.svg") + _figure_block("gone.png"))
    code, output = _check(outline)
    assert code == 1
    assert "export it as PNG" in output and "no gone.png beside the outline" in output, output


def test_a_figure_without_alt_text_is_refused_at_its_line(tmp_path: Path) -> None:
    _png(tmp_path / "chart.png", (400, 300))
    outline = _write(tmp_path, "      - figure: chart.png\n        caption: A chart\n")
    code, output = _check(outline)
    assert code == 1 and f"{outline}:{_line_of(outline, 'figure:')}:" in output
    assert "alt" in output


def test_a_template_cannot_bring_in_a_file_outside_the_outline_folder(tmp_path: Path) -> None:
    _png(tmp_path / "inside.png", (40, 30))
    at = f"{tmp_path / 'talk.yaml'}:3"
    slide = '<slide><title>T</title><figure src="{src}" alt="a" at="{at}"/></slide>'
    ok = parse_deck(f'<deck title="x">{slide.format(src="inside.png", at=at)}</deck>', "deck")
    assert ok.slides[0].blocks[0].width == 40  # type: ignore[union-attr]
    for src in ("../etc/passwd", "/etc/passwd"):
        markup = f'<deck title="x">{slide.format(src=src, at=at)}</deck>'
        with pytest.raises(MarkupError, match="inside the outline's folder"):
            parse_deck(markup, "deck")


# ---- layout --------------------------------------------------------------------------------


def test_points_beside_a_figure_that_do_not_fit_continue_on_the_next_slide(
    tmp_path: Path,
) -> None:
    _png(tmp_path / "chart.png", (1200, 800))
    long = "A long point that takes five or six lines beside a picture on a slide " * 2
    points = "".join(f"          - {long}{i}\n" for i in range(6))
    outline = _write(tmp_path, _figure_block("chart.png", f"        points:\n{points}"))
    deck = pipeline.produce(pipeline.Job(outline), ["deck"])[1]["deck.pptx"]
    slides = Presentation(io.BytesIO(deck)).slides
    texts = ["".join(_flat(s.text) for s in slide.shapes if s.has_text_frame) for slide in slides]
    with_points = [n for n, text in enumerate(texts, 1) if _flat(long) in text]
    (figure_slide, _), *_ = _figures(deck)
    assert len(with_points) == 2 and with_points[0] == figure_slide
    assert all(any(_flat(f"{long}{i}") in texts[n - 1] for n in with_points) for i in range(6))


def _flat(text: str) -> str:
    return "".join(text.split())


def test_decks_with_figures_are_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first, again = (pipeline.produce(pipeline.Job(FIXTURE), ["deck-pdf", "deck"])[1] for _ in "ab")
    assert again["deck.pdf"] == first["deck.pdf"] and again["deck.pptx"] == first["deck.pptx"]
    assert len(PdfReader(io.BytesIO(first["deck.pdf"])).pages) == len(
        Presentation(io.BytesIO(first["deck.pptx"])).slides
    )


def test_a_figure_meant_beside_points_fills_the_body_when_only_sources_are_left() -> None:
    family = load_brand(default_kit())[0].body_font
    figure = DocFigure(Path("chart.png"), 1200, 800, "A chart", beside=True)
    body = Box(43.2, 133.2, 873.6, 345.6)
    source = (Para((Run("Source: Levis et al., 2020"),), "cite"),)
    point = (Para((Run("A point beside the chart"),), "bullet"), *source)
    for groups, centred in (([figure, source], True), ([figure, point], False)):
        fitted = fit_stack(groups, body, family, Limits(18, 28))
        assert fitted is not None
        image = next(p for p in fitted[1] if isinstance(p, FigurePart))
        middle = image.box.x + image.box.w / 2
        if centred:
            assert middle == pytest.approx(body.x + body.w / 2, abs=1)
        else:
            assert image.box.x > body.x + body.w / 2


def test_a_logo_turned_by_its_exif_orientation_is_embedded_upright(tmp_path: Path) -> None:
    northwind = Path(__file__).parent.parent / "sources" / "brands" / "northwind"
    kit = Path(shutil.copytree(northwind, tmp_path / "kit"))
    image = Image.new("RGB", (600, 150), "#12355B")
    image.paste(Image.new("RGB", (100, 150), "#CC0000"), (0, 0))  # red at the left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise: red at the top
    image.save(kit / "logo.jpg", exif=exif)
    brand_file = kit / "_brand.yml"
    text = brand_file.read_text(encoding="utf-8")
    logos = sorted({m for m in re.findall(r"path: (\S+\.png)", text)})
    assert logos
    for name in logos:
        text = text.replace(f"path: {name}", "path: logo.jpg")
    brand_file.write_text(text, encoding="utf-8")
    brand, _ = load_brand(kit)
    png = images.logo_png(brand)
    assert png is not None
    shown = Image.open(io.BytesIO(png)).convert("RGB")
    assert shown.size == (150, 600)
    red, green, blue = shown.getpixel((75, 10))  # upright: the red band on top (JPEG's red)
    assert red > 180 and green < 40 and blue < 40


def test_a_16_bit_grey_logo_keeps_its_grey(tmp_path: Path) -> None:
    northwind = Path(__file__).parent.parent / "sources" / "brands" / "northwind"
    kit = Path(shutil.copytree(northwind, tmp_path / "kit"))
    Image.new("I;16", (300, 100), 30000).save(kit / "grey16.png")  # 30000 of 65535: mid grey
    text = (kit / "_brand.yml").read_text(encoding="utf-8")
    (kit / "_brand.yml").write_text(re.sub(r"path: \S+\.png", "path: grey16.png", text))
    brand, _ = load_brand(kit)
    png = images.logo_png(brand)
    assert png is not None
    assert Image.open(io.BytesIO(png)).convert("L").getextrema() == (117, 117)  # was all 255
