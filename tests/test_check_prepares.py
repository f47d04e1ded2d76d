"""`workshop check` runs every stage of a build but the drawing (issue 14: check at most 0.3 of
a build), and still finds what the writers would refuse: what check accepts, build builds.
The deck template's geometry is kept in the user cache by content, and read back the same."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builder import pipeline
from builder.brand import default_kit, load_brand
from builder.errors import Problem, WorkshopError
from builder.template_frames import _entry, template_geometry
from builder.writers.deck import template_geometry as read_geometry
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
NORTHWIND = ROOT / "sources" / "brands" / "northwind"
ALL = list(pipeline.FORMATS)

_PROBE = """
import sys
from builder.entry import main
try:
    main(["check", sys.argv[1]])
except SystemExit as done:
    assert not done.code, done.code
drawn = sorted({m.split(".")[0] for m in sys.modules if m.startswith(("reportlab", "pptx"))})
print(",".join(drawn))
"""


def _build_problems(job: pipeline.Job, out: Path) -> list[Problem]:
    try:
        pipeline.build(job, ALL, out)
    except WorkshopError as exc:
        return exc.problems
    return []


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def test_check_draws_nothing_so_it_imports_no_writer_library(tmp_path: Path) -> None:
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", _PROBE, str(SHIPPED)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()
        for _ in range(2)
    ]  # fmt: skip
    assert runs[0] == "pptx"  # the first check reads the template's geometry with python-pptx
    assert runs[1] == ""  # then it is cached: neither python-pptx nor reportlab is imported


def test_check_and_build_agree_on_the_shipped_workshop_and_the_fixtures(tmp_path: Path) -> None:
    outlines = [SHIPPED, *sorted((ROOT / "tests" / "fixtures" / "outlines").glob("*.yaml"))]
    for outline in outlines:
        job = pipeline.Job(outline, default_kit())
        assert _errors(pipeline.check(job, ALL)) == [], outline
        assert _build_problems(job, tmp_path / "out") == [], outline


def _templates(folder: Path, name: str, body: str) -> Path:
    templates = folder / "templates"
    templates.mkdir(exist_ok=True)
    (templates / name).write_text(body, encoding="utf-8")
    return templates


_FIGURE_ON_A_FORM = (
    '{% extends "builtin/evaluation.xml.j2" %}\n{% block identity %}{{ super() }}\n'
    '<quote by="Someone">Not a form block</quote>\n{% endblock %}\n'
)
_EMPTY_TABLE = (
    '{% extends "builtin/handout.xml.j2" %}\n{% block objectives %}{{ super() }}\n'
    "<table></table>\n{% endblock %}\n"
)


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("evaluation.xml.j2", _FIGURE_ON_A_FORM, "got quoteblock"),
        ("handout.xml.j2", _EMPTY_TABLE, "expected a row with cells"),
    ],
)
def test_check_finds_what_a_writer_refuses_as_build_does(
    tmp_path: Path, name: str, body: str, expected: str
) -> None:
    (tmp_path / "w.yaml").write_text(MINIMAL, encoding="utf-8")
    job = pipeline.Job(tmp_path / "w.yaml", default_kit(), _templates(tmp_path, name, body))
    found = _errors(pipeline.check(job, ALL))
    assert [p.message for p in found if expected in p.message], found
    assert found == _build_problems(job, tmp_path / "out")


def test_check_finds_a_corporate_template_whose_links_cannot_be_read(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    shutil.copytree(NORTHWIND, kit)
    faint = kit / "template.pptx"
    data = faint.read_bytes()
    with zipfile.ZipFile(NORTHWIND / "template.pptx") as src, zipfile.ZipFile(faint, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename.startswith("ppt/theme/"):
                old = b'<a:hlink><a:srgbClr val="1B5FA8"/>'
                part = part.replace(old, b'<a:hlink><a:srgbClr val="C9D6E3"/>')
            dst.writestr(info, part)
    assert faint.read_bytes() != data
    job = pipeline.Job(SHIPPED, kit)
    found = _errors(pipeline.check(job, ALL))
    assert len(found) == 1 and "hyperlink color" in found[0].message, found
    assert found == _build_problems(job, tmp_path / "out")


@pytest.mark.parametrize("kit", [default_kit(), NORTHWIND], ids=["built-in", "corporate"])
def test_the_cached_geometry_is_the_template_s(
    kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    brand, _ = load_brand(kit)
    entry = _entry(brand)
    assert entry is not None and not entry.exists()
    first = template_geometry(brand)
    assert entry.exists() and first == read_geometry(brand)
    assert template_geometry(brand) == first  # read back from the cache
    entry.write_text("{not json", encoding="utf-8")  # a damaged entry is read again
    assert template_geometry(brand) == first
    assert json.loads(entry.read_text(encoding="utf-8"))["width"] == first.width


def test_another_template_is_another_cache_entry(tmp_path: Path) -> None:
    builtin, _ = load_brand(default_kit())
    corporate, _ = load_brand(NORTHWIND)
    assert _entry(builtin) != _entry(corporate)
    assert template_geometry(builtin) != template_geometry(corporate)
