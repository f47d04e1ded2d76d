"""A variable font's static face at its default weight, byte for byte as fontTools' instancer
writes it, without the instancer decoding and encoding every outline: a quarter of its time.

At the default location every delta is zero: the instancer changes a simple glyph only by
flagging its first point as overlapping (composites: their first component) and writing it
anew. Here a simple glyph keeps its bytes but for its flags where fontTools would write the
same coordinates (its own encoding, right bounds), and is encoded as fontTools encodes it
otherwise (builder.font_glyphs); composites, the names and the rest go through fontTools.
Away from the default, or for a font this does not cover (other axes, CFF, vertical metrics),
it returns None and the caller runs the instancer: moving simple glyphs on plain lists was
not faster there, composites' bounds being most of the work.
"""

from __future__ import annotations

import struct
from typing import Any

from builder import font_glyphs, font_moved, font_parts
from builder.font_glyphs import Outline, Simple


def instantiate(font: Any, weight: int) -> Any | None:
    """Return font, changed in place, instantiated at weight as fontTools' instancer would;
    None, with font untouched, for a font only the instancer cuts."""
    if not font_glyphs.eligible(font):
        return None
    limits = _limits(font, weight)
    if limits is not None:
        moved = font_moved.instantiate(font, weight, limits)
        return None if moved is None else font_glyphs.finish(font, weight, moved)
    simple, rest = _split(font)
    if simple is None:
        return None
    glyphs = {name: _unmoved(font, name, *parts) for name, parts in simple.items()}
    glyphs |= _others(font, rest, glyphs)
    return font_glyphs.finish(font, weight, glyphs)


def covers(font: Any) -> bool:
    """Return whether the cuts here, not the instancer, cut font at any weight."""
    return font_glyphs.eligible(font) and font_moved.readable(font)


def _split(font: Any) -> tuple[dict[str, tuple[bytes, Simple]] | None, list[str]]:
    """Return the font's simple glyphs, their bytes and parts, and the names of the others
    (empty or composite); None for the first if any glyph cannot be read from its bytes."""
    simple: dict[str, tuple[bytes, Simple]] = {}
    rest: list[str] = []
    for name in font.getGlyphOrder():
        data = font_glyphs.raw(font, name)
        if data is None:
            return None, rest
        if not data or struct.unpack_from(">h", data)[0] < 0:
            rest.append(name)
        elif (glyph := font_glyphs.decode(data)) is None:
            return None, rest
        else:
            simple[name] = data, glyph
    return simple, rest


def _limits(font: Any, weight: int) -> Any | None:
    """Return the normalized location of weight as the instancer computes it; None at the
    default, where no delta moves anything."""
    from fontTools.varLib.instancer import AxisLimits

    limits = AxisLimits({"wght": weight}).limitAxesAndPopulateDefaults(font).normalize(font)
    return None if all(limit.default == 0 for limit in limits.values()) else limits


def _unmoved(font: Any, name: str, data: bytes, glyph: Simple) -> tuple[bytes, Outline]:
    """Return a simple glyph flagged as overlapping, as fontTools writes it: its own bytes but
    for the flags where fontTools would write them again, else encoded as fontTools does
    (and its side bearing moved with the bounds it recalculates, as the instancer's)."""
    if (kept := font_glyphs.spliced(data, glyph)) is not None:
        return kept, Outline(glyph.contours, glyph.bounds, len(glyph.xs))
    written, outline = font_glyphs.encode(glyph, glyph.xs, glyph.ys)
    metrics = font["hmtx"].metrics
    advance, lsb = metrics[name]
    metrics[name] = advance, lsb + outline.xMin - glyph.bounds[0]
    return written, outline


def _others(
    font: Any, names: list[str], simple: dict[str, tuple[bytes, Outline]]
) -> dict[str, tuple[bytes, Any]]:
    """Return the empty and composite glyphs as fontTools writes them at the default: their
    first component flagged as overlapping, their bounds (and so side bearings) as fontTools
    recalculates them from their parts. Nothing moves: the order does not matter."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    table = font["glyf"]
    for name, (data, _) in simple.items():  # for the composites fontTools recalculates
        table.glyphs[name] = Glyph(data)
    done: dict[str, tuple[bytes, Any]] = dict(simple)
    for name in names:
        _settled(font, name, done, set())
    return {name: done[name] for name in names}


def _settled(font: Any, name: str, done: dict[str, tuple[bytes, Any]], seen: set[str]) -> Any:
    """Settle a glyph in done, its parts first, and return its outline: an empty or spliced
    glyph here, any other through fontTools."""
    if name in done:
        return done[name][1]
    data = font_glyphs.raw(font, name)
    if not data:
        done[name] = (b"", Outline(0))
        return done[name][1]
    order = font.getGlyphOrder()
    found = font_parts.parts(data) if name not in seen else None
    if found is not None and all(p.glyph < len(order) for p in found):
        seen.add(name)
        names = [order[p.glyph] for p in found]
        outlines = [_settled(font, part, done, seen) for part in names]
        bounds = font_parts.moved_bounds(found, [_bounds(o) for o in outlines])
        if bounds == struct.unpack_from(">4h", data, 2):
            flagged = bytearray(data)
            flagged[10] |= font_glyphs.OVERLAP_COMPOUND >> 8
            contours = struct.unpack_from(">h", data)[0]
            done[name] = bytes(flagged), font_parts.Compound(contours, bounds, names)
            return done[name][1]
    _settle(font["glyf"], name, font["hmtx"].metrics)
    done[name] = font_parts.composite(font["glyf"], name)
    return done[name][1]


def _bounds(outline: Any) -> tuple[int, int, int, int]:
    """Return an outline's bounds."""
    return outline.xMin, outline.yMin, outline.xMax, outline.yMax


def _settle(table: Any, name: str, metrics: dict[str, tuple[int, int]]) -> None:
    """Recalculate a glyph's bounds, and its side bearing from them, as the instancer does
    when no delta moves it."""
    glyph = table[name]
    advance, lsb = metrics[name]
    left = glyph.xMin - lsb
    glyph.recalcBounds(table, boundsDone=set())
    metrics[name] = advance, glyph.xMin - left  # whole numbers: no delta moved them
