"""Every deck we build passes an OOXML schema validator (openxml-audit, from PyPI)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openxml_audit import validate_pptx

from builder import pipeline

ROOT = Path(__file__).resolve().parents[1]
OUTLINES = [
    ROOT / "sources" / "therapeutic-crying.yaml",
    ROOT / "tests" / "fixtures" / "stress.yaml",
]


def _deck(outline: Path, tmp_path: Path) -> Path:
    _, files = pipeline.produce(pipeline.Job(outline), ["deck"])
    path = tmp_path / f"{outline.stem}.pptx"
    path.write_bytes(files["deck.pptx"])
    return path


@pytest.mark.parametrize("outline", OUTLINES, ids=lambda p: p.stem)
def test_deck_is_valid_ooxml(outline: Path, tmp_path: Path) -> None:
    result = validate_pptx(str(_deck(outline, tmp_path)))
    assert result.is_valid, [str(e) for e in result.errors[:10]]


def test_validator_catches_a_broken_slide(tmp_path: Path) -> None:
    good = _deck(OUTLINES[0], tmp_path)
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "ppt/slides/slide2.xml":
                data = data.replace(b"<p:cSld>", b"<p:cSld><p:bogus/>", 1)
            dst.writestr(item, data)
    assert not validate_pptx(str(broken)).is_valid
