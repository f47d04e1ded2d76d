"""A kit's fonts: brand.yml `typography` resolved to families that layout measures and PDFs embed.

Roles `base`, `headings` and `monospace` name a family and a weight. A family comes from
`typography.fonts`: `source: file` (TTF files in the kit, static or variable) or `source: google`
/ `bunny` (an installed `fontpkg-<family>` package, never the network). Arial and its
metric twins need neither. Files that forbid embedding are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from builder.brand_file import BrandSpec, FontEntry
from builder.confine import escapes, outside_message
from builder.errors import BrandError, Problem
from builder.font_cuts import full_cut
from builder.fonts import (
    Face,
    FontFamily,
    embedding_problem,
    face_of,
    family_for,
    family_from_faces,
    installed_family,
    is_metric_alias,
)
from builder.loader import line_of

_LICENSE = re.compile(r"^(ofl|license|licence|copying|copyright)", re.IGNORECASE)
_SUFFIXES = (".ttf", ".otf")


@dataclass(frozen=True)
class KitFonts:
    """The families of a kit's roles, and the warnings met on the way."""

    body: FontFamily
    heading: FontFamily
    mono: FontFamily | None
    warnings: tuple[Problem, ...] = ()


@dataclass
class _Resolver:
    """Resolves family names of one kit, each once, collecting every problem."""

    spec: BrandSpec
    tree: Any
    path: Path
    kit: Path
    problems: list[Problem]
    done: dict[tuple[str, int], FontFamily | None]
    read: dict[int, list[Face] | None] = field(default_factory=dict)  # by entry; None: failed

    def role(self, role: str, default: str | None) -> FontFamily | None:
        """Return the family of a role (base, headings, monospace), or None after a problem."""
        value = self.spec.roles.get(role)
        name = (value.family if value else None) or default
        if name is None:
            return None
        weight = value.weight if value and value.weight is not None else 400
        key = (name.lower(), weight)
        if key not in self.done:
            self.done[key] = self._attempt(name, weight, line_of(self.tree, "typography", role))
        return self.done[key]

    def _attempt(self, name: str, weight: int, line: int) -> FontFamily | None:
        try:
            return self._family(name, weight, line)
        except BrandError as exc:
            self.problems.extend(exc.problems)
            return None

    def _family(self, name: str, weight: int, line: int) -> FontFamily:
        index, entry = next(
            ((i, f) for i, f in enumerate(self.spec.fonts) if f.family.lower() == name.lower()),
            (None, None),
        )
        source = entry.source if entry else "system"
        if source == "file" and entry is not None and index is not None:
            return self._files(entry, index, weight)
        if source in ("google", "bunny") and index is not None:
            where = line_of(self.tree, "typography", "fonts", index)
            return package_family(name, weight, source, str(self.path), where)
        if is_metric_alias(name):
            return family_for(name, str(self.path), line)
        if _installed(name):
            return package_family(name, weight, "package", str(self.path), line)
        raise BrandError(Problem(str(self.path), line, _unknown(name), "typography"))

    def _files(self, entry: FontEntry, index: int, weight: int) -> FontFamily:
        if index not in self.read:  # one entry serves several roles: its files read once
            self.read[index] = None  # and its problems reported once
            self.read[index] = self._faces(entry, index)
        faces = self.read[index]
        if faces is None:
            raise BrandError([])
        originals = _with_licenses([f.path for f in faces])
        family = family_from_faces(entry.family, faces, weight, "file", originals)
        # the deck names the family the files install as, whatever the kit calls it
        upright = next((f for f in faces if not f.italic), faces[0])
        return replace(family, deck_name=installed_family(upright.path) or family.deck_name)

    def _faces(self, entry: FontEntry, index: int) -> list[Face]:
        """Return an entry's faces, each file checked, and warn once when no license is beside."""
        faces, problems = [], []
        for j, item in enumerate(entry.files):
            where = line_of(self.tree, "typography", "fonts", index, "files", j)
            path_field = f"typography.fonts.{index}.files.{j}.path"
            file = self.kit / item.path
            problem = _file_problem(file, item.path, self.kit)
            if problem:
                problems.append(Problem(str(self.path), where, problem, path_field))
                continue
            faces.append(face_of(file, item.style == "italic", item.weight))
        if problems or not faces:
            raise BrandError(problems or [_no_files(self.path, self.tree, index)])
        self._license(faces, index)
        return faces

    def _license(self, faces: list[Face], index: int) -> None:
        folders = {f.path.parent for f in faces}
        if not any(_license_files(folder) for folder in folders):
            self.problems.append(
                Problem(
                    str(self.path),
                    line_of(self.tree, "typography", "fonts", index),
                    "expected the font's license file (e.g. OFL.txt) beside its files, so it "
                    "can travel with the deck, got none",
                    f"typography.fonts.{index}",
                    "warning",
                )
            )


def kit_fonts(
    spec: BrandSpec, tree: Any, path: Path, kit: Path, problems: list[Problem]
) -> KitFonts:
    """Return the kit's families; problems gets every error (and KitFonts the warnings)."""
    found: list[Problem] = []
    resolver = _Resolver(spec, tree, path, kit, found, {})
    body = resolver.role("base", "Arial")
    heading = resolver.role("headings", getattr(body, "deck_name", "Arial"))
    mono = resolver.role("monospace", None)
    problems += [p for p in found if p.severity == "error"]
    warnings = tuple(p for p in found if p.severity != "error")
    fallback = family_for("Arial")
    return KitFonts(body or fallback, heading or fallback, mono, warnings)


