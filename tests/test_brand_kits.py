"""Brand kits as providers have them: every problem at once, `_brand.yml` alone, contrast."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from builder import pipeline
from builder.brand import default_kit, load_brand
from builder.cli import main
from builder.errors import BrandError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    """Return a copy of the default kit to edit."""
    return Path(shutil.copytree(default_kit(), tmp_path / "kit"))


def _edit(file: Path, old: str, new: str) -> str:
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new), encoding="utf-8")
    return file.read_text(encoding="utf-8")


def _line(text: str, start: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if line.startswith(start))


def _errors(kit: Path) -> list[str]:
    with pytest.raises(BrandError) as info:
        load_brand(kit)
    return [str(p) for p in info.value.problems]


def test_five_faults_are_listed_in_one_run_each_at_its_file_and_line(kit: Path) -> None:
    brand_file, settings, provider = kit / "_brand.yml", kit / "workshop.yml", kit / "provider.yml"
    brand_text = _edit(brand_file, "  primary: navy", "  primary: navvy")
    brand_text = _edit(
        brand_file,
        "typography:",
        "logo:\n  images:\n    mark: {path: logo.png}\n  medium: mark\ntypography:",
    )
    settings_text = _edit(settings, "body_min_pt: 18 ", "body_min_pt: 16 ")
    provider_text = _edit(
        provider, "approvals: []", "approvals:\n  - body: ASWB\n    number: '1901'\n"
    )
    errors = _errors(kit)
    assert len(errors) == 5, errors
    logo_line = _line(brand_text, "logo:")
    assert f"{brand_file}:{_line(brand_text, '  primary: navvy')}: color.primary: expected " in (
        "\n".join(errors)
    )
    assert any("got 'navvy' (did you mean 'navy'?)" in e for e in errors)
    assert f"{brand_file}:{logo_line}: logo: expected an image file in the kit, got 'logo.png'" in (
        "\n".join(errors)
    )
    assert f"{brand_file}:{logo_line}: logo: expected alt text for the logo" in "\n".join(errors)
    assert f"{settings}:{_line(settings_text, 'body_min_pt')}: body_min_pt: expected" in (
        "\n".join(errors)
    )
    aswb = _line(provider_text, "  - body: ASWB")
    assert f"{provider}:{aswb}: approvals.0: expected period_start and period_end" in (
        "\n".join(errors)
    )


def test_unknown_key_lists_allowed_keys_with_did_you_mean(kit: Path) -> None:
    path = kit / "_brand.yml"
    text = _edit(path, "typography:", "logo:\n  images:\n    mark: {path: l.png, alt: A, size: 3}\n"
                 "  medium: mark\ntypography:")  # fmt: skip
    Image.new("RGB", (80, 20), "navy").save(kit / "l.png")
    errors = _errors(kit)
    assert errors[0] == (
        f"{path}:{_line(text, '    mark:')}: logo.images.mark.size: expected one of path, alt, "
        "attrs, got unknown key 'size'"
    )
    assert not any("expected one of ," in e for e in errors)


def test_misspelled_top_level_key_suggests_the_right_one(kit: Path) -> None:
    path = kit / "_brand.yml"
    _edit(path, "typography:", "typografy:")
    (message,) = _errors(kit)
    assert "got unknown key 'typografy' (did you mean 'typography'?)" in message
    assert "expected one of meta, logo, color, typography" in message


def test_brand_file_alone_builds_with_placeholders_and_warnings(kit: Path, tmp_path: Path) -> None:
    (kit / "provider.yml").unlink()
    brand, provider = load_brand(kit)
    assert provider.name == "[Continuing Education]" and provider.approvals == []
    assert any("expected provider.yml beside _brand.yml" in str(w) for w in brand.warnings)
    written, warnings = pipeline.build(pipeline.Job(SHIPPED, kit), ["deck"], tmp_path / "out")
    assert written and any("placeholders" in str(w) for w in warnings)


def test_check_strict_fails_until_the_provider_is_supplied(
    kit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (kit / "provider.yml").unlink()
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", str(SHIPPED), "--brand", str(kit), "--strict"])
    assert result.exit_code == 1
    assert "expected provider.yml beside _brand.yml" in result.stderr


# Each pair we draw, made to fail: (file, old, new, words of the message).
_BAD_PAIRS = [
    ("_brand.yml", "  foreground: ink", "  foreground: '#BBBBBB'", "slide text"),
    ("_brand.yml", "    mist: \"#EEF2F6\"", "    mist: \"#1F2933\"", "quote panels"),
    ("_brand.yml", "  primary: navy", "  primary: '#8FA9C4'", "table headers"),
    ("_brand.yml", "  primary: navy", "  primary: '#F2F2F2'", "slide titles"),
    ("workshop.yml", "# handout:", "handout:\n  primary: '#7FA0C0'\n#", "handout headings"),
    ("workshop.yml", "# handout:", "handout:\n  accent: '#E0A526'\n#", "handout step numbers"),
    ("workshop.yml", "# handout:", "handout:\n  light: '#5B6875'\n#", "handout statements"),
    ("workshop.yml", "# handout:", "handout:\n  secondary: '#9AB0C0'\n#", "handout subheadings"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "where"), _BAD_PAIRS)
def test_each_contrast_pair_fails_on_a_bad_kit(
    kit: Path, file: str, old: str, new: str, where: str
) -> None:
    _edit(kit / file, old, new)
    errors = [e for e in _errors(kit) if "expected contrast" in e]
    assert any(where in e for e in errors), errors
    if file == "workshop.yml":
        assert all("in workshop.yml" in e for e in errors if "handout" in e.split(":1 for ")[1])


def test_step_numbers_move_off_an_unreadable_tertiary_and_fail_when_nothing_reads(
    kit: Path,
) -> None:
    _edit(kit / "_brand.yml", "  tertiary: amber", "  tertiary: '#E0A526'")
    _edit(kit / "workshop.yml", "# handout:", "handout:\n  accent: '#1F3A5F'\n#")
    brand, _ = load_brand(kit)
    assert brand.colors.badge == brand.colors.primary  # white on gold is 2.19:1
    # Mid-tones: neither white nor near-black text reaches 4.5:1 on any of the three.
    _edit(kit / "_brand.yml", "  primary: navy", "  primary: '#B8651B'")
    _edit(kit / "_brand.yml", "  tertiary: '#E0A526'", "  tertiary: '#B8651B'")
    assert any("step numbers on process diagrams" in e for e in _errors(kit))


def test_links_on_dark_slides_use_a_color_that_reads_and_the_theme_carries_it() -> None:
    brand, _ = load_brand(ROOT / "sources" / "brands" / "harborlight")
    assert brand.colors.link == "#E0A526"  # not the default #1F5FA8 (2.68:1 on #0F1B2D)
    from builder.writers.deck import recolor_theme

    theme = b"<a:hlink><a:srgbClr val='0563C1'/></a:hlink>"
    assert b"E0A526" in recolor_theme(theme, {"hlink": brand.colors.link[1:]}, "A", "B")


def test_links_fail_when_no_brand_color_reads_on_the_background(kit: Path) -> None:
    for old, new in [
        ("  primary: navy", "  primary: '#777777'"),
        ("  secondary: teal", "  secondary: '#888888'"),
        ("  tertiary: amber", "  tertiary: '#999999'"),
    ]:
        _edit(kit / "_brand.yml", old, new)  # fmt: skip
    _edit(kit / "_brand.yml", "  foreground: ink", "  foreground: '#8A8A8A'")
    assert any("links on the slide background" in e for e in _errors(kit))


def test_brand_all_says_which_kits_it_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        main, ["build", str(SHIPPED), "--brand", "all", "--out", str(tmp_path), "--format",
               "deck", "--jobs", "1"]
    )  # fmt: skip
    assert "brands: harborlight, northwind" in result.stderr
    assert "add --brand default" in result.stderr


def test_brand_inspect_resolves_a_name_like_brand(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["brand", "inspect", "harborlight"])
    assert result.exit_code == 0, result.output
    assert "kit: Harborlight Clinical Collective" in result.stdout
    assert "presenters install nothing" in result.stdout
    missing = CliRunner().invoke(main, ["brand", "inspect", "harborligt"])
    assert missing.exit_code == 1 and "did you mean 'harborlight'?" in missing.stderr
