"""A kit's own fonts: TTF files in the kit or a fontpkg package, measured, embedded, named."""

from __future__ import annotations

import io
import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pptx import Presentation
from pypdf import PdfReader

from builder import pipeline
from builder.brand import load_brand
from builder.errors import BrandError
from builder.font_cuts import cached, cut_path, prefetch
from builder.fonts import _measured, metrics

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
ATKINSON = ROOT / "tests" / "fixtures" / "brands" / "atkinson"


@pytest.fixture
def atkinson(tmp_path: Path) -> Path:
    """Return a copy of the Atkinson Hyperlegible kit (fonts as TTF files) to edit."""
    return Path(shutil.copytree(ATKINSON, tmp_path / "atkinson"))


def _embedded(pdf: bytes) -> set[str]:
    """Return the base names of the fonts embedded (with a font file) in the PDF."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def _typefaces(pptx: bytes) -> set[str]:
    prs = Presentation(io.BytesIO(pptx))
    return {
        run.font.name
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for run in p.runs
        if run.font.name
    }


def test_kit_ttf_files_are_measured_embedded_named_and_travel_with_the_deck() -> None:
    _, files = pipeline.produce(pipeline.Job(SHIPPED, ATKINSON), ["deck", "handout"])
    embedded = _embedded(files["handout.pdf"])
    assert {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"} <= embedded
    assert not any(name.startswith("Arimo") for name in embedded)
    assert _typefaces(files["deck.pptx"]) == {"Atkinson Hyperlegible"}
    assert "AtkinsonHyperlegible-Regular.ttf" in files
    assert "Atkinson-Hyperlegible-OFL.txt" in files


def test_a_kit_font_is_measured_with_its_own_metrics() -> None:
    brand, _ = load_brand(ATKINSON)
    arial, _ = load_brand(ROOT / "sources" / "brands" / "northwind")
    own = metrics(brand.body_font.regular)
    assert own is not metrics(arial.body_font.regular)
    assert own.width("illicit minimum", 20) > 1.05 * metrics(arial.body_font.regular).width(
        "illicit minimum", 20
    )


def test_presenters_are_told_which_fonts_to_install() -> None:
    brand, _ = load_brand(ATKINSON)
    assert brand.fonts_to_install() == ["Atkinson Hyperlegible"]


def test_a_font_that_forbids_embedding_is_refused(atkinson: Path) -> None:
    file = atkinson / "fonts" / "AtkinsonHyperlegible-Bold.ttf"
    font = TTFont(file)
    font["OS/2"].fsType = 0x0002
    font.save(file)
    with pytest.raises(BrandError) as info:
        load_brand(atkinson)
    (problem,) = info.value.problems
    assert problem.field == "typography.fonts.0.files.1.path"
    assert "AtkinsonHyperlegible-Bold.ttf forbids embedding" in problem.message
    assert "restricted license" in problem.message


@pytest.mark.parametrize(
    ("fs_type", "said"),
    [(0x0100, "forbids embedding a subset of it"), (0x0200, "allows embedding its bitmaps only")],
)
def test_a_font_that_forbids_subsets_or_outlines_is_refused(
    atkinson: Path, fs_type: int, said: str
) -> None:
    file = atkinson / "fonts" / "AtkinsonHyperlegible-Bold.ttf"
    font = TTFont(file)
    font["OS/2"].fsType = fs_type
    font.save(file)
    with pytest.raises(BrandError) as info:
        load_brand(atkinson)
    (problem,) = info.value.problems
    assert problem.field == "typography.fonts.0.files.1.path" and said in problem.message


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda data: b"wOF2" + data[4:], "got a WOFF2 web font named"),
        (lambda data: data[: len(data) // 20], "expected a readable font file"),
    ],
    ids=["woff2-named-ttf", "truncated"],
)
def test_a_damaged_or_web_font_file_is_refused_at_its_line(
    atkinson: Path, damage: Callable[[bytes], bytes], said: str
) -> None:
    file = atkinson / "fonts" / "AtkinsonHyperlegible-Bold.ttf"
    file.write_bytes(damage(file.read_bytes()))
    with pytest.raises(BrandError) as info:
        load_brand(atkinson)
    (problem,) = info.value.problems
    assert problem.field == "typography.fonts.0.files.1.path" and said in problem.message
    assert problem.line > 0


def test_missing_font_files_are_all_listed(atkinson: Path) -> None:
    for name in ("Regular", "Italic"):
        (atkinson / "fonts" / f"AtkinsonHyperlegible-{name}.ttf").unlink()
    with pytest.raises(BrandError) as info:
        load_brand(atkinson)
    assert [p.field for p in info.value.problems] == [
        "typography.fonts.0.files.0.path",
        "typography.fonts.0.files.2.path",
    ]


def test_a_font_path_that_is_a_folder_or_a_pipe_says_so(atkinson: Path) -> None:
    regular, bold = (
        atkinson / "fonts" / f"AtkinsonHyperlegible-{n}.ttf" for n in ("Regular", "Bold")
    )
    regular.unlink()
    regular.mkdir()
    bold.unlink()
    os.mkfifo(bold)  # opening it to read would wait for a writer
    with pytest.raises(BrandError) as info:
        load_brand(atkinson)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 2 and all(m.endswith("which is not a regular file") for m in messages)


def test_a_google_font_without_its_package_names_the_pip_install(atkinson: Path) -> None:
    path = atkinson / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  base: Atkinson Hyperlegible", "  base: Nunito Zeta")
    text = text.replace("  fonts:\n", "  fonts:\n    - family: Nunito Zeta\n      source: google\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BrandError) as info:
        load_brand(atkinson)
    assert "run: pip install fontpkg-nunito-zeta" in str(info.value)


def with_source_sans(kit: Path) -> None:
    """Make the kit's headings Source Sans 3, from its package (variable fonts)."""
    path = kit / "_brand.yml"
    text = path.read_text(encoding="utf-8").replace(
        "  fonts:\n", "  fonts:\n    - family: Source Sans 3\n      source: google\n"
    )
    text = text.replace(
        "    family: Atkinson Hyperlegible\n    weight: bold", "    family: Source Sans 3"
    )
    path.write_text(text, encoding="utf-8")


