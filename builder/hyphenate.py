"""Hyphenate: where a word or a link may break across lines, in the workshop's language.

Used by measure when a token is too long for a line of its own. Words break at the points of
LibreOffice's hyphenation dictionaries (pyphen) and after hard hyphens; links break after
separators. Positions are offsets into the token, the punctuation around it included.

pyphen parses a dictionary's patterns in every process that hyphenates (0.1 s for en_US,
reportlab's paragraphs included): `load` keeps the parsed patterns in the user cache, keyed by
the dictionary's bytes and pyphen's version, and hands them to pyphen's own cache.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

# pyphen ships no type information; its stubs (types-pyphen) may or may not be installed
import pyphen  # type: ignore[import-untyped, unused-ignore]

from builder.user_cache import cache_dir, write_atomically

FALLBACK = "en_US"
HARD_HYPHENS = "-\u2010\u2013\u2014"  # hyphen-minus, hyphen, en and em dash: break after
LINK_BREAKS = "/.-?&@=_#"
_LEADING = "([{\"'“„‘‚«‹¿¡<"
_TRAILING = ".,;:!?)]}\"'”’»›…>"
_LINK = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S|[^@\s/]+@[^@\s/]+\.\w", re.I)


def core(token: str) -> tuple[int, int]:
    """Return the start and end of token without its leading and trailing punctuation."""
    start, end = 0, len(token)
    while start < end and token[start] in _LEADING:
        start += 1
    while end > start and token[end - 1] in _TRAILING:
        end -= 1
    return start, end


def is_link(token: str) -> bool:
    """Return whether token is a URL or an e-mail address (punctuation around it allowed)."""
    start, end = core(token)
    return _LINK.match(token, start, end) is not None


def dictionary(lang: str) -> str | None:
    """Return the pyphen dictionary for a BCP 47 tag ("de-AT" -> "de_AT", "" -> "en_US"), or
    None for a language pyphen has no dictionary for."""
    if lang.lower() in ("", "en"):
        return FALLBACK
    found: str | None = pyphen.language_fallback(lang.replace("_", "-"))
    return found


@lru_cache(maxsize=32)
def _hyphenator(name: str) -> Any:
    load(name)
    return pyphen.Pyphen(lang=name)


def load(name: str) -> None:
    """Put the parsed patterns of pyphen's dictionary name into pyphen's cache (which
    reportlab's hyphenation reads too): from our cache, else parsed and kept there."""
    path = pyphen.LANGUAGES.get(name)
    if path is None or path in pyphen.hdcache:
        return
    entry = _entry(Path(path))
    kept = _kept(entry) if entry is not None else None
    if kept is None:
        kept = pyphen.HyphDict(path)
        if entry is not None:
            write_atomically(entry, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    pyphen.hdcache[path] = kept


def _entry(path: Path) -> Path | None:
    """Return where the parsed patterns of the dictionary at path are kept, None if unknown."""
    try:
        digest = hashlib.sha256(path.read_bytes())
    except OSError:
        return None
    digest.update(f"{pyphen.VERSION}|{sys.version_info[:2]}".encode())
    return cache_dir("hyphenation") / f"{digest.hexdigest()[:32]}.pickle"


def _kept(entry: Path) -> Any:
    """Return the patterns kept in entry, None when there are none or they cannot be read."""
    try:
        kept = pickle.loads(entry.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    return kept if isinstance(kept, pyphen.HyphDict) else None


def hyphen_points(word: str, lang: str) -> tuple[int, ...]:
    """Return the offsets in word after which a line may break, in increasing order.

    A word breaks where lang's dictionary allows and after a hard hyphen; a link (URL, e-mail
    address) after a separator. Leading and trailing punctuation never split off.
    """
    start, end = core(word)
    if is_link(word):
        return _link_points(word, start, end)
    # a word too long for any line must break: English points beat arbitrary letters
    return _word_points(word, start, end, dictionary(lang) or FALLBACK)


def _link_points(token: str, start: int, end: int) -> tuple[int, ...]:
    """Return the offsets after link separators, never between the slashes of "://"."""
    return tuple(
        i + 1
        for i in range(start, end - 1)
        if token[i] in LINK_BREAKS and token[i - 1 : i + 2] != "://"
    )


def _word_points(token: str, start: int, end: int, name: str) -> tuple[int, ...]:
    """Return the dictionary's points in each part between hard hyphens, and after those."""
    points: list[int] = []
    part = start
    for i in range(start, end + 1):
        if i == end or token[i] in HARD_HYPHENS:
            if not any(c.isdigit() for c in token[part:i]):  # no "15:-00", no "20-27"
                points.extend(part + p for p in _syllables(token[part:i], name))
            if i < end - 1 and i > start:
                points.append(i + 1)
            part = i + 1
    return tuple(points)


@lru_cache(maxsize=4096)
def _syllables(part: str, name: str) -> tuple[int, ...]:
    """Return the dictionary's hyphenation points in part, standard ones only."""
    if len(part) < 2:
        return ()
    # positions() carries .data for non-standard breaks that respell the word (hu: "ssz")
    found = _hyphenator(name).positions(part)
    return tuple(int(p) for p in found if getattr(p, "data", None) is None)
