"""reportlab's URL pattern is compiled on first need (builder/writers/lazy_uri.py), its classes
of host-name letters written as their complements: it matches exactly what reportlab's
expression matches, and nothing else changes in `re`."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.writers.lazy_uri import QUICK, SCHEME, LazyPattern, quick

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "https://doi.org/10.1037/a0012345",
    "http://example.org/a/b?c=d&e=f#g",
    "ftp://files.example.com/pub/",
    "https://xn--bcher-kva.example/",
    "https://[::1]:8080/x",
    "https://localhost:8000/",
    "https://192.168.0.1/path",
    "mailto:someone@example.org",
    "www.example.org/no-scheme",
    "://nothing-before",
    "not a url",
    "hyphenation",
    "Silbentrennung",
    "word://in/the/middle",
    "https://",
    "",
]


def test_the_pattern_is_the_one_reportlab_compiles() -> None:
    from reportlab.platypus import paragraph

    assert paragraph.uri_pat.pattern.startswith(SCHEME)


@pytest.mark.parametrize("text", TEXTS)
def test_a_lazy_pattern_matches_as_the_compiled_one(text: str) -> None:
    from reportlab.platypus import paragraph

    source, flags = paragraph.uri_pat.pattern, paragraph.uri_pat.flags
    real, lazy = re.compile(source, flags), LazyPattern(source, flags)
    expected, got = real.match(text), lazy.match(text)
    assert (got and got.groups()) == (expected and expected.groups())
    assert (got and got.span()) == (expected and expected.span())


def test_reportlab_imported_after_the_writers_gets_the_lazy_pattern_only() -> None:
    probe = (
        "import re; compile_ = re.compile\n"
        "import builder.writers\n"
        "from reportlab.platypus import paragraph\n"
        "assert re.compile is compile_, 're.compile not restored'\n"
        "assert type(paragraph.uri_pat).__name__ == 'LazyPattern'\n"
        "assert isinstance(paragraph._hy_letters_pat, re.Pattern)\n"
        "assert paragraph.uri_pat._compiled is None\n"
        "print(paragraph._uri_split_pairs('https://example.org/a'))\n"
        "assert paragraph.uri_pat._compiled is not None\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('https://example.org/', 'a'), ('https://', 'example.org/a')]"


@pytest.mark.parametrize(
    ("slow", "fast"), QUICK.items(), ids=["letters-digits", "-hyphen", "-digits"]
)
def test_a_quick_class_matches_every_code_point_its_slow_one_does(slow: str, fast: str) -> None:
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = re.findall(fast, every, re.IGNORECASE)
    assert matched == re.findall(slow, every, re.IGNORECASE)
    assert "K" in matched and "\u212a" in matched and "/" not in matched  # folded, not all


def test_every_slow_class_of_reportlabs_pattern_is_replaced_when_it_ignores_case() -> None:
    from reportlab.platypus import paragraph

    source = paragraph.uri_pat.pattern
    assert paragraph.uri_pat.flags & re.IGNORECASE
    assert all(slow in source for slow in QUICK)
    assert not any(slow in quick(source, re.IGNORECASE) for slow in QUICK)
    assert quick(source, 0) == source  # the complements are the same only ignoring case


def _address(pick: random.Random) -> str:
    """Return a random address-like word: host labels of letters, digits and look-alikes
    (folding, no-break space, astral, punctuation), then maybe a port and a path."""
    letters = "abcXYZk09-éß" * 3 + "İſ\u212a\u0131\u00a0\u00a1\U0001f600_~"
    labels = [
        "".join(pick.choices(letters, k=pick.randint(1, 5))) for _ in range(pick.randint(2, 4))
    ]
    tail = pick.choice(["", ":80", ":8", "/a/b", "?q=1", " x"])
    return pick.choice(["https://", "HTTP://", "x+y.z://", "://"]) + ".".join(labels) + tail


def test_the_quick_pattern_matches_as_reportlabs_on_random_addresses() -> None:
    from reportlab.platypus import paragraph

    source, flags = paragraph.uri_pat.pattern, paragraph.uri_pat.flags
    real, lazy = re.compile(source, flags), LazyPattern(source, flags)
    pick, matched = random.Random(14), 0
    for _ in range(20_000):
        text = _address(pick)
        expected, got = real.match(text), lazy.match(text)
        assert (got and (got.span(), got.groups())) == (
            expected and (expected.span(), expected.groups())
        )
        matched += expected is not None
    assert 1_000 < matched < 19_000  # both kinds, a thousand or more of each
