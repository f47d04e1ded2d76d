"""A variable font's advances and extents at a weight, before its face is cut: read from its
HVAR table as fontTools' VarStoreInstancer reads them, without importing fontTools.varLib
(whose import was a sixth of a first build's own time; a warm build never imports it).

Normalizing the weight (avar's map, 2.14 rounding), each region's scalar and the sum of
deltas follow fontTools' normalizeValue, piecewiseLinearMap, supportScalar and
VarStoreInstancer operation for operation, so that the rounded advances are the same
(tests compare them with the cuts' and with fontTools' instancer of the store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.font_cuts import CutPath

NO_VARIATION = 0xFFFFFFFF
Support = dict[str, tuple[float, float, float]]


def variable_metrics(path: CutPath) -> tuple[dict[int, float], float, float] | None:
    """Return the advances (per character) and vertical extents, in em, that the cut will
    have, read from the variable font at the cut's weight, or None if only the cut can tell.

    The instancer takes advances from gvar's phantom points; HVAR holds the same deltas, and
    hhea's extents change only through MVAR 'hasc'/'hdsc' (tests compare with real cuts).
    """
    from fontTools.ttLib import TTFont

    if path.source is None:
        return None
    with TTFont(path.source, lazy=True) as font:
        mvar = font["MVAR"].table.ValueRecord if "MVAR" in font else []
        if "HVAR" not in font or any(r.ValueTag in ("hasc", "hdsc") for r in mvar):
            return None
        upm = font["head"].unitsPerEm
        advances = advances_at(font, path.weight)
        hhea = font["hhea"]
        per_char = {code: advances[glyph] / upm for code, glyph in font.getBestCmap().items()}
        return per_char, hhea.ascent / upm, -hhea.descent / upm


def advances_at(font: Any, weight: int) -> dict[str, int]:
    """Return every glyph's advance width at weight, from the default's and HVAR's deltas."""
    from fontTools.misc.roundTools import otRound

    hvar, metrics = font["HVAR"].table, font["hmtx"].metrics
    store = hvar.VarStore
    axes = [axis.axisTag for axis in font["fvar"].axes]
    location = location_of(font, weight)
    regions = [_scalar(location, _support(r, axes)) for r in store.VarRegionList.Region]
    scalars = [[regions[i] for i in data.VarRegionIndex] for data in store.VarData]
    mapping = hvar.AdvWidthMap.mapping if hvar.AdvWidthMap else None
    ids = {name: i for i, name in enumerate(font.getGlyphOrder())}
    return {
        name: otRound(
            metrics[name][0] + _delta(store, scalars, mapping[name] if mapping else ids[name])
        )
        for name in metrics
    }


def _delta(store: Any, scalars: list[list[float]], index: int) -> float:
    """Return the delta of a variation index: its deltas times their regions' scalars, summed
    in order (an index out of the store adds nothing, as in fontTools and HarfBuzz)."""
    major, minor = index >> 16, index & 0xFFFF
    if index == NO_VARIATION or major >= len(store.VarData):
        return 0.0
    items = store.VarData[major].Item
    if minor >= len(items):
        return 0.0
    delta = 0.0
    for value, scalar in zip(items[minor], scalars[major], strict=False):
        if scalar:
            delta += value * scalar
    return delta


def _support(region: Any, axes: list[str]) -> Support:
    """Return a region's support: each axis it peaks on, with its start, peak and end."""
    return {
        axes[i]: (r.StartCoord, r.PeakCoord, r.EndCoord)
        for i, r in enumerate(region.VarRegionAxis)
        if r.PeakCoord != 0
    }


def _scalar(location: dict[str, float], support: Support) -> float:
    """Return a region's scalar at location, as fontTools' supportScalar (OpenType rules)."""
    scalar = 1.0
    for axis, (lower, peak, upper) in support.items():
        if peak == 0.0 or lower > peak or peak > upper or (lower < 0.0 < upper):
            continue
        v = location.get(axis, 0.0)
        if v == peak:
            continue
        if v <= lower or upper <= v:
            return 0.0
        scalar *= (v - lower) / (peak - lower) if v < peak else (v - upper) / (peak - upper)
    return scalar


def location_of(font: Any, weight: int) -> dict[str, float]:
    """Return the normalized location of weight (other axes at default), as the instancer."""
    from fontTools.misc.fixedTools import floatToFixedToFloat

    segments = font["avar"].segments if "avar" in font else {}
    location = {}
    for axis in font["fvar"].axes:
        value = weight if axis.axisTag == "wght" else axis.defaultValue
        n = _normalized(value, axis.minValue, axis.defaultValue, axis.maxValue)
        if segments.get(axis.axisTag):
            n = _mapped(n, segments[axis.axisTag])
        location[axis.axisTag] = floatToFixedToFloat(n, 14)
    return location


def _normalized(value: float, lower: float, default: float, upper: float) -> float:
    """Return value on an axis normalized to -1..1, as fontTools' normalizeValue."""
    value = max(min(value, upper), lower)
    if value == default or lower == upper:
        return 0.0
    if (value < default and lower != default) or (value > default and upper == default):
        return (value - default) / (default - lower)
    return (value - default) / (upper - default)


def _mapped(v: float, mapping: dict[float, float]) -> float:
    """Return v through avar's segment map, as fontTools' piecewiseLinearMap."""
    keys = mapping.keys()
    if not keys:
        return v
    if v in keys:
        return mapping[v]
    low, high = min(keys), max(keys)
    if v < low:
        return v + mapping[low] - low
    if v > high:
        return v + mapping[high] - high
    a = max(k for k in keys if k < v)
    b = min(k for k in keys if k > v)
    return mapping[a] + (mapping[b] - mapping[a]) * (v - a) / (b - a)
