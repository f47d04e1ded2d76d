"""What workshop keeps in the user cache from stable inputs gives what reading them gives:
pyphen's parsed hyphenation patterns (every handout and the deck's layout hyphenate)."""

from __future__ import annotations

from pathlib import Path

import pyphen  # type: ignore[import-untyped, unused-ignore]
import pytest

from builder import hyphenate

WORDS = ["hyphenation", "accreditation", "psychotherapy", "Silbentrennung", "extraordinary"]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache, and pyphen's own cache emptied for the test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    return tmp_path


@pytest.mark.parametrize("name", ["en_US", "de_DE", "hu_HU"])
def test_kept_patterns_hyphenate_as_pyphen_s_own(fresh: Path, name: str) -> None:
    own = pyphen.HyphDict(pyphen.LANGUAGES[name])
    hyphenate.load(name)  # parsed, kept in our cache
    (entry,) = (fresh / "workshop-builder" / "hyphenation").iterdir()
    pyphen.hdcache.clear()
    hyphenate.load(name)  # read back from our cache
    kept = pyphen.hdcache[pyphen.LANGUAGES[name]]
    assert kept.patterns == own.patterns and kept.maxlen == own.maxlen
    for word in [*WORDS, "asszonnyal", "Schiffahrt"]:
        assert [(int(p), p.data) for p in kept.positions(word)] == [
            (int(p), p.data) for p in own.positions(word)
        ]
    assert entry.stat().st_size > 0


def test_a_damaged_entry_is_parsed_again_and_replaced(fresh: Path) -> None:
    hyphenate.load("en_US")
    (entry,) = (fresh / "workshop-builder" / "hyphenation").iterdir()
    entry.write_bytes(b"not a pickle")
    pyphen.hdcache.clear()
    hyphenate.load("en_US")
    assert pyphen.Pyphen(lang="en_US").positions("hyphenation") == [2, 6]
    assert entry.read_bytes()[:1] == b"\x80"  # a pickle again, the patterns parsed anew
    pyphen.hdcache.clear()
    hyphenate.load("en_US")
    assert pyphen.Pyphen(lang="en_US").positions("hyphenation") == [2, 6]


def test_each_dictionary_has_its_own_entry_and_an_unknown_one_none(fresh: Path) -> None:
    hyphenate.load("en_US")
    hyphenate.load("de_DE")
    hyphenate.load("xx_XX")  # not a dictionary of pyphen's: nothing to keep
    assert len(list((fresh / "workshop-builder" / "hyphenation").iterdir())) == 2


def test_an_unwritable_cache_only_costs_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenate.load("en_US")
    assert pyphen.Pyphen(lang="en_US").positions("hyphenation") == [2, 6]


def test_a_cache_entry_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    from builder.user_cache import write_atomically

    write_atomically(tmp_path / "a" / "entry", b"kept")
    assert (tmp_path / "a" / "entry").read_bytes() == b"kept"
    (tmp_path / "a" / "busy").mkdir()  # a folder where the entry would go: os.replace fails
    write_atomically(tmp_path / "a" / "busy", b"lost")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["busy", "entry"]  # no .tmp