def test_a_google_font_from_its_package_is_embedded_and_named(atkinson: Path) -> None:
    with_source_sans(atkinson)
    brand, _ = load_brand(atkinson)
    assert brand.heading_font.deck_name == "Source Sans 3"
    assert "fvar" not in TTFont(brand.heading_font.bold)  # a static cut, not variable
    _, files = pipeline.produce(pipeline.Job(SHIPPED, atkinson), ["deck", "handout"])
    assert any(n.startswith("SourceSans3") for n in _embedded(files["handout.pdf"]))
    assert "Source Sans 3" in _typefaces(files["deck.pptx"])
    # the presenter installs the static faces the PDFs embed, not the variable file (whose
    # default instance is ExtraLight, with no bold, in LibreOffice)
    travelling = sorted(n for n in files if n.startswith("Source") and n.endswith(".ttf"))
    styles = ("Bold", "BoldItalic", "Italic", "Regular")
    assert travelling == [f"Source-Sans-3-{style}.ttf" for style in styles]
    assert not any("[" in name for name in files)
    bold = TTFont(io.BytesIO(files["Source-Sans-3-Bold.ttf"]))
    assert "fvar" not in bold and bold["OS/2"].usWeightClass == 700
    assert bold["name"].getDebugName(1) == "Source Sans 3"


def _with_variable_body(kit: Path, family: str, name: str, weight: str) -> None:
    """Put Source Sans 3's upright variable font in the kit as family (file name, weight
    entry) and make it the body font."""
    import fontpkg_source_sans_3

    source = Path(fontpkg_source_sans_3.__file__).parent / "files" / "SourceSans3[wght].ttf"
    shutil.copy(source, kit / "fonts" / name)
    path = kit / "_brand.yml"
    text = path.read_text(encoding="utf-8").replace(
        "  fonts:\n",
        f"  fonts:\n    - family: {family}\n      source: file\n      files:\n"
        f'        - {{path: "fonts/{name}", weight: {weight}}}\n',
    )
    path.write_text(re.sub(r"  base: .*\n", f"  base: {family}\n", text))  # headings stay


def test_a_variable_font_file_in_the_kit_is_cut_to_static_weights(atkinson: Path) -> None:
    _with_variable_body(atkinson, "Source Sans 3", "SourceSans3[wght].ttf", "[200, 900]")
    brand, _ = load_brand(atkinson)
    regular, bold = TTFont(brand.body_font.regular), TTFont(brand.body_font.bold)
    assert "fvar" not in regular and "fvar" not in bold
    assert (regular["OS/2"].usWeightClass, bold["OS/2"].usWeightClass) == (400, 700)


