"""The workshop's language: catalogues, Babel dates and numbers, and a Spanish build."""

from __future__ import annotations

import datetime as dt
import io
import string
from pathlib import Path

import pdfplumber
import pytest
from markupsafe import Markup
from pypdf import PdfReader

from builder import pipeline
from builder.brand import default_kit, load_brand
from builder.document import Document, Meta, Paragraph, Run
from builder.hyphenate import dictionary
from builder.i18n import (
    CATALOGUES,
    ENGLISH,
    format_date,
    format_number,
    words_for,
)
from builder.model import Source
from builder.pipeline import quote_title
from builder.references import apa_citation, apa_reference
from builder.writers.handout import SIDE, build_handout
from tests.conftest import MINIMAL

SPANISH_OUTLINE = (
    MINIMAL.replace("  format: in-person\n", "  format: in-person\n  language: es\n")
    .replace("Describe the S-P sequence.", "Describir la secuencia S-P.")
    .replace("Identify two conditions", "Identificar dos condiciones")
    .replace("Explain one limit of the evidence.", "Explicar un límite de la evidencia.")
)


def _placeholders(phrase: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(phrase) if name is not None}


@pytest.mark.parametrize("language", ["es", "de", "fr"])
def test_every_language_has_exactly_the_english_keys(language: str) -> None:
    assert set(CATALOGUES[language]) == set(ENGLISH)


@pytest.mark.parametrize("language", ["es", "de", "fr"])
def test_every_phrase_has_the_placeholders_of_its_english_phrase(language: str) -> None:
    catalogue = CATALOGUES[language]
    wrong = {k: v for k, v in catalogue.items() if _placeholders(v) != _placeholders(ENGLISH[k])}
    assert wrong == {}


@pytest.mark.parametrize(
    ("tag", "catalogue", "objectives"),
    [
        ("es", "es", "Objetivos de aprendizaje"),
        ("de-AT", "de", "Lernziele"),
        ("fr-CA", "fr", "Objectifs pédagogiques"),
        ("it", "en", "Learning objectives"),
        ("en-GB", "en", "Learning objectives"),
    ],
)
def test_words_follow_the_primary_subtag_and_fall_back_to_english(
    tag: str, catalogue: str, objectives: str
) -> None:
    t = words_for(tag)
    assert (t.catalogue, t("objectives")) == (catalogue, objectives)
    assert t.fallback is (tag == "it")


def test_phrases_are_formatted_and_unknown_keys_raise() -> None:
    t = words_for("de")
    assert t("part", n=2) == "Teil 2"
    assert t("in_words", name="Ada") == "In den Worten von Ada"
    with pytest.raises(KeyError):
        t("no such key")


def test_markup_values_stay_markup_and_plain_values_are_escaped() -> None:
    t = words_for("en")
    assert t("case", title=Markup("<i>Ann</i>")) == Markup("Case: <i>Ann</i>")
    assert t("accommodations", text="a < b") == "Accommodations: a < b"
    assert str(t("activity", title=Markup("<b>x</b>"))) == "Activity: <b>x</b>"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "March 12, 2027"),
        ("es", "12 de marzo de 2027"),
        ("de", "12. März 2027"),
        ("de-AT", "12. März 2027"),
        ("fr", "12 mars 2027"),
        ("zz", "March 12, 2027"),
    ],
)
def test_dates_are_written_the_languages_way(language: str, expected: str) -> None:
    assert format_date(dt.date(2027, 3, 12), language) == expected


def test_numbers_take_the_languages_decimal_sign() -> None:
    assert [format_number(1.5, lang) for lang in ("en", "es", "de", "fr")] == [
        "1.5",
        "1,5",
        "1,5",
        "1,5",
    ]


def test_hyphenation_dictionary_maps_bcp47_to_pyphen_names() -> None:
    assert dictionary("de-AT") == "de_AT"
    assert dictionary("en") == "en_US"
    assert dictionary("en-GB") == "en_GB"
    assert dictionary("es-MX") == "es"
    assert dictionary("ja") is None  # the handout then does not hyphenate at all


UNDATED = Source(kind="web", authors=["Von Glahn, J."], title="Tears", url="https://e.org")


