"""Static faces cut from variable fonts: cached by content, cut when first opened.

Brand loading names a cut's cache file without cutting it (a CutPath); layout measures the
face from the variable font itself; the cut happens when a PDF writer or a copy beside the deck
opens the file, or earlier in a forked worker when a writer announces the faces it will draw.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from functools import cache
from pathlib import Path, PosixPath, WindowsPath
from typing import Any

from builder import font_worker, user_cache
from builder.errors import BrandError, Problem

# Bumped when a cut's bytes change: "fixed" cuts keep the source's modified date (they were
# stamped with the time of the cut, which PDFs embed: the same build differed between caches).
_CUTS = "fixed"
_LAYOUT = ("GSUB", "GPOS", "GDEF")  # what a lean cut leaves out


if sys.platform == "win32":

    class _Path(WindowsPath):
        """The concrete path class CutPath extends on Windows."""

else:

    class _Path(PosixPath):
        """The concrete path class CutPath extends on Linux and macOS."""


class CutPath(_Path):
    """The cache file of a static face cut from a variable font at a weight.

    Opening it (anything that asks os.fspath, e.g. open, stat, copy) cuts it first when the
    cache lacks it; str() and the path's name never do. Paths derived from it (its parent)
    carry no recipe and cut nothing.
    """

    source: Path | None = None
    weight: int = 0
    lean: bool = False  # without layout tables (GSUB, GPOS, GDEF): for embedding and metrics

    def __fspath__(self) -> str:
        """Return the path of the cut, cutting it first if the cache lacks it."""
        ready(self)
        return str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle with the recipe, for worker processes."""
        return (cut_path, (str(self), self.source, self.weight, self.lean))


def cut_path(target: str, source: Path, weight: int, lean: bool = False) -> CutPath:
    """Return the CutPath of target, the cut of source at weight (lean: without the layout
    tables, which only a face a presenter installs needs)."""
    path = CutPath(target)
    path.source, path.weight, path.lean = source, weight, lean
    return path


def cache_dir() -> Path:
    """Return the folder of cached fonts in the user cache."""
    return user_cache.cache_dir("fonts")


def full_cut(path: Path) -> Path:
    """Return the cut with the layout tables (kerning, ligatures) of a lean one, for a face a
    presenter installs beside the deck; any other path as it is."""
    if not isinstance(path, CutPath) or not path.lean or path.source is None:
        return path
    target = Path(str(path)).name.replace("-lean-", "-", 1)
    return cut_path(str(Path(str(path)).with_name(target)), path.source, path.weight)


def cached(source: Path, label: str) -> Path:
    """Return where a font derived from source (labelled label) is cached."""
    from fontTools import version as ft_version

    name = f"{source.stem.split('[')[0]}-{label}-{digest(source)}-{ft_version}-{_CUTS}.ttf"
    return cache_dir() / name


