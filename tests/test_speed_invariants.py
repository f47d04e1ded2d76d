"""What makes builds fast changes no byte: the cache of compiled templates, remembered page
counts, the deck's part tables and single zip, fonts cut in parallel into an empty cache, and
worker processes forked with the outlines read (issue 14). Speed itself is measured by
scripts/benchmark.py only."""

from __future__ import annotations

import copy
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from builder import cli, pipeline, templating
from builder.brand import default_kit
from builder.brand_file import read_brand_file
from builder.document import Run
from builder.errors import BrandError
from builder.measure import CELL_INSETS, Insets
from builder.writers import page_count
from builder.writers.deck_shapes import _cell_look
from builder.writers.pptx_package import (
    add_notes_master_id,
    count_parts,
    package_bytes,
    repack,
    retire,
)
from builder.writers.pptx_slides import SlideMaker
from builder.writers.pptx_template import keep_spare, open_template, reuse_template
from builder.writers.pptx_text import RunLook, add_runs, frame_setup, rgb, run_element

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


# ---- the deck writer's shortcuts past python-pptx (issue 14) ----------------------------------


def _runs_as_python_pptx_writes_them(paragraph: object, runs: tuple[Run, ...], **look: str) -> None:
    """Write runs with python-pptx's own setters, as the deck writer did before its shortcut."""
    p: Any = paragraph
    for run in runs:
        for i, piece in enumerate(run.text.split("\n")):
            if i:
                p.add_line_break()
            r = p.add_run()
            r.text = piece
            r.font.size, r.font.bold, r.font.italic = Pt(int(look["size"])), run.bold, run.italic
            r.font.name = look["font"]
            if look["color"]:
                r.font.color.rgb = rgb(look["color"])
            if look["lang"]:
                r._r.get_or_add_rPr().set("lang", look["lang"])
            if look.get("url"):
                r.hyperlink.address = look["url"]


@pytest.mark.parametrize("color", ["#1a2B3c", ""])
@pytest.mark.parametrize("lang", ["de", ""])
def test_runs_written_as_plain_lxml_are_the_ones_python_pptx_writes(color: str, lang: str) -> None:
    runs = (
        Run("Plain & <odd> \x07 text"),
        Run("bold\nafter a break", bold=True),
        Run("", italic=True),
    )
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    a, b = (slide.shapes.add_textbox(0, 0, 100, 100).text_frame.paragraphs[0] for _ in "ab")
    _runs_as_python_pptx_writes_them(a, runs, size="18", font="Arimo", color=color, lang=lang)
    add_runs(b, runs, 18, "Arimo", color or None, lang, link=False)
    assert etree.tostring(b._p) == etree.tostring(a._p)
    url = "https://example.org/x"
    c, d = (slide.shapes.add_textbox(0, 0, 100, 100).text_frame.paragraphs[0] for _ in "cd")
    linked = (Run("Read more"),)
    _runs_as_python_pptx_writes_them(
        c, linked, size="18", font="A", color=color, lang=lang, url=url
    )
    add_runs(d, linked, 18, "A", color or None, lang, targets=[url] * len("Read more"))
    assert etree.tostring(d._p) == etree.tostring(c._p)  # the same relationship, reused


def _slides(copied: bool, retired: bool) -> bytes:
    """Return a deck of the built-in template's layouts with notes, made either way."""
    prs = open_template(None).prs
    count_parts(prs)
    maker = SlideMaker(prs)
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts][:3]
    for n in range(7):
        layout = layouts[n % 3]
        slide = maker.add_slide(layout) if copied else prs.slides.add_slide(layout)
        if n % 4 != 3:  # some slides have no notes
            if copied:
                body = maker.notes_body(slide)
                look = RunLook("", "", "", "en")
                body.find(qn("a:p")).append(run_element(body, f"notes {n}", True, False, look))
            else:
                run = slide.notes_slide.notes_text_frame.paragraphs[0].add_run()
                run.text, run.font.bold, run.font.italic = f"notes {n}", True, False
                run._r.get_or_add_rPr().set("lang", "en")
        if retired:
            retire(slide)
            assert slide.part._element is None
    add_notes_master_id(prs)
    return package_bytes(prs, 1700000000)


def test_slides_and_notes_copied_from_the_first_of_their_layout_are_python_pptx_s() -> None:
    made = _slides(copied=False, retired=False)
    assert _slides(copied=True, retired=False) == made
    assert _slides(copied=True, retired=True) == made  # serialized early, freed, same bytes


def test_python_pptx_imports_without_ssl_until_urllib_request_is_used() -> None:
    probe = (
        "import sys, builder.writers.deck, xml.sax.saxutils;"
        "assert 'ssl' not in sys.modules, 'ssl imported';"
        "import urllib.request;"
        "from urllib.request import Request;"
        "assert urllib.request.Request is Request and 'ssl' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT)


def test_the_template_planning_read_is_filled_once_and_a_changed_one_opened_again(
    tmp_path: Path,
) -> None:
    read = open_template(None)
    keep_spare(read, None)
    assert reuse_template(None) is read
    assert reuse_template(None) is not read  # kept for one use only
    path = tmp_path / "corporate.pptx"
    path.write_bytes((ROOT / "builder" / "templates" / "deck-16x9.pptx").read_bytes())
    keep_spare(open_template(path), path)
    os.utime(path, ns=(1, 1))  # the file changed since planning read it
    assert reuse_template(path).prs.slide_width == read.prs.slide_width
    assert reuse_template(path) is not None


@pytest.mark.parametrize("insets", [Insets(7.2, 3.6, 3.6), Insets(0, 0, 0), Insets(10, 5, 2.5)])
def test_frame_setup_writes_what_python_pptx_s_setters_write(insets: Insets) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    frames = [slide.shapes.add_textbox(0, 0, 9, 9).text_frame for _ in "ab"]
    frames += [slide.placeholders[1].text_frame, slide.shapes.title.text_frame]
    etree.SubElement(frames[3]._txBody.find(qn("a:bodyPr")), qn("a:extLst"))
    for frame in frames:
        expected = copy.deepcopy(frame._txBody)
        pptx_frame: Any = TextFrame(expected, None)
        pptx_frame.word_wrap = True
        pptx_frame.auto_size = MSO_AUTO_SIZE.NONE
        pptx_frame.margin_left = pptx_frame.margin_right = Emu(round(insets.x * 12700))
        pptx_frame.margin_top = Emu(round(insets.top * 12700))
        pptx_frame.margin_bottom = Emu(round(insets.bottom * 12700))
        frame_setup(frame, insets)
        assert _xml(frame._txBody) == _xml(expected)


def _xml(element: Any) -> str:
    """Return the element's XML without namespace declarations (they depend on its parents)."""
    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(element, encoding="unicode"))