@pytest.mark.parametrize(
    ("language", "nd"), [("en", "n.d."), ("es", "s. f."), ("de", "o. J."), ("fr", "s. d.")]
)
def test_undated_source_says_no_date_in_the_language(language: str, nd: str) -> None:
    assert apa_citation(UNDATED, language) == f"Von Glahn, {nd}"
    assert f"({nd})." in apa_reference(UNDATED, language)


def test_three_authors_and_untitled_quotes_follow_the_language() -> None:
    # an article's title is quoted (a web page's would be italic), the comma after the quote
    untitled = Source(kind="journal", year=2020, title="Tränen in der Therapie", container="P")
    assert apa_citation(untitled, "de") == "„Tränen in der Therapie“, 2020"
    many = Source(kind="book", year=2020, authors=["A, B.", "C, D.", "E, F."], title="T")
    assert apa_citation(many, "es") == "A et al., 2020"


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> tuple[pipeline.Loaded, str]:
    path = tmp_path_factory.mktemp("es") / "taller.yaml"
    path.write_text(SPANISH_OUTLINE.replace("level: introductory", "level: advanced"), "utf-8")
    loaded, files = pipeline.produce(pipeline.Job(path), ["handout"])
    pages = PdfReader(io.BytesIO(files["handout.pdf"])).pages
    return loaded, " ".join(" ".join(p.extract_text() for p in pages).split())


def test_spanish_outline_has_no_language_warning_or_verb_error(
    spanish: tuple[pipeline.Loaded, str],
) -> None:
    fields = [p.field for p in spanish[0].problems]
    assert not [f for f in fields if f.startswith(("objectives", "program.language"))], fields


def test_spanish_handout_speaks_spanish(spanish: tuple[pipeline.Loaded, str]) -> None:
    text = spanish[1]
    for words in (
        "Objetivos de aprendizaje",
        "Al finalizar este taller, usted podrá:",
        "Página 1 de",
        "12 de marzo de 2027",
        "Nivel Avanzado",
        "Modalidad: Presencial",
        "Parte 1: Basics",
        "Referencias",
        "Educación continua",
        "créditos de educación continua",
        "Caso: A housebound client",
    ):
        assert words in text
    for english in ("Page 1 of", "Learning objectives", "n.d.", "minutes", "Key takeaways"):
        assert english not in text


def test_spanish_handout_cites_an_undated_source_with_s_f(
    spanish: tuple[pipeline.Loaded, str],
) -> None:
    assert "(s. f.)." in spanish[1] and "Virtual Psych Centre" in spanish[1]


def _context(tmp_path: Path, outline: str) -> dict[str, object]:
    path = tmp_path / "o.yaml"
    path.write_text(outline, encoding="utf-8")
    return pipeline.context(pipeline.load(pipeline.Job(path)), path)


def test_clock_is_elapsed_time_without_a_start(tmp_path: Path) -> None:
    ctx = _context(tmp_path, MINIMAL)
    assert ctx["clock"] == ["0:00", "0:30", "0:40"]
    assert ctx["clock_end"] == ["0:30", "0:40", "1:15"]


def test_clock_is_the_time_of_day_from_program_start(tmp_path: Path) -> None:
    german = MINIMAL.replace("  format: in-person\n", "  format: in-person\n  language: de\n")
    ctx = _context(tmp_path, german.replace("  dates:", '  start: "09:00"\n  dates:'))
    assert ctx["clock"] == ["09:00", "09:30", "09:40"]
    assert ctx["clock_end"][-1] == "10:15"
    english = _context(tmp_path, MINIMAL.replace("  dates:", '  start: "13:00"\n  dates:'))
    assert english["clock"][0].replace("\u202f", " ") == "1:00 PM"  # type: ignore[union-attr]


def test_credit_label_follows_the_language(tmp_path: Path) -> None:
    french = MINIMAL.replace("  format: in-person\n", "  format: in-person\n  language: fr\n")
    ctx = _context(tmp_path, french)
    assert ctx["credit_label"] == "1 crédit de formation continue (65 minutes d’enseignement)"
    assert ctx["date_label"] == "12 mars 2027"
    assert ctx["commercial_support"] == "aucun"


