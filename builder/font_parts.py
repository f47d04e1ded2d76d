"""Composite glyphs read and written as fontTools writes them, for static cuts: their
components (a part's flags, glyph and offset) when each only moves its part, the bytes
fontTools writes for them, and their bounds from their parts' (builder.font_instance at the
default weight, builder.font_moved away from it). A composite that scales, turns or anchors
a part is not read here: the caller leaves its font to fontTools' instancer.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any, NamedTuple

from builder.font_glyphs import OVERLAP_COMPOUND, Bounds, FloatBounds, Outline


def composite(table: Any, name: str) -> tuple[bytes, Any]:
    """Return a composite glyph of fontTools' glyf table, flagged as overlapping and written
    by fontTools, with itself as its outline."""
    glyph = table[name]
    glyph.components[0].flags |= OVERLAP_COMPOUND
    return glyph.compile(table, recalcBBoxes=False), glyph


class Part(NamedTuple):
    """A component of a composite glyph that is only moved: its flags, glyph and offset."""

    flags: int
    glyph: int
    x: int
    y: int


_WORDS, _XY, _MORE, _INSTRUCTIONS = 0x0001, 0x0002, 0x0020, 0x0100
_PART_KEPT = 0x0004 | 0x0010 | 0x0200 | 0x0400 | 0x0800 | 0x1000  # what fontTools keeps
_TRANSFORMS = 0x0008 | 0x0040 | 0x0080  # scale, x and y scales, two by two
_NOT_MOVED = _TRANSFORMS | 0x2000  # scaled or turned, or a 24-bit glyph id


def parts(data: bytes) -> list[Part] | None:
    """Return a composite's components if each is only moved (no anchor point, no scale) and
    written as fontTools writes it (the flags it computes, words only where bytes do not fit,
    instructions flagged on the last component only); None otherwise."""
    read = _read_parts(data)
    if read is None:
        return None
    found, end, _ = read
    canonical = all(_part_flags(found, i) == part.flags for i, part in enumerate(found))
    return found if canonical and len(data) - end in range(4) else None


def moved_parts(data: bytes) -> tuple[list[Part], bytes | None] | None:
    """Return a composite's components and its instructions (None without) if each part is
    only moved (no anchor point, no scale, no turn); None otherwise."""
    read = _read_parts(data)
    if read is None:
        return None
    found, end, program = read
    if any(p.flags & _NOT_MOVED or not p.flags & _XY for p in found):
        return None
    return found, program


def _read_parts(data: bytes) -> tuple[list[Part], int, bytes | None] | None:
    """Return a composite's components as its bytes hold them, where they end with its
    instructions, and the instructions (None if no component says there are any)."""
    found: list[Part] = []
    pos, flags = 10, _MORE
    try:
        while flags & _MORE:
            flags, glyph = struct.unpack_from(">HH", data, pos)
            x, y = struct.unpack_from(">hh" if flags & _WORDS else ">bb", data, pos + 4)
            pos += (8 if flags & _WORDS else 6) + _transform_size(flags)
            found.append(Part(flags, glyph, x, y))
        program = None
        if any(p.flags & _INSTRUCTIONS for p in found):
            size = struct.unpack_from(">H", data, pos)[0]
            program, pos = data[pos + 2 : pos + 2 + size], pos + 2 + size
    except struct.error:
        return None
    return found, pos, program


def _transform_size(flags: int) -> int:
    """Return the bytes of a component's transform, as fontTools reads them (scale first)."""
    return 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0


def written_composite(
    contours: int, bounds: Bounds, found: list[Part], program: bytes | None, offsets: list[Any]
) -> bytes:
    """Return a composite glyph as fontTools writes it, its parts at offsets (rounded half
    up), its first flagged as overlapping."""
    data = struct.pack(">5h", contours, *bounds)
    for index, (part, (x, y)) in enumerate(zip(found, offsets, strict=True)):
        x, y = math.floor(x + 0.5), math.floor(y + 0.5)
        small = -128 <= x <= 127 and -128 <= y <= 127
        flags = (part.flags & _PART_KEPT) | _XY | (0 if small else _WORDS)
        flags |= _MORE if index < len(found) - 1 else (_INSTRUCTIONS if program is not None else 0)
        flags |= OVERLAP_COMPOUND if index == 0 else 0
        data += struct.pack(">HHbb" if small else ">HHhh", flags, part.glyph, x, y)
    if program is not None:
        data += struct.pack(">h", len(program)) + program
    return data


def _part_flags(found: list[Part], index: int) -> int:
    """Return the flags fontTools writes for a composite's component at index."""
    part, last = found[index], index == len(found) - 1
    small = -128 <= part.x <= 127 and -128 <= part.y <= 127
    flags = (part.flags & _PART_KEPT) | _XY | (0 if small else _WORDS)
    if last:
        return flags | (found[-1].flags & _INSTRUCTIONS)
    return flags | _MORE


def moved_bounds(found: list[Part], bounds: list[Bounds]) -> Bounds:
    """Return a composite's bounds from its parts' bounds and offsets, as fontTools computes
    them (a part whose bounds are a point adds nothing)."""
    moved = [shifted(b, (p.x, p.y)) for p, b in zip(found, bounds, strict=True) if b[:2] != b[2:]]
    x_min, y_min, x_max, y_max = union(moved)
    return int(x_min), int(y_min), int(x_max), int(y_max)


def shifted(bounds: Sequence[float], offset: tuple[float, float]) -> FloatBounds:
    """Return bounds moved by offset."""
    x, y = offset
    return bounds[0] + x, bounds[1] + y, bounds[2] + x, bounds[3] + y


def union(boxes: list[FloatBounds]) -> FloatBounds:
    """Return the bounds of boxes; zero when there is none."""
    if not boxes:
        return 0, 0, 0, 0
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class Compound(Outline):
    """What fontTools' maxp and hhea recalculations read of a composite glyph: its bounds and
    its components' names."""

    def __init__(self, contours: int, bounds: Bounds, names: list[str]) -> None:
        """Keep the glyph's contour count (negative), bounds and its components' names."""
        super().__init__(contours, bounds)
        self.components = [_Named(name) for name in names]

    def isComposite(self) -> bool:  # noqa: N802 - fontTools' name
        """Return True: a compound stands for a composite glyph."""
        return True

    def getCompositeMaxpValues(  # noqa: N802 - fontTools' name
        self, table: Any, maxComponentDepth: int = 1, *, maxpValuesCache: Any = None
    ) -> Any:
        """Return the points, contours and depth of the flattened glyph, as fontTools does."""
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        return Glyph.getCompositeMaxpValues(
            self, table, maxComponentDepth, maxpValuesCache=maxpValuesCache
        )


class _Named(NamedTuple):
    """A component, by the only thing recalculations ask of it: its glyph's name."""

    glyphName: str  # noqa: N815 - fontTools' name
