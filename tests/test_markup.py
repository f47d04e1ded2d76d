"""The markup parser: our vocabulary only, hardened, with line numbers."""

from __future__ import annotations

import pytest

from builder.document import ListBlock, Paragraph, Run, StepsBlock, Table
from builder.errors import MarkupError
from builder.markup import parse_deck, parse_document


def test_deck_slides_titles_notes_and_inline_runs() -> None:
    deck = parse_deck(
        '<deck title="T" lang="en"><slide kind="content" at="o.yaml:3">'
        "<title>Hello</title><ul><li>a <b>bold</b> and <i>it</i></li></ul>"
        "<notes><p>Say it</p></notes></slide></deck>",
        "deck.xml.j2",
    )
    (slide,) = deck.slides
    assert slide.title == "Hello" and slide.at == "o.yaml:3"
    block = slide.blocks[0]
    assert isinstance(block, ListBlock)
    assert block.items[0] == (
        Run("a "),
        Run("bold", bold=True),
        Run(" and "),
        Run("it", italic=True),
    )
    assert slide.notes[0].runs == (Run("Say it"),)


def test_escaped_text_stays_literal() -> None:
    doc = parse_document('<document title="T"><p>a &lt;b&gt; &amp; "q"</p></document>', "h")
    block = doc.blocks[0]
    assert isinstance(block, Paragraph)
    assert block.runs == (Run('a <b> & "q"'),)


def test_unknown_element_names_template_and_line() -> None:
    with pytest.raises(MarkupError) as info:
        parse_document(
            '<document title="T">\n<p>x</p>\n<blink>y</blink></document>', "handout.xml.j2"
        )
    assert str(info.value).startswith("handout.xml.j2 (rendered):3: expected one of")


def test_entities_and_doctype_are_refused() -> None:
    evil = '<!DOCTYPE d [<!ENTITY x "boom">]><document title="T"><p>&x;</p></document>'
    with pytest.raises(MarkupError):
        parse_document(evil, "h")


def test_steps_and_table() -> None:
    doc = parse_document(
        '<document title="T"><steps title="S"><step name="One">first</step>'
        '<step name="Two">second</step></steps><table widths="1 3">'
        '<row header="true"><cell>a</cell><cell>b</cell></row></table></document>',
        "h",
    )
    steps, table = doc.blocks
    assert isinstance(steps, StepsBlock) and [s.name for s in steps.steps] == ["One", "Two"]
    assert isinstance(table, Table) and table.widths == (0.25, 0.75) and table.rows[0].header


def test_slide_without_title_is_an_error() -> None:
    with pytest.raises(MarkupError, match="non-empty <title>"):
        parse_deck('<deck title="T"><slide><p>x</p></slide></deck>', "d")