def _german_pdf(text: str) -> bytes:
    brand = load_brand(default_kit())[0]
    blocks = tuple(Paragraph((Run(text),), "body") for _ in range(3))
    return build_handout(Document(Meta("Silbentrennung", "de-AT"), blocks), brand)


def test_german_compounds_are_hyphenated_in_the_handout() -> None:
    compounds = (
        "Therapeutinnen beobachten Arbeitsgedächtniskapazitäten, "
        "Gesundheitsversorgungsstrukturen und Krankenversicherungsleistungsansprüche genau. "
    )
    pdf = _german_pdf(compounds * 3)
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert any(line.endswith("-") and line[-2].isalpha() for line in lines), lines
    assert "Seite 1 von 1" in lines[-1] or any("Seite 1 von 1" in line for line in lines)


def test_url_breaks_after_a_slash_rather_than_leaving_half_a_line_empty() -> None:
    url = "https://www.psychotherapie.example.org/fortbildung/materialien/handout.pdf"
    pdf = _german_pdf(f"Das Handout mit Arbeitsblättern finden Sie unter {url} zum Herunterladen.")
    lines = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert any(
        line.endswith("unter https://www.psychotherapie.example.org/fortbildung/") for line in lines
    ), lines


def test_url_longer_than_a_line_stays_inside_the_margins() -> None:
    url = "https://www.psychotherapie.example.org/" + "/".join(["fortbildung"] * 8)
    pdf = _german_pdf(f"Siehe {url}?sprache=de&format=a4 und weitere Quellen.")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert max(c["x1"] for c in page.chars) <= page.width - SIDE + 1


@pytest.mark.parametrize(
    ("by", "language", "title"),
    [
        ("Jeffrey Von Glahn", "en", "In Jeffrey Von Glahn’s words"),
        ("A composite client, first session", "en", "Quote: A composite client, first session"),
        ("Bessel van der Kolk", "de", "In den Worten von Bessel van der Kolk"),
        ("Die Klientin", "de", "Zitat: Die Klientin"),
        ("Consultante del caso", "es", "Cita: Consultante del caso"),
        (
            "William R. Miller y Stephen Rollnick",
            "es",
            "En palabras de William R. Miller y Stephen Rollnick",
        ),
    ],
)
def test_quote_titles_name_people_and_label_descriptions(
    by: str, language: str, title: str
) -> None:
    assert quote_title(by, words_for(language)) == title


@pytest.mark.parametrize(
    ("language", "objective", "listed"),
    [
        ("de", "Beschreiben Sie drei typische Verläufe.", "drei typische Verläufe beschreiben."),
        ("de", "Wenden Sie den Ablauf an.", "den Ablauf anwenden."),
        ("de-AT", "Beschreiben, wie Trauer verläuft.", "beschreiben, wie Trauer verläuft."),
        ("en", "Describe three courses of grief.", "Describe three courses of grief."),
        ("es", "Describir tres cursos.", "Describir tres cursos."),
    ],
)
def test_objectives_read_as_items_under_the_lead_in_the_outline_language(
    tmp_path: Path, language: str, objective: str, listed: str
) -> None:
    """Under "Nach diesem Workshop können Sie:" a German item puts its verb last (deck and
    handout); other languages' items read as the author wrote them."""
    outline = MINIMAL.replace("program:\n", f"program:\n  language: {language}\n", 1)
    ctx = _context(tmp_path, outline)
    assert ctx["listed"](objective) == listed  # type: ignore[operator]


@pytest.mark.parametrize(
    ("outline", "kit", "name"),
    [
        ("tests/fixtures/outlines/long-tokens-de.yaml", None, "Fortbildung"),
        ("tests/fixtures/outlines/taller-es.yaml", None, "Educación continua"),
        ("sources/therapeutic-crying.yaml", None, "Continuing Education"),
        ("tests/fixtures/outlines/long-tokens-de.yaml", "sources/brands/northwind", "Northwind"),
    ],
)
def test_the_built_in_kit_is_named_in_the_outlines_language(
    outline: str, kit: str | None, name: str
) -> None:
    root = Path(__file__).resolve().parents[1]
    job = pipeline.Job(root / outline, root / kit if kit else None)
    assert pipeline.load(job).brand.name.startswith(name)
