"""A variable font's static face away from its default weight, byte for byte as fontTools'
instancer writes it, its glyphs moved on plain lists rather than fontTools' objects.

The deltas at the weight (points a tuple leaves out interpolated) are fontTools' own; they are
added, rounded and written as the instancer adds, rounds and writes them: a simple glyph's
points and its four phantom points (its advance and side bearing), a composite's offsets and
its bounds from its parts' (through the parts' whole-number bounds when the offsets stay
whole, else through their points, as fontTools does). A font with a composite that scales,
turns or anchors a part gets None, before anything changed, and the instancer cuts it.
"""

from __future__ import annotations

import struct
from math import floor
from typing import Any, NamedTuple

from builder import font_glyphs, font_parts
from builder.font_glyphs import Bounds, FloatBounds, Outline, Simple
from builder.font_parts import Compound, Part

Point = tuple[float, float]


class _Moved(NamedTuple):
    """A glyph moved: its bytes, what recalculations read of it, its bounds before rounding
    (what a composite whose offsets are fractions measures) and whether it has points."""

    data: bytes
    outline: Any
    exact: FloatBounds
    points: bool


def instantiate(font: Any, weight: int, limits: Any) -> dict[str, tuple[bytes, Any]] | None:
    """Return every glyph of font moved to the location limits (normalized), as bytes and an
    outline for font_glyphs.finish, with hmtx set; None, font untouched, if a composite
    does more than move its parts or a glyph cannot be read."""
    read = _read(font)
    if read is None:
        return None
    simple, composites = read
    table = font["glyf"]
    for name, (_, glyph) in simple.items():  # fontTools' gvar reader counts points: no decoding
        table.glyphs[name] = _Counted(glyph)
    mover = _Mover(font, limits, simple, composites)
    return {name: mover.moved(name)[:2] for name in font.getGlyphOrder()}


Composites = dict[str, tuple[bytes, list[Part], bytes | None]]


def readable(font: Any) -> bool:
    """Return whether every composite of font only moves its parts (their bytes unread)."""
    for name in font.getGlyphOrder():
        data = font_glyphs.raw(font, name)
        if data is None:
            return False
        if data and struct.unpack_from(">h", data)[0] < 0 and not font_parts.moved_parts(data):
            return False
    return True


def _read(font: Any) -> tuple[dict[str, tuple[bytes, Simple]], Composites] | None:
    """Return the simple glyphs decoded and the composites' parts; None if a glyph cannot be
    read or a composite does more than move its parts."""
    simple: dict[str, tuple[bytes, Simple]] = {}
    composites: Composites = {}
    for name in font.getGlyphOrder():
        data = font_glyphs.raw(font, name)
        if data is None:
            return None
        if not data:
            continue
        if struct.unpack_from(">h", data)[0] < 0:
            found = font_parts.moved_parts(data)
            if found is None:
                return None
            composites[name] = data, *found
        elif (glyph := font_glyphs.decode(data)) is None:
            return None
        else:
            simple[name] = data, glyph
    return simple, composites


class _Counted(Outline):
    """A simple glyph as fontTools' gvar reader sees it: only its points are counted."""

    def __init__(self, glyph: Simple) -> None:
        """Stand for glyph."""
        super().__init__(glyph.contours, glyph.bounds, len(glyph.xs))

    def expand(self, table: Any) -> None:
        """Nothing to decode."""

    @property
    def coordinates(self) -> range:
        """Stand for the points, which the reader only counts."""
        return range(self.points)


