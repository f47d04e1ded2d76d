"""Load YAML files into validated models, reporting every problem as file:line.

YAML 1.2 via ruamel.yaml (duplicate keys are errors, `no` stays a string), read within the
bounds of builder.yaml_bounds. Each mapping gets an "@line" key so models know their line;
pydantic's error locations are mapped back to lines through the same tree. Strings are cleaned
once here: control characters become spaces.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from builder.errors import OutlineError, Problem, WorkshopError
from builder.yaml_bounds import MAX_DEPTH, YamlProblem, load, read_text

M = TypeVar("M", bound=BaseModel)

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def load_model(path: Path, model: type[M], error: type[WorkshopError] = OutlineError) -> M:
    """Return the model read from the YAML file at path, or raise error with every problem."""
    tree = read_yaml(path, error)
    return validate(tree, path, model, error, lines=True)


def validate(
    tree: Any, path: Path, model: type[M], error: type[WorkshopError], lines: bool = True
) -> M:
    """Return tree validated as model; lines=False leaves out "@line" (for foreign models)."""
    with _guarded(path, error):
        data = plain_data(tree) if lines else strip_lines(plain_data(tree))
        try:
            # the outline's path lets `sources: refs.bib` read a file beside it (builder.bibfile)
            return model.model_validate(data, context={"outline": path})
        except ValidationError as exc:
            raise error([_problem(path, tree, e, model) for e in exc.errors()]) from None


def read_yaml(path: Path, error: type[WorkshopError] = OutlineError) -> Any:
    """Return the ruamel tree of the YAML file at path, or raise error.

    A file read again with the same text (the outline by the loader and by the checks, a kit
    by every job) is parsed once: the tree is only ever read, never changed.
    """
    try:
        text = read_text(path)
    except OSError as exc:
        raise error(Problem(str(path), 1, f"expected a readable file, got {exc}")) from None
    except YamlProblem as exc:
        raise error(Problem(str(path), exc.line, exc.message)) from None
    key = (str(path), text)
    if key not in _PARSED:
        _PARSED[key] = parse_yaml(text, path, error)
        while len(_PARSED) > _PARSED_KEPT:
            del _PARSED[next(iter(_PARSED))]  # the oldest first
    return _PARSED[key]


_PARSED: dict[tuple[str, str], Any] = {}
_PARSED_KEPT = 16


def forget_parsed() -> None:
    """Drop the trees read_yaml keeps, once nothing will look a line up in them again (a
    16-times outline's tree held megabytes through the whole build)."""
    _PARSED.clear()


@contextmanager
def _guarded(path: Path, error: type[WorkshopError]) -> Iterator[None]:
    """Turn running out of stack or memory while reading path into error at the file."""
    try:
        yield
    except RecursionError:
        message = f"expected at most {MAX_DEPTH} levels of nesting, got too many to read"
        raise error(Problem(str(path), 1, message)) from None
    except MemoryError:
        message = "expected a file that fits in memory, got one that does not"
        raise error(Problem(str(path), 1, message)) from None


def strip_lines(value: Any) -> Any:
    """Return plain data without the loader's "@line" keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "@line"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def line_of(tree: Any, *loc: int | str) -> int:
    """Return the line of the node at loc in a tree from read_yaml (its parent's if absent)."""
    return _line_of(tree, loc)


def parse_yaml(text: str, path: Path, error: type[WorkshopError] = OutlineError) -> Any:
    """Return the ruamel tree of text (line numbers kept), or raise error at the bad line."""
    with _guarded(path, error):
        try:
            tree = load(text)
        except YamlProblem as exc:
            raise error(Problem(str(path), exc.line, exc.message)) from None
        except YAMLError as exc:
            raise error(_yaml_problem(exc, text, path)) from None
    if not isinstance(tree, CommentedMap):
        raise error(Problem(str(path), 1, f"expected a mapping at the top, got {_kind(tree)}"))
    return tree


def _yaml_problem(exc: YAMLError, text: str, path: Path) -> Problem:
    """Return ruamel's complaint at its line (a forbidden character at its column too)."""
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(str(p) for p in (exc.problem, exc.context) if p)
        if "mapping values are not allowed" in what:  # "title: Le deuil : un parcours"
            what += " (a text holding ': ' must be in quotes: \"...\")"
        return Problem(str(path), mark.line + 1 if mark else 1, f"invalid YAML: {what}")
    if isinstance(exc, ReaderError):
        before = text[: max(exc.position, 0)]
        column = len(before) - before.rfind("\n")
        what = (
            f"character U+{exc.character:04X} is not allowed in YAML (column {column})"
            if isinstance(exc.character, int)
            else str(exc.reason)
        )
        return Problem(str(path), before.count("\n") + 1, f"invalid YAML: {what}")
    return Problem(str(path), 1, f"invalid YAML: {exc}")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, CommentedMap):
        return "a mapping"
    if isinstance(value, CommentedSeq):
        return "a list"
    shown = repr(value)  # a whole file read as one string must not be printed whole
    return f"{type(value).__name__} {shown if len(shown) <= 60 else shown[:59] + '…'}"


def plain_data(node: Any) -> Any:
    """Return plain dicts, lists and cleaned strings; mappings get their "@line"."""
    if isinstance(node, CommentedMap):
        out = {str(k): plain_data(v) for k, v in node.items()}
        out["@line"] = node.lc.line + 1
        return out
    if isinstance(node, CommentedSeq):
        return [plain_data(v) for v in node]
    if isinstance(node, str):
        return clean_text(node)
    return node


def clean_text(text: str) -> str:
    """Return text with control characters (and lone surrogates) turned into spaces."""
    return _CONTROL.sub(" ", str(text))


def _line_of(tree: Any, loc: tuple[int | str, ...]) -> int:
    """Return the line of the deepest node of loc that exists in the tree."""
    node: Any = tree
    line: int = tree.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedMap | CommentedSeq):
            # a union's tag (e.g. 'point') or a missing key: stay on the parent's line
            continue
        else:
            break
    return line


