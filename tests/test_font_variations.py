"""A variable font's advances at a weight (builder.font_variations) are fontTools'
VarStoreInstancer's, glyph for glyph, without importing fontTools.varLib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.misc.roundTools import otRound
from fontTools.ttLib import TTFont

from builder import font_variations
from tests.test_brand_fonts import _sources

SOURCES = sorted({source for source, _ in _sources()})


def _fonttools(font: TTFont, weight: int) -> dict[str, int]:
    """Return the advances at weight as fontTools' own store instancer computes them."""
    from fontTools.varLib.instancer import AxisLimits
    from fontTools.varLib.varStore import VarStoreInstancer

    limits = AxisLimits({"wght": weight}).limitAxesAndPopulateDefaults(font).normalize(font)
    location = {tag: limit.default for tag, limit in limits.items()}
    hvar = font["HVAR"].table
    deltas = VarStoreInstancer(hvar.VarStore, font["fvar"].axes, location)
    mapping = hvar.AdvWidthMap.mapping if hvar.AdvWidthMap else None
    ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
    metrics = font["hmtx"].metrics
    return {
        name: otRound(metrics[name][0] + deltas[mapping[name] if mapping else ids[name]])
        for name in metrics
    }


@pytest.mark.parametrize("source", SOURCES, ids=lambda v: v.stem)
def test_advances_at_every_weight_are_fonttools(source: Path) -> None:
    font = TTFont(source)
    axis = font["fvar"].axes[0]
    weights = range(int(axis.minValue), int(axis.maxValue) + 1, 25)
    for weight in [*weights, int(axis.maxValue)]:
        location = font_variations.location_of(font, weight)
        assert font_variations.advances_at(font, weight) == _fonttools(font, weight), weight
        assert min(location.values()) >= -1 and max(location.values()) <= 1


def test_a_weight_beyond_the_axis_is_its_end() -> None:
    font = TTFont(SOURCES[0])
    axis = font["fvar"].axes[0]
    beyond = font_variations.advances_at(font, int(axis.maxValue) + 300)
    assert beyond == font_variations.advances_at(font, int(axis.maxValue))


def test_measuring_imports_no_variation_library() -> None:
    code = (
        "import sys; from builder import font_cuts, font_variations as v;"
        f"p = font_cuts.cut_path('/tmp/x.ttf', __import__('pathlib').Path({str(SOURCES[0])!r}), 700);"
        "assert v.variable_metrics(p) is not None;"
        "print(sorted(m for m in sys.modules if m.startswith('fontTools.varLib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "mapping",
    [{}, {-1.0: -1.0, 0.0: 0.0, 1.0: 1.0}, {-1.0: -1.0, 0.0: 0.0, 0.4: 0.6, 1.0: 1.0}, {0.2: 0.5}],
)
def test_the_weight_is_mapped_and_normalized_as_fonttools_does(mapping: dict[float, float]) -> None:
    from fontTools.varLib.models import normalizeValue, piecewiseLinearMap

    for triple in [(100.0, 400.0, 900.0), (200.0, 200.0, 900.0), (400.0, 700.0, 700.0)]:
        for value in [50.0, 100.0, 250.0, 400.0, 401.0, 650.0, 700.0, 900.0, 950.0]:
            expected = normalizeValue(value, triple)
            assert font_variations._normalized(value, *triple) == expected
            assert font_variations._mapped(expected, mapping) == piecewiseLinearMap(
                expected, mapping
            )


def test_a_faces_metrics_are_kept_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder import fonts
    from builder.font_cuts import cut_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    face = cut_path(str(tmp_path / "Arimo-Bold-x.ttf"), SOURCES[0], 700)
    fonts.metrics.cache_clear()
    try:
        measured = fonts.metrics(face)
        (kept,) = tmp_path.rglob("*-metrics-*.pickle")
        fonts.metrics.cache_clear()
        monkeypatch.setattr(fonts, "_measured", lambda path: pytest.fail("measured again"))
        assert fonts.metrics(face) == measured  # read back
        kept.write_bytes(b"not a pickle")
        fonts.metrics.cache_clear()
        monkeypatch.undo()
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert fonts.metrics(face) == measured  # unreadable: measured again, kept again
        assert fonts._read_metrics(kept) == measured
    finally:
        fonts.metrics.cache_clear()
