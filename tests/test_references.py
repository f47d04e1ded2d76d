"""APA 7 references and citations."""

from __future__ import annotations

from builder.model import Source
from builder.references import apa_authors, apa_citation, apa_reference


def test_journal_reference_in_apa_7() -> None:
    s = Source(
        kind="journal",
        authors=["Bylsma, L. M.", "Gračanin, A.", "Vingerhoets, A. J. J. M."],
        year=2021,
        title="A clinical practice review of crying research",
        container="Psychotherapy",
        volume="58",
        issue="1",
        pages="133-149",
        doi="10.1037/pst0000342",
        peer_reviewed=True,
    )
    assert str(apa_reference(s)) == (
        "Bylsma, L. M., Gračanin, A., &amp; Vingerhoets, A. J. J. M. (2021). A clinical practice "
        "review of crying research. <i>Psychotherapy</i>, <i>58</i>(1), 133–149. "
        "https://doi.org/10.1037/pst0000342"
    )
    assert apa_citation(s) == "Bylsma et al., 2021"


def test_no_author_no_date_puts_title_first() -> None:
    s = Source(
        kind="web",
        title="Tears: A positive sign in cry-resistant patients",
        container="Virtual Psych Centre",
        url="https://example.org/t",
    )
    text = str(apa_reference(s))
    assert text.startswith("Tears: A positive sign in cry-resistant patients. (n.d.).")
    assert apa_citation(s) == "“Tears: A positive sign…” n.d."


def test_magazine_with_date_detail_and_escaping() -> None:
    s = Source(
        kind="magazine",
        authors=["Von Glahn, J."],
        year=2012,
        date_detail="May/June",
        title="In praise of <crying> & more",
        container="Psychotherapy Networker",
    )
    text = str(apa_reference(s))
    assert "(2012, May/June)" in text and "&lt;crying&gt; &amp; more" in text
    assert apa_citation(s) == "Von Glahn, 2012"


def test_author_lists() -> None:
    assert apa_authors(["A"]) == "A"
    assert apa_authors(["A", "B"]) == "A, & B"
    assert apa_authors(["A", "B", "C"]) == "A, B, & C"
