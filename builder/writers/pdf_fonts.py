"""Fonts for the PDF writers: a family's faces registered with reportlab, each read on first use.

A face is read (and, for a static cut of a variable font, cut) only when a page draws or
measures it: most PDFs never draw bold italic. The faces every PDF draws start their cuts at
registration, side by side, in forked workers (builder.font_cuts).
"""

from __future__ import annotations

import hashlib
import os
import re
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from builder.font_cuts import CutPath
from builder.fonts import STYLES, FontFamily, prepare

_LAZY: dict[str, _LazyFont] = {}  # by file: one font object per face, as registerFont shares


class _LazyFont(TTFont):  # type: ignore[misc]  # reportlab is untyped
    """A reportlab TrueType font whose file is read when first needed, not when registered."""

    def __init__(self, name: str, file: Path) -> None:
        # TTFont.__init__ without its reading of the file (reportlab 4-5 attributes)
        self.fontName, self._file = name, file
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)

    def __getattr__(self, name: str) -> Any:
        """Return the face (read from the file, and cut, on first use: then an attribute)."""
        if name != "face":
            raise AttributeError(name)
        self.face = TTFontFace(os.fspath(self._file))
        pdfmetrics._dynFaceNames.setdefault(self.face.name, self)
        return self.face


def register_family(family: FontFamily) -> tuple[str, str, str, str]:
    """Register a family's four faces with reportlab (embedded, subset); return their names."""
    files = [getattr(family, style) for style in STYLES]
    tag = hashlib.sha1("|".join(str(f) for f in files).encode()).hexdigest()[:8]
    names = [f"{family.embed_name}-{style}-{tag}" for style in STYLES]
    prepare(family)
    taken: dict[bytes, str] = {}  # the family's faces' PDF names -> the file that has each
    for name, file in zip(names, files, strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            _register(name, file, taken)
    # The whole family, or <b> and <i> silently fall back to the regular face.
    pdfmetrics.registerFontFamily(names[0], *names)
    return names[0], names[1], names[2], names[3]


def _own_face_name(font: Any, file: Path, taken: dict[bytes, str]) -> None:
    """Give a face the name of its file when another file of its family has its name: without
    a PostScript name (name ID 6) reportlab names a face after its family, and the PDF then
    holds one face for all four (bold and italic drawn regular)."""
    if taken.setdefault(font.face.name, str(file)) != str(file):
        font.face.name = re.sub(r"[^A-Za-z0-9-]", "", file.stem)[:60].encode() or b"Face"
        taken.setdefault(font.face.name, str(file))


def _register(name: str, file: Path, taken: dict[bytes, str]) -> None:
    """Register one face: a cut lazily, any other file as reportlab reads it."""
    if not isinstance(file, CutPath):
        font = TTFont(name, str(file))
        _own_face_name(font, file, taken)
        pdfmetrics.registerFont(font)
        return
    font = _LAZY.setdefault(str(file), _LazyFont(name, file))
    pdfmetrics._fonts[name] = font  # registerFont would read the face for its name
    pdfmetrics.registerFontFamily(name)