def test_a_kit_of_one_upright_variable_font_builds_every_pdf(atkinson: Path) -> None:
    _with_variable_body(atkinson, "Brand Var", "BrandVar.ttf", "400")
    brand, _ = load_brand(atkinson)
    family = brand.body_font
    assert family.italic == family.regular and family.bolditalic == family.bold  # no slanted cut
    formats = ["handout", "deck-pdf", "guide"]  # regular and italic text: one embedded face
    _, files = pipeline.produce(pipeline.Job(SHIPPED, atkinson), formats)
    assert {"handout.pdf", "deck.pdf", "guide.pdf"} <= set(files)
    assert any("SourceSans3" in n for n in _embedded(files["handout.pdf"]))


def _as_cff(ttf: Path, otf: Path) -> None:
    """Write the TrueType font ttf again with CFF (PostScript) outlines, as many foundries ship."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    source = TTFont(ttf)
    order, glyphs = source.getGlyphOrder(), source.getGlyphSet()
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()
    builder = FontBuilder(source["head"].unitsPerEm, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(source.getBestCmap())
    names = {"familyName": "Atkinson Hyperlegible", "styleName": "Regular"}
    builder.setupCFF("AtkinsonHyperlegible-Regular", {}, charstrings, {})
    builder.setupHorizontalMetrics({n: source["hmtx"][n] for n in order})
    builder.setupHorizontalHeader(ascent=source["hhea"].ascent, descent=source["hhea"].descent)
    builder.setupNameTable(names)
    builder.setupOS2(usWeightClass=400, fsType=0)
    builder.setupPost()
    builder.save(otf)


def test_an_otf_with_cff_outlines_is_converted_embedded_and_travels_as_given(
    atkinson: Path,
) -> None:
    fonts = atkinson / "fonts"
    _as_cff(fonts / "AtkinsonHyperlegible-Regular.ttf", fonts / "AtkinsonHyperlegible-Regular.otf")
    assert "CFF " in TTFont(fonts / "AtkinsonHyperlegible-Regular.otf")
    path = atkinson / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Regular.otf"),
        encoding="utf-8",
    )
    brand, _ = load_brand(atkinson)
    assert "glyf" in TTFont(brand.body_font.regular)  # a TrueType copy for the PDFs
    ours = metrics(brand.body_font.regular).width("Therapeutic crying", 20)
    theirs = metrics(ATKINSON / "fonts" / "AtkinsonHyperlegible-Regular.ttf")
    assert abs(ours - theirs.width("Therapeutic crying", 20)) < 0.01
    _, files = pipeline.produce(pipeline.Job(SHIPPED, atkinson), ["deck", "handout"])
    regular = [n for n in _embedded(files["handout.pdf"]) if "Bold" not in n and "Italic" not in n]
    assert regular and all(n.startswith("Atkinson") for n in regular)  # embedded as TrueType
    assert "AtkinsonHyperlegible-Regular.otf" in files  # the presenter installs the font as shipped


def _sources() -> list[tuple[Path, int]]:
    """Return the variable fonts of Arimo and Source Sans 3, at the weights brands cut."""
    import fontpkg_arimo
    import fontpkg_source_sans_3

    arimo = Path(fontpkg_arimo.__file__).parent / "files"
    sans = Path(fontpkg_source_sans_3.__file__).parent / "files"
    fonts = [arimo / "Arimo[wght].ttf", arimo / "Arimo-Italic[wght].ttf"]
    fonts += [sans / "SourceSans3[wght].ttf", sans / "SourceSans3-Italic[wght].ttf"]
    return [(font, weight) for font in fonts for weight in (400, 600, 700)]


@pytest.mark.parametrize(("source", "weight"), _sources(), ids=lambda v: getattr(v, "stem", v))
def test_a_face_is_measured_before_its_cut_as_after(
    source: Path, weight: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    face = cut_path(str(cached(source, f"{weight}")), source, weight)
    before = metrics(face)
    assert not list(tmp_path.rglob("*.ttf"))  # measured from the variable font
    metrics.cache_clear()
    try:
        assert TTFont(face)["OS/2"].usWeightClass == weight  # opening the file cuts it
        assert _measured(face) == before  # the cut measured itself
        assert metrics(face) == before  # kept
    finally:
        metrics.cache_clear()


def test_a_face_cut_in_a_worker_or_here_or_after_pickling_has_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, weight = _sources()[2]  # Arimo bold
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a"))
    here = cut_path(str(cached(source, "Bold")), source, weight)
    here.read_bytes()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "b"))
    ahead = cut_path(str(cached(source, "Bold")), source, weight)
    prefetch([ahead])
    copied = pickle.loads(pickle.dumps(ahead))
    assert (copied.source, copied.weight) == (source, weight)
    assert copied.read_bytes() == ahead.read_bytes() == here.read_bytes()
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_variable_font_that_cannot_be_cut_is_a_brand_error(tmp_path: Path) -> None:
    source, weight = _sources()[2]
    broken = tmp_path / "Broken[wght].ttf"
    broken.write_bytes(source.read_bytes()[:4096])  # a damaged (truncated) file
    face = cut_path(str(tmp_path / "Broken-Bold.ttf"), broken, weight)
    with pytest.raises(BrandError, match="expected a variable font that can be cut"):
        face.read_bytes()


@pytest.mark.parametrize("family", [0, 6], ids=["arimo", "source-sans"])
def test_cuts_are_the_instances_of_fonttools_byte_for_byte(
    family: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cuts made ahead in workers (one read, forked per weight) or here (the default's outline
    deltas skipped) are fontTools' instancer's output: PDFs embed them."""
    from fontTools.varLib import instancer

    source = _sources()[family][0]
    weights = [400, 700, int(TTFont(source)["fvar"].axes[0].defaultValue)]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    ahead = [cut_path(str(tmp_path / f"ahead-{w}.ttf"), source, w) for w in weights]
    prefetch(list(ahead))
    for weight, face in zip(weights, ahead, strict=True):
        plain = instancer.instantiateVariableFont(
            TTFont(source), {"wght": weight}, updateFontNames=True, inplace=True
        )
        plain.recalcTimestamp = False
        expected = io.BytesIO()
        plain.save(expected)
        assert face.read_bytes() == expected.getvalue()
    here = cut_path(str(tmp_path / "here.ttf"), source, weights[-1])  # at the default
    assert here.read_bytes() == ahead[-1].read_bytes()


