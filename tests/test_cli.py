"""End to end through the command line: build, check, new, schema, and bad input."""

from __future__ import annotations

import errno
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pptx import Presentation
from pypdf import PdfReader

from builder.cli import main
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"


def _run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the shipped workshop once; return the output folder."""
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        main, ["build", str(SHIPPED), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out / "therapeutic-crying"


def test_build_writes_every_format_and_prints_one_line_each(shipped_build: Path) -> None:
    names = [
        "deck.pdf",
        "deck.pptx",
        "evaluation.pdf",
        "guide.pdf",
        "handout.pdf",
        "sign-in.pdf",
        "slides.pdf",
    ]
    assert sorted(p.name for p in shipped_build.iterdir()) == names


def test_deck_titles_unique_and_notes_on_every_content_slide(shipped_build: Path) -> None:
    prs = Presentation(str(shipped_build / "deck.pptx"))
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert all(titles) and len(titles) == len(set(titles))
    for slide in list(prs.slides)[1:]:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    assert prs.core_properties.title.startswith("Therapeutic Crying")
    assert prs.core_properties.language == "en"


def test_handout_has_every_section_and_reference(shipped_build: Path) -> None:
    from builder.loader import load_model
    from builder.model import Workshop
    from builder.references import apa_citation

    w = load_model(SHIPPED, Workshop)
    text = " ".join(p.extract_text() for p in PdfReader(shipped_build / "handout.pdf").pages)
    flat = " ".join(text.split())
    for section in w.agenda:
        assert " ".join(section.title.split()) in flat, section.title
    for source in w.sources.values():
        assert source.title.split(":")[0] in flat, source.title
        assert apa_citation(source).split(",")[0] in flat


def test_bad_yaml_exits_1_names_the_line_and_keeps_earlier_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    ok = _run(["build", "mini.yaml", "--out", "out", "--format", "handout"], tmp_path, monkeypatch)
    assert ok.exit_code == 0, ok.output
    before = (tmp_path / "out" / "mini" / "handout.pdf").read_bytes()
    (tmp_path / "mini.yaml").write_text(MINIMAL.replace("    minutes: 30", "    minutes: [30"))
    bad = _run(["build", "mini.yaml", "--out", "out", "--format", "handout"], tmp_path, monkeypatch)
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: mini.yaml:") and "Traceback" not in bad.output
    assert (tmp_path / "out" / "mini" / "handout.pdf").read_bytes() == before
    assert [p.name for p in (tmp_path / "out" / "mini").iterdir()] == ["handout.pdf"]


def test_unknown_format_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _run(["build", "mini.yaml", "--format", "poster"], tmp_path, monkeypatch).exit_code == 2


def test_check_lists_every_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = MINIMAL.replace("Describe the", "Understand the").replace(
        "      cite: b2021", "      cite: zz"
    )
    (tmp_path / "mini.yaml").write_text(text, encoding="utf-8")
    result = _run(["check", "mini.yaml"], tmp_path, monkeypatch)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, result.stderr


def test_check_warns_on_placeholders_of_the_shipped_outline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = _run(["check", str(SHIPPED)], ROOT, monkeypatch)
    assert result.exit_code == 0, result.stderr
    assert "warning: " in result.stderr and "presenters.0" in result.stderr


def test_new_writes_a_valid_outline_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(["new", "grief"], tmp_path, monkeypatch).exit_code == 0
    assert _run(["check", "sources/grief.yaml"], tmp_path, monkeypatch).exit_code == 0
    again = _run(["new", "grief"], tmp_path, monkeypatch)
    assert again.exit_code == 1 and "exists" in again.stderr


def test_schema_is_json_without_internal_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(["schema"], tmp_path, monkeypatch)
    data = json.loads(result.stdout)
    assert "program" in data["properties"] and "@line" not in result.stdout


def test_version_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for args in (["--version"], ["build", "--version"], ["check", "--version"]):
        assert "0.1.0" in _run(args, tmp_path, monkeypatch).stdout


def test_hostile_text_renders_literally_in_both_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = 'R&D <slide> "q" </title>'
    (tmp_path / "mini.yaml").write_text(MINIMAL.replace("Patience matters.", f"'{hostile}'"))
    result = _run(["build", "mini.yaml", "--out", "out"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(tmp_path / "out" / "mini" / "deck.pptx"))
    texts = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    assert any(hostile in t for t in texts)
    pdf = " ".join(
        p.extract_text() for p in PdfReader(tmp_path / "out" / "mini" / "handout.pdf").pages
    )
    assert hostile in pdf


def test_same_inputs_same_bytes_with_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    first = _run(["build", "mini.yaml", "--out", "a"], tmp_path, monkeypatch)
    second = _run(["build", "mini.yaml", "--out", "b"], tmp_path, monkeypatch)
    assert first.exit_code == second.exit_code == 0
    for name in ("deck.pptx", "handout.pdf"):
        assert (tmp_path / "a/mini" / name).read_bytes() == (
            tmp_path / "b/mini" / name
        ).read_bytes()


def test_no_heading_of_the_shipped_handout_is_stranded_at_a_page_foot(shipped_build: Path) -> None:
    from builder import pipeline
    from builder.document import Heading, plain
    from builder.markup import parse_document
    from builder.templating import environment, render

    job = pipeline.Job(SHIPPED)
    markup = render(
        environment(None), "handout.xml.j2", pipeline.context(pipeline.load(job), SHIPPED)
    )
    blocks = parse_document(markup, "handout.xml.j2").blocks
    pages = [
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(shipped_build / "handout.pdf").pages
    ]

    def page_of(text: str) -> int:
        return max(i for i, page in enumerate(pages) if text in page)

    checked = 0
    for heading, following in zip(blocks, blocks[1:], strict=False):
        runs = getattr(following, "runs", None) or getattr(following, "items", [None])[0]
        if isinstance(heading, Heading) and heading.level > 1 and runs:
            words = " ".join(plain(runs).split()[:4])
            assert words in pages[page_of(plain(heading.runs))], plain(heading.runs)
            checked += 1
    assert checked > 20


def test_brand_new_scaffolds_a_kit_that_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _run(["brand", "new", "acme"], tmp_path, monkeypatch).exit_code == 0
    assert 'name: "acme"' in (tmp_path / "sources/brands/acme/_brand.yml").read_text()
    result = _run(["build", "mini.yaml", "--brand", "acme", "--out", "out"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/mini/acme/deck.pptx").is_file()
    assert _run(["brand", "new", "acme"], tmp_path, monkeypatch).exit_code == 1


def test_brand_new_refuses_a_name_no_folder_can_have_as_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(["brand", "new", "x" * 300], tmp_path, monkeypatch)  # exit 70 before
    assert result.exit_code == 2 and "at most 64 lower-case letters" in result.output

    def full(source: Path, target: Path) -> None:
        (target / "fonts").mkdir(parents=True)  # half copied, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copytree", full)
    result = _run(["brand", "new", "acme"], tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output  # 70 before
    assert "could not write" in result.output and "No space left on device" in result.output
    assert not (tmp_path / "sources/brands/acme").exists()  # no half kit to trip the next try


def test_many_brands_build_in_one_run_and_failures_are_reported_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _run(["brand", "new", "good"], tmp_path, monkeypatch).exit_code == 0
    assert _run(["brand", "new", "bad"], tmp_path, monkeypatch).exit_code == 0
    bad = tmp_path / "sources/brands/bad/_brand.yml"
    bad.write_text(bad.read_text().replace("foreground: ink", "foreground: '#CCCCCC'"))
    result = _run(
        ["build", "mini.yaml", "--brand", "all", "--out", "out", "--format", "handout"],
        tmp_path,
        monkeypatch,
    )
    assert result.exit_code == 1
    assert (tmp_path / "out/mini/good/handout.pdf").is_file()
    assert not (tmp_path / "out/mini/bad").exists()
    last = result.stderr.strip().splitlines()[-1]
    assert last == "error: 1 of 2 builds failed: mini (bad)"
    assert "expected contrast of at least 4.5:1" in result.stderr


def test_brand_colors_reach_both_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    kit = ROOT / "sources/brands/harborlight"
    result = _run(
        ["build", "mini.yaml", "--brand", str(kit), "--out", "out"], tmp_path, monkeypatch
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out/mini/harborlight"
    with zipfile.ZipFile(folder / "deck.pptx") as deck:
        slides = " ".join(
            deck.read(n).decode() for n in deck.namelist() if n.startswith("ppt/slides/slide")
        )
        theme = deck.read("ppt/theme/theme1.xml").decode()
        media = [n for n in deck.namelist() if n.startswith("ppt/media/")]
    assert "E0A526" in slides and "0F1B2D" in theme and media
    assert 'descr="Harborlight Clinical Collective"' in slides
    pdf = (folder / "handout.pdf").read_bytes()
    assert b"/Subtype /Image" in pdf
    text = " ".join(p.extract_text() for p in PdfReader(folder / "handout.pdf").pages)
    assert "California Association of Marriage and Family Therapists" in text
    assert "CAMFT CEPA #1000042" in " ".join(text.split())


def test_brand_inspect_lists_template_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(["brand", "inspect", "sources/brands/northwind"], ROOT, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "layout 'Titelfolie'" in result.stdout and "center title" in result.stdout
    plain_kit = _run(
        ["brand", "inspect", str(ROOT / "sources/brands/harborlight")], ROOT, monkeypatch
    )
    assert plain_kit.exit_code == 0 and "names no template" in plain_kit.stdout


def test_a_layout_the_template_lacks_is_an_error_listing_its_layouts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    kit = Path(shutil.copytree(ROOT / "sources/brands/northwind", tmp_path / "nw"))
    settings = kit / "workshop.yml"
    settings.write_text(settings.read_text().replace("quote: Zitat", "quote: Zitate"))
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    result = _run(
        ["build", "mini.yaml", "--brand", str(kit), "--format", "deck"], tmp_path, monkeypatch
    )
    assert result.exit_code == 1
    assert "'Zitate'" in result.stderr and "Titel und Inhalt" in result.stderr


def test_outputs_are_readable_by_others_as_umask_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    old = os.umask(0o022)
    try:
        _run(["build", "mini.yaml", "--out", "out", "--format", "handout"], tmp_path, monkeypatch)
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "out/mini/handout.pdf").stat().st_mode)
    assert mode == 0o644


@pytest.mark.parametrize(("paper", "width"), [("a4", 595), ("letter", 612)])
def test_paper_option_overrides_the_brand(
    paper: str, width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL, encoding="utf-8")
    args = ["build", "mini.yaml", "--out", "out", "--format", "handout", "--paper", paper]
    assert _run(args, tmp_path, monkeypatch).exit_code == 0
    box = PdfReader(tmp_path / "out/mini/handout.pdf").pages[0].mediabox
    assert round(float(box.width)) == width
