"""Render Jinja templates into document markup, sandboxed and strict.

Built-in templates ship in `builder/templates`; a project's `templates/` folder (or
`--templates DIR`) overrides them by name and can extend a built-in as "builtin/<name>".
Autoescape makes outline text safe by construction; `inline` is the one filter that turns
`*italic*` and `**bold**` into markup, after escaping. `apa` and `citation` write a source's
APA 7 reference and citation as the context's bibliography (`bib`) sets them, so list and
citations agree (2020a, 2020b); a source outside it is written alone in the language `lang`.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from builder.bibliography import Bibliography
from builder.errors import Problem, TemplateError
from builder.model import Source

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_MAX_TEXT = 2_000_000


def inline(text: str | None) -> Markup:
    """Return text escaped, with **bold** and *italic* turned into <b> and <i>."""
    if text is None:
        return Markup("")
    escaped = str(escape(text))
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return Markup(_ITALIC.sub(r"<i>\1</i>", escaped))


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


class _Sandbox(SandboxedEnvironment):
    """The sandbox, bounded: no huge strings or powers from a provider's template."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("exponent too large")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(n, int)
                if sized and len(seq) * n > _MAX_TEXT:
                    raise SecurityError("result too large")
        return super().call_binop(context, operator, left, right)


def _finalize(value: Any) -> Any:
    return "" if value is None else value


def environment(override: Path | None) -> jinja2.Environment:
    """Return the sandboxed environment: overrides first, then built-ins."""
    builtin = jinja2.FileSystemLoader(str(builtin_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if override is not None and override.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders += [jinja2.PrefixLoader({"builtin": builtin}), builtin]
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(inline=inline, apa=_apa, citation=_citation)
    return env


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Return the rendered template name, or raise TemplateError at the template's line."""
    try:
        template = env.get_template(name)
        text = template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise TemplateError(Problem(where, exc.lineno, f"template syntax: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(Problem(name, 0, f"expected a template named {exc.name!r}")) from None
    except SecurityError as exc:
        file, line = _template_frame(name)
        raise TemplateError(Problem(file, line, f"not allowed in a template: {exc}")) from None
    except (jinja2.UndefinedError, TypeError, ValueError, AttributeError) as exc:
        file, line = _template_frame(name)
        raise TemplateError(Problem(file, line, f"template error: {exc}")) from None
    if len(text) > _MAX_TEXT * 5:
        raise TemplateError(Problem(name, 0, "expected markup under 10 MB, got more"))
    return text


def _template_frame(default: str) -> tuple[str, int]:
    """Return the file and line of the innermost template frame of the current exception."""
    tb = sys.exc_info()[2]
    found = (default, 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
