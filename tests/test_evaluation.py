"""evaluation.pdf (issue 10): built for the shipped workshop under every example kit and read
back with pypdf: one rating item per objective, the accreditors' items, fields with accessible
names that pypdf fills, fonts embedded, and a filled answer that shows when printed."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from builder import pipeline
from builder.document import Row, Run, Table
from builder.i18n import words_for
from builder.writers.evaluation import is_rating, objective_clause, scale_values
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sources" / "therapeutic-crying.yaml"
OUTLINES = Path(__file__).parent / "fixtures" / "outlines"
KITS = [None, *sorted(p for p in (ROOT / "sources" / "brands").iterdir() if p.is_dir())]
EN = words_for("en")


@functools.cache
def _built(outline: Path, kit: Path | None = None) -> tuple[pipeline.Loaded, bytes]:
    loaded, files = pipeline.produce(pipeline.Job(outline, kit), ["evaluation"])
    return loaded, files["evaluation.pdf"]


def _fields(data: bytes) -> dict[str, Any]:
    return dict(PdfReader(io.BytesIO(data)).get_fields() or {})


def _names(data: bytes, prefix: str) -> list[str]:
    """Return the accessible names (/TU) of the fields whose name starts with prefix, in order."""
    fields = _fields(data)
    keys = sorted((k for k in fields if k.startswith(prefix)), key=lambda k: int(k.split("_")[-1]))
    return [str(fields[k]["/TU"]) for k in keys]


def _text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _kit_id(kit: Path | None) -> str:
    return kit.name if kit else "default"


@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_one_rating_item_per_objective_named_by_its_evaluation_text(kit: Path | None) -> None:
    loaded, data = _built(SHIPPED, kit)
    expected = [" ".join((o.evaluation or "").split()) for o in loaded.workshop.objectives]
    assert all(text.startswith("I am able to") for text in expected)
    assert _names(data, "rating_1_") == expected


@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_accreditors_items_and_open_questions_are_fields(kit: Path | None) -> None:
    loaded, data = _built(SHIPPED, kit)
    presenter = loaded.workshop.presenters[0].name
    items = _names(data, "rating_2_")
    for phrase in [
        EN("item_description"),
        EN("item_knowledge", name=presenter),
        EN("item_teaching", name=presenter),
        EN("item_relevance"),
        EN("item_facility"),  # the shipped workshop is in person
        EN("item_bias"),
        EN("item_overall"),
    ]:
        assert phrase in items
    questions = _names(data, "text_")
    assert questions[:2] == [EN("name"), EN("date")]
    assert EN("question_bias") in questions and EN("question_improve") in questions


@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_form_names_the_session(kit: Path | None) -> None:
    loaded, data = _built(SHIPPED, kit)
    text = " ".join(_text(data).split())
    w, provider = loaded.workshop, loaded.provider
    assert w.program.title in text and "March 12, 2027" in text
    assert loaded.workshop.presenters[0].name in text and provider.name in text
    for approval in provider.approvals:
        assert approval.body in text
    if not provider.approvals:
        assert EN("no_approval_listed") in text
    assert PdfReader(io.BytesIO(data)).metadata.title == w.program.title


def test_every_field_has_an_accessible_name_and_radios_rate_5_to_1() -> None:
    fields = _fields(_built(SHIPPED)[1])
    assert fields and all(str(f.get("/TU", "")).strip() for f in fields.values())
    radios = {k: f for k, f in fields.items() if f["/FT"] == "/Btn"}
    assert radios and all(f["/_States_"] == ["/5", "/4", "/3", "/2", "/1"] for f in radios.values())
    texts = {k: f for k, f in fields.items() if f["/FT"] == "/Tx"}
    assert texts["text_3"]["/Ff"] & 4096  # multiline answers; the name field is one line
    assert not texts["text_1"].get("/Ff", 0) & 4096


def _filled(data: bytes, values: dict[str, str]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pypdf_fills_ratings_and_answers_and_reads_them_back() -> None:
    data = _built(SHIPPED, KITS[-1])[1]
    answer = "Très utile — the S-P sequence.\nA second line."
    filled = _filled(
        data, {"rating_1_2": "/4", "rating_2_1": "/1", "text_1": "Zoë Ng", "text_3": answer}
    )
    fields = _fields(filled)
    assert fields["rating_1_2"]["/V"] == "/4" and fields["rating_2_1"]["/V"] == "/1"
    assert fields["text_1"]["/V"] == "Zoë Ng" and fields["text_3"]["/V"] == answer
    assert fields["rating_1_1"].get("/V") in (None, "/Off")  # untouched items stay unanswered
    states = [
        a.get_object().get("/AS")
        for page in PdfReader(io.BytesIO(filled)).pages
        for a in page.get("/Annots", [])
        if a.get_object().get("/Parent", {}).get("/T") == "rating_1_2"
    ]
    assert states == ["/Off", "/4", "/Off", "/Off", "/Off"]


def test_default_item_is_i_am_able_to_and_the_objective(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert _names(_built(path)[1], "rating_1_") == [
        "I am able to describe the S-P sequence.",
        "I am able to identify two conditions for therapeutic crying.",
        "I am able to explain one limit of the evidence.",
    ]


@pytest.mark.parametrize(
    ("outline", "first"),
    [
        ("taller-es.yaml", "Soy capaz de describir los cuatro procesos"),
        ("atelier-fr.yaml", "Je peux désormais décrire les trois dimensions"),
        ("long-tokens-de.yaml", "Ich kann beschreiben, wie Körperwahrnehmungsübungen"),
    ],
)
def test_forms_in_other_languages_speak_them(outline: str, first: str) -> None:
    loaded, data = _built(OUTLINES / outline)
    assert _names(data, "rating_1_")[0].startswith(first)
    t = words_for(loaded.workshop.program.language)
    assert t("evaluation_title") in _text(data)


def test_objective_clause_lowers_a_verb_and_keeps_a_german_noun() -> None:
    assert objective_clause("Describe the model.", "en") == "describe the model."
    assert objective_clause("Beschreiben, wie es wirkt.", "de") == "beschreiben, wie es wirkt."
    noun = "Kontraindikationen vor Übungen benennen."
    assert objective_clause(noun, "de") == noun
    # "Ich kann …": the imperative's verb goes last, a leading article is lowered
    polite = "Beschreiben Sie fünf gewichtige Anhaltspunkte."
    assert objective_clause(polite, "de") == "fünf gewichtige Anhaltspunkte beschreiben."
    separable = "Wenden Sie einen sechsstufigen Ablauf an."
    assert objective_clause(separable, "de") == "einen sechsstufigen Ablauf anwenden."
    last = "Einen sechsstufigen Ablauf anwenden."
    assert objective_clause(last, "de") == "einen sechsstufigen Ablauf anwenden."
    assert (
        objective_clause("S’adapter au rythme du client.", "fr") == "s’adapter au rythme du client."
    )


def _table(*rows: list[str], header: bool = True) -> Table:
    cells = [
        Row(tuple((Run(c),) if c else () for c in r), i == 0 and header) for i, r in enumerate(rows)
    ]
    return Table(tuple(cells))


def test_a_rating_grid_is_a_scale_header_over_rows_of_empty_cells() -> None:
    assert is_rating(_table(["Item", "5 Yes", "1 No"], ["I can do it", "", ""]))
    assert not is_rating(_table(["Item", "5 Yes", "1 No"], ["I can do it", "x", ""]))
    assert not is_rating(_table(["Date", "March 12"], ["Format", "In person"], header=False))
    assert not is_rating(_table(["Item", "Yes", "No"]))  # no rows to rate


def test_scale_values_come_from_the_headers_else_count_down() -> None:
    assert scale_values([(Run("5 Strongly agree"),), (Run("1 Strongly disagree"),)]) == ["5", "1"]
    assert scale_values([(Run("Agree"),), (Run("Neutral"),), (Run("Disagree"),)]) == ["3", "2", "1"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run scripts/install-clients.sh"
    return path


@pytest.mark.client
@pytest.mark.parametrize("kit", KITS, ids=_kit_id)
def test_pdffonts_shows_every_font_embedded_the_form_font_too(
    kit: Path | None, tmp_path: Path
) -> None:
    path = tmp_path / "evaluation.pdf"
    path.write_bytes(_filled(_built(SHIPPED, kit)[1], {"text_3": "Zoë"}))
    rows = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]  # fmt: skip
    assert len(rows) >= 3, rows  # body, bold and the fields' font
    assert all(row.split()[-5] == "yes" for row in rows), rows


@pytest.mark.client
def test_a_filled_rating_prints(tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    data = _built(SHIPPED)[1]
    pages = []
    for name, pdf in (("blank", data), ("filled", _filled(data, {"rating_1_1": "/5"}))):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run([_tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1",
                        str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True)  # fmt: skip
        pages.append(Image.open(next(tmp_path.glob(f"{name}*.png"))).convert("L"))
    box = ImageChops.difference(*pages).getbbox()
    assert box is not None and (box[2] - box[0]) < 20  # one button changed, nothing else


def test_the_default_evaluation_policy_speaks_the_outlines_language() -> None:
    """A provider that states no evaluation policy gets the outline language's, not English."""
    german = ROOT / "tests" / "fixtures" / "outlines" / "long-tokens-de.yaml"
    text = " ".join(_text(_built(german)[1]).split())
    assert " ".join(words_for("de")("evaluation_policy").split()) in text
    assert "Complete the evaluation form" not in text
    english = " ".join(_text(_built(SHIPPED)[1]).split())
    assert "Complete the evaluation form before you leave" in english
