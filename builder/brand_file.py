"""Read a kit's `_brand.yml` with the brand_yml package; report its problems at file:line.

brand_yml's models nest unions (a logo is a path or a mapping), so pydantic reports an error
once per union member. We keep the member the provider evidently meant (the one with the fewest
errors), drop class names from field paths, and list the allowed keys with a "did you mean".
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from builder.errors import BrandError, Problem

# The loader's conversion cleans control characters once, as for every other file.
from builder.loader import inner_model, line_of, plain_data, read_yaml, strip_lines

_CLASS = re.compile(r"^Brand[A-Z]\w*$")
_TAGS = ("resource", "file", "google", "bunny", "system")  # union tags in pydantic locations


def read_brand_file(path: Path) -> tuple[Any, Any]:
    """Return the ruamel tree and the validated brand_yml model, or raise BrandError."""
    from brand_yml import Brand as BrandYml

    tree = read_yaml(path, BrandError)
    try:
        spec = BrandYml.model_validate(strip_lines(plain_data(tree)))
    except ValidationError as exc:
        raise BrandError(brand_problems(exc, tree, path, BrandYml)) from None
    return tree, spec


def brand_problems(
    exc: ValidationError, tree: Any, path: Path, root: type[BaseModel]
) -> list[Problem]:
    """Return one problem per error of the union member the file meant, at its line."""
    errors = _meant(exc.errors())
    return [_problem(e, tree, path, root) for e in errors]


def _meant(errors: list[Any]) -> list[Any]:
    """Drop errors of union members other than the one with the fewest errors at each place."""
    by_member: dict[tuple[Any, ...], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for err in errors:
        loc = tuple(err["loc"])
        at = next((i for i, part in enumerate(loc) if _is_class(part)), None)
        if at is not None:
            by_member[loc[:at]][str(loc[at])].append(err)
    dropped: set[int] = set()
    for members in by_member.values():
        best = min(members, key=lambda name: len(members[name]))
        dropped |= {id(e) for name, errs in members.items() if name != best for e in errs}
    return [e for e in errors if id(e) not in dropped]


def _is_class(part: Any) -> bool:
    return isinstance(part, str) and bool(_CLASS.match(part))


def _problem(err: Any, tree: Any, path: Path, root: type[BaseModel]) -> Problem:
    loc = tuple(p for p in err["loc"] if not _is_class(p) and p not in _TAGS)
    field = ".".join(str(p) for p in loc)
    line = line_of(tree, *loc)
    if err["type"] == "extra_forbidden":
        return Problem(str(path), line, _unknown_key(err["loc"], root), field)
    if err["type"] == "missing":
        return Problem(str(path), line, "expected a value, got nothing (required)", field)
    message = str(err["msg"]).removeprefix("Value error, ").removeprefix("Input should be ")
    return Problem(str(path), line, f"expected {message}, got {_shown(err.get('input'))}", field)


def _unknown_key(loc: tuple[Any, ...], root: type[BaseModel]) -> str:
    key = str(loc[-1])
    allowed = allowed_keys(loc[:-1], root)
    if not allowed:
        return f"expected no key here, got unknown key {key!r}"
    hint = difflib.get_close_matches(key, allowed, n=1)
    tail = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"expected one of {', '.join(allowed)}, got unknown key {key!r}{tail}"


def allowed_keys(loc: tuple[Any, ...], root: type[BaseModel]) -> list[str]:
    """Return the keys (as written in YAML) that the model at loc accepts."""
    import brand_yml

    current: Any = root
    for part in loc:
        if _is_class(part):
            current = getattr(brand_yml, part, None) or _find_class(part) or current
            continue
        fields = getattr(current, "model_fields", {})
        if isinstance(part, str) and part in fields:
            current = inner_model(fields[part].annotation) or current
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]


def _find_class(name: str) -> Any:
    import importlib

    for module in ("brand_yml.logo", "brand_yml.typography", "brand_yml.color", "brand_yml.meta"):
        found = getattr(importlib.import_module(module), name, None)
        if found is not None:
            return found
    return None


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return f"a mapping with keys {', '.join(str(k) for k in value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
