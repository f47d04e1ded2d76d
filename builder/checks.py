"""CE checks on a loaded workshop and brand: the accreditors' rules of shared/CE.md.

Every check returns problems (errors stop a build; warnings are shown and fail under --strict).
The reviewer's rules (breaks, timing, credits, support, disclosures) are in `builder.review`;
[placeholders] are found here, in the outline and in the kit's files, each at its line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from builder.brand import KIT_FILES, Brand, Provider, default_kit
from builder.errors import BrandError, Problem, WorkshopError
from builder.fonts import unshowable
from builder.i18n import words_for
from builder.loader import line_of, read_yaml
from builder.model import MAX_OBJECTIVES, Node, Workshop, texts_of
from builder.review import review_workshop
from builder.verbs import expected_verbs, objective_verb_problem, unknown_verbs, verbs_known

_PLACEHOLDER = re.compile(r"\[([^\]]+)\]")
_STILL = "expected your own text, got the placeholder"


def check_workshop(w: Workshop, source: Path, provider: Provider, brand: Brand) -> list[Problem]:
    """Return every problem the CE rules and the brand's fonts find in the workshop."""
    tree = _tree(source)
    problems: list[Problem] = []
    problems += _citations(w, source)
    problems += _objectives(w, source)
    problems += _served_objectives(w, source)
    problems += _language(w, source, tree)
    problems += _references(w, source)
    problems += _program(w, source)
    problems += _presenters(w, source)
    problems += _characters(w, source, brand, tree)
    problems += review_workshop(w, source, tree, provider)
    problems += outline_placeholders(w, source, tree)
    problems += kit_placeholders(provider, brand)
    return problems


def _tree(source: Path) -> Any:
    """Return the outline's YAML tree for key lines, or None (then mappings' lines serve)."""
    try:
        return read_yaml(source)
    except (OSError, WorkshopError):
        return None


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
    needed = 3 if w.credit_minutes <= 120 else min(int(hours + 0.999), MAX_OBJECTIVES)
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
    if not verbs_known(w.program.language):  # English verbs would refuse 'descrever'
        yield _warning(
            source, w.objectives[0].line, "objectives", unknown_verbs(w.program.language)
        )
        return
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


def _language(w: Workshop, source: Path, tree: Any) -> Iterator[Problem]:
    language = w.program.language
    if words_for(language).fallback:
        message = f"expected a language with generated words (en, es, de, fr), got {language!r}"
        yield _warning(
            source,
            line_of(tree, "program", "language") if tree is not None else w.program.line,
            "program.language",
            f"{message}; generated words (headings, labels, notes) will be English",
        )


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
    if not _PLACEHOLDER.fullmatch(w.program.description) and not 60 <= words <= 160:
        yield _warning(
            source, w.program.line, "program.description", f"expected about 100 words, got {words}"
        )
    if w.credit_minutes == 0:
        yield _error(source, w.agenda[0].line, "agenda", "expected credit-bearing minutes, got 0")
    timed = next((i for i, s in enumerate(w.agenda) if s.start is not None), None)
    if timed is not None and w.program.start is None:
        message = "expected program.start (the first section's clock time) with a section's start"
        yield _error(source, w.agenda[timed].line, f"agenda.{timed}.start", message)


def _presenters(w: Workshop, source: Path) -> Iterator[Problem]:
    for i, p in enumerate(w.presenters):
        words = len(p.bio.split())
        if not _PLACEHOLDER.fullmatch(p.bio) and not 50 <= words <= 150:
            yield _warning(
                source, p.line, f"presenters.{i}.bio", f"expected 50 to 150 words, got {words}"
            )


def placeholders(value: str, field: str = "") -> list[str]:
    """Return the [placeholders] in a text at field (a dotted path such as "program.title").

    Any bracketed text is one, but for a quotation's own insertions ("[sic]", "[the client]"),
    APA's description after a source's title ("[Video]") and a file's name (a variable font's
    "SourceSans3[wght].ttf"); a value that is all brackets always is.
    """
    if _PLACEHOLDER.fullmatch(value.strip()):
        return [value.strip()]
    if re.search(r"(^|\.)quote$|^sources\.[^.]+\.title$|(^|\.)(path|file|image|logo)$", field):
        return []
    return [m.group() for m in _PLACEHOLDER.finditer(value)]


def outline_placeholders(w: Workshop, source: Path, tree: Any) -> list[Problem]:
    """Return a warning for every text with a [placeholder], at its line in the outline."""
    if tree is None:
        return list(_model_placeholders(w, "workshop", source))
    return list(_tree_placeholders(tree, source))


