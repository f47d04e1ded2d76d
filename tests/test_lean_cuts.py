"""A lean cut (builder.font_cuts: a variable font's static face without GSUB, GPOS and GDEF)
embeds as the full cut does, byte for byte, in half the time; a face that travels beside the
deck for a presenter to install is the full cut, kerning and all."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase.ttfonts import TTFontFile

from builder.font_cuts import cached, cut_path, full_cut
from tests.test_brand_fonts import ATKINSON, _sources, with_source_sans

# what the handouts set: ASCII, Latin-1, curly quotes, dashes, a few accented capitals
TEXT = [*range(32, 127), *range(0xA0, 0x180), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D]


def _embedded(path: Path) -> tuple[object, ...]:
    """Return what reportlab embeds of a face: its PDF metrics and the subset of TEXT."""
    face = TTFontFile(str(path))
    subset = [c for c in TEXT if c in face.charToGlyph]
    fields = (face.name, face.flags, face.italicAngle, face.stemV, face.bbox, face.ascent)
    return (*fields, face.descent, face.capHeight, face.defaultWidth, face.makeSubset(subset))


@pytest.mark.parametrize(("source", "weight"), _sources()[::2], ids=lambda v: getattr(v, "stem", v))
def test_a_lean_cut_embeds_as_the_full_cut(
    source: Path, weight: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lean = cut_path(str(cached(source, f"{weight}-lean")), source, weight, lean=True)
    full = full_cut(lean)
    assert Path(str(full)).name == Path(str(cached(source, f"{weight}"))).name
    with TTFont(lean) as a, TTFont(full) as b:  # opening each cuts it
        assert not {"GSUB", "GPOS", "GDEF"} & set(a.keys())
        assert "GPOS" in b and a["hmtx"].metrics == b["hmtx"].metrics
    assert _embedded(Path(str(lean))) == _embedded(Path(str(full)))


def test_a_path_that_is_no_lean_cut_is_its_own_full_cut(tmp_path: Path) -> None:
    plain = tmp_path / "Static-Regular.ttf"
    assert full_cut(plain) is plain
    source, weight = _sources()[0]
    full = cut_path(str(tmp_path / "x.ttf"), source, weight)
    assert full_cut(full) is full


def test_faces_that_travel_with_the_deck_keep_their_kerning(tmp_path: Path) -> None:
    import shutil

    from builder import pipeline
    from builder.brand import load_brand

    atkinson = Path(shutil.copytree(ATKINSON, tmp_path / "atkinson"))
    with_source_sans(atkinson)
    brand, _ = load_brand(atkinson)
    shipped = Path(__file__).resolve().parents[1] / "sources" / "therapeutic-crying.yaml"
    _, files = pipeline.produce(pipeline.Job(shipped, atkinson), ["deck"])
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        face = TTFont(io.BytesIO(files[f"Source-Sans-3-{style}.ttf"]))
        assert "GPOS" in face and "GSUB" in face and "fvar" not in face, style
    # a travelling family is cut once, in full, for the PDFs as for the presenter
    assert full_cut(brand.heading_font.bold) is brand.heading_font.bold
    with TTFont(brand.heading_font.bold) as embedded:
        assert "GPOS" in embedded