@cache
def digest(source: Path) -> str:
    """Return a short hash of a file's bytes (cached per process)."""
    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def save(font: Any, target: Path) -> Path:
    """Write a fontTools font to target atomically (several processes may cut the same face)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.recalcTimestamp = False  # the same source gives the same bytes, whenever it is cut
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def ready(path: CutPath) -> None:
    """Make sure the cut exists in the cache: wait for its worker, or cut it here."""
    target = str(path)
    if path.source is None:
        return
    font_worker.wait(target)
    if not os.path.exists(target):
        cut(path.source, path.weight, Path(target), path.lean)


def prefetch(paths: list[Path]) -> bool:
    """Start cutting the given faces that the cache lacks in the font worker, one process per
    variable font (which reads it once and forks for each weight), so that they are cut side
    by side while this process goes on; return whether any is being cut (started now or
    before, as the built-in kit's faces on a first build)."""
    faces = [p for p in dict.fromkeys(paths) if isinstance(p, CutPath) and p.source]
    busy = [p for p in faces if font_worker.running(str(p))]
    missing = [p for p in faces if p not in busy and not os.path.exists(str(p))]
    by_source: dict[tuple[Path, bool], list[tuple[int, str]]] = {}
    for path in missing:
        assert path.source is not None
        by_source.setdefault((path.source, path.lean), []).append((path.weight, str(path)))
    jobs: list[font_worker.Job] = [
        (_cut_quietly, (source, cuts, lean)) for (source, lean), cuts in by_source.items()
    ]
    started = bool(jobs) and font_worker.submit(jobs, [str(p) for p in missing])
    return started or bool(busy)


def _cut_quietly(source: Path, cuts: list[tuple[int, str]], lean: bool = False) -> None:
    """Cut one variable font at several weights, in a worker: read it once, then fork for each
    weight but one (the default's if any: the quickest). A failure is reported when the face
    is opened (cut again there)."""
    children = []
    with contextlib.suppress(Exception):
        font = _read(source, lean=lean)
        cuts = sorted(cuts, key=lambda cut: not _at_default(font, cut[0]))
        if sum(not _at_default(font, weight) for weight, _ in cuts) > 1:
            _decompile_ahead(font)  # shared by the forked cuts
        for weight, target in cuts[1:]:
            pid = os.fork()
            if pid == 0:  # pragma: no cover - a forked child, gone by os._exit
                with contextlib.suppress(Exception):
                    save(_instance(font, weight), Path(target))
                os._exit(0)
            children.append(pid)
        weight, target = cuts[0]
        if _at_default(font, weight):  # quick: leave the processors to the slow cuts and the build
            os.nice(10)
        save(_instance(font, weight), Path(target))
    for pid in children:  # the face is ready when this worker ends
        os.waitpid(pid, 0)


def cut(source: Path, weight: int, target: Path, lean: bool = False) -> Path:
    """Write the static instance of a variable font at a weight to target."""
    try:
        try:
            font = _instance(_read(source, lean=lean), weight)
        except Exception:  # a font our cuts misread: fontTools' instancer says what is wrong
            font = _instance(_read(source, lean=lean), weight, ours=False)
        return save(font, target)
    except Exception as exc:  # fontTools raises many kinds for a damaged file
        message = f"expected a variable font that can be cut at weight {weight}, got {source.name}"
        raise BrandError(Problem(str(source), 0, f"{message} ({exc})", "typography")) from exc


def _read(source: Path, lean: bool = False) -> Any:
    """Return the variable font; lean, without the layout tables: reportlab embeds outlines,
    advances and names only, so the PDFs are the same bytes, and instancing them was half the
    time of a cut."""
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    for tag in _LAYOUT if lean else ():
        if tag in font:
            del font[tag]
    return font


def _decompile_ahead(font: Any) -> None:
    """Decompile the tables every cut away from the default reads, so that forked cuts share
    them: the layout tables, and the outlines only where the instancer will cut (our cuts read
    the glyphs' bytes, which decoding them ahead would take away)."""
    from builder import font_instance

    outlines = ("glyf", "gvar") if not font_instance.covers(font) else ()
    for tag in ("GDEF", "GPOS", "GSUB", "HVAR", *outlines):
        if tag in font:
            font[tag].ensureDecompiled()


def _at_default(font: Any, weight: int) -> bool:
    """Return whether weight is the default location of a font whose only axis is weight."""
    return [(a.axisTag, a.defaultValue) for a in font["fvar"].axes] == [("wght", weight)]


def _instance(font: Any, weight: int, ours: bool = True) -> Any:
    """Return the font instantiated, in place, at weight, as fontTools' instancer does: by our
    cuts where they apply (ours), else by the instancer."""
    from fontTools.varLib import instancer

    from builder import font_instance

    if ours and (done := font_instance.instantiate(font, weight)) is not None:
        return done  # the instancer's bytes, in a third of its time
    if "gvar" in font and _at_default(font, weight):
        # At the default every outline delta scales to 0: the instancer would read them all
        # to add nothing (the cut is the same byte for byte; tests compare with fontTools').
        font["gvar"].variations = {}
    # inplace: the font was just read for this cut; a deep copy of it cost a fifth of the time
    return instancer.instantiateVariableFont(
        font, {"wght": weight}, updateFontNames=True, inplace=True
    )
