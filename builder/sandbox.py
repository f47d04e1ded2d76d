"""The sandbox templates render in: Jinja's immutable sandbox, bounded in time, size and reach.

A provider's override template is not trusted. Every loop pass, call, filter and attribute
checks a deadline; everything a template writes counts toward an output budget; operators,
filters, `~` and str methods that could build a huge value are checked before they run; paths
and pydantic's own API stay out of reach. Part of the templating stage: `templating` builds
its environment from `Sandbox`, and the two are the only modules that import Jinja.
"""

from __future__ import annotations

import difflib
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePath
from string import Formatter
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter, sync_do_join, sync_do_sum
from jinja2.runtime import Context, Macro
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from jinja2.utils import Namespace, _PassArg, generate_lorem_ipsum
from markupsafe import Markup
from pydantic import BaseModel

from builder.i18n import Words

SECONDS = 10.0  # one template's rendering, includes and parents together
MAX_TEXT = 2_000_000  # characters (or items) in one value a template makes
MAX_OUTPUT = 10_000_000  # characters a template writes, counted as written (macros again)
MAX_SOURCE = 1_000_000  # characters in one template file
MAX_RANGE = 100_000  # numbers in one range()
MAX_BITS = 14_000  # bits in one integer: about 4,200 digits, so Python can still print it
MAX_WIDTH = 10_000  # a width or precision in a format string
_PATH_PARTS = frozenset(
    {"name", "stem", "suffix", "suffixes"}
)  # what a template may read of a path
_SIZED = (str, bytes, list, tuple)


class LimitError(SecurityError):
    """A template went over one of the sandbox's limits."""


@dataclass
class _Budget:
    deadline: float
    written: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def tick() -> None:
    """Raise LimitError once the template being rendered is past its deadline."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise LimitError(
            f"rendering took over {SECONDS:g} s: a loop or a recursion that does not end?"
        )


def written(count: int) -> None:
    """Count characters the template writes; raise LimitError past the output budget."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.written += count
        if budget.written > MAX_OUTPUT:
            raise LimitError(f"output: expected at most {MAX_OUTPUT:,} characters, got more")


def _at_most(what: str, got: int, limit: int = MAX_TEXT) -> None:
    if got > limit:
        raise LimitError(f"{what}: expected at most {limit:,}, got {got:,}")


_END = object()


def size(value: Any, limit: int = MAX_TEXT) -> int:
    """Return about how many characters str(value) has, counting no further than past limit."""
    total, reprs = 0, dict[int, int]()
    pending: list[Iterator[Any]] = [iter((value,))]
    while pending and total <= limit:
        item = next(pending[-1], _END)
        if item is _END:
            pending.pop()
            continue
        total += 2  # the ", " or brackets around it
        children = _children(item)
        if children is not None:
            pending.append(children)
        elif isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        else:
            if id(item) not in reprs:
                reprs[id(item)] = len(repr(item))
            total += reprs[id(item)]
    return total


def _children(item: Any) -> Iterator[Any] | None:
    """Return what a container shows of itself when printed, or None for a leaf."""
    if isinstance(item, Namespace):
        item = dict(item._Namespace__attrs)
    if isinstance(item, Mapping):
        return (part for pair in item.items() for part in pair)
    if isinstance(item, list | tuple | set | frozenset):
        return iter(item)
    return None


def _checked(result: Any) -> Any:
    """Return result, unless it is a string or list over MAX_TEXT."""
    if isinstance(result, _SIZED):
        _at_most("result", len(result))
    return result


# ---- the compiled template: a tick in every block, a count for everything written ---------


