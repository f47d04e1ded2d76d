"""Read a kit's `_brand.yml` with the brand_yml package; report its problems at file:line.

brand_yml's models nest unions (a logo is a path or a mapping), so pydantic reports an error
once per union member. We keep the member the provider evidently meant (the one with the fewest
errors), drop class names from field paths, and list the allowed keys with a "did you mean".
What the builder uses of a valid file is kept as a BrandSpec, cached in the user's cache by
the file's bytes: brand_yml (and htmltools, http.server and ssl with it) is imported only to
validate a file not seen before, about a tenth of a build's imports.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from builder.errors import BrandError, Problem

# The loader's conversion cleans control characters once, as for every other file.
from builder.loader import inner_model, line_of, plain_data, read_yaml, strip_lines
from builder.user_cache import cache_dir, write_atomically

_CLASS = re.compile(r"^(Brand|FileLocation)[A-Z]\w*$")  # union members in pydantic locations
_TAGS = ("resource", "file", "google", "bunny", "system")  # union tags in pydantic locations


@dataclass(frozen=True)
class FontFile:
    """One file of a `source: file` family: path in the kit, weight if a number, style."""

    path: str
    weight: int | None
    style: str


@dataclass(frozen=True)
class FontEntry:
    """One family of typography.fonts: its name, source and (for source: file) files."""

    family: str
    source: str
    files: tuple[FontFile, ...] = ()


@dataclass(frozen=True)
class Role:
    """typography.base, headings or monospace: a family name and a weight if a number."""

    family: str | None
    weight: int | None


@dataclass(frozen=True)
class BrandSpec:
    """What the builder uses of a valid `_brand.yml`, as brand_yml reads it."""

    name: str | None  # meta.name.full
    colors: dict[str, str | None]  # primary, secondary, tertiary, foreground, background, light
    palette: tuple[str, ...]
    logos: dict[str, tuple[str, str] | None]  # light or dark ground -> path in the kit, alt
    roles: dict[str, Role]  # the roles the file names
    fonts: tuple[FontEntry, ...]


_COLORS = ("primary", "secondary", "tertiary", "foreground", "background", "light")
_ROLES = ("base", "headings", "monospace")


def read_brand_file(path: Path) -> tuple[Any, BrandSpec]:
    """Return the ruamel tree and what the builder uses of the file, or raise BrandError."""
    tree = read_yaml(path, BrandError)
    cache = _cache_file(path)
    cached = _cached_spec(cache)
    if cached is not None:
        return tree, cached
    from brand_yml import Brand as BrandYml
    from brand_yml._defs import CircularReferenceError

    try:
        spec = spec_of(BrandYml.model_validate(strip_lines(plain_data(tree))))
    except ValidationError as exc:
        raise BrandError(brand_problems(exc, tree, path, BrandYml)) from None
    except CircularReferenceError as exc:  # palette names that lead back to themselves
        raise BrandError(_circular(exc, tree, path)) from None
    _keep(cache, spec)
    return tree, spec


def _circular(exc: Any, tree: Any, path: Path) -> Problem:
    """Return a loop of colour names (a: b, b: a) as a problem at its first name's line."""
    names = [str(p) for p in exc.path]
    palette = (tree.get("color") or {}).get("palette") if isinstance(tree, dict) else None
    where = ["color", "palette", *names[:1]] if isinstance(palette, dict) else ["color", *names[:1]]
    loop = " -> ".join(str(name) for name in exc.seen)
    message = f"expected colour names that end in a colour, got a loop: {loop}"
    return Problem(str(path), line_of(tree, *where), message, ".".join(where))


def spec_of(model: Any) -> BrandSpec:
    """Return what the builder uses of a validated brand_yml Brand."""
    meta_name = getattr(getattr(model, "meta", None), "name", None)
    color, typography = model.color, getattr(model, "typography", None)
    return BrandSpec(
        name=_text(getattr(meta_name, "full", None)),
        colors={name: _text(getattr(color, name, None) if color else None) for name in _COLORS},
        palette=tuple(sorted(getattr(color, "palette", None) or {}) if color else ()),
        logos={mode: _logo(model.logo, mode) for mode in ("light", "dark")},
        roles={role: _role(getattr(typography, role, None)) for role in _ROLES},
        fonts=tuple(_font(f) for f in (getattr(typography, "fonts", None) or [])),
    )


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _logo(logo: Any, mode: str) -> tuple[str, str] | None:
    """Return the logo (medium, else small, else large) for a light or dark ground, and alt."""
    if logo is None or isinstance(logo, str):
        return (logo, "") if isinstance(logo, str) else None
    if not hasattr(logo, "medium"):  # a single resource: {path, alt}
        return str(logo.path.root), logo.alt or ""
    choice = logo.medium or logo.small or logo.large
    resource = getattr(choice, mode, None) or getattr(choice, "light", None) or choice
    if resource is None:
        return None
    return str(resource.path.root), resource.alt or ""