def test_a_font_entry_serving_two_roles_warns_once(atkinson: Path) -> None:
    for license_file in (atkinson / "fonts").glob("*OFL*"):
        license_file.unlink()
    path = atkinson / "_brand.yml"
    text = path.read_text(encoding="utf-8")
    assert "    weight: bold\n" in text and "base: Atkinson Hyperlegible" in text
    path.write_text(text.replace("    weight: bold\n", "    weight: 600\n"), encoding="utf-8")
    brand, _ = load_brand(atkinson)  # base (400) and headings (600): one family, two weights
    warned = [w for w in brand.warnings if "license file" in w.message]
    assert len(warned) == 1


def test_the_deck_names_the_family_its_font_files_install_as(atkinson: Path) -> None:
    _with_variable_body(atkinson, "Quelle", "Quelle.ttf", "[200, 900]")  # the kit's own label
    _, files = pipeline.produce(pipeline.Job(SHIPPED, atkinson), ["deck"])
    assert "Source Sans 3" in _typefaces(files["deck.pptx"])  # what PowerPoint finds installed
    assert "Quelle" not in _typefaces(files["deck.pptx"])
    travelling = TTFont(io.BytesIO(files["Source-Sans-3-Regular.ttf"]))
    assert travelling["name"].getDebugName(1) == "Source Sans 3"


def test_faces_without_a_postscript_name_stay_four_faces_in_the_pdf(atkinson: Path) -> None:
    for path in (atkinson / "fonts").glob("*.ttf"):
        font = TTFont(path)
        font["name"].names = [n for n in font["name"].names if n.nameID not in (4, 6)]
        font.save(path)  # reportlab then names each face after the family: one face for all
    _, files = pipeline.produce(pipeline.Job(SHIPPED, atkinson), ["handout"])
    embedded = _embedded(files["handout.pdf"])
    assert {"AtkinsonHyperlegible-Bold", "AtkinsonHyperlegible-Italic"} <= embedded, embedded
    assert len(embedded) >= 3  # regular, bold and italic: was {'Atkinson Hyperlegible'}