def kit_placeholders(provider: Provider, brand: Brand) -> list[Problem]:
    """Return a warning for every [placeholder] in the kit's files, at its file and line.

    A kit without provider.yml has the neutral kit's placeholder provider: one warning. So
    has the built-in kit itself, whose files are the program's, not the trainer's to edit.
    """
    problems: list[Problem] = []
    if not (brand.root / "provider.yml").is_file():
        problems += _model_placeholders(provider, "provider", brand.root / "provider.yml")
    for name in KIT_FILES:
        path = brand.root / name
        if path.is_file():
            try:
                problems += _tree_placeholders(read_yaml(path, BrandError), path)
            except BrandError:
                continue  # the kit's loader reports a file it cannot read
    return _built_in(problems) if problems and brand.root == default_kit() else problems


def _built_in(problems: list[Problem]) -> list[Problem]:
    """Return the built-in kit's placeholder warnings as one, saying where the facts go."""
    fields = ", ".join(dict.fromkeys(p.field for p in problems))
    message = (
        f"{_STILL}s of the built-in kit ({fields}); put your CE provider's facts in a kit "
        "of your own (workshop brand new NAME) and build with --brand NAME"
    )
    return [Problem(problems[0].file, problems[0].line, message, "provider", "warning")]


def placeholders_remain(problems: Iterable[Problem]) -> bool:
    """Return whether the checks' problems (e.g. a pipeline.Loaded's) include [placeholders]
    in the outline or the kit: the files built are then a draft."""
    return any(p.message.startswith(_STILL) for p in problems)


def _placeholder_problem(source: Path, line: int, field: str, found: list[str]) -> Problem:
    shown = ", ".join(repr(f if len(f) <= 60 else f[:56] + "…]") for f in found)
    what = f"{_STILL}{'s' if len(found) > 1 else ''} {shown}; replace before the session"
    return Problem(str(source), line, what, field, "warning")


def _tree_placeholders(node: Any, source: Path, path: str = "") -> Iterator[Problem]:
    """Yield a warning for each string of a YAML tree holding placeholders, at its line."""
    if isinstance(node, CommentedMap):
        items = [(str(k), v, node.lc.key(k)[0] + 1) for k, v in node.items()]
    elif isinstance(node, CommentedSeq):
        items = [(str(i), v, node.lc.item(i)[0] + 1) for i, v in enumerate(node)]
    else:
        return
    for key, value, line in items:
        field = f"{path}.{key}" if path else key
        found = placeholders(value, field) if isinstance(value, str) else []
        if found:
            yield _placeholder_problem(source, line, field, found)
        yield from _tree_placeholders(value, source, field)


def _model_placeholders(node: Any, path: str, source: Path) -> Iterator[Problem]:
    """Yield placeholder warnings from a model (no file to read lines from): mappings' lines."""
    for model, where in _walk(node, path):
        texts = [(n, t) for n, v in model for t in (v if isinstance(v, list) else [v])]
        found = [f for n, t in texts if isinstance(t, str) for f in placeholders(t, f"{where}.{n}")]
        if found:
            yield _placeholder_problem(source, model.line, where, found)


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


def _characters(w: Workshop, source: Path, brand: Brand, tree: Any) -> list[Problem]:
    """Return an error for each text holding characters the body font cannot show, at the
    line of that text (of its list item) when the outline's tree has it; and one for text in
    a right-to-left script, which every writer would print in reverse letter order, at its
    first line (an outline in Hebrew would otherwise get an error for every text in it)."""
    problems, backwards = [], []
    for field, node, text in texts_of(w):
        loc = [int(p) if p.isdigit() else p for p in field.split(".")]
        line = line_of(tree, *loc) if tree is not None else node.line
        message = unshowable(text, brand.body_font)
        rtl = next((c for c in text if unicodedata.bidirectional(c) in ("R", "AL")), None)
        if message is not None:
            problems.append(_error(source, line, field, message))
        elif rtl is not None:
            backwards.append((line, field, rtl))
    if backwards:
        line, field, char = min(backwards)
        more = f"; {len(backwards) - 1} more texts have it" if len(backwards) > 1 else ""
        message = (
            "expected left-to-right text: right-to-left scripts (Hebrew, Arabic and others) "
            f"are not supported yet, got {char!r} (U+{ord(char):04X}){more}"
        )
        problems.append(_error(source, line, field, message))
    return problems
