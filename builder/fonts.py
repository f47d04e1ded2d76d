"""Fonts from package dependencies or a brand kit's files: families, static faces, metrics.

Any family is measured with its own metrics and embedded (subset) in PDFs. Arial, Helvetica and
Liberation Sans are measured and embedded as the metric-compatible Arimo (a Python package), and
the deck names Arial. Other families come from the kit's TTF/OTF files or an installed
`fontpkg-<family>` package, and the deck names the family itself. Variable fonts are cut into
static instances once and cached, because reportlab reads only the default instance; a cut
happens only when its file is first opened (builder.font_cuts), and layout measures the face
from the variable font meanwhile.
"""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from builder.errors import BrandError, Problem
from builder.font_cuts import CutPath, cache_dir, cached, cut_path, digest, prefetch, save
from builder.font_variations import variable_metrics
from builder.user_cache import write_atomically

# fontTools logs its repairs of a font's header ("'created' timestamp seems very low") on
# stderr: noise for a trainer, since a font we cannot use is reported as a problem instead.
logging.getLogger("fontTools").setLevel(logging.ERROR)

STYLES = ("regular", "bold", "italic", "bolditalic")
_RESTRICTED = 0x0002  # OS/2 fsType: "Restricted License embedding", no embedding at all
_NO_SUBSETTING = 0x0100  # the whole font or nothing: reportlab embeds subsets
_BITMAP_ONLY = 0x0200  # no outlines may be embedded
_METRICS = "1"  # bumped when what a face's kept metrics hold changes
# the family of the built-in kit (builder/brands/default/_brand.yml), body and headings alike:
# its faces are cut before the kit is read on a first build (a test holds the two together)
BUILT_IN = "Arial"


@dataclass(frozen=True)
class FontFamily:
    """A family as the deck names it and as the PDF embeds it, one file per style."""

    deck_name: str
    embed_name: str
    regular: Path
    bold: Path
    italic: Path
    bolditalic: Path
    source: str = "metric"  # metric (Arial as Arimo), file (the kit's) or package (fontpkg-*)
    originals: tuple[Path, ...] = ()  # the files a presenter installs, with their licenses

    def face(self, bold: bool = False, italic: bool = False) -> Path:
        """Return the file of the face with this weight and slant."""
        return (self.regular, self.italic, self.bold, self.bolditalic)[bold * 2 + italic]


@dataclass(frozen=True)
class Face:
    """One font file of a family: its slant and the weights it covers (a range if variable)."""

    path: Path
    italic: bool
    low: int
    high: int
    variable: bool = False

    def distance(self, weight: int) -> int:
        """Return how far weight lies outside the weights this file covers."""
        return max(self.low - weight, weight - self.high, 0)


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
    """Return the family names a brand may use without font files or a font package."""
    return sorted(_FAMILIES)


def is_metric_alias(name: str) -> bool:
    """Return whether name is measured with a metric-compatible package (Arial as Arimo)."""
    return name.strip().lower() in _ALIASES


def family_for(name: str, file: str = "", line: int = 0) -> FontFamily:
    """Return the family for a known font name, or raise BrandError listing known names."""
    if not is_metric_alias(name):
        raise BrandError(
            Problem(
                file,
                line,
                f"expected one of {', '.join(known_families())} or a family in "
                f"typography.fonts, got {name!r}",
                "typography",
            )
        )
    return _arimo()


@cache
def _arimo() -> FontFamily:
    files = resources.files("fontpkg_arimo") / "files"
    upright = Path(str(files / "Arimo[wght].ttf"))
    slanted = Path(str(files / "Arimo-Italic[wght].ttf"))
    cuts = [(upright, 400, "Regular"), (upright, 700, "Bold")]
    cuts += [(slanted, 400, "Italic"), (slanted, 700, "BoldItalic")]
    regular, bold, italic, bolditalic = _statics(cuts, lean=True)  # never travels: Arial
    return FontFamily(
        deck_name=_DECK_NAMES["Arimo"],
        embed_name="Arimo",
        regular=regular,
        bold=bold,
        italic=italic,
        bolditalic=bolditalic,
    )


