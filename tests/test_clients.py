"""Real clients open what we build: LibreOffice, poppler and qpdf (installed by .ci/run)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from pptx import Presentation

from builder.cli import main
from tests.conftest import FIXTURE_OUTLINES
from tests.libreoffice import to_pdf

ROOT = Path(__file__).resolve().parents[1]
OUTLINES = {
    "shipped": ROOT / "sources" / "therapeutic-crying.yaml",
    "stress": ROOT / "tests" / "fixtures" / "stress.yaml",
    # issue 7: every fixture outline, each converted by LibreOffice once per session
    **{f"fixture-{path.stem}": path for path in FIXTURE_OUTLINES},
}
pytestmark = pytest.mark.client


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run scripts/install-clients.sh"
    return path


def _deck_to_pdf(folder: Path, fonts: list[Path] | None = None) -> None:
    """Convert folder/deck.pptx to folder/deck.pdf with LibreOffice (fonts installed for it)."""
    to_pdf([folder / "deck.pptx"], folder, fonts or (), timeout=240)
    assert (folder / "deck.pdf").is_file()


@pytest.fixture(scope="session", params=sorted(OUTLINES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build one outline and convert its deck to PDF with LibreOffice; return the folder."""
    out = tmp_path_factory.mktemp(request.param)
    outline = OUTLINES[request.param]
    result = CliRunner().invoke(
        main, ["build", str(outline), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    folder = out / outline.stem
    _deck_to_pdf(folder)
    return folder


def test_libreoffice_gives_one_page_per_slide(built: Path) -> None:
    slides = len(Presentation(str(built / "deck.pptx")).slides)
    with pdfplumber.open(built / "deck.pdf") as pdf:
        assert len(pdf.pages) == slides


def test_no_character_lies_outside_the_slide(built: Path) -> None:
    with pdfplumber.open(built / "deck.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            outside = [
                c["text"]
                for c in page.chars
                if c["x0"] < 0
                or c["x1"] > page.width + 0.5
                or c["top"] < 0
                or c["bottom"] > page.height + 0.5
            ]
            assert not outside, f"slide {number}: {''.join(outside)[:60]}"


def test_qpdf_check_passes_on_the_handout(built: Path) -> None:
    result = subprocess.run(
        [_tool("qpdf"), "--check", str(built / "handout.pdf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_pdffonts_shows_every_font_embedded(built: Path) -> None:
    result = subprocess.run(
        [_tool("pdffonts"), str(built / "handout.pdf")], capture_output=True, text=True, check=True
    )
    rows = result.stdout.splitlines()[2:]
    assert rows, result.stdout
    for row in rows:
        # columns: name type encoding emb sub uni object ID
        assert row.split()[-5] == "yes", row


def test_poppler_renders_handout_and_deck_pages(built: Path, tmp_path: Path) -> None:
    for name in ("handout", "deck"):
        subprocess.run(
            [
                _tool("pdftoppm"),
                "-png",
                "-r",
                "20",
                "-f",
                "1",
                "-l",
                "2",
                str(built / f"{name}.pdf"),
                str(tmp_path / name),
            ],
            check=True,
        )
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert len(pngs) == 4 and all((tmp_path / p).stat().st_size > 1000 for p in pngs)


def _text_boxes(slide: object) -> list[tuple[float, float, float, float]]:
    """Return the boxes (left, top, right, bottom in points) of the shapes that hold text."""
    boxes = []
    stack = list(slide.shapes)  # type: ignore[attr-defined]
    while stack:
        shape = stack.pop()
        if shape.shape_type is not None and shape.shape_type == 6:  # a group: look inside
            stack.extend(shape.shapes)
            continue
        if getattr(shape, "has_text_frame", False) or getattr(shape, "has_table", False):
            left, top = shape.left / 12700, shape.top / 12700
            boxes.append((left, top, left + shape.width / 12700, top + shape.height / 12700))
    return boxes


def _outside(folder: Path) -> list[str]:
    """Return the characters of LibreOffice's PDF that lie outside every text shape."""
    slides = Presentation(str(folder / "deck.pptx")).slides
    outside: list[str] = []
    with pdfplumber.open(folder / "deck.pdf") as pdf:
        for number, (slide, page) in enumerate(zip(slides, pdf.pages, strict=True), 1):
            boxes = _text_boxes(slide)
            assert boxes
            for c in page.chars:
                if c["text"].isspace():
                    continue
                inside = any(
                    left - 1 <= c["x0"]
                    and c["x1"] <= r + 1
                    and t - 1 <= c["top"]
                    and c["bottom"] <= b + 1
                    for left, t, r, b in boxes
                )
                if not inside:
                    outside.append(f"slide {number}: {c['text']!r} at {c['x0']:.0f},{c['top']:.0f}")
    return outside


def test_no_character_lies_outside_its_shape(built: Path) -> None:
    outside = _outside(built)
    assert not outside, outside[:10]


def _font_kit(tmp_path: Path, name: str) -> Path:
    """Return the Atkinson test kit, or a copy naming Source Sans 3 from its fontpkg package."""
    kit = ROOT / "tests" / "fixtures" / "brands" / "atkinson"
    if name == "atkinson":
        return kit
    copy = Path(shutil.copytree(kit, tmp_path / "source-sans"))
    text = (copy / "_brand.yml").read_text(encoding="utf-8")
    text = text.replace("  base: Atkinson Hyperlegible", "  base: Source Sans 3")
    text = text.replace(
        "    family: Atkinson Hyperlegible\n    weight: bold", "    family: Source Sans 3"
    )
    text = text.replace(
        "  fonts:\n", "  fonts:\n    - family: Source Sans 3\n      source: google\n"
    )
    (copy / "_brand.yml").write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("kit", "family"), [("atkinson", "Atkinson"), ("source-sans", "SourceSans3")]
)
def test_a_kit_font_renders_inside_its_shapes(kit: str, family: str, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    args = ["build", str(OUTLINES["shipped"]), "--brand", str(_font_kit(tmp_path, kit))]
    result = CliRunner().invoke(main, [*args, "--out", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (built,) = [p.parent for p in folder.rglob("deck.pptx")]
    fonts = sorted(built.glob("*.ttf"))
    assert fonts, "the kit's fonts travel with the deck"
    _deck_to_pdf(built, fonts)
    used = subprocess.run(
        [_tool("pdffonts"), str(built / "deck.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert family in used  # LibreOffice drew the kit's face, not a substitute
    outside = _outside(built)
    assert not outside, outside[:10]


KITS = {  # kit -> (slide 1's top-left color, handout page 1's top-left color)
    "default": ("#1F3A5F", "#1F3A5F"),
    "harborlight": ("#E0A526", "#0F1B2D"),
    "northwind": ("#12355B", "#12355B"),
}


@pytest.mark.parametrize("kit", sorted(KITS))
def test_each_brand_renders_in_its_own_colors(kit: str, tmp_path: Path) -> None:
    from PIL import Image

    path = ROOT / "builder/brands/default" if kit == "default" else ROOT / "sources/brands" / kit
    result = CliRunner().invoke(
        main,
        ["build", str(OUTLINES["shipped"]), "--brand", str(path), "--out", str(tmp_path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "therapeutic-crying" / path.name
    _deck_to_pdf(folder)
    for name, expected in zip(("deck", "handout"), KITS[kit], strict=True):
        subprocess.run(
            [
                _tool("pdftoppm"),
                "-png",
                "-r",
                "30",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(folder / f"{name}.pdf"),
                str(tmp_path / name),
            ],
            check=True,
        )
        with Image.open(tmp_path / f"{name}.png") as image:
            pixel = image.convert("RGB").getpixel((4, 4))
        want = tuple(int(expected[i : i + 2], 16) for i in (1, 3, 5))
        assert all(abs(a - b) <= 6 for a, b in zip(pixel, want, strict=True)), (name, pixel, want)
