"""DRAFT: while a [placeholder] remains in the outline or the kit, every file built says so."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from pptx import Presentation
from pypdf import PdfReader

from builder import pipeline
from builder.cli import main

REVIEWER = Path("tests/fixtures/reviewer")
SHIPPED = Path("sources/therapeutic-crying.yaml")  # its presenter and venue are placeholders
PDFS = ("deck.pdf", "handout.pdf", "slides.pdf", "guide.pdf", "evaluation.pdf", "sign-in.pdf")


def _draft_words(files: dict[str, bytes]) -> dict[str, list[bool]]:
    """Return, per file, whether each slide or page says DRAFT."""
    deck = Presentation(io.BytesIO(files["deck.pptx"]))
    marks = {"deck.pptx": [any(s.name == "Draft" and s.text_frame.text == "DRAFT"
                               for s in slide.shapes) for slide in deck.slides]}  # fmt: skip
    for name in PDFS:
        pages = PdfReader(io.BytesIO(files[name])).pages
        marks[name] = ["DRAFT" in page.extract_text() for page in pages]
    return marks


def test_placeholders_mark_every_slide_and_page_draft() -> None:
    _, files = pipeline.produce(pipeline.Job(SHIPPED), list(pipeline.FORMATS))
    for name, pages in _draft_words(files).items():
        assert pages and all(pages), name


def test_no_placeholders_no_draft_mark() -> None:
    job = pipeline.Job(REVIEWER / "base.yaml", REVIEWER / "kit")
    loaded, files = pipeline.produce(job, list(pipeline.FORMATS))
    assert not [p for p in loaded.problems if "placeholder" in p.message]
    for name, pages in _draft_words(files).items():
        assert pages and not any(pages), name


def test_a_placeholder_in_the_kit_alone_makes_a_draft() -> None:
    job = pipeline.Job(REVIEWER / "base.yaml", REVIEWER / "kit-placeholders")
    _, files = pipeline.produce(job, ["deck", "handout"])
    deck = Presentation(io.BytesIO(files["deck.pptx"]))
    assert all(any(s.name == "Draft" for s in slide.shapes) for slide in deck.slides)
    assert all(
        "DRAFT" in page.extract_text() for page in PdfReader(io.BytesIO(files["handout.pdf"])).pages
    )


def test_certificates_of_a_draft_program_say_draft(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,E-mail,Attended minutes,Evaluation completed\n"
                      "Ada Lovelace,ada@example.org,90,yes\n")  # fmt: skip
    args = [
        str(SHIPPED),
        str(roster),
        "--brand",
        "sources/brands/northwind",
        "--out",
        str(tmp_path),
    ]
    CliRunner().invoke(main, ["certificates", *args], catch_exceptions=False)
    pages = PdfReader(tmp_path / "certificates.pdf").pages
    assert pages and all("DRAFT" in page.extract_text() for page in pages)