class _Compiler(CodeGenerator):
    """Jinja's code generator, with the sandbox's checks woven into the template's code."""

    def blockvisit(self, body: Iterable[nodes.Node], frame: Frame) -> None:
        # every loop pass, macro call, block and branch taken checks the deadline
        self.writeline("environment.tick()")
        super().blockvisit(body, frame)

    def visit_Output(self, node: nodes.Output, frame: Frame) -> None:
        fixed = sum(len(n.data) for n in node.nodes if isinstance(n, nodes.TemplateData))
        if fixed:
            self.writeline(f"environment.written({fixed})")
        super().visit_Output(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        self.write(f"environment.joined({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedTemplate(jinja2.Template):
    """A template whose render() runs under a deadline and an output budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Return the rendered text, or raise LimitError past a limit."""
        if _BUDGET.get() is not None:
            return super().render(*args, **kwargs)
        token = _BUDGET.set(_Budget(time.monotonic() + SECONDS))
        try:
            return super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)


class SizedLoader(jinja2.BaseLoader):
    """A loader that refuses template files over MAX_SOURCE characters."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        """Return the source of template, as the wrapped loader finds it."""
        source, filename, uptodate = self.inner.get_source(environment, template)
        if len(source) > MAX_SOURCE:
            message = f"expected at most {MAX_SOURCE:,} characters, got {len(source):,}"
            raise jinja2.TemplateSyntaxError(message, 1, template, filename)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        """Return the names the wrapped loader knows."""
        return self.inner.list_templates()


@jinja2.pass_eval_context
def _finalize(eval_ctx: jinja2.nodes.EvalContext, value: Any) -> Any:
    """Return what `{{ value }}` writes, counted; a None writes nothing."""
    if value is None:
        return ""
    if not isinstance(value, str) and not hasattr(value, "__html__"):
        _at_most("value written", size(value))
        value = str(value)
    written(len(value) if isinstance(value, str) else 0)
    return value


# ---- the environment ------------------------------------------------------------------------


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every limit above; filters and globals bounded too."""

    code_generator_class = _Compiler
    template_class = BoundedTemplate
    intercepted_binops = frozenset(["+", "*", "**", "%"])

    def __init__(self, filters: Mapping[str, Callable[..., Any]], **options: Any) -> None:
        super().__init__(finalize=_finalize, **options)
        self.globals.update(range=_range, lipsum=_lipsum)
        self.filters.update(join=_join, sum=_sum, **filters)
        for name, func in list(self.filters.items()):
            self.filters[name] = _bounded(func, _FILTER_CHECKS.get(name))

    tick = staticmethod(tick)
    written = staticmethod(written)

    def joined(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """Return the parts of a `~` joined, unless the result would be over MAX_TEXT."""
        _at_most("'~' result: characters", sum(size(p) for p in parts))
        return join(parts)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Apply an operator that could make a huge value, after checking its result's size."""
        tick()
        _BINOP_CHECKS[operator](left, right)
        return _checked(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return obj.attribute as the sandbox allows it."""
        tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Return obj[argument] as the sandbox allows it."""
        tick()
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Return whether a template may read obj.attr: not a path's methods nor pydantic's API."""
        return super().is_safe_attribute(obj, attr, value) and _reachable(obj, attr)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call obj for a template: t() checks its key, str methods their result's size."""
        tick()
        if isinstance(obj, Words):
            return _say(obj, args, kwargs)
        args = _checked_call(obj, args, kwargs)
        return _checked(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return str.format for a template: widths and the result bounded."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        f_self: str = value.__self__
        formatter = (
            _EscapeFormatter(self, escape=f_self.escape)
            if isinstance(f_self, Markup)
            else _Formatter(self)
        )
        return functools.partial(_format, value.__name__, f_self, formatter)


def _format(
    method: str, f_self: str, formatter: _Formatter | _EscapeFormatter, *args: Any, **kwargs: Any
) -> str:
    """Return f_self.format(*args, **kwargs) (or format_map) as the sandbox allows it."""
    formatter.count = 0
    if method == "format_map":
        if kwargs or len(args) != 1:
            raise TypeError("format_map() takes exactly one mapping")
        mapping = args[0]
        args, kwargs = (), mapping
    return type(f_self)(formatter.vformat(f_self, args, kwargs))


class _Bounded(Formatter):
    """A formatter that keeps widths small and counts what it writes."""

    count = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        tick()
        for number in re.findall(r"\d+", format_spec):
            _at_most("width or precision in a format", int(number), MAX_WIDTH)
        _at_most("value formatted", size(value))
        text = super().format_field(value, format_spec)
        self.count += len(text)
        _at_most("format() result: characters", self.count)
        return text


class _Formatter(_Bounded, SandboxedFormatter):
    pass


class _EscapeFormatter(_Bounded, SandboxedEscapeFormatter):
    pass


# ---- what each operator, filter and str method may make -------------------------------------


def _check_add(left: Any, right: Any) -> None:
    if isinstance(left, _SIZED) and isinstance(right, _SIZED):
        _at_most("'+' result: length", len(left) + len(right))


def _check_mul(left: Any, right: Any) -> None:
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, _SIZED) and isinstance(n, int):
            _at_most("'*' result: length", len(seq) * n)
    if isinstance(left, int) and isinstance(right, int):
        _at_most("'*' result: bits", left.bit_length() + right.bit_length(), MAX_BITS)


def _check_pow(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        _at_most("'**' result: bits", left.bit_length() * right, MAX_BITS)


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d*)(?:\.(\*|\d*))?")


def _check_percent(fmt: Any, values: Any) -> None:
    """Check `fmt % values`: small widths, and about as much text as the values hold."""
    if not isinstance(fmt, str):
        return
    specs = _PERCENT.findall(fmt)
    for number in (n for spec in specs for n in spec if n):
        if number == "*":
            raise LimitError("'%' format: a '*' width is not allowed in a template")
        _at_most("width or precision in a format", int(number), MAX_WIDTH)
    parts = values.values() if isinstance(values, Mapping) else values
    largest = max(
        (size(v) for v in (parts if isinstance(parts, tuple | list) else [parts])), default=0
    )
    _at_most("'%' result: characters", len(fmt) + len(specs) * (largest + MAX_WIDTH))


_BINOP_CHECKS: dict[str, Callable[[Any, Any], None]] = {
    "+": _check_add,
    "*": _check_mul,
    "**": _check_pow,
    "%": _check_percent,
}


def _range(*args: int) -> range:
    """Return range(*args), unless it has more than MAX_RANGE numbers."""
    numbers = range(*args)
    _at_most("range(): numbers", len(numbers), MAX_RANGE)
    return numbers


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    """Return Jinja's lorem ipsum, at most 100 paragraphs of 1,000 words."""
    _at_most("lipsum(): paragraphs", n, 100)
    _at_most("lipsum(): words", max, 1000)
    return generate_lorem_ipsum(n, html, min, max)


@jinja2.pass_eval_context
def _join(
    eval_ctx: jinja2.nodes.EvalContext, value: Iterable[Any], d: str = "", attribute: Any = None
) -> str:
    """Jinja's join, unless the joined text would be over MAX_TEXT."""
    items = list(value)
    if attribute is not None:
        items = list(map(make_attrgetter(eval_ctx.environment, attribute), items))
    _at_most("join() result: characters", sum(size(i) for i in items) + len(items) * size(d))
    return sync_do_join(eval_ctx, items, d)


@jinja2.pass_environment
def _sum(environment: jinja2.Environment, iterable: Iterable[Any], attribute: Any = None,
         start: Any = 0) -> Any:  # fmt: skip
    """Jinja's sum; lists and tuples are joined in one pass, up to MAX_TEXT items."""
    if not isinstance(start, list | tuple):
        return sync_do_sum(environment, iterable, attribute, start)
    items = list(iterable)
    if attribute is not None:
        items = list(map(make_attrgetter(environment, attribute), items))
    joined = list(start)
    for item in items:
        tick()
        joined.extend(item)
        _at_most("sum() result: items", len(joined))
    return type(start)(joined)


def _check_width(value: Any, width: int = 80) -> None:
    _at_most("center() width", width)


def _check_indent(s: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    _at_most("indent() text: characters", size(s))
    step = len(width) if isinstance(width, str) else int(width)
    _at_most("indent() result: characters", len(str(s)) + (str(s).count("\n") + 1) * step)


def _check_wordwrap(s: Any, width: int = 79, *_: Any, wrapstring: str | None = None,
                    **__: Any) -> None:  # fmt: skip
    _at_most("wordwrap() text: characters", size(s))
    lines = len(str(s)) // max(int(width), 1) + str(s).count("\n") + 1
    _at_most("wordwrap() result: characters", len(str(s)) + lines * len(wrapstring or "\n"))


def _check_replace(s: Any, old: Any, new: Any, count: int | None = None) -> None:
    _at_most("replace() text: characters", size(s))
    found = str(s).count(str(old))
    found = min(found, count) if count is not None and count >= 0 else found
    _at_most("replace() result: characters", size(s) + found * len(str(new)))


def _check_batch(value: Any, linecount: int, fill_with: Any = None) -> None:
    _at_most("batch() size", linecount)


def _check_slice(value: Any, slices: int, fill_with: Any = None) -> None:
    _at_most("slice() count", slices, MAX_RANGE)


def _check_tojson(value: Any, indent: Any = None) -> None:
    _at_most("tojson() value: characters", size(value))
    if indent is not None:
        _at_most("tojson() indent", len(indent) if isinstance(indent, str) else indent, 16)


def _check_urlize(value: Any, trim_url_limit: Any = None, nofollow: bool = False,
                  target: Any = None, rel: Any = None, extra_schemes: Any = None) -> None:  # fmt: skip
    _at_most("urlize() text: characters", size(value))
    _at_most("urlize() target and rel: characters", size(target or "") + size(rel or ""), 1000)
    _at_most("urlize() extra_schemes", len(extra_schemes or ()), 100)


def _check_value(name: str) -> Callable[..., None]:
    def check(value: Any, *_: Any, **__: Any) -> None:
        _at_most(f"{name}() value: characters", size(value))

    return check


def _check_format(value: Any, *args: Any, **kwargs: Any) -> None:
    _check_percent(value, kwargs or args)


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": _check_width,
    "indent": _check_indent,
    "wordwrap": _check_wordwrap,
    "replace": _check_replace,
    "batch": _check_batch,
    "slice": _check_slice,
    "tojson": _check_tojson,
    "urlize": _check_urlize,
    "format": _check_format,
    **{
        name: _check_value(name)
        for name in ("e", "escape", "forceescape", "string", "pprint", "xmlattr", "inline")
        + ("striptags", "truncate", "title", "wordcount", "urlencode", "upper", "lower")
    },
}


def _bounded(func: Callable[..., Any], check: Callable[..., None] | None) -> Callable[..., Any]:
    """Return filter func that ticks, checks its arguments first and its result's size after."""
    passed = _PassArg.from_obj(func) is not None

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if check is not None:
            check(*args[passed:], **kwargs)
        return _checked(func(*args, **kwargs))

    return bounded


_GROWING = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join"})


def _checked_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Check a call's arguments; return the positional ones (join's iterable made a list)."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, str | bytes) and name in _GROWING:
        return _checked_str_method(owner, name, args, kwargs)
    if isinstance(owner, str | bytes) and name == "translate" and args:
        table = args[0]
        longest = (
            max((size(v) for v in table.values()), default=0) if isinstance(table, Mapping) else 1
        )
        _at_most("translate() result: characters", len(owner) * max(longest, 1))
    elif not isinstance(obj, Macro):
        for value in (*args, *kwargs.values()):
            if _children(value) is not None:
                _at_most("argument: characters", size(value))
    return args


def _checked_str_method(
    owner: str | bytes, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    """Check a str or bytes method that can make a longer string than its own."""
    if name == "join" and args:
        args = (list(args[0]), *args[1:])
        total = sum(size(i) for i in args[0]) + len(args[0]) * len(owner)
        _at_most("join() result: characters", total)
    elif name == "replace" and len(args) >= 2:
        found = owner.count(args[0])
        _at_most("replace() result: characters", len(owner) + found * len(args[1]))
    elif name == "expandtabs":
        tab = args[0] if args else kwargs.get("tabsize", 8)
        _at_most("expandtabs() result: characters", len(owner) * max(int(tab), 1))
    elif name != "replace":
        width = args[0] if args else kwargs.get("width", 0)
        _at_most(f"{name}() width", int(width))
    return args


def _say(words: Words, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Return t(key, **values), or raise a template error naming an unknown key or value."""
    if len(args) != 1 or not isinstance(args[0], str):
        raise jinja2.TemplateRuntimeError("t() takes one key, then values by name: t('part', n=2)")
    key = args[0]
    if key not in words.phrases:
        near = difflib.get_close_matches(key, list(words.phrases), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise jinja2.TemplateRuntimeError(f"t(): expected a phrase key, got {key!r}{hint}")
    for value in kwargs.values():
        _at_most("t() value: characters", size(value))
    try:
        return words(key, **kwargs)
    except (KeyError, IndexError) as exc:
        raise jinja2.TemplateRuntimeError(
            f"t({key!r}): expected a value for {{{exc.args[0]}}}"
        ) from None


def _reachable(obj: Any, attr: str) -> bool:
    """Return whether a template may read obj.attr: no file access, no pydantic internals."""
    if isinstance(obj, PurePath):
        return attr in _PATH_PARTS
    if isinstance(obj, BaseModel):
        return attr in type(obj).model_fields or _ours(type(obj), attr)
    return True


def _ours(cls: type, attr: str) -> bool:
    """Return whether attr is declared by one of the builder's classes (not a library's)."""
    for klass in cls.__mro__:
        if attr in vars(klass):
            return klass.__module__.startswith("builder.")
    return False