def _role(value: Any) -> Role:
    weight = getattr(value, "weight", None)
    weight = weight if isinstance(weight, int) and not isinstance(weight, bool) else None
    return Role(_text(getattr(value, "family", None)), weight)


def _font(entry: Any) -> FontEntry:
    files = tuple(
        FontFile(str(item.path.root), _number(item.weight.root), str(item.style))
        for item in (getattr(entry, "files", None) or [])
    )
    return FontEntry(str(entry.family), str(getattr(entry, "source", "system")), files)


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# ---- the cache of specs: one JSON file per _brand.yml content and brand_yml version ----------


def _cache_file(path: Path) -> Path | None:
    """Return where the spec of the file at path is cached, None if it cannot be told."""
    found = find_spec("brand_yml")
    try:
        source = path.read_bytes()
        library = Path(str(found.origin if found else "")).stat()
    except OSError:
        return None
    digest = hashlib.sha256(source)
    digest.update(f"{library.st_mtime_ns}|{library.st_size}".encode())
    digest.update(Path(__file__).read_bytes())  # this module's reading of the model
    return cache_dir("brands") / f"{digest.hexdigest()[:32]}.json"


def _cached_spec(cache: Path | None) -> BrandSpec | None:
    """Return the spec kept in cache, None if there is none or it cannot be read."""
    if cache is None:
        return None
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        data = json.loads(cache.read_text(encoding="utf-8"))
        return _from_json(data)
    return None


def _from_json(data: dict[str, Any]) -> BrandSpec:
    logos = {mode: (v[0], v[1]) if v else None for mode, v in data["logos"].items()}
    roles = {role: Role(**value) for role, value in data["roles"].items()}
    fonts = tuple(
        FontEntry(f["family"], f["source"], tuple(FontFile(**x) for x in f["files"]))
        for f in data["fonts"]
    )
    fields = {"palette": tuple(data["palette"]), "logos": logos, "roles": roles, "fonts": fonts}
    return BrandSpec(**(data | fields))


def _keep(cache: Path | None, spec: BrandSpec) -> None:
    """Write spec to cache atomically; a cache that cannot be written is left out."""
    if cache is not None:
        write_atomically(cache, json.dumps(dataclasses.asdict(spec)).encode())


def brand_problems(
    exc: ValidationError, tree: Any, path: Path, root: type[BaseModel]
) -> list[Problem]:
    """Return one problem per error of the union member the file meant, at its line."""
    errors = _meant(exc.errors())
    return [_problem(e, tree, path, root) for e in errors]


def _meant(errors: list[Any]) -> list[Any]:
    """Drop errors of union members other than the one the file meant at each place, from
    the outermost union in (a logo's mapping, then its path's file or URL)."""
    kept, level = list(errors), 0
    while True:
        by_member: dict[tuple[Any, ...], dict[str, list[Any]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for err in kept:
            loc = tuple(err["loc"])
            places = [i for i, part in enumerate(loc) if _is_class(part)]
            if len(places) > level:
                by_member[loc[: places[level]]][str(loc[places[level]])].append(err)
        if not by_member:
            return kept
        dropped: set[int] = set()
        for members in by_member.values():
            best = min(members, key=lambda name: _mismatch(members[name]))
            dropped |= {id(e) for name, errs in members.items() if name != best for e in errs}
        kept, level = [e for e in kept if id(e) not in dropped], level + 1


def _mismatch(errors: list[Any]) -> tuple[int, int, int]:
    """Return how far a union member is from what the file wrote: keys it lacks or does not
    know first (the shape is another member's), then errors short of its own validators (a
    value error means the input got that far), then the number of errors."""
    shape = sum(e["type"] in ("missing", "extra_forbidden") for e in errors)
    early = sum(e["type"] != "value_error" for e in errors)
    return shape, early, len(errors)


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
    if "FileLocationLocal" in err["loc"]:  # brand_yml's words for a path it cannot take
        message = "a file's path relative to _brand.yml, inside the kit, with its extension"
    else:
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
