"""reportlab's paragraph module compiles a URL pattern when it is imported: a Django-derived
expression whose case-insensitive Unicode ranges take about 50 ms to compile, a tenth of a
handout build, in every process that draws a PDF. It is matched only against a word being
hyphenated at the end of a line, and only a word holding "://" can match it (its scheme and
"://" are not optional). `install` arranges that, while reportlab's paragraph module is
imported, that one expression becomes a `LazyPattern`: it answers None at once for a word
without "://" and compiles the expression the first time a word has one (any workshop with a
link in its references) — with its three classes of host-name letters written as their
complements, which match the same code points under re.IGNORECASE (all 1,114,112 are
compared in tests/test_lazy_uri.py) and compile in a twentieth of the time: the range
\xa1-\uffff is case-folded character by character, its complement's ranges are not. Every
other expression, and the pattern of any other reportlab version, compiles as usual.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

MODULE = "reportlab.platypus.paragraph"
# the start of reportlab's uri_pat (4.x, 5.x): a scheme, then "://", never optional
SCHEME = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
# reportlab's classes of host-name letters, and what they match under re.IGNORECASE written as
# the complement: no controls, no ASCII or Latin-1 punctuation, nothing beyond the BMP
_REST = "\\[-`{-\\xa0\\U00010000-\\U0010ffff]"  # [ to `, { to no-break space, astral
QUICK = {
    "[a-z\xa1-\uffff0-9]": "[^\\x00-/:-@" + _REST,
    "[a-z\xa1-\uffff0-9-]": "[^\\x00-,./:-@" + _REST,
    "[a-z\xa1-\uffff-]": "[^\\x00-,.-@" + _REST,
}


class LazyPattern:
    """A compiled expression made on first need; a text without "://" never matches."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """Return the real expression, compiling it (`quick`) the first time."""
        if self._compiled is None:
            self._compiled = re.compile(quick(self.pattern, self.flags), self.flags)
        return self._compiled

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        """Return what the expression's match returns (None when text has no "://")."""
        if "://" not in text:
            return None
        return self.compiled().match(text, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def quick(pattern: str, flags: int) -> str:
    """Return pattern with its classes of host-name letters as their complements (`QUICK`)
    when it ignores case: the same expression, compiled in a twentieth of the time."""
    if flags & re.IGNORECASE:
        for slow, fast in QUICK.items():
            pattern = pattern.replace(slow, fast)
    return pattern


class _Loader(importlib.abc.Loader):
    """Runs the paragraph module's loader with the URL pattern left uncompiled."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        made: ModuleType | None = self.loader.create_module(spec)
        return made

    def exec_module(self, module: ModuleType) -> None:
        compile_, re.compile = re.compile, _lazy_compile(re.compile)
        try:
            self.loader.exec_module(module)
        finally:
            re.compile = compile_


def _lazy_compile(compile_: Any) -> Any:
    def lazy(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(SCHEME):
            return LazyPattern(pattern, flags)
        return compile_(pattern, flags)

    return lazy


class _Finder(importlib.abc.MetaPathFinder):
    """Finds reportlab's paragraph module as the other finders do, with our loader."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name != MODULE:
            return None
        sys.meta_path.remove(self)  # once: the real spec comes from the finders after us
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Leave the URL pattern uncompiled when reportlab's paragraph module is first imported."""
    if MODULE not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