def family_from_faces(
    name: str, faces: list[Face], weight: int, source: str, originals: tuple[Path, ...] = ()
) -> FontFamily:
    """Return the family name drawn from faces: regular at weight, bold at 700 or above."""
    bold = max(700, weight)
    picked = [_pick(faces, w, i) for w, i in ((weight, 0), (bold, 0), (weight, 1), (bold, 1))]
    cuts = [p for p in picked if isinstance(p, tuple)]
    cut = dict(zip(cuts, _statics(cuts), strict=True))
    regular, bold_face, italic, bolditalic = (
        cut[p] if isinstance(p, tuple) else _truetype(p) for p in picked
    )
    return FontFamily(
        deck_name=name,
        embed_name="".join(ch for ch in name if ch.isalnum()) or "Font",
        regular=regular,
        bold=bold_face,
        italic=italic,
        bolditalic=bolditalic,
        source=source,
        originals=originals,
    )


_Cut = tuple[Path, int, str]  # a variable font, the weight to cut it at, the style's label


def _pick(faces: list[Face], weight: int, italic: int) -> Path | _Cut:
    """Return the file for weight and slant (upright when no italic exists), or the cut of
    a variable file that makes it."""
    styled = [f for f in faces if f.italic == bool(italic)] or faces
    best = min(styled, key=lambda f: (f.distance(weight), f.low))
    if best.variable:  # labelled by the face's own slant: an upright one stands in as it is
        at = min(max(weight, best.low), best.high)
        return best.path, at, f"{at}{'Italic' if best.italic else ''}"
    return best.path


def face_of(path: Path, italic: bool, weight: int | None = None) -> Face:
    """Return the face of a font file: its wght axis if variable, else weight or usWeightClass."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        axis = (
            next((a for a in font["fvar"].axes if a.axisTag == "wght"), None)
            if ("fvar" in font)
            else None
        )
        if axis is not None:
            return Face(path, italic, int(axis.minValue), int(axis.maxValue), variable=True)
        own = int(font["OS/2"].usWeightClass) if "OS/2" in font else 400
        return Face(path, italic, weight or own, weight or own)


def installed_family(path: Path) -> str | None:
    """Return the family name a font file installs under (typographic family, else family),
    the name a deck must give for PowerPoint or LibreOffice to find the installed face."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        names = font.get("name")
        found = names and (names.getDebugName(16) or names.getDebugName(1))
    return found.strip() if found and found.strip() else None


def embedding_problem(path: Path, thorough: bool = False) -> str | None:
    """Return why the font cannot be embedded in our PDFs (format, license or outlines), or
    None. Thorough (a kit's own file): the tables measuring and embedding read are read here,
    so a damaged file fails now, with the kit's line, not in the middle of a build."""
    from fontTools.ttLib import TTFont

    with path.open("rb") as handle:
        kind = _WEB_FONTS.get(handle.read(4))
    if kind is not None:
        return f"expected a TrueType or OpenType file, got a {kind} web font named {path.name}"
    with TTFont(path, lazy=True) as font:
        for tag in (t for t in _READ_TABLES if thorough and t in font):
            font[tag]  # noqa: B018  # decompiled now: a truncated table raises here
        fs_type = int(font["OS/2"].fsType) if "OS/2" in font else 0
        cff2 = "CFF2" in font
    if cff2:  # variable PostScript outlines: no converter we trust
        return f"{path.name} has variable CFF2 outlines; use the family's TrueType (.ttf) files"
    return _license_problem(path, fs_type)


_WEB_FONTS = {b"wOFF": "WOFF", b"wOF2": "WOFF2"}
_READ_TABLES = ("head", "hhea", "maxp", "OS/2", "name", "cmap", "hmtx", "post")


def _license_problem(path: Path, fs_type: int) -> str | None:
    """Return why the license bits (OS/2 fsType) forbid our PDFs, which embed subsets of
    outlines: no embedding, no subsetting, or bitmaps only."""
    # Bits 1-3 are exclusive; when several are set the least restrictive one applies.
    if fs_type & 0x000F == _RESTRICTED:
        why, bits = "forbids embedding", "restricted license"
    elif fs_type & _NO_SUBSETTING:
        why, bits = "forbids embedding a subset of it", "no subsetting"
    elif fs_type & _BITMAP_ONLY:
        why, bits = "allows embedding its bitmaps only, not its outlines", "bitmap embedding only"
    else:
        return None
    return (
        f"{path.name} {why} (OS/2 fsType {fs_type:#06x}: {bits}); PDFs cannot carry it: ask "
        "the foundry for an embeddable license or choose another font"
    )


