"""The garbage collector while modules are imported: paused, then what they made frozen.

Only when workshop runs as the program (builder.entry sets PROGRAM): in a host process (tests,
another program importing builder) the collector is left alone.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator

PROGRAM = False  # run as the program (main without argv): it may tune the collector


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """Run the block, which imports modules, without garbage collections; when it imported
    any, keep what lives then out of every later collection (gc.freeze).

    Imports make a hundred thousand objects that live to the end: each collection walked them
    again, a twentieth of a build. Freezing only after new imports freezes once per program, not
    per build (`watch`, ten kits). Only in the program: in a host process (tests) it just runs
    the block.
    """
    if not PROGRAM:
        yield
        return
    modules = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) != modules:
            gc.freeze()
        gc.enable()
