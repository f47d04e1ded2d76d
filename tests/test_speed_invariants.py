"""What makes builds fast changes no byte: the cache of compiled templates, remembered page
counts, the deck's part tables and single zip, fonts cut in parallel into an empty cache, and
worker processes forked with the outlines read (issue 14). Speed itself is measured by
scripts/benchmark.py only."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from PIL import Image
from pptx import Presentation

from builder import cli, pipeline, templating
from builder.brand import default_kit
from builder.brand_file import read_brand_file
from builder.errors import BrandError
from builder.writers import page_count
from builder.writers.pptx_package import count_parts, package_bytes, repack

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = Path("sources/therapeutic-crying.yaml")
KITS = ("default", "sources/brands/harborlight", "sources/brands/northwind")


def _png(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(out, "PNG")
    return out.getvalue()


def _deck(fast: bool) -> bytes:
    """Return a 40-slide deck with notes and a logo on every slide, one more picture on one."""
    prs = Presentation()
    if fast:
        count_parts(prs)
    logo, other = _png("navy"), _png("teal")
    for n in range(40):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"Slide {n}"
        slide.shapes.add_picture(io.BytesIO(logo), 0, 0)
        if n == 7:
            slide.shapes.add_picture(io.BytesIO(other), 0, 0)
        slide.notes_slide.notes_text_frame.text = f"notes {n}"
    if fast:
        return package_bytes(prs, 1700000000)
    buffer = io.BytesIO()
    prs.save(buffer)
    return repack(buffer.getvalue(), 1700000000)


def test_parts_named_from_tables_and_zipped_once_give_the_same_package() -> None:
    fast = _deck(True)
    assert fast == _deck(False)
    names = Presentation(io.BytesIO(fast)).part.package.iter_parts()
    notes = sorted(p.partname for p in names if "notesSlide" in p.partname)
    assert notes == sorted(f"/ppt/notesSlides/notesSlide{n}.xml" for n in range(1, 41))


def _handout(job: pipeline.Job) -> bytes:
    return pipeline.produce(job, ["handout"])[1]["handout.pdf"]


def test_templates_compile_once_into_the_cache_and_render_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outline: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    job = pipeline.Job(outline)
    first = _handout(job)
    compiled = list((tmp_path / "cache" / "workshop-builder" / "templates").glob("*/*.cache"))
    assert compiled, "the compiled templates are kept"

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", never)
    assert _handout(job) == first  # read from the cache, not compiled


def test_an_unusable_cache_folder_only_turns_the_cache_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outline: Path
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    expected = _handout(pipeline.Job(outline))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _handout(pipeline.Job(outline)) == expected


def test_compiled_templates_are_kept_per_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code compiled by another version of the sandbox's compiler is never loaded."""
    before = templating._fingerprint()
    changed = tmp_path / "sandbox.py"
    changed.write_text(Path(templating.sandbox.__file__).read_text() + "\n# changed\n")
    monkeypatch.setattr(templating.sandbox, "__file__", str(changed))
    templating._fingerprint.cache_clear()
    try:
        assert templating._fingerprint() != before
    finally:
        templating._fingerprint.cache_clear()


def _build(out: Path, *args: str, cache: Path | None = None) -> dict[str, bytes]:
    """Return every file of a `workshop build` run in a new process, by path under out."""
    env = os.environ | {"SOURCE_DATE_EPOCH": "1700000000"}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    command = [sys.executable, "-m", "builder", "build", str(SHIPPED), "--out", str(out), *args]
    subprocess.run(command, check=True, capture_output=True, env=env)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_one_process_and_forked_workers_build_the_same_bytes(tmp_path: Path) -> None:
    kits = [arg for kit in KITS for arg in ("--brand", kit)]
    formats = ["--format", "deck", "--format", "handout"]
    alone = _build(tmp_path / "one", *kits, *formats, "--jobs", "1")
    assert len(alone) == 6
    assert _build(tmp_path / "two", *kits, *formats, "--jobs", "2") == alone


def test_fonts_cut_into_empty_caches_build_the_same_bytes_as_a_warm_cache(tmp_path: Path) -> None:
    first = _build(tmp_path / "a", "--format", "handout", cache=tmp_path / "cache-a")
    cut = sorted(p.name.split("-")[1] for p in (tmp_path / "cache-a").rglob("*.ttf"))
    assert cut == ["Bold", "Italic", "Regular"], cut  # the faces drawn: no bold italic
    assert not list((tmp_path / "cache-a").rglob("*.tmp"))
    assert _build(tmp_path / "b", "--format", "handout", cache=tmp_path / "cache-b") == first
    assert _build(tmp_path / "c", "--format", "handout", cache=tmp_path / "cache-a") == first


def test_a_remembered_page_count_draws_once_and_gives_the_two_pass_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(page_count, "_COUNTS", {})
    pages, drawn = [3], []

    def render(total: int) -> tuple[bytes, int]:
        drawn.append(total)
        return f"{pages[0]} pages, footers 'of {total}'".encode(), pages[0]

    assert page_count.counted(render, "handout|A") == b"3 pages, footers 'of 3'"
    assert drawn == [0, 3]  # unknown: two passes
    monkeypatch.setattr(page_count, "_COUNTS", {})  # a new process reads the cache file
    assert page_count.counted(render, "handout|A") == b"3 pages, footers 'of 3'"
    assert drawn == [0, 3, 3]  # remembered: one pass
    pages[0] = 4  # the outline grew
    assert page_count.counted(render, "handout|A") == b"4 pages, footers 'of 4'"
    assert drawn == [0, 3, 3, 3, 4]


@pytest.mark.parametrize(
    "kit",
    [
        default_kit(),
        ROOT / "sources/brands/harborlight",
        ROOT / "sources/brands/northwind",
        ROOT / "tests/fixtures/brands/atkinson",
    ],  # fmt: skip
    ids=lambda kit: kit.name,
)
def test_a_cached_brand_spec_is_the_one_brand_yml_reads(
    kit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _, validated = read_brand_file(kit / "_brand.yml")
    assert len(list(tmp_path.rglob("brands/*.json"))) == 1
    _, cached = read_brand_file(kit / "_brand.yml")
    assert cached == validated


def test_an_invalid_brand_file_is_never_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = tmp_path / "_brand.yml"
    bad.write_text("color:\n  primry: '#123456'\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BrandError, match="did you mean 'primary'"):
            read_brand_file(bad)
    assert not list(tmp_path.rglob("brands/*.json"))


def test_by_default_a_busy_machine_builds_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """With other programs on every core, workers would share them and cost their start."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (2.5, 1.0, 1.0))
    assert cli._idle_cores() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.7, 3.0, 3.0))
    assert cli._idle_cores() == 2


def test_a_deck_alone_cuts_no_font_and_check_only_the_faces_it_draws(tmp_path: Path) -> None:
    """Layout measures Arimo from its variable files; the deck names Arial and embeds nothing;
    `workshop check` draws the PDFs (not bold italic), so it cuts what they embed."""
    _build(tmp_path / "deck", "--format", "deck", cache=tmp_path)
    assert not list(tmp_path.rglob("*.ttf"))
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "builder", "check", str(SHIPPED)]
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    cut = sorted(p.name.split("-")[1] for p in tmp_path.rglob("*.ttf"))
    assert cut == ["Bold", "Italic", "Regular"], cut