def _statics(cuts: list[_Cut], lean: bool = False) -> list[Path]:
    """Return the cache files of the cuts' static instances, cut when first opened. Lean
    ones (builder.font_cuts) for a family whose faces never travel with the deck (Arimo,
    which the deck names Arial): a kit's or a package's family travels as full cuts, which the
    PDFs then embed too rather than cutting each face twice."""
    label = "-lean" if lean else ""
    return [cut_path(str(cached(v, f"{s}{label}")), v, w, lean) for v, w, s in cuts]


def _truetype(path: Path) -> Path:
    """Return path, or for CFF (PostScript) outlines a cached TrueType copy: reportlab embeds
    glyf outlines only. Cubic curves become quadratic within 1 unit (fontTools cu2qu)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        if "CFF " not in font:
            return path
    target = cached(path, "TrueType")
    if target.exists():
        return target
    font = TTFont(path)
    _quadratic_outlines(font)
    return save(font, target)


def _quadratic_outlines(font: Any) -> None:
    """Replace a font's CFF table by glyf/loca (after fontTools' Snippets/otf2ttf.py)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"], font["glyf"] = newTable("loca"), newTable("glyf")
    font["glyf"].glyphOrder, font["glyf"].glyphs = order, glyphs
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font["glyf"].compile(font)
    for name, glyph in glyphs.items():  # left side bearings follow the new outlines
        font["hmtx"][name] = (font["hmtx"][name][0], getattr(glyph, "xMin", 0))
    _truetype_maxp(font)
    font["post"].formatType, font["post"].extraNames, font["post"].mapping = 2.0, [], {}
    font["post"].glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _truetype_maxp(font: Any) -> None:
    from fontTools.ttLib import newTable

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    font["maxp"] = maxp
    maxp.compile(font)


@cache
def metrics(path: Path) -> Metrics:
    """Return the metrics of the face in path (of a cut not made yet: the variable font's),
    kept in the font cache beside the cuts: read back in a twentieth of the time."""
    kept = _kept_metrics(path)
    found = _read_metrics(kept)
    if found is None:
        found = _measured(path)
        write_atomically(kept, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    return found


def _kept_metrics(path: Path) -> Path:
    """Return where the metrics of the face in path are kept: by the cut's name (its source's
    digest and the cutting code's version are in it), else by the file's digest."""
    name = Path(str(path)).name  # str(): naming a cut does not cut it
    key = name if isinstance(path, CutPath) else f"{Path(name).stem}-{digest(path)}"
    return cache_dir() / f"{key}-metrics-{_METRICS}.pickle"


def _read_metrics(kept: Path) -> Metrics | None:
    """Return the metrics kept in a file, None if there are none or they cannot be read."""
    try:
        found = pickle.loads(kept.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return found if isinstance(found, Metrics) else None


def _measured(path: Path) -> Metrics:
    """Return the metrics of the face in path, read from the font (or its variable source)."""
    from fontTools.ttLib import TTFont

    if isinstance(path, CutPath) and not os.path.exists(str(path)):
        found = variable_metrics(path)
        if found is not None:
            return Metrics(*found)
    with TTFont(path) as font:
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        advances = {code: hmtx[glyph][0] / upm for code, glyph in font.getBestCmap().items()}
        hhea = font["hhea"]
        return Metrics(advances, hhea.ascent / upm, -hhea.descent / upm)


def prepare(*families: FontFamily | None) -> bool:
    """Start cutting the faces every PDF draws (regular, bold, italic) of these families that
    the cache lacks, in forked workers, while this process goes on (e.g. writing the deck);
    return whether any is being cut."""
    faces = [face for f in families if f for face in (f.regular, f.bold, f.italic)]
    return prefetch(faces)


def prepare_built_in() -> bool:
    """Start cutting the faces of the built-in kit (`prepare`) without reading the kit."""
    return prepare(family_for(BUILT_IN))


def missing_characters(text: str, family: FontFamily) -> list[str]:
    """Return the characters of text that the family cannot show (spacing controls excepted)."""
    known = metrics(family.regular).advances
    return sorted({c for c in text if c not in "\n\t\r" and ord(c) not in known})


def unshowable(text: str, family: FontFamily) -> str | None:
    """Return the problem of a text with characters the family cannot show, or None."""
    missing = missing_characters(text, family)
    if not missing:
        return None
    shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
    return f"expected characters the font {family.embed_name} can show, got {shown}"
