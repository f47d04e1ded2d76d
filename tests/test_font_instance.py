"""A static face cut from a variable font (builder.font_instance, builder.font_moved) is
fontTools' instancer's output byte for byte: at the default weight its outlines kept or
written as fontTools writes them, whether or not the font's own bytes are fontTools'
encoding; away from it moved as the instancer moves them, composites (nested, at fractional
offsets) included; a font whose composites scale their parts is left to the instancer."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fontTools.varLib import instancer

from builder import font_cuts, font_glyphs, font_instance, font_parts
from tests.test_brand_fonts import _sources


def _fonttools(source: Path, weight: int) -> bytes:
    """Return fontTools' own static instance of source at weight, lean (as PDFs embed)."""
    font = font_cuts._read(source, lean=True)
    font = instancer.instantiateVariableFont(font, {"wght": weight}, updateFontNames=True)
    return _saved(font)


def _saved(font: Any) -> bytes:
    """Return a font's bytes as a cut saves them (no new time stamp)."""
    font.recalcTimestamp = False
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _ours(source: Path, weight: int) -> bytes:
    """Return our cut of source at weight, lean, as the font worker makes it."""
    return _saved(font_cuts._instance(font_cuts._read(source, lean=True), weight))


SOURCES = sorted({source for source, _ in _sources()})


@pytest.mark.parametrize("source", SOURCES, ids=lambda v: v.stem)
def test_a_cut_at_the_default_is_the_instancers_byte_for_byte(source: Path) -> None:
    default = int(TTFont(source)["fvar"].axes[0].defaultValue)
    assert font_instance.instantiate(font_cuts._read(source, lean=True), default) is not None
    assert _ours(source, default) == _fonttools(source, default)


@pytest.mark.parametrize("weight", [500, 700])
def test_a_cut_away_from_the_default_is_the_instancers_byte_for_byte(weight: int) -> None:
    source = SOURCES[0]  # Arimo: at 500 most composites' offsets move by fractions
    assert font_instance.instantiate(font_cuts._read(source, lean=True), weight) is not None
    assert _ours(source, weight) == _fonttools(source, weight)


def test_a_font_whose_composites_scale_their_parts_is_left_to_the_instancer() -> None:
    source = next(s for s in SOURCES if s.name.startswith("SourceSans3["))
    assert font_instance.instantiate(font_cuts._read(source, lean=True), 600) is None
    assert _ours(source, 600) == _fonttools(source, 600)


def _nested_font(tmp_path: Path) -> Path:
    """Return a copy of Arimo with a composite of a composite whose offsets vary with the
    weight (by fractions between the masters)."""
    from fontTools.ttLib.tables._g_l_y_f import GlyphComponent
    from fontTools.ttLib.tables.TupleVariation import TupleVariation

    font = TTFont(SOURCES[0])
    del font["HVAR"]  # advances from the phantom points
    for tag in ("glyf", "hmtx", "post", "cmap", "maxp"):
        font[tag]  # read with the old glyph order
    font["gvar"].ensureDecompiled()
    glyph = Glyph()
    glyph.numberOfContours = -1
    glyph.components = []
    for name, x, y in (("aacute", 10, 0), ("acute", 0, 300), ("space", 5, 5)):
        part = GlyphComponent()
        part.glyphName, part.x, part.y, part.flags = name, x, y, 0
        glyph.components.append(part)
    font["glyf"].glyphs["nested"] = glyph
    font.setGlyphOrder([*font.getGlyphOrder(), "nested"])
    font["glyf"].glyphOrder = font.getGlyphOrder()
    font["hmtx"].metrics["nested"] = (1200, 10)
    deltas = [(7, 3), (-5, 11), (0, 0), (0, 0), (13, 0), (0, 0), (0, 0)]
    font["gvar"].variations["nested"] = [TupleVariation({"wght": (0.0, 1.0, 1.0)}, deltas)]
    path = tmp_path / SOURCES[0].name
    font.save(path)
    return path


@pytest.mark.parametrize("weight", [500, 700])
def test_a_composite_of_a_composite_moves_as_the_instancer_moves_it(
    weight: int, tmp_path: Path
) -> None:
    nested = _nested_font(tmp_path)
    assert font_instance.instantiate(font_cuts._read(nested, lean=True), weight) is not None
    assert _ours(nested, weight) == _fonttools(nested, weight)


