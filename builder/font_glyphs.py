"""TrueType simple glyphs read and written as fontTools writes them, for static cuts.

fontTools' instancer decodes every outline of a variable font into objects and encodes it
again: most of a cut's time. builder.font_instance does without for a face at the default:
a glyph is decoded here to plain lists, its bytes kept (`spliced`) or encoded here with
fontTools' greedy encoding (`encode`), so that they are fontTools' own (tests compare whole
cuts with its instancer's). What the instancer does besides the outlines (names, OS/2,
metrics variations) it still does itself (`finish`).
"""

from __future__ import annotations

import struct
from itertools import accumulate
from typing import Any, NamedTuple

Bounds = tuple[int, int, int, int]
FloatBounds = tuple[float, float, float, float]

X_SHORT, Y_SHORT, REPEAT, X_SAME, Y_SAME = 0x02, 0x04, 0x08, 0x10, 0x20
OVERLAP_SIMPLE, OVERLAP_COMPOUND = 0x40, 0x0400
KEPT = 0x01 | OVERLAP_SIMPLE | 0x80  # what fontTools keeps of a point's flag: on curve, cubic
# a point's flag -> the struct format of its x (y) bytes: B short, h word, '-' none (same)
_X_FORMAT = bytes(b"B"[0] if f & X_SHORT else b"-h"[not f & X_SAME] for f in range(256))
_Y_FORMAT = bytes(b"B"[0] if f & Y_SHORT else b"-h"[not f & Y_SAME] for f in range(256))


class Simple(NamedTuple):
    """A simple glyph's parts: its bytes up to the flags, the flags (one a point), where the
    flags and the coordinates end, and its points' positions."""

    head: bytes  # contour count, bounds, contour ends, instructions
    flags: bytearray
    flags_end: int
    end: int
    xs: list[int]
    ys: list[int]

    @property
    def contours(self) -> int:
        """Return the number of contours."""
        return int(struct.unpack_from(">h", self.head)[0])

    @property
    def bounds(self) -> Bounds:
        """Return the bounds its header states."""
        x_min, y_min, x_max, y_max = struct.unpack_from(">4h", self.head, 2)
        return x_min, y_min, x_max, y_max