def _field_names(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Return the keys allowed where loc points (a block's own keys too), for hints."""
    annotation: Any = model
    for part in loc[:-1]:
        annotation = _below(annotation, part)
    return list(getattr(inner_model(annotation), "model_fields", {}))


def _below(annotation: Any, part: int | str) -> Any:
    """Return the annotation one step of a pydantic location below annotation (None if lost)."""
    annotation = _unwrapped(annotation)
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return get_args(annotation)[0]
    if origin is dict:
        return get_args(annotation)[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    return _tagged_members(annotation).get(str(part))


def _unwrapped(annotation: Any) -> Any:
    """Return annotation without Annotated[...] and without `| None`."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
            continue
        if get_origin(annotation) in (Union, types.UnionType):
            others = [a for a in get_args(annotation) if a is not type(None)]
            if len(others) == 1:
                annotation = others[0]
                continue
        return annotation


def inner_model(annotation: Any) -> Any:
    """Return the pydantic model inside an annotation (list[X], X | None, Annotated), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def _tagged_members(union: Any) -> dict[str, Any]:
    """Return the members of a tagged union by tag (pydantic puts the tag in error locations)."""
    members: dict[str, Any] = {}
    for arg in get_args(union):
        if get_origin(arg) is Annotated:
            member, *meta = get_args(arg)
            members |= {m.tag: member for m in meta if isinstance(m, Tag)}
    return members


def _problem(path: Path, tree: Any, err: Any, model: type[BaseModel]) -> Problem:
    loc = tuple(p for p in err["loc"])
    shown = _without_tags(model, loc)
    field = ".".join(str(p) for p in shown)
    return Problem(str(path), _line_of(tree, shown), _message(err, loc, model), field)


def _without_tags(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Return loc without what pydantic adds: a block's tag ('point', also a key of the block,
    so it cannot be told by name) and validator steps."""
    annotation: Any = model
    kept: list[int | str] = []
    for part in loc:
        if isinstance(part, str) and part.startswith("function-"):
            continue
        if str(part) not in _tagged_members(_unwrapped(annotation)):
            kept.append(part)
        annotation = _below(annotation, part)
    return tuple(kept)


def _message(err: Any, loc: tuple[int | str, ...], model: type[BaseModel]) -> str:
    kind, got = err["type"], err.get("input")
    if kind == "extra_forbidden":
        allowed = [f for f in _field_names(model, loc) if f != "line"]
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        tail = f" (did you mean {hint[0]!r}?)" if hint else ""
        if got is None and " " in str(loc[-1]):  # {text: a, b}: the comma made 'b' a key
            tail = " (a ',' inside {...} starts a new key: put the text in quotes)"
        return f"expected one of {', '.join(allowed)}, got unknown key {loc[-1]!r}{tail}"
    if kind == "missing":
        return "expected a value, got nothing (this field is required)"
    if kind == "union_tag_not_found" or kind == "union_tag_invalid":
        from builder.model import BLOCK_KINDS

        return f"expected a block with one of the keys {', '.join(BLOCK_KINDS)}, got {_show(got)}"
    return f"expected {_expected(err)}, got {_show(got)}"


def _expected(err: Any) -> str:
    msg: str = err["msg"]
    for prefix in ("Input should be ", "Value error, ", "String should "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    if err["type"] == "string_pattern_mismatch":
        return f"text matching {err['ctx']['pattern']}"
    if err["type"] == "string_too_short":
        return "non-empty text"
    if err["type"] == "string_too_long":
        return f"text of at most {err['ctx']['max_length']} characters"
    if err["type"] == "too_short":
        return f"a list of at least {err['ctx']['min_length']} item(s)"
    if err["type"] == "too_long":
        return f"a list of at most {err['ctx']['max_length']} items"
    return msg


def _show(value: Any) -> str:
    if isinstance(value, dict):
        keys = [k for k in value if k != "@line"]
        return f"a mapping with keys {', '.join(keys)}" if keys else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 60:
        return f"{len(value)} characters ({value[:40]!r}...)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