class _Mover:
    """Moves a font's glyphs to a location, each once, parts before composites."""

    def __init__(
        self,
        font: Any,
        limits: Any,
        simple: dict[str, tuple[bytes, Simple]],
        composites: Composites,
    ) -> None:
        """Keep the font, the location and the glyphs read."""
        self.font, self.limits, self.simple, self.composites = font, limits, simple, composites
        self.metrics = font["hmtx"].metrics
        self.order = font.getGlyphOrder()
        self.done: dict[str, _Moved] = {}

    def moved(self, name: str) -> _Moved:
        """Return a glyph moved (once), setting its advance and side bearing."""
        if name not in self.done:
            if name in self.simple:
                self.done[name] = self._simple(name, *self.simple[name])
            elif name in self.composites:
                self.done[name] = self._composite(name, *self.composites[name])
            else:
                self.done[name] = self._empty(name)
        return self.done[name]

    def _deltas(self, name: str, points: list[Point], ends: list[int]) -> list[Point]:
        """Return points moved by the glyph's deltas at the location: fontTools' own (the
        points a tuple leaves out interpolated), added as its GlyphCoordinates adds them."""
        from fontTools.varLib.instancer import instantiateTupleVariationStore

        variations = self.font["gvar"].variations.get(name)
        if not variations:
            return points
        deltas = instantiateTupleVariationStore(variations, self.limits, points, ends)
        if not deltas:
            return points
        return [(x + dx, y + dy) for (x, y), (dx, dy) in zip(points, deltas, strict=True)]

    def _phantoms(self, name: str, x_min: int) -> list[Point]:
        """Return a glyph's four phantom points: its origin and advance (no vertical ones)."""
        advance, lsb = self.metrics[name]
        return [(x_min - lsb, 0), (x_min - lsb + advance, 0), (0, 0), (0, 0)]

    def _metrics(self, name: str, points: list[Point], x_min: int) -> None:
        """Set the advance and side bearing from the moved phantom points and bounds."""
        left, right = points[-4][0], points[-3][0]
        self.metrics[name] = max(0, _round(right - left)), _round(x_min - left)

    def _simple(self, name: str, data: bytes, glyph: Simple) -> _Moved:
        """Return a simple glyph moved: its points rounded, written as fontTools writes them."""
        points = list(zip(glyph.xs, glyph.ys, strict=True)) + self._phantoms(name, glyph.bounds[0])
        points = self._deltas(name, points, _ends(glyph))
        xs = [floor(x + 0.5) for x, _ in points[:-4]]  # half up, as fontTools' otRound
        ys = [floor(y + 0.5) for _, y in points[:-4]]
        written, outline = font_glyphs.encode(glyph, xs, ys)
        self._metrics(name, points, outline.xMin)
        exact = (min(xs), min(ys), max(xs), max(ys))
        return _Moved(written, outline, exact, True)

    def _empty(self, name: str) -> _Moved:
        """Return an empty glyph, its advance moved."""
        points = self._deltas(name, self._phantoms(name, 0), [])
        self._metrics(name, points, 0)
        return _Moved(b"", Outline(0), (0, 0, 0, 0), False)

    def _composite(
        self, name: str, data: bytes, parts: list[Part], program: bytes | None
    ) -> _Moved:
        """Return a composite moved: its parts' offsets moved, its bounds from its parts' as
        fontTools recalculates them: from their whole-number bounds while every offset is
        whole (a part whose bounds are a point adds nothing), else from their points."""
        contours, x_min = struct.unpack_from(">hh", data)
        points: list[Point] = [(p.x, p.y) for p in parts] + self._phantoms(name, x_min)
        points = self._deltas(name, points, list(range(len(parts))))
        offsets = points[:-4]
        names = [self.order[p.glyph] for p in parts]
        inner = [self.moved(part) for part in names]
        pairs = list(zip(inner, offsets, strict=True))
        exact = font_parts.union([font_parts.shifted(m.exact, o) for m, o in pairs if m.points])
        if all(float(x).is_integer() and float(y).is_integer() for x, y in offsets):
            whole = [(_bounds(m.outline), o) for m, o in pairs]
            box = font_parts.union([font_parts.shifted(b, o) for b, o in whole if b[:2] != b[2:]])
        else:
            box = exact
        bounds = (_round(box[0]), _round(box[1]), _round(box[2]), _round(box[3]))
        self._metrics(name, points, bounds[0])
        written = font_parts.written_composite(contours, bounds, parts, program, offsets)
        return _Moved(
            written, Compound(contours, bounds, names), exact, any(m.points for m in inner)
        )


def _ends(glyph: Simple) -> list[int]:
    """Return the index of each contour's last point."""
    return list(struct.unpack_from(f">{glyph.contours}H", glyph.head, 10))


def _round(value: float) -> int:
    """Round half up, as fontTools' otRound."""
    return floor(value + 0.5)


def _bounds(outline: Any) -> Bounds:
    """Return an outline's bounds."""
    return outline.xMin, outline.yMin, outline.xMax, outline.yMax