class Outline:
    """What fontTools' maxp and hhea recalculations read of a glyph, without its points."""

    def __init__(self, contours: int, bounds: Bounds = (0, 0, 0, 0), points: int = 0) -> None:
        """Keep a glyph's contour count, bounds and point count."""
        self.numberOfContours = contours
        self.xMin, self.yMin, self.xMax, self.yMax = bounds
        self.points = points

    def getMaxpValues(self) -> tuple[int, int]:  # noqa: N802 - fontTools' name
        """Return the glyph's points and contours, as fontTools' Glyph does."""
        return self.points, self.numberOfContours

    def isComposite(self) -> bool:  # noqa: N802 - fontTools' name
        """Return False: an outline stands for a simple or empty glyph."""
        return False

    def recalcBounds(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - fontTools' name
        """Keep the bounds: they were computed from the points already."""


class _Font:
    """The tables fontTools' recalculations read, with outlines standing for the glyphs."""

    def __init__(self, font: Any, glyphs: dict[str, Any]) -> None:
        """Serve font's tables, and glyphs as its glyf table."""
        self.font, self.glyphs = font, glyphs

    def __getitem__(self, tag: str) -> Any:
        """Return a table: the outlines for glyf."""
        return self.glyphs if tag == "glyf" else self.font[tag]

    def __contains__(self, tag: str) -> bool:
        """Return whether the font has the table."""
        return tag in self.font

    def getGlyphOrder(self) -> list[str]:  # noqa: N802 - fontTools' name
        """Return the font's glyph order."""
        return list(self.font.getGlyphOrder())


def eligible(font: Any) -> bool:
    """Return whether the cuts here apply: TrueType outlines varying by gvar, weight the only
    axis, no vertical metrics, no avar 2."""
    axes = [a.axisTag for a in font["fvar"].axes] if "fvar" in font else []
    avar2 = "avar" in font and getattr(font["avar"], "majorVersion", 1) >= 2
    tables = "glyf" in font and "gvar" in font and not {"vmtx", "VARC"} & set(font.keys())
    return axes == ["wght"] and tables and not avar2


def raw(font: Any, name: str) -> bytes | None:
    """Return a glyph's bytes as the file holds them (b"" when empty); None once decoded."""
    glyph = font["glyf"].glyphs[name]
    data = getattr(glyph, "data", None)
    if data is None:
        return b"" if glyph.numberOfContours == 0 and not hasattr(glyph, "program") else None
    return b"" if len(data) < 2 or data[:2] == b"\0\0" else bytes(data)


def decode(data: bytes) -> Simple | None:
    """Return a simple glyph's parts; None if the bytes do not hold them."""
    try:
        contours = struct.unpack_from(">h", data)[0]
        points = struct.unpack_from(">H", data, 8 + 2 * contours)[0] + 1
        start = 12 + 2 * contours + struct.unpack_from(">H", data, 10 + 2 * contours)[0]
        flags, flags_end = _decode_flags(data, start, points)
        x_format = b">" + flags.translate(_X_FORMAT).replace(b"-", b"")
        y_format = b">" + flags.translate(_Y_FORMAT).replace(b"-", b"")
        x_end = flags_end + struct.calcsize(x_format)
        xs = struct.unpack_from(x_format, data, flags_end)
        ys = struct.unpack_from(y_format, data, x_end)
    except (struct.error, IndexError):
        return None
    end = x_end + struct.calcsize(y_format)
    xs_at = _positions(flags, xs, _X_FORMAT, X_SAME)
    ys_at = _positions(flags, ys, _Y_FORMAT, Y_SAME)
    return Simple(data[:start], flags, flags_end, end, xs_at, ys_at)


def _decode_flags(data: bytes, start: int, points: int) -> tuple[bytearray, int]:
    """Return a simple glyph's flags, one a point, and where its coordinates start."""
    flags, pos = bytearray(), start
    while len(flags) < points:
        flag = data[pos]
        if flag & REPEAT:
            flags.extend(bytes((flag & ~REPEAT,)) * (data[pos + 1] + 1))
            pos += 2
        else:
            flags.append(flag)
            pos += 1
    if len(flags) != points:
        raise IndexError("a repeat runs past the glyph's last point")
    return flags, pos


def _positions(
    flags: bytearray, values: tuple[int, ...], formats: bytes, positive: int
) -> list[int]:
    """Return the absolute positions on one axis from its encoded deltas: a byte (B) takes
    its sign from the flag, a word (h) has its own, a point with neither stays."""
    left = iter(values)
    deltas = [
        (next(left) if kind == 0x68 or flag & positive else -next(left)) if kind != 0x2D else 0
        for kind, flag in zip(flags.translate(formats), flags, strict=True)
    ]
    return list(accumulate(deltas))


def spliced(data: bytes, glyph: Simple) -> bytes | None:
    """Return the glyph's bytes with only its first point flagged as overlapping (its points
    unmoved), or None unless that is how fontTools would write it: its own encoding (repeats,
    no zero byte, no word that fits a byte) and its header's bounds right."""
    if encode_flags(glyph.flags) != data[len(glyph.head) : glyph.flags_end]:
        return None
    pos = glyph.flags_end
    for formats in (_X_FORMAT, _Y_FORMAT):
        kinds = glyph.flags.translate(formats).replace(b"-", b"")
        short = struct.unpack_from(b">" + kinds.replace(b"h", b"2x"), data, pos)
        words = struct.unpack_from(b">" + kinds.replace(b"B", b"x"), data, pos)
        if 0 in short or any(-256 < word < 256 for word in words):
            return None
        pos += struct.calcsize(b">" + kinds)
    if glyph.bounds != (min(glyph.xs), min(glyph.ys), max(glyph.xs), max(glyph.ys)):
        return None
    flags = bytearray(glyph.flags)
    flags[0] |= OVERLAP_SIMPLE
    return glyph.head + encode_flags(flags) + data[glyph.flags_end : glyph.end]


def encode_flags(flags: bytearray | bytes) -> bytearray:
    """Return flags encoded as fontTools encodes them: a run of three or more as a repeat."""
    out, last, repeat = bytearray(), -1, 0
    for flag in flags:
        if flag == last and repeat != 255:
            repeat += 1
            if repeat == 1:
                out.append(flag)
            else:
                out[-2:] = bytes((flag | REPEAT, repeat))
        else:
            repeat = 0
            out.append(flag)
        last = flag
    return out


def encode(glyph: Simple, xs: list[int], ys: list[int]) -> tuple[bytes, Outline]:
    """Return the glyph with its points at xs, ys (its first flagged as overlapping) as
    fontTools writes it (bounds recalculated, shortest deltas first), and its outline."""
    bounds = (min(xs), min(ys), max(xs), max(ys))
    flags = bytearray(f & KEPT for f in glyph.flags)
    flags[0] |= OVERLAP_SIMPLE
    packed_flags, packed_x, packed_y = bytearray(), bytearray(), bytearray()
    last_x = last_y = 0
    for flag, x, y in zip(flags, xs, ys, strict=True):
        bits = _packed(x - last_x, _X_SMALL, packed_x) | _packed(y - last_y, _Y_SMALL, packed_y)
        packed_flags.append(flag | bits)
        last_x, last_y = x, y
    head = struct.pack(">5h", glyph.contours, *bounds) + glyph.head[10:]
    data = head + encode_flags(packed_flags) + packed_x + packed_y
    return data, Outline(glyph.contours, bounds, len(xs))


def _packed(delta: int, small: dict[int, tuple[int, int]], out: bytearray) -> int:
    """Append a coordinate delta to out as fontTools' greedy encoding does (nothing for 0, a
    byte when it fits, else a word); return its flag bits."""
    if -256 < delta < 256:
        bits, byte = small[delta]
        if delta:
            out.append(byte)
        return bits
    out += delta.to_bytes(2, "big", signed=True)
    return 0


def _small(short: int, same: int) -> dict[int, tuple[int, int]]:
    """Return the flag bits and byte of each delta that fits a byte, as fontTools' greedy
    encoding writes it: 0 as 'same' (no byte), others as a byte, 'same' meaning positive."""
    table = {value: (short | (same if value > 0 else 0), abs(value)) for value in range(-255, 256)}
    table[0] = (same, 0)
    return table


_X_SMALL, _Y_SMALL = _small(X_SHORT, X_SAME), _small(Y_SHORT, Y_SAME)


def finish(font: Any, weight: int, glyphs: dict[str, tuple[bytes, Any]]) -> Any:
    """Put the glyphs (bytes and outline) in font, recalculate head, maxp and hhea from their
    outlines as fontTools' save would, and let the instancer do all but the outlines."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph
    from fontTools.varLib import instancer

    outlines = _Font(font, {name: outline for name, (_, outline) in glyphs.items()})
    font["maxp"].recalc(outlines)  # head's bounds and flags too
    font["hhea"].recalc(outlines)
    font["glyf"].glyphs = {name: Glyph(data) for name, (data, _) in glyphs.items()}
    del font["gvar"]
    font.recalcBBoxes = False  # recalculated above from the same points
    keep = instancer.OverlapMode.KEEP_AND_DONT_SET_FLAGS  # set above
    return instancer.instantiateVariableFont(
        font, {"wght": weight}, updateFontNames=True, inplace=True, overlap=keep
    )
