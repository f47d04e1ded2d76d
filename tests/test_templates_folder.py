"""The workspace's templates/ folder: picked up from the repository root, --templates instead,
`workshop templates export` and `list`, and the example Housekeeping override it ships."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pptx import Presentation

from builder import pipeline
from builder.cli import main
from builder.i18n import words_for
from builder.templating import builtin_dir, builtin_templates
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "outlines"


def _run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _slides(deck: Path) -> list[tuple[str, str, str]]:
    """Return each slide's title, body text and notes."""
    found = []
    for slide in Presentation(str(deck)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title else ""
        body = " ".join(
            s.text_frame.text for s in slide.shapes if s.has_text_frame and s != slide.shapes.title
        )
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        found.append((title, " ".join(body.replace("\v", " ").split()), notes))
    return found


def _titles(deck: Path) -> list[str]:
    return [title for title, _, _ in _slides(deck)]


# ---- the folder is picked up ------------------------------------------------------------------


def test_a_build_from_the_repository_root_has_the_housekeeping_slide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["build", str(SHIPPED), "--format", "deck", "--out", str(tmp_path)]
    result = _run(args, ROOT, monkeypatch)
    assert result.exit_code == 0, result.output
    slides = _slides(tmp_path / "therapeutic-crying" / "deck.pptx")
    titles = [title for title, _, _ in slides]
    assert titles.index("Housekeeping") == 1 and titles[2] == "Disclosures"
    _, body, notes = slides[1]
    assert "Breaks: Break (0:43–0:53)" in body  # the outline's one break, at its agenda times
    assert "Restrooms and emergency exits" in body and "Sign in when you arrive" in body
    assert "Accommodations: [For disability accommodations, contact ce@example.org" in body
    assert notes.startswith("Take a minute for these points")


def test_templates_option_replaces_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "deck.xml.j2").write_text(
        '{% extends "builtin/deck.xml.j2" %}\n{% block takeaways %}\n'
        '  <slide kind="content"><title>My own slide</title><p>Mine</p>'
        "<notes><p>Mine.</p></notes></slide>\n{{ super() }}\n{% endblock %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["build", str(SHIPPED), "--format", "deck", "--out", str(out), "--templates", str(mine)]
    result = _run(args, ROOT, monkeypatch)
    assert result.exit_code == 0, result.output
    titles = _titles(out / "therapeutic-crying" / "deck.pptx")
    assert "My own slide" in titles and "Housekeeping" not in titles
    assert titles[titles.index("My own slide") + 1] == "Key takeaways"


def test_without_a_templates_folder_the_deck_is_the_built_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "w.yaml").write_text(MINIMAL, encoding="utf-8")
    result = _run(["build", "w.yaml", "--format", "deck", "--out", "out"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    titles = _titles(tmp_path / "out" / "w" / "deck.pptx")
    assert titles[1] == "Disclosures" and "Housekeeping" not in titles


# ---- the example override in every language, format and kit -----------------------------------


@pytest.mark.parametrize(
    ("outline", "kit"),
    [
        ("taller-es.yaml", "harborlight"),
        ("long-tokens-de.yaml", "northwind"),
        ("atelier-fr.yaml", None),
        ("one-section.yaml", "northwind"),  # a live interactive webinar
        ("day-long.yaml", "harborlight"),
    ],
)
def test_the_housekeeping_slide_speaks_the_outline_language_with_the_kit_facts(
    outline: str, kit: str | None, tmp_path: Path
) -> None:
    kit_path = ROOT / "sources" / "brands" / kit if kit else None
    job = pipeline.Job(FIXTURES / outline, kit_path, ROOT / "templates")
    loaded = pipeline.load(job)
    w, t = loaded.workshop, words_for(loaded.workshop.program.language)
    written, _ = pipeline.build(job, ["deck"], tmp_path)
    slides = _slides(next(p for p in written if p.name == "deck.pptx"))
    _, body, notes = slides[[s[0] for s in slides].index(t("housekeeping"))]

    def shown(key: str, **values: str) -> bool:  # as the slide shows it: spaces normalised
        return " ".join(t(key, **values).split()) in body

    assert shown("housekeeping_phones") and notes == t("housekeeping_note")
    assert shown("accommodations", text=loaded.provider.ada)
    online = w.program.format != "in-person"
    assert shown("housekeeping_questions") == online
    assert shown("housekeeping_restrooms") == shown("housekeeping_sign_in") == (not online)
    breaks = [s for s in w.agenda if not s.credit and not s.blocks]
    assert shown("housekeeping_no_breaks") == (not breaks)
    for section in breaks:
        assert section.title in body


def test_a_self_study_program_has_no_housekeeping_slide(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(
        MINIMAL.replace("format: in-person", "format: self-study"), encoding="utf-8"
    )
    written, _ = pipeline.build(pipeline.Job(tmp_path / "w.yaml", None, ROOT / "templates"),
                                ["deck"], tmp_path / "out")  # fmt: skip
    titles = _titles(next(p for p in written if p.name == "deck.pptx"))
    assert "Housekeeping" not in titles and titles[1] == "Disclosures"


# ---- workshop templates export and list -------------------------------------------------------


def test_export_copies_the_exact_built_in_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in builtin_templates():
        result = _run(["templates", "export", name], tmp_path, monkeypatch)
        assert result.exit_code == 0, result.output
        assert result.stdout == f"wrote templates/{name}\n"
        assert (tmp_path / "templates" / name).read_bytes() == (builtin_dir() / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "templates").iterdir()) == builtin_templates()


def test_an_exported_template_builds_the_same_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "w.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _run(["templates", "export", "deck.xml.j2"], tmp_path, monkeypatch).exit_code == 0
    built = {}
    for folder in ("templates", "empty"):
        (tmp_path / folder).mkdir(exist_ok=True)
        args = ["build", "w.yaml", "--format", "deck", "--out", folder + "-out"]
        result = _run([*args, "--templates", folder], tmp_path, monkeypatch)
        assert result.exit_code == 0, result.output
        built[folder] = _slides(tmp_path / f"{folder}-out" / "w" / "deck.pptx")
    assert built["templates"] == built["empty"]


def test_export_never_replaces_a_file_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "templates" / "handout.xml.j2"
    mine.parent.mkdir()
    mine.write_text("my edits", encoding="utf-8")
    refused = _run(["templates", "export", "handout.xml.j2"], tmp_path, monkeypatch)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: templates/handout.xml.j2 exists already; add --force to replace it\n"
    )
    assert mine.read_text(encoding="utf-8") == "my edits"
    forced = _run(["templates", "export", "handout.xml.j2", "--force"], tmp_path, monkeypatch)
    assert forced.exit_code == 0
    assert mine.read_bytes() == (builtin_dir() / "handout.xml.j2").read_bytes()
    assert [p.name for p in mine.parent.iterdir()] == ["handout.xml.j2"]  # no partial file left


def test_export_into_another_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(["templates", "export", "guide.xml.j2", "--templates", "a/b"], tmp_path,
                  monkeypatch)  # fmt: skip
    assert result.exit_code == 0 and (tmp_path / "a" / "b" / "guide.xml.j2").is_file()


def test_the_repository_example_is_not_replaced_by_export(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = (ROOT / "templates" / "deck.xml.j2").read_bytes()
    result = _run(["templates", "export", "deck.xml.j2"], ROOT, monkeypatch)
    assert result.exit_code == 1 and "exists already" in result.stderr
    assert (ROOT / "templates" / "deck.xml.j2").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "hint"),
    [("dek.xml.j2", "deck.xml.j2"), ("deck", "deck.xml.j2"), ("sign-in.xml.j2", "signin.xml.j2")],
)
def test_an_unknown_name_is_an_error_with_a_hint_and_the_list(
    name: str, hint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(["templates", "export", name], tmp_path, monkeypatch)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: no built-in template named {name!r} (did you mean {hint!r}?); built-in "
        f"templates: {', '.join(builtin_templates())}\n"
    )
    assert not (tmp_path / "templates").exists()


