"""Babel's merged locale data, kept in the user's cache, gives the same words (issue 14)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import localedata

from builder import i18n, locale_data

LANGUAGES = ("en", "de", "fr", "es", "de-AT", "pt-BR")


def _fresh() -> None:
    """Forget what this process read of Babel's data."""
    localedata.clear_caches()
    i18n.locale_for.cache_clear()


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    _fresh()
    yield
    _fresh()


def _words(language: str) -> tuple[str, ...]:
    """Return what the builder asks Babel for in one language."""
    day, time = dt.date(2027, 3, 12), dt.time(9, 5)
    plurals = tuple(i18n.plural(n, language) for n in (0, 1, 1.5, 2, 5, 21))
    numbers = tuple(i18n.format_number(x, language) for x in (1.5, 1234.25, 0.25))
    return (i18n.format_date(day, language), i18n.format_time(time, language), *plurals, *numbers)


def _kept(cache: Path) -> list[Path]:
    return sorted((cache / "workshop-builder" / "locales").glob("*.pickle"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_kept_data_gives_the_words_babel_gives(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with monkeypatch.context() as babel_alone:
        babel_alone.setattr(i18n, "preload", lambda identifier: None)
        expected = _words(language)
        identifier = str(i18n.locale_for(language))
        merged = localedata.load(identifier)
    assert not _kept(tmp_path)
    _fresh()
    assert _words(language) == expected  # Babel merges, the cache keeps it
    assert len(_kept(tmp_path)) == 1
    _fresh()
    assert _words(language) == expected  # read from the cache
    assert localedata._cache[identifier].keys() == merged.keys()  # patterns compare by id


def test_a_cache_that_cannot_be_read_or_written_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = _words("en")
    (kept,) = _kept(tmp_path)
    kept.write_bytes(b"not a pickle")
    _fresh()
    assert _words("en") == expected
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    _fresh()
    assert _words("en") == expected


def test_another_babel_installation_keeps_its_own_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = locale_data._cache_file("en")
    monkeypatch.setattr("babel.__version__", "0.0-other")
    assert locale_data._cache_file("en") != first
