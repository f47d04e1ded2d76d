"""deck.pdf agrees with how a real client lays out deck.pptx, line by line.

LibreOffice converts the deck.pptx of the shipped workshop and of every fixture outline (one
soffice call for all of them); its PDF and our deck.pdf must show the same words on each line,
each baseline within 2 pt. The comparison itself (tests/pdf_lines.py) is checked first on small
PDFs drawn here with reportlab, where the answer is known.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from builder.fonts import family_for
from builder.pipeline import Job, produce
from tests.conftest import FIXTURE_OUTLINES
from tests.libreoffice import to_pdf
from tests.pdf_lines import Agreement, Line, compare, normalise, read_lines, report

ROOT = Path(__file__).resolve().parents[1]
OUTLINES = {"shipped": ROOT / "sources" / "therapeutic-crying.yaml"} | {
    f"fixture-{path.stem}": path for path in FIXTURE_OUTLINES
}
PAGE = (960.0, 540.0)

# ---- the comparison, on PDFs whose lines we know ------------------------------------------

Placed = tuple[float, float, str, float]  # x, baseline from the top, text, size


def _font() -> str:
    if "Arimo" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Arimo", str(family_for("Arial").regular)))
    return "Arimo"


def _pdf(*pages: Sequence[Placed]) -> bytes:
    """Return a PDF of slide-sized pages, each text drawn at its baseline from the top."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=PAGE)
    for texts in pages:
        for x, baseline, text, size in texts:
            page.setFont(_font(), size)
            page.drawString(x, PAGE[1] - baseline, text)
        page.showPage()
    page.save()
    return out.getvalue()


SLIDE: list[Placed] = [
    (50.4, 100.2, "Learning objectives", 36),
    (50.4, 164.8, "•", 28),
    (78.4, 164.8, "Stay present rather than rushing", 28),
    (78.4, 198.4, "to soothe", 28),
    (50.4, 245.99, "1.", 28),
    (95.4, 245.99, "Name two signs of safety", 28),
    (50.4, 300.0, "0:05", 18),
    (109.9, 300.0, "What crying is", 18),
    (837.2, 300.0, "8", 18),
    (50.4, 517.41, "Therapeutic Crying", 12),
    (880.0, 517.41, "2", 12),
]


def _lines(*pages: Sequence[Placed]) -> list[list[Line]]:
    return read_lines(_pdf(*pages))


def _moved(texts: Sequence[Placed], index: int, dy: float = 0, text: str = "") -> list[Placed]:
    x, y, old, size = texts[index]
    changed = list(texts)
    changed[index] = (x, y + dy, text or old, size)
    return changed


def test_lines_read_back_with_their_words_and_baselines() -> None:
    (page,) = _lines(SLIDE)
    assert [(ln.baseline, ln.text) for ln in page] == [
        (100.2, "Learning objectives"),
        (164.8, "Stay present rather than rushing"),
        (198.4, "to soothe"),
        (245.99, "1. Name two signs of safety"),
        (300.0, "0:05"),
        (300.0, "What crying is"),
        (300.0, "8"),
        (517.41, "Therapeutic Crying"),
        (517.41, "2"),
    ]
    assert page[1].x0 == pytest.approx(78.4) and page[1].size == 28


def test_text_is_normalised_before_words_are_compared() -> None:
    assert normalise("e\ufb03cient\u00a0care") == "efficient care"
    assert normalise("thera\u00adpeutic") == "therapeutic"
    (page,) = _lines([(50, 100, "one\u00a0two", 20)])
    assert page[0].words == ("one", "two")


def test_a_rendering_agrees_with_itself() -> None:
    pages = _lines(SLIDE, SLIDE[:4])
    agreement = compare(pages, pages)
    assert (agreement.lines_compared, agreement.lines_differ) == (12, 0)
    assert agreement.pages == ((9, 0), (3, 0))


def test_a_baseline_within_the_tolerance_agrees() -> None:
    agreement = compare(_lines(SLIDE), _lines(_moved(SLIDE, 2, dy=1.9)))
    assert agreement.lines_differ == 0


def test_a_baseline_off_by_more_than_the_tolerance_differs() -> None:
    agreement = compare(_lines(SLIDE), _lines(_moved(SLIDE, 2, dy=2.6)))
    assert agreement.lines_differ == 1
    (diff,) = agreement.details
    assert diff.kind == "baseline" and diff.page == 1
    assert "off by +2.60 pt" in str(diff)


def test_a_whole_frame_shifted_differs_on_every_line() -> None:
    shifted = [(x, y + 5, t, s) if 150 < y < 260 else (x, y, t, s) for x, y, t, s in SLIDE]
    agreement = compare(_lines(SLIDE), _lines(shifted))
    assert agreement.lines_differ == 3
    assert {d.kind for d in agreement.details} == {"baseline"}


