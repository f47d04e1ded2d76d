"""Brand kits: brand.yml read with the brand_yml package, checked when the kit loads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from builder.brand import contrast, default_kit, load_brand
from builder.brand_checks import cover_tint, luminance
from builder.errors import BrandError
from builder.writers.pdf_kit import palette


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    """Return a copy of the default kit to edit."""
    return Path(shutil.copytree(default_kit(), tmp_path / "kit"))


def _errors(kit: Path) -> list[str]:
    with pytest.raises(BrandError) as info:
        load_brand(kit)
    return [str(p) for p in info.value.problems]


def test_default_kit_loads_with_palette_names_resolved() -> None:
    brand, provider = load_brand(default_kit())
    assert brand.colors.primary == "#1F3A5F" and brand.colors.accent == "#AD5F19"
    assert brand.paper == "letter" and provider.minutes_per_credit == 60


def test_an_existing_quarto_brand_file_works_unchanged(kit: Path) -> None:
    (kit / "_brand.yml").write_text(
        "meta:\n  name: {full: Acme Institute, short: Acme}\n  link: https://acme.example\n"
        "color:\n  primary: '#0B3D91'\n  foreground: '#222222'\n  background: '#FFFFFF'\n"
        "typography:\n  base: Arial\n  headings: {family: Arial, weight: 700}\n"
        "defaults:\n  bootstrap:\n    defaults: {enable-rounded: false}\n",
        encoding="utf-8",
    )
    brand, _ = load_brand(kit)
    assert brand.name == "Acme Institute" and brand.colors.primary == "#0B3D91"


def test_low_contrast_is_an_error_naming_pair_ratio_and_line(kit: Path) -> None:
    text = (
        (kit / "_brand.yml")
        .read_text(encoding="utf-8")
        .replace("  foreground: ink", "  foreground: '#BBBBBB'")
    )
    (kit / "_brand.yml").write_text(text, encoding="utf-8")
    messages = _errors(kit)
    line = text.splitlines().index("color:") + 1
    assert any(
        m.startswith(
            f"{kit / '_brand.yml'}:{line}: color: expected contrast of at least 4.5:1 "
            "for foreground on background"
        )
        and ":1 (#BBBBBB on #FFFFFF)" in m
        for m in messages
    ), messages


def test_unknown_brand_yml_key_is_an_error_at_its_line(kit: Path) -> None:
    path = kit / "_brand.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "colour:\n  primary: red\n", encoding="utf-8"
    )
    (message,) = _errors(kit)
    assert message.startswith(f"{path}:") and "colour" in message


def test_unknown_font_family_lists_the_known_ones(kit: Path) -> None:
    path = kit / "_brand.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("family: Arial", "family: Comic Neue", 1)
    )
    (message,) = _errors(kit)
    assert "expected Arial (or Arimo, Helvetica, Liberation Sans)" in message
    assert "got 'Comic Neue'; for a Google font run: pip install fontpkg-comic-neue" in message


def test_logo_must_be_a_readable_image_with_alt_text(kit: Path) -> None:
    path = kit / "_brand.yml"
    base = path.read_text(encoding="utf-8")
    (kit / "logo.png").write_bytes(b"not an image")
    path.write_text(
        base + "logo:\n  images:\n    mark: {path: logo.png, alt: Acme logo}\n  medium: mark\n"
    )
    assert any("expected a readable PNG or JPEG image, got 'logo.png'" in m for m in _errors(kit))
    Image.new("RGB", (40, 20), "navy").save(kit / "logo.png")
    brand, _ = load_brand(kit)
    assert brand.logo == kit / "logo.png" and brand.logo_alt == "Acme logo"


def test_claimed_body_needs_its_number(kit: Path) -> None:
    path = kit / "provider.yml"
    text = path.read_text(encoding="utf-8").replace("approvals: []", "approvals:\n  - body: NBCC\n")
    path.write_text(text, encoding="utf-8")
    (message,) = _errors(kit)
    line = text.splitlines().index("  - body: NBCC") + 1
    assert (
        message
        == f"{path}:{line}: approvals.0.number: expected NBCC's provider number, got nothing"
    )


def test_print_colors_replace_slide_colors_on_paper(kit: Path) -> None:
    (kit / "workshop.yml").write_text("handout:\n  foreground: '#111111'\n", encoding="utf-8")
    brand, _ = load_brand(kit)
    assert brand.printed().colors.foreground == "#111111"
    assert brand.printed().colors.background == "#FFFFFF"
    assert brand.colors.foreground == "#1F2933"


def test_contrast_ratio_matches_wcag() -> None:
    assert round(contrast("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast("#777777", "#FFFFFF"), 2) == 4.48


def _with_colors(kit: Path, palette: dict[str, str] | None = None, **colors: str) -> Path:
    """Set palette entries and colors in the kit's _brand.yml as written; return its path."""
    path = kit / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    keys = [("    ", k, v) for k, v in (palette or {}).items()]
    for indent, key, value in keys + [("  ", k, v) for k, v in colors.items()]:
        text = re.sub(rf"(?m)^{indent}{key}: .*$", f"{indent}{key}: {value}", text, count=1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("rgb(18, 53, 91)", "#12355B"),
        ("darkslategray", "#2F4F4F"),
        ("DarkSlateGray", "#2F4F4F"),
        ("blue", "#0000FF"),
        ('"#222"', "#222222"),
        ('"#12355b"', "#12355B"),
        ("hsl(0, 0%, 20%)", "#333333"),
        ("hsv(240, 100%, 50%)", "#000080"),
        ('"#12355BFF"', "#12355B"),
        ("rgba(18, 53, 91, 1)", "#12355B"),
    ],
)
def test_css_colour_forms_are_read_as_rrggbb(kit: Path, written: str, expected: str) -> None:
    _with_colors(kit, primary=written)
    brand, _ = load_brand(kit)
    assert brand.colors.primary == expected


