"""Page counts remembered from one build to the next, so a PDF whose footers say "of Y" is
usually drawn once instead of twice.

A document is drawn with the count its last build had; when it still has that many pages the
drawing is the one a second pass would make (the count only changes footer text, never the
flow), so it is kept. Otherwise, or the first time, it is drawn again with the count it has
now, as two passes always did. Counts live in the user's cache folder; a count that cannot
be read or written costs only the second pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from builder.user_cache import cache_dir, write_atomically

_COUNTS: dict[str, int] = {}  # this process's counts, over the file's


def counted(render: Callable[[int], tuple[bytes, int]], key: str) -> bytes:
    """Return render(Y)'s bytes, Y being the pages the document has (render returns its bytes
    and pages for a given Y; 0 draws no "of Y"): one render when key's last count is right."""
    guess = _remembered(key)
    data, pages = render(guess)
    if guess and pages == guess:
        return data
    _remember(key, pages)
    return render(pages)[0]


def _file() -> Path:
    return cache_dir() / "page-counts.json"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _remembered(key: str) -> int:
    """Return the pages key's document had when last built, 0 when unknown."""
    if _digest(key) not in _COUNTS:
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(_file().read_text(encoding="utf-8"))
            _COUNTS.update({k: v for k, v in stored.items() if isinstance(v, int)})
    return _COUNTS.get(_digest(key), 0)


def _remember(key: str, pages: int) -> None:
    """Keep key's page count, in this process and in the cache file (written whole, atomically)."""
    _COUNTS[_digest(key)] = pages
    write_atomically(_file(), json.dumps(dict(sorted(_COUNTS.items())[-2000:])).encode())
