"""Where workshop keeps what it derives from stable inputs: $XDG_CACHE_HOME/workshop-builder.

Everything kept there is keyed by the content it was derived from (and the code that derived
it), so a stale entry is never used; deleting the folder only costs time.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def cache_dir(*parts: str) -> Path:
    """Return the user cache folder of workshop, or a subfolder of it (not created)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "workshop-builder", *parts)


def write_atomically(target: Path, data: bytes) -> None:
    """Write data to target whole or not at all (other builds may read or write it meanwhile);
    a cache that cannot be written is left alone."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(tmp)