@pytest.mark.parametrize(
    "written", ['"#000000CC"', '"#000C"', "rgba(0, 0, 0, 0.8)", "rgba(0, 0, 0, 80%)"]
)
def test_a_translucent_colour_is_composited_over_white(kit: Path, written: str) -> None:
    _with_colors(kit, primary=written)
    brand, _ = load_brand(kit)
    assert brand.colors.primary == "#333333"  # 0.8 black over white: 255 * 0.2 = 51


def test_palette_values_and_colours_take_css_forms(kit: Path) -> None:
    palette = {"navy": "rgb(31, 58, 95)", "mist": '"#EEF2F6FF"', "ink": "black"}
    _with_colors(kit, palette, background="white")
    brand, _ = load_brand(kit)
    colors = brand.colors
    assert (colors.primary, colors.light) == ("#1F3A5F", "#EEF2F6")
    assert (colors.foreground, colors.background) == ("#000000", "#FFFFFF")


def test_color_that_is_no_css_colour_is_an_error_at_its_line(kit: Path) -> None:
    path = _with_colors(kit, primary="nvay")
    (message,) = _errors(kit)
    line = path.read_text(encoding="utf-8").splitlines().index("  primary: nvay") + 1
    assert message == (
        f"{path}:{line}: color.primary: expected a colour (#RRGGBB, #RGB, #RRGGBBAA, a CSS "
        "name, rgb(), rgba(), hsl() or hsv()) or a palette name (amber, ink, mist, navy, "
        "teal), got 'nvay' (did you mean 'navy'?)"
    )


def test_a_bad_palette_value_is_an_error_once_at_the_palette_entry(kit: Path) -> None:
    path = _with_colors(kit, {"navy": "rgb(31, 58)"}, secondary="navy")
    (message,) = _errors(kit)  # primary and secondary both name it: one problem
    line = path.read_text(encoding="utf-8").splitlines().index("    navy: rgb(31, 58)") + 1
    assert message == (
        f"{path}:{line}: color.palette.navy: expected a colour (#RRGGBB, #RGB, #RRGGBBAA, a "
        "CSS name, rgb(), rgba(), hsl() or hsv()), got 'rgb(31, 58)'"
    )


def test_palette_names_in_a_loop_are_an_error_at_the_first(kit: Path) -> None:
    path = kit / "_brand.yml"
    text = path.read_text(encoding="utf-8").replace(
        "  palette:\n", "  palette:\n    a: b\n    b: a\n"
    )
    path.write_text(text, encoding="utf-8")
    (message,) = _errors(kit)
    line = text.splitlines().index("    a: b") + 1
    assert message.startswith(f"{path}:{line}: color.palette.a: expected colour names that end")
    assert message.endswith("got a loop: a -> b -> a")


def test_an_approval_period_that_ends_before_it_starts_is_an_error(kit: Path) -> None:
    path = kit / "provider.yml"
    approval = (
        "approvals:\n  - body: ASWB\n    number: '1234'\n"
        "    period_start: 2029-01-01\n    period_end: 2026-01-01\n"
    )
    text = path.read_text(encoding="utf-8").replace("approvals: []\n", approval)
    path.write_text(text, encoding="utf-8")
    (message,) = _errors(kit)
    assert (
        "approvals.0.period_end: expected a period_end after period_start (2029-01-01)" in message
    )


def test_a_provider_text_the_font_cannot_show_is_an_error(kit: Path) -> None:
    path = kit / "provider.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^name: .*$", 'name: "Riverside CE 😀"', text), encoding="utf-8")
    (message,) = _errors(kit)
    assert message.startswith(f"{path}:") and "name: expected characters the font" in message
    assert "U+1F600" in message


def test_dark_slides_without_panel_or_paper_colours_get_ones_that_read(kit: Path) -> None:
    path = kit / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  light: .*\n", "", text)
    text = re.sub(r"(?m)^  foreground: .*$", '  foreground: "#F0F0F0"', text)
    text = re.sub(r"(?m)^  background: .*$", '  background: "#101820"', text)
    text = re.sub(r"(?m)^  primary: .*$", '  primary: "#FFD166"', text)
    path.write_text(text, encoding="utf-8")
    brand, _ = load_brand(kit)  # no contrast error: panels and paper derived from the kit
    assert contrast(brand.colors.foreground, brand.colors.light) >= 4.5
    assert luminance(brand.colors.light) < 0.4  # a dark panel on dark slides, not pale grey
    paper = brand.printed().colors
    assert paper.background == "#FFFFFF" and paper.foreground == "#101820"
    assert contrast(paper.primary, "#FFFFFF") >= 3.0


def test_a_primary_our_pale_cover_text_does_not_read_on_takes_white_text(kit: Path) -> None:
    _with_colors(kit, primary="'#008080'")  # teal: white reads (4.8:1), our #DCE4EE not (3.7:1)
    brand, _ = load_brand(kit)  # refused before, for text we draw ourselves
    tint = palette(brand.printed())["tint"]
    assert tint.hexval().upper() == "0XFFFFFF"
    assert contrast("#DCE4EE", "#1F3A5F") >= 4.5 and cover_tint("#1F3A5F") == "#DCE4EE"
