"""The `workshop` program: the command line, with no traceback for anything that goes wrong.

Every failure a user can cause is a WorkshopError that the commands print as `error: file:line:
…` (exit 1). Anything else is our bug: it prints "internal error", the command's input, a
one-line cause and how to report it, and exits 70; `--debug` (anywhere on the command line)
shows the traceback instead.
"""

from __future__ import annotations

import sys
import traceback

from builder import __version__

ISSUES = "https://github.com/workshop-builder/workshop/issues"
INTERNAL = 70  # EX_SOFTWARE


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 70 with a short report on an unexpected exception."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    from builder.cli import main as cli

    try:
        cli.main(args=args, prog_name="workshop", standalone_mode=True)
    except SystemExit:
        raise
    except BaseException as exc:  # KeyboardInterrupt too: no traceback for Ctrl-C
        if debug:
            raise
        sys.exit(_report(exc, args))


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
