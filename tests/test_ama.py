"""AMA 11 references and citations: one entry, the numbered list, the outline key and a build."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pypdf import PdfReader

from builder import pipeline
from builder.ama import ama_authors, ama_name, ama_pages, ama_reference
from builder.bibliography import Bibliography, bibliography_of, citation_order
from builder.errors import OutlineError
from builder.journals import abbreviate
from builder.loader import load_model
from builder.model import Source, Workshop
from tests.conftest import MINIMAL
from tests.test_references import FIXTURES, FORTY, SHIPPED, stars

FORTY_SOURCES = {e["key"]: Source.model_validate(e["source"]) for e in FORTY}


@pytest.fixture(scope="module")
def forty() -> Bibliography:
    return Bibliography(FORTY_SOURCES, style="ama")


@pytest.mark.parametrize("number_entry", list(enumerate(FORTY, 1)), ids=[e["key"] for e in FORTY])
def test_reference_matches_the_hand_checked_ama_11_string(
    forty: Bibliography, number_entry: tuple[int, dict[str, Any]]
) -> None:
    number, entry = number_entry
    assert stars(forty.reference(entry["key"])) == f"{number}. {entry['ama']}"
    assert forty.citation(entry["key"]) == str(number)


# The kinds the APA tests check, each by a source typed here by hand from the AMA 11 rules
HAND_CHECKED = {
    "journal article with a DOI": (
        "bylsma2008",
        "Bylsma LM, Vingerhoets AJJM, Rottenberg J. When is crying cathartic? An international "
        "study. *J Soc Clin Psychol*. 2008;27(10):1165-1187. doi:10.1521/jscp.2008.27.10.1165",
    ),
    "magazine": (
        "lyons2009",
        "Lyons D. Don't 'iTune' us: It's geeks versus writers. Guess who's winning. *Newsweek*. "
        "June 15, 2009;153(24):27.",
    ),
    "blog post": (
        "klymkowsky2018",
        "Klymkowsky M. Can we talk scientifically about free will? Sci-Ed. Published September "
        "15, 2018. https://blogs.plos.org/scied/2018/09/15/can-we-talk-scientifically-about-free"
        "-will/",
    ),
    "web page with a date": (
        "who2018",
        "World Health Organization. The top 10 causes of death. Published May 24, 2018. "
        "https://www.who.int/news-room/fact-sheets/detail/the-top-10-causes-of-death",
    ),
    "web page without a date": (
        "tears-resistant",
        "Tears: A positive sign in cry-resistant patients. Virtual Psych Centre. "
        "https://virtualpsychcentre.com/tears-a-positive-sign-in-cry-resistant-patients/",
    ),
    "web page read on a day": (
        "census",
        "U.S. Census Bureau. U.S. and world population clock. U.S. Department of Commerce. "
        "Accessed July 3, 2019. https://www.census.gov/popclock/",
    ),
    "book": (
        "miller-rollnick2013",
        "Miller WR, Rollnick S. *Motivational Interviewing: Helping People Change*. 3rd ed. "
        "Guilford Press; 2013.",
    ),
    "edited book": (
        "gross2014",
        "Gross JJ, ed. *Handbook of Emotion Regulation*. 2nd ed. Guilford Press; 2014.",
    ),
    "chapter in an edited book": (
        "cornelius2001",
        "Cornelius RR. Crying and catharsis. In: Vingerhoets AJJM, Cornelius RR, eds. *Adult "
        "Crying: A Biopsychosocial Approach*. Brunner-Routledge; 2001:199-211.",
    ),
    "report with a number": (
        "nci2019",
        "National Cancer Institute. *Taking Time: Support for People With Cancer*. U.S. "
        "Department of Health and Human Services, National Institutes of Health; 2019. NIH "
        "Publication No. 18-2059. https://www.cancer.gov/publications/patient-education/"
        "takingtime.pdf",
    ),
    "group author": (
        "apa-dsm5",
        "American Psychiatric Association. *Diagnostic and Statistical Manual of Mental "
        "Disorders*. 5th ed. American Psychiatric Association; 2013. "
        "doi:10.1176/appi.books.9780890425596",
    ),
    "translated work": (
        "piaget1969",
        "Piaget J, Inhelder B. *The Psychology of the Child*. Weaver H, trans. 2nd ed. Basic "
        "Books; 1969. Originally published 1966.",
    ),
    "more than six authors": (
        "moher2015",
        "Moher D, Shamseer L, Clarke M, et al. Preferred reporting items for systematic review "
        "and meta-analysis protocols (PRISMA-P) 2015 statement. *Syst Rev*. 2015;4:1. "
        "doi:10.1186/2046-4053-4-1",
    ),
}


@pytest.mark.parametrize("kind", HAND_CHECKED)
def test_each_kind_reads_as_ama_11_writes_it(kind: str) -> None:
    key, expected = HAND_CHECKED[kind]
    assert stars(ama_reference(FORTY_SOURCES[key])) == expected


def test_same_author_and_year_get_numbers_not_letters(forty: Bibliography) -> None:
    keys = ("gross2020-crying", "gross2020-tears", "who2020-work", "who2020-covid")
    assert len({forty.citation(k) for k in keys}) == 4
    assert not any(re.search(r"2020[ab]", stars(forty.reference(k))) for k in keys)


def test_undated_works_have_no_nd(forty: Bibliography) -> None:
    undated = [k for k, s in FORTY_SOURCES.items() if s.year is None]
    assert len(undated) == 11  # the eight California pages, Tears, Merriam-Webster, the blog
    assert not any("n.d." in stars(forty.reference(k)) for k in undated)


def test_the_list_is_numbered_in_order_of_first_citation() -> None:
    bib = Bibliography(FORTY_SOURCES, style="ama", cited=["ng2016", "census", "ng2016", "nosuch"])
    assert bib.sorted_keys()[:3] == ["ng2016", "census", "apa-dsm5"]
    assert stars(bib.reference("census")).startswith("2. U.S. Census Bureau.")
    assert bib.citation_parts("ng2016") == ("Ng", "1")
    assert bib.numbered and not Bibliography(FORTY_SOURCES).numbered


def test_author_names_initials_and_et_al() -> None:
    assert ama_name("King, M. L., Jr.") == "King ML Jr"
    assert ama_name("Sartre, J.-P.") == "Sartre JP"
    assert ama_name("van Gogh, V.") == "van Gogh V"
    assert ama_name("World Health Organization") == "World Health Organization"
    six = [f"N{i}, A." for i in range(1, 7)]
    assert ama_authors(six) == "N1 A, N2 A, N3 A, N4 A, N5 A, N6 A"
    assert ama_authors([*six, "N7, A."]) == "N1 A, N2 A, N3 A, et al"


def test_page_ranges_use_hyphens_and_are_written_out() -> None:
    assert ama_pages("1165-87") == "1165-1187"
    assert ama_pages("133\u2013149") == "133-149"
    assert ama_pages("e12, 45--47") == "e12, 45-47"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Journal of Social and Clinical Psychology", "J Soc Clin Psychol"),
        ("New England Journal of Medicine", "N Engl J Med"),
        ("Group Dynamics: Theory, Research, and Practice", "Group Dyn"),
        ("JAMA Psychiatry", "JAMA Psychiatry"),
        ("Psychotherapy", "Psychotherapy"),  # one word: kept whole
        ("Journal of Crying Studies", "Journal of Crying Studies"),  # a word we do not hold
    ],
)
def test_journal_titles_are_abbreviated_only_when_every_word_is_known(
    title: str, expected: str
) -> None:
    assert abbreviate(title) == expected


def test_the_outline_abbreviation_wins() -> None:
    source = FORTY_SOURCES["bylsma2021"].model_copy(
        update={"container_short": "Psychotherapy (Chic)"}
    )
    assert "*Psychotherapy (Chic)*. 2021;58(1):133-149." in stars(ama_reference(source))


def test_user_text_is_escaped_and_only_italics_added() -> None:
    book = Source(kind="book", authors=["Roe, A."], year=2020, title="R&D <b>", publisher="<X>")
    text = str(ama_reference(book))
    assert "R&amp;D &lt;b&gt;" in text and "&lt;X&gt;; 2020." in text
    assert set(re.findall(r"</?(\w+)", text)) == {"i"}


# ---- the outline key -------------------------------------------------------------------------


def _outline(folder: Path, style: str) -> Path:
    path = folder / "outline.yaml"
    path.write_text(MINIMAL.replace("sources:\n", f"citation_style: {style}\nsources:\n", 1))
    return path


def test_an_unknown_style_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = _outline(tmp_path, "chicago")
    with pytest.raises(OutlineError) as info:
        load_model(path, Workshop)
    line = path.read_text("utf-8").splitlines().index("citation_style: chicago") + 1
    assert [str(p) for p in info.value.problems] == [
        f"{path}:{line}: citation_style: expected one of apa, ama, got 'chicago'"
    ]


def test_style_names_are_taken_in_any_case_and_apa_is_the_default(tmp_path: Path) -> None:
    assert load_model(_outline(tmp_path, "AMA"), Workshop).citation_style == "ama"
    assert load_model(SHIPPED, Workshop).citation_style == "apa"
    schema = Workshop.model_json_schema(by_alias=True)["properties"]["citation_style"]
    assert schema["enum"] == ["apa", "ama"] and schema["default"] == "apa"


@pytest.mark.parametrize(
    ("name", "key", "expected"),
    [
        ("refs.bib", "bylsma2021", "Psychotherapy (Chic)"),
        ("refs.json", "miller-rose2009", "Am Psychol"),
    ],
)
def test_a_reference_manager_gives_the_journal_abbreviation(
    tmp_path: Path, name: str, key: str, expected: str
) -> None:
    shutil.copy(FIXTURES / name, tmp_path / name)
    path = tmp_path / "outline.yaml"
    head, rest = MINIMAL.split("sources:\n", 1)
    path.write_text(f"{head}sources: {name}\n{rest[rest.index('agenda:') :]}", "utf-8")
    assert load_model(path, Workshop).sources[key].container_short == expected


# ---- the shipped workshop in AMA ----------------------------------------------------------------

SHIPPED_AMA = [
    "1. Bylsma LM, Gračanin A, Vingerhoets AJJM. A clinical practice review of crying research. "
    "Psychotherapy. 2021;58(1):133-149. doi:10.1037/pst0000342",
    "2. Von Glahn J. The healing power of crying: . . . And why calming your client can actually "
    "backfire. Psychotherapy Networker. https://www.psychotherapynetworker.org/blog/details/628/"
    "the-healing-power-of-crying",
    "3. Tears: A positive sign in cry-resistant patients. Virtual Psych Centre. "
    "https://virtualpsychcentre.com/tears-a-positive-sign-in-cry-resistant-patients/",
    "4. Von Glahn J. In praise of therapeutic crying: Therapy’s best kept secret. Psychotherapy "
    "Networker. Published May/June 2012. https://www.psychotherapynetworker.org/article/praise-"
    "therapeutic-crying",
    "5. Bylsma LM, Vingerhoets AJJM, Rottenberg J. When is crying cathartic? An international "
    "study. J Soc Clin Psychol. 2008;27(10):1165-1187. doi:10.1521/jscp.2008.27.10.1165",
]


def test_shipped_sources_are_numbered_as_the_outputs_first_cite_them() -> None:
    w = load_model(SHIPPED, Workshop)
    expected = ["bylsma2021", "vonglahn-blog", "tears-resistant", "vonglahn2012", "bylsma2008"]
    assert citation_order(w) == expected
    bib = bibliography_of(w.model_copy(update={"citation_style": "ama"}))
    assert bib.sorted_keys() == expected
    assert [html.unescape(bib.reference(k).striptags()) for k in expected] == SHIPPED_AMA


def test_the_shipped_workshop_built_in_ama_shows_numbered_references(tmp_path: Path) -> None:
    text = SHIPPED.read_text("utf-8").replace("\nsources:\n", "\ncitation_style: ama\nsources:\n")
    outline = tmp_path / "therapeutic-crying.yaml"
    outline.write_text(text, "utf-8")
    w = load_model(outline, Workshop)
    assert w.citation_style == "ama"
    _, files = pipeline.produce(pipeline.Job(outline), ["handout", "deck"])
    pages = PdfReader(io.BytesIO(files["handout.pdf"])).pages
    shown = " ".join(" ".join(p.extract_text() for p in pages).split())
    listed = shown[shown.rindex("References") :]
    for entry in SHIPPED_AMA:
        assert " ".join(entry.split("-")[0].split()[:8]) in listed
    assert "2021;58(1):133-149. doi:10.1037/pst0000342" in listed
    # a cited point ends in its number, a quote's attribution and a case's source line give it
    assert "tested finding. (2)" in shown and "Source: 4" in shown
    assert "— Jeffrey Von Glahn (2)" in shown
    assert "Von Glahn, 2012" not in shown and "Von Glahn, n.d." not in shown
    # the DOI is the link's text, and the link resolves it, in the handout and the deck
    doi = "https://doi.org/10.1037/pst0000342"
    uris = {str(a.get_object()["/A"]["/URI"]) for p in pages for a in p.get("/Annots", [])}
    assert doi in uris
    deck = Presentation(io.BytesIO(files["deck.pptx"]))
    linked = {
        (run.text, run.hyperlink.address)
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for para in shape.text_frame.paragraphs
        for run in para.runs
        if run.hyperlink.address
    }
    assert any(address == doi and text.startswith("doi:") for text, address in linked)
