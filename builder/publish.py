"""Publishing a build: its files appear together or not at all.

The files are written into a hidden sibling folder, together with links to the files of the
folder that this build does not replace, and the two folders are then exchanged in one step
(Linux renameat2 RENAME_EXCHANGE; elsewhere two renames, recovered on the next run). So a
build killed at any moment leaves either the old set or the new one, never a new deck beside
an old handout. Folders inside the output folder (other brands' builds) move across after the
exchange; a run that finds a leftover hidden folder moves them back first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

_EXCHANGE = 2  # RENAME_EXCHANGE
_AT_FDCWD = -100


def publish(files: Mapping[str, bytes], folder: Path) -> list[Path]:
    """Write files into folder as one set and return their paths; raise OSError."""
    with staged(folder) as staging:
        mask = _umask()
        for name, data in files.items():
            target = staging / name
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(target, 0o666 & ~mask)  # outputs are for sharing
    return [folder / name for name in files]


@contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """Yield a hidden folder beside folder to write a set of files into; when the block ends
    without an error, the old files it did not replace are linked in and the two folders
    are exchanged. On an error the staging folder goes and folder stays as it was."""
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover(folder)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.new-"))
    try:
        yield staging
        _carry(folder, staging)
        _swap(folder, staging)
    finally:
        _settle(folder, staging)


def recover(folder: Path) -> None:
    """Finish what a killed run left: restore the old set if the folder is missing, move
    sub-folders back, and remove leftover hidden folders."""
    new = sorted(folder.parent.glob(f".{folder.name}.new-*"))
    old = sorted(folder.parent.glob(f".{folder.name}.old-*"))
    if not folder.exists() and (new or old):
        complete = [d for d in new if (d / ".complete").exists()]
        os.rename((complete or old or new)[-1], folder)  # a whole set, the newest there is
    for leftover in new + old:
        _settle(folder, leftover)


def _carry(folder: Path, staging: Path) -> None:
    """Link into staging the old files of folder that this set does not replace, and mark
    the set complete."""
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_file() and not entry.is_symlink() and not (staging / entry.name).exists():
                _keep(entry, staging / entry.name)
    (staging / ".complete").touch()
    os.chmod(staging, 0o777 & ~_umask())


def _keep(source: Path, target: Path) -> None:
    """Carry an old file into the new set: a hard link, or a copy where links fail."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(folder: Path, staging: Path) -> None:
    """Exchange staging and folder in one step (or put staging in place when folder is new)."""
    if not folder.exists():
        os.rename(staging, folder)
        return
    if not _exchange(staging, folder):
        old = staging.with_name(staging.name.replace(".new-", ".old-"))
        os.rename(folder, old)
        os.rename(staging, folder)
        os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Return whether the kernel exchanged the two paths atomically."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _EXCHANGE)
    return bool(done == 0)


@cache
def _renameat2() -> Callable[..., Any] | None:
    """Return the C library's renameat2, or None where it has none (not Linux, old glibc).

    The C library is already loaded into Python: looking it up by name (ctypes.util) would
    run ldconfig, 10 ms on every build.
    """
    import ctypes  # here, not at the top: `check` writes nothing and need not load it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    return getattr(libc, "renameat2", None)


def _settle(folder: Path, leftover: Path) -> None:
    """Move sub-folders (other brands' builds) from leftover into folder, then remove it."""
    (folder / ".complete").unlink(missing_ok=True)
    if not leftover.exists():
        return
    if folder.is_dir():
        for entry in leftover.iterdir():
            if entry.is_dir() and not (folder / entry.name).exists():
                os.rename(entry, folder / entry.name)
    shutil.rmtree(leftover, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
