"""Imported before python-pptx: its import then skips the standard library's URL opener.

python-pptx escapes names with `xml.sax.saxutils`, which imports `urllib.request` (and with it
`ssl`, a third of the deck writer's import time) for a function a build never calls. `defer`
puts a stand-in module in its place that imports the real one when a name of it is first used.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its names is used, then imports the real one."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(_load(self.__name__), attr)


def _load(name: str) -> types.ModuleType:
    """Import the real module in the stand-in's place and return it."""
    if isinstance(sys.modules.get(name), _Deferred):
        del sys.modules[name]
    module = importlib.import_module(name)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


def defer(name: str) -> None:
    """Put a stand-in for the module name in sys.modules, unless it is imported already."""
    if name in sys.modules:
        return
    stand_in = _Deferred(name)
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:  # `import a.b` binds b on a only when it loads it
        setattr(importlib.import_module(parent), child, stand_in)


defer("urllib.request")
