"""CE checks on a loaded workshop and brand: the accreditors' rules of shared/CE.md.

Every check returns problems (errors stop a build; warnings are shown and fail under --strict).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from builder.brand import Brand, Provider
from builder.errors import Problem, WorkshopError
from builder.fonts import missing_characters
from builder.i18n import words_for
from builder.loader import line_of, read_yaml
from builder.model import Node, Workshop
from builder.verbs import expected_verbs, objective_verb_problem

_PLACEHOLDER = re.compile(r"\[[^\]]+\]")


def check_workshop(w: Workshop, source: Path, provider: Provider, brand: Brand) -> list[Problem]:
    """Return every problem the CE rules and the brand's fonts find in the workshop."""
    problems: list[Problem] = []
    problems += _citations(w, source)
    problems += _objectives(w, source)
    problems += _served_objectives(w, source)
    problems += _language(w, source)
    problems += _references(w, source)
    problems += _program(w, source)
    problems += _presenters(w, source)
    problems += _characters(w, source, brand)
    problems += check_provider(provider, brand)
    return problems


def _error(source: Path, line: int, field: str, message: str) -> Problem:
    return Problem(str(source), line, message, field, "error")


def _warning(source: Path, line: int, field: str, message: str) -> Problem:
    return Problem(str(source), line, message, field, "warning")


def _citations(w: Workshop, source: Path) -> Iterator[Problem]:
    keys = sorted(w.sources)
    for node, path in _walk(w, "workshop"):
        cite = getattr(node, "cite", None)
        if cite is not None and cite not in w.sources:
            yield _error(
                source,
                node.line,
                f"{path}.cite",
                f"expected one of the source keys {', '.join(keys)}, got {cite!r}",
            )


def _objectives(w: Workshop, source: Path) -> Iterator[Problem]:
    hours = w.credit_minutes / 60
    needed = 3 if w.credit_minutes <= 120 else int(hours + 0.999)
    if len(w.objectives) < needed:
        yield _error(
            source,
            w.objectives[0].line,
            "objectives",
            f"expected at least {needed} objectives, got {len(w.objectives)}",
        )
    if hours > 0 and len(w.objectives) > max(3, 2 * hours):
        yield _warning(
            source,
            w.objectives[0].line,
            "objectives",
            f"expected at most 2 objectives per hour, got {len(w.objectives)}",
        )
    for i, o in enumerate(w.objectives):
        got = objective_verb_problem(o.text, w.program.language)
        if got is not None:
            message = f"{expected_verbs(w.program.language)}, got {got!r}"
            yield _error(source, o.line, f"objectives.{i}.text", message)


def _served_objectives(w: Workshop, source: Path) -> Iterator[Problem]:
    """Yield an error for a section serving an objective number the program does not have."""
    count = len(w.objectives)
    for i, section in enumerate(w.agenda):
        for n in section.objectives:
            if n > count:
                message = f"expected objective numbers 1 to {count}, got {n}"
                yield _error(source, section.line, f"agenda.{i}.objectives", message)


def _language(w: Workshop, source: Path) -> Iterator[Problem]:
    language = w.program.language
    if words_for(language).fallback:
        message = f"expected a language with generated words (en, es, de, fr), got {language!r}"
        yield _warning(
            source,
            _language_line(w, source),
            "program.language",
            f"{message}; generated words (headings, labels, notes) will be English",
        )


def _language_line(w: Workshop, source: Path) -> int:
    """Return the line of program.language (read again: only an unusual outline needs it)."""
    try:
        return line_of(read_yaml(source), "program", "language")
    except (OSError, WorkshopError):
        return w.program.line


def _references(w: Workshop, source: Path) -> Iterator[Problem]:
    line = w.line
    if len(w.sources) < 3:
        yield _error(
            source, line, "sources", f"expected at least 3 references, got {len(w.sources)}"
        )
    if not any(s.peer_reviewed for s in w.sources.values()):
        yield _error(source, line, "sources", "expected at least 1 peer-reviewed source, got none")
    if all(s.kind in ("magazine", "web") for s in w.sources.values()):
        yield _warning(source, line, "sources", "expected more than blogs and magazines")


def _program(w: Workshop, source: Path) -> Iterator[Problem]:
    words = len(w.program.description.split())
    if not 60 <= words <= 160:
        yield _warning(
            source, w.program.line, "program.description", f"expected about 100 words, got {words}"
        )
    if w.credit_minutes == 0:
        yield _error(source, w.agenda[0].line, "agenda", "expected credit-bearing minutes, got 0")


def _presenters(w: Workshop, source: Path) -> Iterator[Problem]:
    for i, p in enumerate(w.presenters):
        words = len(p.bio.split())
        if not _PLACEHOLDER.fullmatch(p.bio) and not 50 <= words <= 150:
            yield _warning(
                source, p.line, f"presenters.{i}.bio", f"expected 50 to 150 words, got {words}"
            )
        yield from _placeholders(p, f"presenters.{i}", source)


def _placeholders(node: BaseModel, path: str, source: Path | str) -> Iterator[Problem]:
    names = [n for n, v in node if isinstance(v, str) and _PLACEHOLDER.search(v)]
    if names:
        yield Problem(
            str(source),
            getattr(node, "line", 0),
            f"still placeholders in [brackets]: {', '.join(names)}; "
            "replace them before the session",
            path,
            "warning",
        )


def check_provider(provider: Provider, brand: Brand) -> list[Problem]:
    """Return the provider file's warnings: placeholders left in."""
    return list(_placeholders(provider, "provider", brand.root / "provider.yml"))


def _walk(node: Any, path: str) -> Iterator[tuple[Node, str]]:
    """Yield every model node of the tree with its dotted path."""
    if isinstance(node, Node):
        yield node, path
        for name, value in node:
            yield from _walk(value, f"{path}.{name}" if path != "workshop" else name)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, f"{path}.{i}")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _walk(item, f"{path}.{key}")


def _characters(w: Workshop, source: Path, brand: Brand) -> Iterator[Problem]:
    for node, path in _walk(w, "workshop"):
        for name, value in node:
            texts = value if isinstance(value, list) else [value]
            for text in texts:
                if not isinstance(text, str):
                    continue
                missing = missing_characters(text, brand.body_font)
                if missing:
                    shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
                    yield _error(
                        source,
                        node.line,
                        f"{path}.{name}",
                        f"expected characters the font {brand.body_font.embed_name} "
                        f"can show, got {shown}",
                    )
