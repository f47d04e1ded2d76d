"""User-fixable errors of every stage, each knowing where (file:line) and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding: where it is, what field, and what was expected."""

    file: str
    line: int
    message: str
    field: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class WorkshopError(Exception):
    """A problem the user can fix; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class OutlineError(WorkshopError):
    """The outline YAML is malformed or does not match the outline format."""


class BrandError(WorkshopError):
    """A brand kit is malformed, incomplete or fails its checks."""


class TemplateError(WorkshopError):
    """A Jinja template could not be loaded or rendered."""


class MarkupError(WorkshopError):
    """Rendered markup is not the document vocabulary the writers understand."""


class LayoutError(WorkshopError):
    """Content cannot fit, even at the smallest allowed size."""


class CheckError(WorkshopError):
    """CE checks found errors (or warnings under --strict)."""


class WriteError(WorkshopError):
    """An output file could not be written."""


def problem_at(at: str, message: str) -> Problem:
    """Return a problem at an outline's "file:line" (as markup carries it), or at a name."""
    file, sep, line = at.rpartition(":")
    if sep and line.isdigit():
        return Problem(file, int(line), message)
    return Problem(at or "deck", 0, message)