def package_family(name: str, weight: int, source: str, file: str, line: int) -> FontFamily:
    """Return the family from its installed fontpkg package, or say which package to install."""
    fontpkg = _fontpkg()
    try:
        family = fontpkg.family(name)
    except fontpkg.FamilyNotInstalled:
        message = (
            f"expected the font package for {name!r} (source: {source}), got none installed; "
            f"run: pip install fontpkg-{fontpkg.slugify(name)}"
        )
        raise BrandError(Problem(file, line, message, "typography.fonts")) from None
    faces = [_package_face(f) for f in family.files if f.path.suffix.lower() in _SUFFIXES]
    refused = [m for m in (embedding_problem(f.path) for f in faces) if m]
    if refused:
        raise BrandError([Problem(file, line, m, "typography.fonts") for m in refused])
    originals = _with_licenses([f.path for f in faces], family.files[0].path.parent.parent)
    return family_from_faces(family.name, faces, weight, "package", originals)


def _package_face(file: Any) -> Face:
    if file.variable and file.wght_min is not None and file.wght_max is not None:
        return Face(file.path, file.style == "italic", file.wght_min, file.wght_max, True)
    weight = file.weight or 400
    return Face(file.path, file.style == "italic", weight, weight)


def _installed(name: str) -> bool:
    fontpkg = _fontpkg()
    return fontpkg.slugify(name) in fontpkg.families()


def _unknown(name: str) -> str:
    fontpkg = _fontpkg()
    return (
        f"expected Arial (or Arimo, Helvetica, Liberation Sans) or a family listed in "
        f"typography.fonts with source file, google or bunny, got {name!r}; for a Google font "
        f"run: pip install fontpkg-{fontpkg.slugify(name)}"
    )


def _fontpkg() -> Any:
    """Return the fontpkg module (untyped), which finds installed fontpkg-* families."""
    import fontpkg  # type: ignore[import-untyped]

    return fontpkg


def _file_problem(file: Path, written: str, kit: Path) -> str | None:
    if re.match(r"^[a-z]+://", written):
        return f"expected a font file in the kit, got the URL {written!r} (fonts are never fetched)"
    if escapes(file, kit):
        return outside_message(written, "kit")
    if file.suffix.lower() not in _SUFFIXES:
        return f"expected a .ttf or .otf file, got {written!r}"
    if file.exists() and not file.is_file():  # a folder or a pipe: never opened
        return f"expected a font file in the kit, got {written!r}, which is not a regular file"
    if not file.is_file():
        return f"expected a font file in the kit, got {written!r}, which does not exist"
    try:
        return embedding_problem(file, thorough=True)
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        return f"expected a readable font file, got {written!r} ({exc or type(exc).__name__})"


def _no_files(path: Path, tree: Any, index: int) -> Problem:
    line = line_of(tree, "typography", "fonts", index)
    return Problem(str(path), line, "expected files for source: file", f"typography.fonts.{index}")


def _license_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and _LICENSE.match(p.name))


def _with_licenses(files: list[Path], *folders: Path) -> tuple[Path, ...]:
    """Return the font files and the license files found beside them or in folders."""
    places = dict.fromkeys([f.parent for f in files] + list(folders))
    licenses = [p for folder in places if folder.is_dir() for p in _license_files(folder)]
    return tuple(dict.fromkeys(files + licenses))


def travelling_files(*families: FontFamily | None) -> dict[str, Path]:
    """Return the files to copy beside the deck (name in the output folder -> source file)."""
    out: dict[str, Path] = {}
    for family in families:
        if family is None or family.source == "metric":
            continue
        prefix = re.sub(r"\W+", "-", family.deck_name).strip("-")
        for file in family.originals:
            is_font = file.suffix.lower() in _SUFFIXES
            out[file.name if is_font else f"{prefix}-{file.name}"] = file
        out = _static_faces(family, prefix, out)
    return out


def _variable(path: Path) -> bool:
    """Return whether a font file is a variable font (has an fvar table)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return "fvar" in font


def _static_faces(family: FontFamily, prefix: str, out: dict[str, Path]) -> dict[str, Path]:
    """Return out with a variable font's files replaced by the four static faces cut from it.

    Installed as it is, a variable file shows its default instance (Source Sans 3's is
    ExtraLight) and no bold in LibreOffice; the static cuts are the faces the PDFs embed.
    """
    styles = {"Regular": family.regular, "Bold": family.bold}
    styles |= {"Italic": family.italic, "BoldItalic": family.bolditalic}
    styles = {style: full_cut(path) for style, path in styles.items()}  # with their kerning
    variable = {f for f in family.originals if f.suffix.lower() in _SUFFIXES and _variable(f)}
    if not variable:
        return out
    kept = {name: file for name, file in out.items() if file not in variable}
    return kept | {f"{prefix}-{style}{path.suffix}": path for style, path in styles.items()}
