"""reportlab's URL pattern is compiled on first need (builder/writers/lazy_uri.py): it matches
exactly what the compiled expression matches, and nothing else changes in `re`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.writers.lazy_uri import SCHEME, LazyPattern

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
