"""Babel's locale data for builder.i18n, merged once and kept in the user's cache folder.

Babel reads a locale's data from three pickles (its global data for the parent locale, root and
the language) and merges them on every run: 14 ms for English, a twentieth of the time to the
first writer. The merged result is kept per locale and Babel installation (its version and the
size and time of its data files) and handed to Babel's own cache before first use; a cache
that cannot be read or written is left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

from builder.user_cache import cache_dir, write_atomically

_FORMAT = "1"  # of the cached files: change it when what they hold changes


def preload(identifier: str) -> None:
    """Give Babel the merged data of the locale identifier ('en', 'de_AT') from the cache,
    or put Babel's own merge of it into the cache."""
    from babel import localedata

    cache, lock = getattr(localedata, "_cache", None), getattr(localedata, "_cache_lock", None)
    if not isinstance(cache, dict) or lock is None or "@" in identifier or identifier in cache:
        return  # another Babel than the one this was written for: it reads its own data
    kept = _cache_file(identifier)
    data = _read(kept)
    if data is None:
        _write(kept, localedata.load(identifier))
        return
    with lock:
        cache.setdefault(identifier, data)


def _cache_file(identifier: str) -> Path:
    """Return where the merged data of identifier is kept."""
    import babel
    from babel import localedata

    folder = Path(localedata.resolve_locale_filename(identifier)).parent
    chain = ["root", *("_".join(identifier.split("_")[: n + 1]) for n in range(4))]
    files = [Path(babel.__file__).parent / "global.dat"]
    files += [folder / f"{name}.dat" for name in dict.fromkeys(chain) if name]
    digest = hashlib.sha256(f"{_FORMAT}|{babel.__version__}|{identifier}".encode())
    for file in files:
        with contextlib.suppress(OSError):
            stat = file.stat()
            digest.update(f"|{file.name}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return cache_dir("locales") / f"{digest.hexdigest()[:32]}.pickle"


def _read(kept: Path) -> dict[str, object] | None:
    """Return the data kept in the file, None if there is none or it cannot be read."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError):
        data = pickle.loads(kept.read_bytes())
        return data if isinstance(data, dict) and data else None
    return None


def _write(kept: Path, data: dict[str, object]) -> None:
    """Keep data in the file, written whole or not at all."""
    with contextlib.suppress(pickle.PicklingError):
        write_atomically(kept, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
