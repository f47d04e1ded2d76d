"""Fonts from package dependencies: families, static faces, metrics and coverage.

The deck names a font PowerPoint users have (Arial); layout measures it with a metric-compatible
face shipped by a Python package (Arimo), and the PDF embeds that same face. Variable fonts are
cut into static instances once and cached, because reportlab reads only the default instance.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from builder.errors import BrandError, Problem

STYLES = ("regular", "bold", "italic", "bolditalic")


@dataclass(frozen=True)
class FontFamily:
    """A family as the deck names it and as the PDF embeds it, one file per style."""

    deck_name: str
    embed_name: str
    regular: Path
    bold: Path
    italic: Path
    bolditalic: Path

    def face(self, bold: bool = False, italic: bool = False) -> Path:
        """Return the file of the face with this weight and slant."""
        return (self.regular, self.italic, self.bold, self.bolditalic)[bold * 2 + italic]


@dataclass(frozen=True)
class Metrics:
    """What layout needs of one face: advances per character and vertical extents, in em."""

    advances: dict[int, float]
    ascent: float
    descent: float

    def width(self, text: str, size: float) -> float:
        """Return the advance width of text at size points (unknown characters as 0.6 em)."""
        return size * sum(self.advances.get(ord(c), 0.6) for c in text)


# Families a PowerPoint, Keynote or Google Slides user has, and the metric-compatible
# package that measures and embeds them.
_FAMILIES = {"Arial": "Arimo", "Arimo": "Arimo", "Liberation Sans": "Arimo", "Helvetica": "Arimo"}
_ALIASES = {name.lower(): embed for name, embed in _FAMILIES.items()}
_DECK_NAMES = {"Arimo": "Arial"}


def known_families() -> list[str]:
    """Return the family names a brand may use."""
    return sorted(_FAMILIES)


def family_for(name: str, file: str = "", line: int = 0) -> FontFamily:
    """Return the family for a brand's font name, or raise BrandError listing known names."""
    embed = _ALIASES.get(name.strip().lower())
    if embed is None:
        raise BrandError(
            Problem(
                file,
                line,
                f"expected one of {', '.join(known_families())}, got {name!r}",
                "typography.family",
            )
        )
    return _arimo()


@cache
def _arimo() -> FontFamily:
    files = resources.files("fontpkg_arimo") / "files"
    upright = Path(str(files / "Arimo[wght].ttf"))
    slanted = Path(str(files / "Arimo-Italic[wght].ttf"))
    return FontFamily(
        deck_name=_DECK_NAMES["Arimo"],
        embed_name="Arimo",
        regular=_static(upright, 400, "Regular"),
        bold=_static(upright, 700, "Bold"),
        italic=_static(slanted, 400, "Italic"),
        bolditalic=_static(slanted, 700, "BoldItalic"),
    )


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workshop-builder" / "fonts"


def _static(variable: Path, weight: int, style: str) -> Path:
    """Return a cached static instance of a variable font at weight."""
    from fontTools import version as ft_version

    digest = hashlib.sha256(variable.read_bytes()).hexdigest()[:16]
    target = _cache_dir() / f"{variable.stem.split('[')[0]}-{style}-{digest}-{ft_version}.ttf"
    if target.exists():
        return target
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(
        TTFont(variable), {"wght": weight}, updateFontNames=True
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    font.save(tmp)
    os.replace(tmp, target)
    return target


@cache
def metrics(path: Path) -> Metrics:
    """Return the metrics of the face in path."""
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        advances = {code: hmtx[glyph][0] / upm for code, glyph in font.getBestCmap().items()}
        hhea = font["hhea"]
        return Metrics(advances, hhea.ascent / upm, -hhea.descent / upm)


def missing_characters(text: str, family: FontFamily) -> list[str]:
    """Return the characters of text that the family cannot show (spacing controls excepted)."""
    known = metrics(family.regular).advances
    return sorted({c for c in text if c not in "\n\t\r" and ord(c) not in known})
