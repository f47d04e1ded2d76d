"""Render Jinja templates into document markup, sandboxed and strict.

Built-in templates ship in `builder/templates`; a project's `templates/` folder (or
`--templates DIR`) overrides them by name and can extend a built-in as "builtin/<name>".
Autoescape makes outline text safe by construction; `inline` is the one filter that turns
`*italic*` and `**bold**` into markup, after escaping. `apa` and `citation` write a source's
APA 7 reference and citation as the context's bibliography (`bib`) sets them, so list and
citations agree (2020a, 2020b); a source outside it is written alone in the language `lang`.
Compiled templates are kept in the user's cache folder, in a folder named after everything
the compiled code depends on (Jinja, Python, the sandbox's compiler, the options), so a
template is compiled once per version of its source, not on every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from builder import sandbox
from builder.bibliography import Bibliography
from builder.confine import escapes, outside_message
from builder.emphasis import tagged
from builder.errors import Problem, TemplateError
from builder.model import Source
from builder.sandbox import Sandbox, SizedLoader
from builder.user_cache import cache_dir


def inline(text: str | None) -> Markup:
    """Return text escaped, with ***both***, **bold** and *italic* turned into <b> and <i>."""
    if text is None:
        return Markup("")
    return Markup(tagged(str(escape(text))))


@jinja2.pass_context
def _apa(context: jinja2.runtime.Context, source: Source) -> Markup:
    """Return the APA 7 reference of source, as the template's bibliography writes it."""
    bib, key = _bibliography(context, source)
    return bib.reference(key)


@jinja2.pass_context
def _citation(context: jinja2.runtime.Context, source: Source) -> Markup:
    """Return the in-text citation of source, as the template's bibliography writes it."""
    bib, key = _bibliography(context, source)
    return bib.citation(key)


def _bibliography(context: jinja2.runtime.Context, source: Source) -> tuple[Bibliography, str]:
    """Return the context's bibliography and source's key in it, else a list of source alone."""
    bib = context.get("bib")
    key = bib.key_of(source) if isinstance(bib, Bibliography) else None
    if isinstance(bib, Bibliography) and key is not None:
        return bib, key
    language = context.get("lang", "en")
    return Bibliography({"": source}, language if isinstance(language, str) else "en"), ""


def builtin_dir() -> Path:
    """Return the folder of the built-in templates."""
    return Path(str(resources.files("builder") / "templates"))


def builtin_templates() -> list[str]:
    """Return the names of the built-in templates, which a templates folder can override."""
    return sorted(path.name for path in builtin_dir().glob("*.j2"))


def blocks_of(name: str) -> list[str]:
    """Return the names of the blocks of built-in template name, in their order."""
    source = (builtin_dir() / name).read_text(encoding="utf-8")
    tree = jinja2.Environment().parse(source)
    return [block.name for block in tree.find_all(jinja2.nodes.Block)]


class _FolderLoader(jinja2.FileSystemLoader):
    """A template folder whose files must lie inside it once links are followed, and be
    regular files of at most MAX_TEMPLATE_BYTES (checked before a byte is read)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        folder = Path(self.searchpath[0])
        file = folder.joinpath(*split_template_path(template))
        if file.exists() or file.is_symlink():
            if escapes(file, folder):
                raise TemplateError(Problem(str(file), 0, outside_message(template, "templates")))
            if not file.is_file() or file.stat().st_size > MAX_TEMPLATE_BYTES:
                message = f"expected a template file of at most {MAX_TEMPLATE_BYTES // 2**20} MB"
                raise TemplateError(Problem(str(file), 0, message))
        return super().get_source(environment, template)


MAX_TEMPLATE_BYTES = 4 * 2**20
_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def environment(override: Path | None) -> jinja2.Environment:
    """Return the sandboxed environment: overrides first, then built-ins."""
    builtin = jinja2.FileSystemLoader(str(builtin_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if override is not None and override.is_dir():
        loaders.append(_FolderLoader(str(override)))
    loaders += [jinja2.PrefixLoader({"builtin": builtin}), builtin]
    return Sandbox(
        {"inline": inline, "apa": _apa, "citation": _citation},
        loader=SizedLoader(jinja2.ChoiceLoader(loaders)),
        bytecode_cache=_compiled_cache(),
        **_OPTIONS,
    )


class _CompiledCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which a cache folder that cannot be read or
    written only turns off (the template is then compiled again)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_cache() -> jinja2.BytecodeCache | None:
    """Return the cache of compiled templates in the user's cache folder, None if unusable."""
    return _cache_in(str(cache_dir("templates")))


@cache
def _cache_in(base: str) -> jinja2.BytecodeCache | None:
    """Return the cache of compiled templates under base, None if it cannot be made.

    Jinja checks each entry against the template's name, file and source; the folder's name
    covers what the compiled code also depends on: the code that compiles and runs it.
    """
    folder = Path(base) / _fingerprint()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _CompiledCache(str(folder))


@cache
def _fingerprint() -> str:
    """Return a digest of Jinja's and Python's versions, the sandbox and this module, whose
    compiler and options make the code of a compiled template."""
    digest = hashlib.sha256(f"{jinja2.__version__}|{sys.version}|{_OPTIONS}".encode())
    for module in (sandbox.__file__, __file__):
        digest.update(Path(str(module)).read_bytes())
    return digest.hexdigest()[:16]


# A template's own mistakes; anything else raised while rendering is a bug of ours.
_MISTAKES = (
    jinja2.TemplateError,  # syntax, undefined names, sandbox and limits, a missing template
    RecursionError,  # a template that extends or includes itself, a macro without end
    SyntaxError,  # Python's compiler refusing a template's code: nested too deeply
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
)


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Return the rendered template name, or raise TemplateError at the template's line."""
    try:
        return env.get_template(name).render(context)
    except _MISTAKES as exc:
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = _shown(exc.filename or exc.name or name)
            problem = Problem(where, exc.lineno, f"template syntax: {exc.message}")
        else:
            file, line = _template_frame(_file_of(env, name))
            problem = Problem(file, line, _message(exc, line))
        raise TemplateError(problem) from None


def _message(exc: BaseException, line: int) -> str:
    """Return what went wrong, in the template author's words."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"expected a template named {exc.name!r}"
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {exc}"
    if isinstance(exc, RecursionError | SyntaxError) and not line:
        return "template syntax: nested too deeply to compile"
    if isinstance(exc, RecursionError):
        return (
            "not allowed in a template: recursion too deep (a template that extends or "
            "includes itself, or a macro that calls itself without end?)"
        )
    if isinstance(exc, KeyError) and exc.args:
        return f"template error: no key {exc.args[0]!r}"
    if isinstance(exc, OverflowError):
        return "template error: number too large"
    return f"template error: {exc or type(exc).__name__}"


def _file_of(env: jinja2.Environment, name: str) -> str:
    """Return the file the template name comes from, else name itself."""
    try:
        filename = env.loader.get_source(env, name)[1] if env.loader else None
    except jinja2.TemplateError:
        filename = None
    return filename or name


def _template_frame(default: str) -> tuple[str, int]:
    """Return the file and line of the innermost template frame of the current exception.

    Jinja rewrites a render's traceback so template code shows as frames of the template's
    own file and line; those frames carry `__jinja_exception__` in their globals.
    """
    tb = sys.exc_info()[2]
    found = (_shown(default), 0)
    while tb is not None:
        frame = tb.tb_frame
        if "__jinja_exception__" in frame.f_globals:
            found = (_shown(frame.f_code.co_filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _shown(filename: str) -> str:
    """Return filename relative to the working folder when it lies inside it."""
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return filename