def test_list_names_the_templates_their_blocks_and_the_overrides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = _run(["templates", "list"], ROOT, monkeypatch)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "deck.xml.j2 (overridden by templates/deck.xml.j2)"
    assert lines[1].startswith("  blocks: title_slide, disclosures, ce_slide,")
    assert "handout.xml.j2" in lines and "signin.xml.j2" in lines


def test_an_override_extending_the_builtin_replaces_only_its_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "w.yaml").write_text(MINIMAL, encoding="utf-8")
    assert _run(["templates", "export", "deck.xml.j2"], tmp_path, monkeypatch).exit_code == 0
    (tmp_path / "templates" / "deck.xml.j2").write_text(
        '{% extends "builtin/deck.xml.j2" %}\n{% block closing %}\n'
        '  <slide kind="closing"><title>Thank you</title><p>Bye</p></slide>\n{% endblock %}\n',
        encoding="utf-8",
    )
    result = _run(["build", "w.yaml", "--format", "deck", "--out", "out"], tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    titles = _titles(tmp_path / "out" / "w" / "deck.pptx")
    assert titles[-1] == "Thank you" and "Evaluation and certificate" not in titles
    assert titles[1] == "Disclosures"


# ---- a fresh clone ------------------------------------------------------------------------------


def test_a_fresh_clone_builds_with_the_templates_folder(tmp_path: Path) -> None:
    workshop = Path(sys.executable).parent / "workshop"
    # CI runs on a git clone with the package installed: all three are there, so none may be missing
    assert (ROOT / ".git").exists() and shutil.which("git") and workshop.exists()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    run = subprocess.run(
        [str(workshop), "build", "--format", "deck"], cwd=clone, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Housekeeping" in _titles(clone / "output" / "therapeutic-crying" / "deck.pptx")