def test_a_changed_word_differs() -> None:
    changed = _moved(SLIDE, 3, text="to calm")
    agreement = compare(_lines(SLIDE), _lines(changed))
    (diff,) = agreement.details
    assert diff.kind == "words"
    assert diff.theirs is not None and diff.theirs.text == "to soothe"
    assert diff.ours is not None and diff.ours.text == "to calm"


def test_a_line_broken_elsewhere_differs() -> None:
    rewrapped = _moved(
        _moved(SLIDE, 2, text="Stay present rather"), 3, text="than rushing to soothe"
    )
    agreement = compare(_lines(SLIDE), _lines(rewrapped))
    assert [d.kind for d in agreement.details] == ["words", "words"]


def test_missing_and_extra_lines_are_reported() -> None:
    fewer = [t for t in SLIDE if t[2] != "8"]
    more = [*SLIDE, (50.4, 400.0, "An extra line", 20)]
    missing = compare(_lines(SLIDE), _lines(fewer))
    extra = compare(_lines(SLIDE), _lines(more))
    assert [d.kind for d in missing.details] == ["missing"]
    assert [d.kind for d in extra.details] == ["extra"]
    assert "extra line at 400.00: 'An extra line'" in str(extra.details[0])


def test_a_missing_slide_counts_all_its_lines() -> None:
    agreement = compare(_lines(SLIDE, SLIDE), _lines(SLIDE))
    assert agreement.lines_differ == 9
    assert agreement.pages[1] == (9, 9)


def test_a_footer_and_slide_number_count_as_lines() -> None:
    number = next(i for i, t in enumerate(SLIDE) if t[2] == "2")
    agreement = compare(_lines(SLIDE), _lines(_moved(SLIDE, number, text="3")))
    assert [d.kind for d in agreement.details] == ["words"]


def test_the_same_words_drawn_elsewhere_on_their_baseline_differ() -> None:
    number = next(i for i, t in enumerate(SLIDE) if t[2] == "2")
    x, y, text, size = SLIDE[number]
    moved = [*SLIDE[:number], (x - 40, y, text, size), *SLIDE[number + 1 :]]
    nudged = [*SLIDE[:number], (x + 0.4, y, text, size), *SLIDE[number + 1 :]]
    (diff,) = compare(_lines(SLIDE), _lines(moved)).details
    assert diff.kind == "place" and "x 880.00 vs ours 840.00" in str(diff)
    assert compare(_lines(SLIDE), _lines(nudged)).lines_differ == 0


def test_report_gives_per_slide_and_total_counts() -> None:
    agreement = compare(_lines(SLIDE), _lines(_moved(SLIDE, 2, dy=3)))
    lines = list(report(agreement))
    assert lines[0] == "slide 1: lines compared 9, lines that differ 1"
    assert lines[1] == "total: lines compared 9, lines that differ 1"
    assert lines[2].startswith("  slide 1: baseline off by +3.00 pt")


# ---- the real thing: LibreOffice's PDF of deck.pptx against our deck.pdf -------------------


def _convert(folder: Path, decks: Sequence[Path]) -> None:
    """Convert every .pptx to a PDF beside it with LibreOffice in one call, own profile."""
    to_pdf(decks, folder, timeout=600)


@pytest.fixture(scope="module")
def renderings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build deck.pptx and deck.pdf of every outline; convert all the decks at once."""
    folder = tmp_path_factory.mktemp("fidelity")
    for name, outline in OUTLINES.items():
        _, files = produce(Job(outline), ["deck", "deck-pdf"])
        (folder / f"{name}.pptx").write_bytes(files["deck.pptx"])
        (folder / f"{name}.ours.pdf").write_bytes(files["deck.pdf"])
    _convert(folder, sorted(folder.glob("*.pptx")))
    return folder


def _agreement(folder: Path, name: str) -> tuple[Agreement, int]:
    # soffice exits 0 even when it fails: its PDF must exist
    theirs = read_lines(folder / f"{name}.pdf")
    ours = read_lines(folder / f"{name}.ours.pdf")
    agreement = compare(theirs, ours, tolerance=2.0)
    print(f"\n{name}: {agreement.summary()}")
    return agreement, len(theirs)


@pytest.mark.client
@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_libreoffice_pdf_agrees_with_itself(renderings: Path, name: str) -> None:
    pages = read_lines(renderings / f"{name}.pdf")
    agreement = compare(pages, pages)
    assert agreement.lines_compared == sum(len(p) for p in pages) >= 3 * len(pages)
    assert agreement.lines_differ == 0


@pytest.mark.client
@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_deck_pdf_agrees_with_libreoffice_line_by_line(renderings: Path, name: str) -> None:
    agreement, slides = _agreement(renderings, name)
    assert agreement.lines_compared > 5 * slides
    assert agreement.lines_differ == 0, "\n".join(report(agreement, first=20))
