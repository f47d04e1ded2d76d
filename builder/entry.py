"""The `workshop` program: the command line, with no traceback for anything that goes wrong.

Every failure a user can cause is a WorkshopError that the commands print as `error: file:line:
…` (exit 1). Anything else is our bug: it prints "internal error", the command's input, a
one-line cause and how to report it, and exits 70; `--debug` (anywhere on the command line)
shows the traceback instead. Run as the program (no argv given), it collects garbage less
often, skips pydantic's plugin search, starts a first build's font worker before anything
else (builder.font_worker) and leaves without tearing the interpreter down: every output is on
disk by then (builder.publish syncs and renames each set), and tearing down took a tenth of a
build.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import traceback
import types

from builder import __version__, collector, font_worker, user_cache

ISSUES = "https://github.com/workshop-builder/workshop/issues"
INTERNAL = 70  # EX_SOFTWARE


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 70 with a short report on an unexpected exception."""
    if argv is not None:
        _run(argv)
        return
    collector.PROGRAM = True
    gc.set_threshold(10_000, 10, 10)  # a short-lived program: fewer, larger collections
    # a first build cuts fonts: its worker imports fontTools while this process imports ours
    _first_build_fonts(sys.argv[1:])
    _without_pydantic_plugins()
    with collector.settled():
        import builder.cli  # noqa: F401
    try:
        _run(sys.argv[1:])
    except SystemExit as done:
        _leave(done.code)


def _first_build_fonts(argv: list[str]) -> None:
    """Fork the font worker of a first build (builder.font_worker); when it builds the
    built-in kit alone, send it that kit's faces at once, half a second before the build
    would have read its kit. A build that then fails leaves them to be cut for the next."""
    if not font_worker.start_for_first_build(argv, user_cache.cache_dir("fonts")):
        return
    if set(font_worker.option_values(argv, "--brand")) <= {"default"}:
        from builder import fonts

        with contextlib.suppress(Exception):  # then the build cuts them as it would have
            fonts.prepare_built_in()


def _without_pydantic_plugins() -> None:
    """Let pydantic find no plugins without looking: its plugin loader imports
    importlib.metadata (and email) and scans every installed package's entry points on the
    first model, 15 ms of each run for plugins we never use. PYDANTIC_DISABLE_PLUGINS would
    skip the scan but not the imports. Only for this process, before pydantic is imported."""
    name = "pydantic.plugin._loader"
    if "pydantic" in sys.modules or name in sys.modules:
        return
    loader = types.ModuleType(name, "No pydantic plugins: set by builder.entry.")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # what it returns when disabled
    sys.modules[name] = loader


def _run(argv: list[str]) -> None:
    """Run the command line with argv."""
    debug = "--debug" in argv
    args = [a for a in argv if a != "--debug"]
    from builder.cli import main as cli

    try:
        cli.main(args=args, prog_name="workshop", standalone_mode=True)
    except SystemExit:
        raise
    except BaseException as exc:  # KeyboardInterrupt too: no traceback for Ctrl-C
        if debug:
            raise
        sys.exit(_report(exc, args))


def _leave(code: object) -> None:
    """Exit with code as sys.exit would, without tearing the interpreter down."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code or 0)


def _report(exc: BaseException, args: list[str]) -> int:
    """Print the short report of an unexpected exception; return the exit status."""
    if isinstance(exc, KeyboardInterrupt):
        print("stopped", file=sys.stderr)
        return 130
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    cause = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    lines = [
        f"internal error: {cause}",
        f"  input: workshop {' '.join(args)}",
        f"  at: {where.filename}:{where.lineno}" if where else "",
        f"  this is a bug in workshop {__version__}, not in your files: please report it at "
        f"{ISSUES} with the command and its input; run it again with --debug for the details",
    ]
    print("\n".join(line for line in lines if line), file=sys.stderr)
    return INTERNAL
