"""Watch: run `pipeline.build` again on every save of a job's outline, kit or templates.

Only the formats whose inputs changed are rebuilt. A rebuild that fails writes nothing, so the
last good files stay in place for a PDF viewer that reloads on change.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import watchfiles

from builder import pipeline
from builder.confine import escapes
from builder.errors import Problem, WorkshopError

# Files editors write beside the one they save: hidden temporary and swap files (.x.swp, emacs'
# .#x, gedit's .goutputstream-*), backups ending in ~, emacs' #x#, vim's "4913" probe, and
# JetBrains' safe-write copies
_DEBRIS = re.compile(r"^\.|~$|^#.*#$|^4913$|___jb_\w+___$")
_TICK_MS = 200  # how often the watcher wakes with no change: the first wake starts the build


class Event(Protocol):
    """Anything with is_set(), as threading.Event: watching stops once it is set."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class Result:
    """One build of a job's formats: the files written and warnings, or the problems."""

    formats: tuple[str, ...]
    written: list[Path]
    warnings: list[Problem]
    problems: list[Problem]
    kept: list[Path]  # the earlier outputs a failed build left in place
    seconds: float

    @property
    def filenames(self) -> list[str]:
        """Return the output file names of the formats built (not the fonts beside a deck)."""
        return [pipeline.FORMATS[name].filename for name in self.formats]


def watched_paths(job: pipeline.Job) -> list[Path]:
    """Return the folders to watch, without their subfolders: the outline's, the kit's and the
    templates', each with every folder inside it.

    The outline's folder rather than the file: editors save by writing a new file and renaming it
    over the old one, and a watch on the old file sees no later save (watchfiles issue 127).
    """
    folders = [job.outline.resolve().parent, *(f.parent for f in referenced(job.outline))]
    for root in (job.kit, job.templates):
        if root is not None:
            folders += [Path(top) for top, _, _ in os.walk(root.resolve())]
    return list(dict.fromkeys(folders))


_REFERENCED = re.compile(
    r"\b(?:figure|file|sources):[ \t]*['\"]?([^'\"\s#{}\[\],]+\.(?:png|jpe?g|bib|json))\b",
    re.IGNORECASE,
)


def referenced(outline: Path) -> list[Path]:
    """Return the files an outline names beside it (figures, a sources file), inside its
    folder: a save of one of them rebuilds every format."""
    folder = outline.resolve().parent
    try:
        text = outline.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    found = (folder / m.group(1) for m in _REFERENCED.finditer(text))
    return list(dict.fromkeys(f.resolve() for f in found if not escapes(f, folder)))


def formats_for(changes: Iterable[Path], job: pipeline.Job, formats: list[str]) -> list[str]:
    """Return the formats, of those asked for, that the changed files make out of date."""
    stale: set[str] = set()
    named = set(referenced(job.outline))  # read once for the whole batch of saves
    for path in changes:
        stale |= _stale(path.resolve(), job, formats, named)
    return [name for name in formats if name in stale]


def _stale(path: Path, job: pipeline.Job, formats: list[str], named: set[Path]) -> set[str]:
    """Return the formats one changed file feeds: the outline and the kit feed every one."""
    if _DEBRIS.search(path.name):
        return set()
    if path == job.outline.resolve() or _under(path, job.kit) or path in named:
        return set(formats)
    if job.templates is None or not _under(path, job.templates):
        return set()
    name = path.relative_to(job.templates.resolve()).as_posix()
    if not any(name in fmt.templates for fmt in pipeline.FORMATS.values()):
        return set(formats)  # a template others include or extend: any format may use it
    return {f for f in formats if name in pipeline.FORMATS[f].templates}


def _under(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.is_relative_to(folder.resolve())


def rebuild(job: pipeline.Job, formats: list[str], root: Path, named: bool) -> Result:
    """Build formats of a job into root and time it; on a user's mistake write nothing."""
    start = time.perf_counter()
    try:
        written, warnings = pipeline.build(job, formats, root, named)
    except WorkshopError as exc:
        kept = _outputs(pipeline.out_dir(job, root, named), formats)
        return Result(tuple(formats), [], [], exc.problems, kept, time.perf_counter() - start)
    return Result(tuple(formats), written, warnings, [], [], time.perf_counter() - start)


def _outputs(folder: Path, formats: list[str]) -> list[Path]:
    """Return the files of these formats an earlier build left in folder."""
    paths = [folder / pipeline.FORMATS[name].filename for name in formats]
    return [path for path in paths if path.exists()]


def watch(
    job: pipeline.Job,
    formats: list[str],
    root: Path,
    named: bool,
    stop_event: Event | None = None,
    debounce_ms: int = 1600,
) -> Iterator[Result]:
    """Yield a first build of a job, then a rebuild of the stale formats after each save.

    Formats a failed build was asked for stay due until a build of them succeeds. Stops when
    stop_event is set; Ctrl-C raises KeyboardInterrupt.
    """
    out = pipeline.out_dir(job, root, named).resolve()
    due: list[str] = []
    saves = watchfiles.watch(
        *watched_paths(job),
        debounce=debounce_ms,
        stop_event=stop_event,
        rust_timeout=_TICK_MS,
        yield_on_timeout=True,  # the first wake means the watcher is ready: no save is missed
        recursive=False,
    )
    for count, batch in enumerate(saves):
        paths = [Path(p) for _, p in batch if not _under(Path(p).resolve(), out)]
        stale = formats_for(paths, job, formats) if count else formats
        if stale:
            due = [name for name in formats if name in due or name in stale]
            result = rebuild(job, due, root, named)
            due = list(result.formats) if result.problems else []
            yield result
