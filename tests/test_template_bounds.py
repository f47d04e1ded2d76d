"""Hostile override templates: every one ends in an error at its file and line, quickly.

Each case is a `templates/deck.xml.j2` (and sometimes a second template) built through the CLI
from a small outline: exit status 1, `error: templates/<file>:<line>: <message>`, no traceback,
no deck written, and well under 15 s. Cases that run out the clock use a 1 s deadline, but
one runs against the real 10 s deadline.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import sandbox
from builder.cli import main
from builder.errors import TemplateError
from builder.templating import environment, inline, render
from tests.conftest import MINIMAL

# name: (templates/deck.xml.j2, other templates, the error's file:line, words of the message)
CASES: dict[str, tuple[str, dict[str, str], str, str]] = {
    "nested loops": (
        "<deck>\n{% for a in range(100000) %}\n{% for b in range(100000) %}{% endfor %}\n"
        "{% endfor %}\n",
        {},
        "deck.xml.j2:3",
        "rendering took over 1 s",
    ),
    "a macro that calls itself twice": (
        "{% macro m(d) %}\n{% if d < 60 %}{{ m(d + 1) }}{{ m(d + 1) }}{% endif %}\n"
        "{% endmacro %}\n{{ m(0) }}\n",
        {},
        "deck.xml.j2:[12]",  # the macro's line or its if's: wherever the clock runs out
        "rendering took over 1 s",
    ),
    "a ** chain": (
        "<deck>\n{{ 9 ** 9 ** 9 ** 9 ** 9 }}\n",
        {},
        "deck.xml.j2:2",
        "'**' result: bits",
    ),
    "a huge center": (
        "<deck>\n\n{{ ''|center(1500000000) }}\n",
        {},
        "deck.xml.j2:3",
        "center() width: expected at most 2,000,000, got 1,500,000,000",
    ),
    "range(10**12)": (
        "<deck>\n{% for i in range(10**12) %}{% endfor %}\n",
        {},
        "deck.xml.j2:2",
        "range(): numbers: expected at most 100,000, got 1,000,000,000,000",
    ),
    "a template that extends itself": (
        '{% extends "deck.xml.j2" %}\n',
        {},
        "deck.xml.j2:1",
        "recursion too deep",
    ),
    "an include loop": (
        '<deck>\n{% include "loop.j2" %}\n',
        {"loop.j2": '\n\n{% include "deck.xml.j2" %}\n'},
        "(deck.xml.j2:2|loop.j2:3)",
        "recursion too deep",
    ),
    "a recursive macro": (
        "<deck>\n{% macro m() %}{{ m() }}{% endmacro %}\n{{ m() }}\n",
        {},
        "deck.xml.j2:2",
        "recursion too deep",
    ),
    "an unknown t key": (
        '<deck>\n<title>{{ t("agendas") }}</title>\n',
        {},
        "deck.xml.j2:2",
        "t(): expected a phrase key, got 'agendas' (did you mean 'agenda'?)",
    ),
    "a t key without its value": (
        '<deck>\n{{ t("part") }}\n',
        {},
        "deck.xml.j2:2",
        "t('part'): expected a value for {n}",
    ),
    "__class__ and mro": (
        "<deck>\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
        {},
        "deck.xml.j2:2",
        "access to attribute '__class__' of 'str' object is unsafe",
    ),
    "reading a file through a path": (
        "<deck>\n{{ brand.root.read_text() }}\n",
        {},
        "deck.xml.j2:2",
        "access to attribute 'read_text' of 'PosixPath' object is unsafe",
    ),
    "pydantic's own API": (
        "<deck>\n{{ w.model_dump_json(indent=1000000000) }}\n",
        {},
        "deck.xml.j2:2",
        "access to attribute 'model_dump_json' of 'Workshop' object is unsafe",
    ),
    "100 MB of output": (
        "<deck>\n{% for i in range(100000) %}\n{{ 'x' * 1000 }}\n{% endfor %}\n",
        {},
        "deck.xml.j2:3",
        "output: expected at most 10,000,000 characters",
    ),
    "a string doubled with ~": (
        "{% set ns = namespace(s='x') %}\n{% for i in range(64) %}\n"
        "{% set ns.s = ns.s ~ ns.s %}\n{% endfor %}\n",
        {},
        "deck.xml.j2:3",
        "'~' result: characters: expected at most 2,000,000",
    ),
    "a list doubled with +": (
        "{% set ns = namespace(l=[1]) %}\n{% for i in range(64) %}\n"
        "{% set ns.l = ns.l + ns.l %}\n{% endfor %}\n",
        {},
        "deck.xml.j2:3",
        "'+' result: length",
    ),
    "a huge format width": (
        "<deck>\n{{ '{:>{w}}'.format('x', w=10**9) }}\n",
        {},
        "deck.xml.j2:2",
        "width or precision in a format: expected at most 10,000",
    ),
    "one value printed a million times by %": (
        "<deck>\n{{ ('%(a)s' * 100000) % {'a': 'x' * 1000000} }}\n",
        {},
        "deck.xml.j2:2",
        "'%' result: characters",
    ),
    "replace that multiplies": (
        "<deck>\n{{ ('x' * 1000000)|replace('x', 'y' * 1000) }}\n",
        {},
        "deck.xml.j2:2",
        "replace() result: characters",
    ),
    "join with a huge separator": (
        "<deck>\n{{ range(100000)|join('x' * 100000) }}\n",
        {},
        "deck.xml.j2:2",
        "join() result: characters",
    ),
    "str.ljust": ("<deck>\n{{ 'x'.ljust(10**9) }}\n", {}, "deck.xml.j2:2", "ljust() width"),
    "a list printed as text": (
        "<deck>\n{{ ['x' * 1000000] * 1000 }}\n",
        {},
        "deck.xml.j2:2",
        "value written: expected at most 2,000,000",
    ),
    "changing a list": (
        "<deck>\n{{ w.takeaways.append('x') }}\n",
        {},
        "deck.xml.j2:2",
        "access to attribute 'append' of 'list' object is unsafe",
    ),
    "a template over 1 MB": (
        "<deck>" + "x" * 1_000_000,
        {},
        "deck.xml.j2:1",
        "template syntax: expected at most 1,000,000 characters",
    ),
    "a division by zero": (
        "<deck>\n{{ 1 // 0 }}\n",
        {},
        "deck.xml.j2:2",
        "template error: integer division or modulo by zero",
    ),
    "a float too large": (
        "<deck>\n{{ 10.0 ** 400 }}\n",
        {},
        "deck.xml.j2:2",
        "template error: number too large",
    ),
}


def _build(tmp_path: Path, deck: str, others: dict[str, str]) -> tuple[int, str, float]:
    """Build the outline's deck with these templates; return exit status, stderr and seconds."""
    (tmp_path / "w.yaml").write_text(MINIMAL, encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "deck.xml.j2").write_text(deck, encoding="utf-8")
    for name, text in others.items():
        (templates / name).write_text(text, encoding="utf-8")
    args = ["build", "w.yaml", "--format", "deck", "--out", "out", "--templates", "templates"]
    start = time.monotonic()
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stderr, time.monotonic() - start


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_template_is_an_error_at_its_line(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck, others, where, words = CASES[case]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sandbox, "SECONDS", 1.0)
    status, stderr, seconds = _build(tmp_path, deck, others)
    assert status == 1, stderr
    assert re.search(rf"^error: templates/{where}: .*{re.escape(words)}", stderr, re.M), stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "out" / "w" / "deck.pptx").exists()
    assert seconds < 15