def _as_words(data: bytes) -> bytes:
    """Return a simple glyph with every coordinate delta written as a word: the same outline,
    not the encoding fontTools would write."""
    glyph = font_glyphs.decode(data)
    assert glyph is not None
    flags = bytes(f & font_glyphs.KEPT for f in glyph.flags)
    dxs = [b - a for a, b in zip([0, *glyph.xs], glyph.xs, strict=False)]
    dys = [b - a for a, b in zip([0, *glyph.ys], glyph.ys, strict=False)]
    words = struct.pack(f">{len(dxs)}h", *dxs) + struct.pack(f">{len(dys)}h", *dys)
    return glyph.head + flags + words


def _with_words(data: bytes) -> bytes:
    """Return a composite glyph with its offsets written as words (bytes would do)."""
    flags, glyph, x, y = struct.unpack_from(">HHbb", data, 10)
    assert not flags & 0x0001  # bytes
    return data[:10] + struct.pack(">HHhh", flags | 0x0001, glyph, x, y) + data[16:]


def _odd_font(tmp_path: Path) -> Path:
    """Return a copy of Arimo with glyphs fontTools would write otherwise: deltas as words,
    wrong bounds in a header, a composite's offsets as words."""
    source = SOURCES[0]
    font = TTFont(source)
    table = font["glyf"]
    table.glyphs["a"] = Glyph(_as_words(table.glyphs["a"].data))
    wrong = bytearray(table.glyphs["b"].data)
    wrong[2:4] = struct.pack(">h", struct.unpack_from(">h", wrong, 2)[0] - 7)  # xMin 7 off
    table.glyphs["b"] = Glyph(bytes(wrong))
    composite = next(n for n in font.getGlyphOrder() if n.startswith("aacute"))
    table.glyphs[composite] = Glyph(_with_words(table.glyphs[composite].data))
    font.recalcBBoxes = False  # keep the odd bytes as they are
    path = tmp_path / source.name
    font.save(path)
    return path


def test_glyphs_fonttools_would_write_otherwise_are_written_as_it_writes_them(
    tmp_path: Path,
) -> None:
    odd = _odd_font(tmp_path)
    font = TTFont(odd)
    table = font["glyf"]
    for name in ("a", "b"):  # not kept as they are: encoded anew
        decoded = font_glyphs.decode(table.glyphs[name].data)
        assert decoded is not None
        assert font_glyphs.spliced(table.glyphs[name].data, decoded) is None
    composite = next(n for n in font.getGlyphOrder() if n.startswith("aacute"))
    assert font_parts.parts(table.glyphs[composite].data) is None  # fontTools writes it
    assert _ours(odd, 400) == _fonttools(odd, 400)


def test_a_glyph_whose_points_run_past_its_bytes_is_not_read() -> None:
    data = TTFont(SOURCES[0])["glyf"].glyphs["a"].data
    assert font_glyphs.decode(data) is not None
    assert font_glyphs.decode(data[:20]) is None


def test_a_font_our_cuts_misread_is_cut_by_the_instancer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def misread(font: Any, weight: int) -> Any:
        font["glyf"].glyphs.clear()  # half done when it fails
        raise IndexError("misread")

    monkeypatch.setattr(font_instance, "instantiate", misread)
    source = SOURCES[0]
    target = font_cuts.cut(source, 700, tmp_path / "bold.ttf", lean=True)
    assert target.read_bytes() == _fonttools(source, 700)


def test_a_composite_that_names_itself_is_a_brand_error(tmp_path: Path) -> None:
    from builder.errors import BrandError

    font = TTFont(SOURCES[0])
    order = font.getGlyphOrder()
    name = next(n for n in order if n.startswith("aacute"))
    data = bytearray(font["glyf"].glyphs[name].data)
    data[12:14] = struct.pack(">H", order.index(name))  # its first part: itself
    font["glyf"].glyphs[name] = Glyph(bytes(data))
    font.recalcBBoxes = False
    path = tmp_path / SOURCES[0].name
    font.save(path)
    with pytest.raises(BrandError, match="expected a variable font that can be cut"):
        font_cuts.cut(path, 700, tmp_path / "bold.ttf", lean=True)