def test_table_cells_are_filled_as_python_pptx_s_setters_fill_them() -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    ours, theirs = (slide.shapes.add_table(2, 2, 0, 0, 9, 9).table for _ in "ab")
    for i, j in ((0, 0), (1, 1)):
        cell: Any = theirs.cell(i, j)
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb("#a1B2c3")
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        cell.margin_left = cell.margin_right = Emu(round(CELL_INSETS.x * 12700))
        cell.margin_top = Emu(round(CELL_INSETS.top * 12700))
        cell.margin_bottom = Emu(round(CELL_INSETS.bottom * 12700))
        _cell_look(ours.cell(i, j)._tc, "#a1B2c3")
    assert _xml(ours._tbl) == _xml(theirs._tbl)


def test_a_deck_alone_and_check_cut_no_font(tmp_path: Path) -> None:
    """Layout measures Arimo from its variable files; the deck names Arial and embeds nothing;
    `workshop check` draws nothing (builder.pipeline.prepare): neither cuts a face."""
    _build(tmp_path / "deck", "--format", "deck", cache=tmp_path)
    assert not list(tmp_path.rglob("*.ttf"))
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "builder", "check", str(SHIPPED)]
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    assert not list(tmp_path.rglob("*.ttf"))
    _build(tmp_path / "handout", "--format", "handout", cache=tmp_path)
    cut = sorted(p.name.split("-")[1] for p in tmp_path.rglob("*.ttf"))
    assert cut == ["Bold", "Italic", "Regular"], cut  # what the handout draws, not bold italic


def test_materials_keep_only_what_the_formats_left_draw_from() -> None:
    """A build drops the deck's model and plan once no format left draws them (memory of a
    long outline), and keeps them while one does."""
    job = pipeline.Job(ROOT / SHIPPED)
    loaded = pipeline.load(job)
    m = pipeline.Materials(
        templating.environment(None), pipeline.context(loaded, job.outline), loaded.brand, job
    )
    m.plan()
    m.model("handout.xml.j2")
    m.release(["guide", "handout"])  # the guide draws the deck's plan and its own document
    assert m._plan is not None and set(m._models) == {"deck.xml.j2", "handout.xml.j2"}
    m.release(["handout"])
    assert m._plan is None and set(m._models) == {"handout.xml.j2"}
    m.release([])
    assert m._models == {}


def test_the_parsed_files_are_let_go_once_a_job_is_loaded() -> None:
    from builder import loader

    loader.read_yaml(ROOT / SHIPPED)
    assert loader._PARSED
    pipeline.load(pipeline.Job(ROOT / SHIPPED))
    assert not loader._PARSED


def test_a_run_of_several_jobs_parses_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from builder import loader

    parsed: list[str] = []
    parse = loader.parse_yaml
    monkeypatch.setattr(
        loader,
        "parse_yaml",
        lambda text, path, *a: parsed.append(str(path)) or parse(text, path, *a),
    )
    kits = [None, ROOT / "sources/brands/northwind", None]
    with pipeline.outlines_read_once(len(kits)):
        for kit in kits:
            pipeline.load(pipeline.Job(ROOT / SHIPPED, kit))
        assert loader._PARSED  # kept for the next job's checks
    assert not loader._PARSED  # let go when the run ends
    assert sorted(parsed) == sorted(set(parsed))  # none twice
    assert parsed.count(str(ROOT / SHIPPED)) == 1
    assert str(ROOT / "sources/brands/northwind/provider.yml") in parsed
    with pipeline.outlines_read_once(1):
        pipeline.load(pipeline.Job(ROOT / SHIPPED))
        assert not loader._PARSED  # one job: let go once it is loaded


@pytest.mark.parametrize(
    ("cutting", "order"), [(False, ["handout", "deck"]), (True, ["deck", "handout"])]
)
def test_the_deck_is_drawn_last_unless_fonts_are_being_cut(
    cutting: bool, order: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDFs first (a smaller peak of memory), but the deck first while the fonts the PDFs
    embed are being cut in workers (it needs none of them)."""
    import dataclasses

    from builder import fonts

    drawn: list[str] = []
    for name in ("deck", "handout"):
        fmt = pipeline.FORMATS[name]
        write = dataclasses.replace(fmt, write=lambda m, n=name: drawn.append(n) or b"")
        monkeypatch.setitem(pipeline.FORMATS, name, write)
    monkeypatch.setattr(fonts, "prepare", lambda *families: cutting)
    pipeline.produce(pipeline.Job(ROOT / SHIPPED), ["deck", "handout"])
    assert drawn == order