def test_endless_loops_stop_at_the_real_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deck = "<deck>\n{% for a in range(100000) %}{% for b in range(100000) %}\n{% endfor %}"
    status, stderr, seconds = _build(tmp_path, deck + "{% endfor %}\n", {})
    assert status == 1
    assert (
        "error: templates/deck.xml.j2:2: not allowed in a template: rendering took over 10 s"
        in (stderr)
    )
    assert 10 <= seconds < 15


def test_each_render_has_its_own_deadline_and_budget(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text("{{ 'x' * 1000000 }}", encoding="utf-8")
    env = environment(tmp_path)
    for _ in range(12):  # 12 MB in all, 1 MB a render: only one render's output counts
        assert len(render(env, "x.j2", {})) == 1_000_000


def test_normal_templates_use_the_sandbox_freely(tmp_path: Path) -> None:
    text = (
        "{% set ns = namespace(l=[]) %}{% for i in range(3) %}{% set ns.l = ns.l + [i] %}"
        "{% endfor %}{{ ns.l|join('-') }} {{ '%s=%d'|format('n', 2) }} {{ 'ab'.upper() }}"
        " {{ '{:>4}'.format('x') }} {{ 'a' ~ 1 }} {{ [[1], [2]]|sum(start=[]) }} {{ 2 ** 10 }}"
    )
    (tmp_path / "x.j2").write_text(text, encoding="utf-8")
    assert render(environment(tmp_path), "x.j2", {}) == "0-1-2 n=2 AB    x a1 [1, 2] 1024"


def test_a_path_shows_only_its_name(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text("{{ p.name }} {{ p.suffix }}", encoding="utf-8")
    assert render(environment(tmp_path), "x.j2", {"p": tmp_path / "logo.png"}) == "logo.png .png"
    (tmp_path / "y.j2").write_text("{{ p.parent }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="'parent' of 'PosixPath' object is unsafe"):
        render(environment(tmp_path), "y.j2", {"p": tmp_path / "logo.png"})


def test_inline_takes_linear_time_on_unclosed_emphasis() -> None:
    start = time.monotonic()
    text = inline("**a " * 100_000 + "*b " * 100_000)
    assert time.monotonic() - start < 1
    assert "<b>" not in text and "<i>" not in text
    assert str(inline("**a *b* c** and *d*")) == "<b>a <i>b</i> c</b> and <i>d</i>"


def test_a_template_that_links_outside_its_folder_is_refused(tmp_path: Path) -> None:
    from builder.errors import TemplateError
    from builder.templating import environment, render

    folder = tmp_path / "templates"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for templates")
    (folder / "handout.xml.j2").symlink_to(secret)
    (folder / "deck.xml.j2").symlink_to("/dev/zero")  # would never end being read
    for name in ("handout.xml.j2", "deck.xml.j2"):
        with pytest.raises(TemplateError) as caught:
            render(environment(folder), name, {})
        assert "inside the templates folder" in caught.value.problems[0].message
