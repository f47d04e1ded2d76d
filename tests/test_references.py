"""APA 7 references and citations: one entry, a whole list, and what the templates show."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup
from pypdf import PdfReader
from ruamel.yaml import YAML

from builder import pipeline
from builder.bibliography import Bibliography
from builder.errors import OutlineError
from builder.loader import load_model
from builder.model import Source, Workshop
from builder.references import apa_authors, apa_citation, apa_reference, title_case
from builder.templating import environment, render
from tests.conftest import MINIMAL

FIXTURES = Path(__file__).parent / "fixtures" / "references"
SHIPPED = Path(__file__).resolve().parents[1] / "sources" / "therapeutic-crying.yaml"
FORTY: list[dict[str, Any]] = YAML(typ="safe").load(
    (FIXTURES / "forty.yaml").read_text(encoding="utf-8")
)


def stars(markup: Markup | str) -> str:
    """Return markup as the fixtures write it: *italics*, entities as characters."""
    return html.unescape(str(markup).replace("<i>", "*").replace("</i>", "*"))


@pytest.fixture(scope="module")
def forty() -> Bibliography:
    return Bibliography({e["key"]: Source.model_validate(e["source"]) for e in FORTY})


def test_the_forty_fixture_covers_every_kind() -> None:
    assert len(FORTY) == 40
    kinds = {e["source"]["kind"] for e in FORTY}
    assert kinds == {"journal", "magazine", "blog", "web", "book", "chapter", "report"}


def test_forty_sources_are_listed_in_apa_order(forty: Bibliography) -> None:
    assert forty.sorted_keys() == [e["key"] for e in FORTY]


@pytest.mark.parametrize("entry", FORTY, ids=[e["key"] for e in FORTY])
def test_reference_matches_the_hand_checked_apa_7_string(
    forty: Bibliography, entry: dict[str, Any]
) -> None:
    assert stars(forty.reference(entry["key"])) == entry["reference"]


@pytest.mark.parametrize("entry", FORTY, ids=[e["key"] for e in FORTY])
def test_citation_matches_the_hand_checked_apa_7_string(
    forty: Bibliography, entry: dict[str, Any]
) -> None:
    assert stars(forty.citation(entry["key"])) == entry["citation"]


def test_list_and_citations_give_the_same_suffix(forty: Bibliography) -> None:
    for key in forty.sorted_keys():
        date = re.search(r"\((n\.d\.-[a-z]|\d{4}[a-z])", stars(forty.reference(key)))
        if date:
            assert forty.citation_text(key).endswith(date.group(1)), key
    suffixed = [k for k in forty.sorted_keys() if forty.citation_parts(k)[1].startswith("n.d.-")]
    assert len(suffixed) == 8


def test_a_lone_undated_work_gets_no_suffix() -> None:
    one = Source(kind="web", authors=["California Legislature"], title="A bill")
    bib = Bibliography({"a": one, "b": one.model_copy(update={"year": 2020})})
    assert bib.citation_text("a") == "California Legislature, n.d."


def test_the_note_stays_out_of_the_reference(forty: Bibliography) -> None:
    for key in ("tears-resistant", "vonglahn-blog", "who2020-work"):
        text = stars(forty.reference(key))
        assert "[" not in text and "translation" not in text and "French" not in text


def test_description_follows_the_title_in_brackets() -> None:
    thesis = Source(
        kind="report",
        authors=["Horvath-Plyman, M."],
        year=2018,
        title="Social media and the college student journey",
        description="Doctoral dissertation, New York University",
        publisher="ProQuest Dissertations and Theses Global",
    )
    assert stars(apa_reference(thesis)) == (
        "Horvath-Plyman, M. (2018). *Social media and the college student journey* [Doctoral "
        "dissertation, New York University]. ProQuest Dissertations and Theses Global."
    )


def test_an_authored_book_with_an_editor_names_them_after_the_title() -> None:
    book = Source(
        kind="book",
        authors=["Freud, S."],
        editors=["Gay, P."],
        translators=["Strachey, J."],
        year=1989,
        title="The ego and the id",
        publisher="W. W. Norton",
    )
    assert "*The ego and the id* (P. Gay, Ed.; J. Strachey, Trans.). W. W. Norton." in stars(
        apa_reference(book)
    )


def test_user_text_is_escaped_and_only_italics_added() -> None:
    s = Source(
        kind="magazine",
        authors=["Von Glahn, J."],
        year=2012,
        title="In praise of <crying> & more",
        container="A <b> magazine",
    )
    text = str(apa_reference(s))
    assert "&lt;crying&gt; &amp; more" in text and "<i>A &lt;b&gt; magazine</i>" in text
    assert set(re.findall(r"</?(\w+)", text)) == {"i"}


def test_author_lists() -> None:
    assert apa_authors(["A"]) == "A"
    assert apa_authors(["A", "B"]) == "A, & B"
    assert apa_authors(["A", "B", "C"]) == "A, B, & C"
    many = [f"N{i}, A." for i in range(1, 23)]
    assert apa_authors(many) == ", ".join(many[:19]) + ", . . . N22, A."


def test_same_surname_first_authors_get_initials() -> None:
    bib = Bibliography(
        {
            "j": Source(kind="journal", authors=["Smith, J."], year=2020, title="A"),
            "k": Source(kind="journal", authors=["Smith, K. L."], year=2019, title="B"),
        }
    )
    assert bib.citation_text("j") == "J. Smith, 2020"
    assert bib.citation_text("k") == "K. L. Smith, 2019"


def test_et_al_never_stands_for_one_name() -> None:
    a = Source(kind="journal", authors=["A, A.", "B, B.", "C, C."], year=2020, title="One")
    b = Source(kind="journal", authors=["A, A.", "B, B.", "D, D."], year=2020, title="Two")
    bib = Bibliography({"a": a, "b": b})
    assert bib.citation_text("a") == "A, B, & C, 2020"
    assert bib.citation_text("b") == "A, B, & D, 2020"


def test_untitled_article_is_quoted_in_title_case_with_the_comma_inside() -> None:
    article = Source(kind="journal", year=2020, title="Study finds crying helps", container="J")
    assert apa_citation(article) == "“Study Finds Crying Helps,” 2020"
    assert apa_citation(article, "es") == "«Study finds crying helps», 2020"


def test_title_case_keeps_minor_words_and_capitalizes_after_a_colon() -> None:
    assert title_case("tears: a sign of cry-resistant in the clinic") == (
        "Tears: A Sign of Cry-Resistant in the Clinic"
    )
    assert title_case("the DNA of iPhone use") == "The DNA of iPhone Use"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "es",
            "Lewis, M., & Haviland, J. M. (Eds.). (s. f.). *Handbook* (J. Roe, Trad.; 2.ª ed.).",
        ),
        (
            "de",
            "Lewis, M., & Haviland, J. M. (Hrsg.). (o. J.). *Handbook* (J. Roe, Übers.; 2. Aufl.).",
        ),
        ("fr", "Lewis, M., & Haviland, J. M. (Dir.). (s. d.). *Handbook* (J. Roe, Trad.; 2e éd.)."),
    ],
)
def test_apa_words_follow_the_language(language: str, expected: str) -> None:
    book = Source(
        kind="book",
        editors=["Lewis, M.", "Haviland, J. M."],
        translators=["Roe, J."],
        edition=2,
        title="Handbook",
    )
    assert stars(apa_reference(book, language)) == expected


def test_chapter_words_follow_the_language() -> None:
    chapter = Source(
        kind="chapter",
        authors=["Roe, A."],
        year=2001,
        title="Tränen",
        editors=["Vingerhoets, A.", "Cornelius, R. R."],
        container="Weinen",
        pages="1-9",
        publisher="Hogrefe",
    )
    assert stars(apa_reference(chapter, "de")) == (
        "Roe, A. (2001). Tränen. In A. Vingerhoets & R. R. Cornelius (Hrsg.), *Weinen* (S. 1–9). "
        "Hogrefe."
    )


# The shipped workshop: shared/sources/README.md's references, in APA 7 order. The README sets
# the undated web page's title in roman; APA 7 italicizes a web page's title (9.33, 10.16).
SHIPPED_REFERENCES = [
    "Bylsma, L. M., Gračanin, A., & Vingerhoets, A. J. J. M. (2021). A clinical practice review "
    "of crying research. *Psychotherapy*, *58*(1), 133–149. https://doi.org/10.1037/pst0000342",
    "Bylsma, L. M., Vingerhoets, A. J. J. M., & Rottenberg, J. (2008). When is crying cathartic? "
    "An international study. *Journal of Social and Clinical Psychology*, *27*(10), 1165–1187. "
    "https://doi.org/10.1521/jscp.2008.27.10.1165",
    "*Tears: A positive sign in cry-resistant patients*. (n.d.). Virtual Psych Centre. "
    "https://virtualpsychcentre.com/tears-a-positive-sign-in-cry-resistant-patients/",
    "Von Glahn, J. (n.d.). The healing power of crying: . . . And why calming your client can "
    "actually backfire. *Psychotherapy Networker*. "
    "https://www.psychotherapynetworker.org/blog/details/628/the-healing-power-of-crying",
    "Von Glahn, J. (2012, May/June). In praise of therapeutic crying: Therapy’s best kept "
    "secret. *Psychotherapy Networker*. "
    "https://www.psychotherapynetworker.org/article/praise-therapeutic-crying",
]


def test_shipped_workshop_handout_lists_its_references_in_apa_7() -> None:
    loaded = pipeline.load(pipeline.Job(SHIPPED))
    markup = render(environment(None), "handout.xml.j2", pipeline.context(loaded, SHIPPED))
    shown = re.findall(r'<p style="reference"[^>]*>(.*?)</p>', markup, re.S)
    assert [stars(" ".join(s.split())) for s in shown] == SHIPPED_REFERENCES
    notes = re.findall(r'</p>\s*<p style="small">(.*?)</p>', markup.split("references")[-1])
    assert any("Blog excerpt of Von Glahn (2012)." in html.unescape(n) for n in notes)


def test_shipped_workshop_citations() -> None:
    w = load_model(SHIPPED, Workshop)
    bib = Bibliography(w.sources, w.program.language)
    cited = {key: stars(bib.citation(key)) for key in w.sources}
    assert cited == {
        "vonglahn2012": "Von Glahn, 2012",
        "vonglahn-blog": "Von Glahn, n.d.",
        "tears-resistant": "*Tears*, n.d.",
        "bylsma2021": "Bylsma et al., 2021",
        "bylsma2008": "Bylsma et al., 2008",
    }


def test_template_filters_use_the_bibliography_of_the_context(tmp_path: Path) -> None:
    (tmp_path / "x.j2").write_text(
        "{% for key, s in refs %}{{ s | citation }}|{% endfor %}", encoding="utf-8"
    )
    sources = {
        "b": Source(kind="web", authors=["California Legislature"], title="B"),
        "a": Source(kind="web", authors=["California Legislature"], title="A"),
    }
    bib = Bibliography(sources)
    refs = [(k, sources[k]) for k in bib.sorted_keys()]
    text = render(environment(tmp_path), "x.j2", {"bib": bib, "refs": refs, "lang": "en"})
    assert text == "California Legislature, n.d.-a|California Legislature, n.d.-b|"
    alone = render(environment(tmp_path), "x.j2", {"refs": refs, "lang": "de"})
    assert alone == "California Legislature, o. J.|California Legislature, o. J.|"


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="expected a citation style of apa, ama, got 'mla'"):
        Bibliography({}, style="mla")


# ---- sources from a reference manager's file -------------------------------------------------

EXPECTED = {e["key"]: e for e in FORTY}


def _outline(folder: Path, sources: str) -> Path:
    """Write the small outline with `sources:` replaced by text; return its path."""
    head, rest = MINIMAL.split("sources:\n", 1)
    agenda = rest[rest.index("agenda:") :]
    path = folder / "outline.yaml"
    path.write_text(f"{head}sources: {sources}\n{agenda}", "utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("name", ["refs.bib", "refs.json"])
def test_a_reference_manager_file_gives_the_hand_checked_references(
    tmp_path: Path, name: str
) -> None:
    shutil.copy(FIXTURES / name, tmp_path / name)
    extra = (
        "{file: refs.bib, extra: {klymkowsky2018: {kind: blog}}}" if name == "refs.bib" else name
    )
    w = load_model(_outline(tmp_path, extra), Workshop)
    bib = Bibliography(w.sources, w.program.language)
    checked = [key for key in w.sources if key in EXPECTED]
    assert len(checked) >= 7
    for key in checked:
        assert stars(bib.reference(key)) == EXPECTED[key]["reference"], key
        assert stars(bib.citation(key)) == EXPECTED[key]["citation"], key


def test_csl_json_thesis_and_particles(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "refs.json", tmp_path)
    w = load_model(_outline(tmp_path, "refs.json"), Workshop)
    assert w.sources["gogh1888"].authors == ["van Gogh, V."]
    thesis = stars(Bibliography(w.sources).reference("horvath2018"))
    assert thesis == (
        "Horvath-Plyman, M. (2018). *Social media and the college student journey* [Doctoral "
        "dissertation, New York University]. ProQuest Dissertations and Theses Global."
    )


def test_extra_sets_our_own_fields_per_key(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "refs.bib", tmp_path)
    sources = (
        "\n  file: refs.bib\n  extra:\n    bylsma2021: {peer_reviewed: true}\n"
        "    tears-resistant:\n      note: English translation of a Spanish article."
    )
    w = load_model(_outline(tmp_path, sources), Workshop)
    assert w.sources["bylsma2021"].peer_reviewed and not w.sources["nci2019"].peer_reviewed
    assert w.sources["tears-resistant"].note == "English translation of a Spanish article."
    assert w.sources["tears-resistant"].line == _line_of(tmp_path / "outline.yaml", "note:")
    # BibTeX's own note ("Accessed: ...") is not our note, and a month shows only where APA
    # dates the work to the day (a blog post, once `kind: blog` says it is one)
    assert w.sources["tears-resistant"].note != "Accessed: 2024-05-01"
    assert w.sources["bylsma2021"].date_detail is None


def test_month_and_day_follow_the_outline_language(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "refs.json", tmp_path)
    path = _outline(tmp_path, "refs.json")
    path.write_text(path.read_text("utf-8").replace("  format:", "  language: es\n  format:"))
    w = load_model(path, Workshop)
    assert w.sources["who2018"].date_detail == "24 de mayo"


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ("../refs.bib", "expected a .bib or .json file inside the outline's folder"),
        ("/etc/refs.bib", "expected a .bib or .json file inside the outline's folder"),
        ("refs.txt", "expected a .bib or .json file inside the outline's folder"),
        ("missing.bib", "expected an existing file (no missing.bib beside the outline)"),
        ("link.bib", "expected a file inside the outline's folder (a link leads outside it)"),
        ("broken.bib", "expected BibTeX that bibtexparser can read (broken.bib line 2"),
        ("patent.bib", "expected entries of the types article, book"),
        ("twice.bib", "the key 'a' a second time"),
        ("bad.json", "expected CSL-JSON (bad.json line 1"),
        ("{file: refs.bib, extra: {nosuch: {note: x}}}", "(it has no 'nosuch')"),
        ("{file: refs.bib, extras: {}}", "expected a mapping of file and extra"),
    ],
)
def test_a_bad_sources_file_is_an_error_at_the_outline_line(
    tmp_path: Path, sources: str, expected: str
) -> None:
    inside = tmp_path / "outline"
    inside.mkdir()
    shutil.copy(FIXTURES / "refs.bib", inside)
    (tmp_path / "secret.bib").write_text("@misc{s, title={Secret}}\n", "utf-8")
    (inside / "link.bib").symlink_to(tmp_path / "secret.bib")
    (inside / "broken.bib").write_text("\n@article{a, title = {Unclosed\n", "utf-8")
    (inside / "patent.bib").write_text("@patent{p, title={P}}\n", "utf-8")
    (inside / "twice.bib").write_text("@misc{a, title={A}}\n@misc{a, title={B}}\n", "utf-8")
    (inside / "bad.json").write_text("{items: []}", "utf-8")
    path = _outline(inside, sources)
    with pytest.raises(OutlineError) as info:
        load_model(path, Workshop)
    problem = info.value.problems[0]
    assert (problem.line, problem.field) == (_line_of(path, "sources:"), "sources")
    assert expected in problem.message


def test_a_bad_field_in_the_file_names_its_key(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text("@article{k1, title={T}, doi={not-a-doi}}\n", "utf-8")
    path = _outline(tmp_path, "refs.bib")
    with pytest.raises(OutlineError) as info:
        load_model(path, Workshop)
    problem = info.value.problems[0]
    assert problem.field == "sources.k1.doi" and problem.line == _line_of(path, "sources:")


def test_schema_takes_a_file_for_sources() -> None:
    schema = Workshop.model_json_schema(by_alias=True)["properties"]["sources"]
    forms = schema["anyOf"]
    assert forms[0]["type"] == "object" and "patternProperties" in forms[0]
    assert re.search(forms[1]["pattern"], "refs.bib") and not re.search(
        forms[1]["pattern"], "/x.bib"
    )
    assert forms[2]["required"] == ["file"]
    assert "refs.bib" in schema["description"]


def test_a_build_cites_sources_from_a_bib_file(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        (FIXTURES / "refs.bib")
        .read_text("utf-8")
        .replace("{bylsma2021,", "{b2021,")
        .replace("{klymkowsky2018,", "{a2012,")
        .replace("{tears-resistant,", "{c,"),
        "utf-8",
    )
    path = _outline(tmp_path, "{file: refs.bib, extra: {b2021: {peer_reviewed: true}}}")
    _, files = pipeline.produce(pipeline.Job(path), ["handout"])
    pages = PdfReader(io.BytesIO(files["handout.pdf"])).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "(Klymkowsky, 2018)" in text  # a point citing a2012, now Klymkowsky's page
    assert "Miller, W. R., & Rollnick, S. (2013)." in text  # listed, though never cited
