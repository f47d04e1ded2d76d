"""Measure: word wrap with hyphenation in the workshop's language, and what the writer draws."""

from __future__ import annotations

import pytest

from builder.client_wrap import drawn_runs
from builder.document import Inline, Row, Run, Table, plain
from builder.fonts import FontFamily, family_for, metrics
from builder.hyphenate import dictionary, hyphen_points
from builder.measure import (
    SAFETY,
    Box,
    Para,
    para_lines,
    row_heights,
    title_lines,
    wrap_lines,
)

SIZE = 24
URL = "https://example.org/files/handout.pdf?utm_source=deck&utm_medium=pdf"


@pytest.fixture(scope="module")
def family() -> FontFamily:
    return family_for("Arial")


def width_of(family: FontFamily, line: str, bold: bool = False) -> float:
    return metrics(family.face(bold)).width(line, SIZE)


def body(text: str, lang: str = "") -> Para:
    return Para((Run(text),), lang=lang)


def frame_for(limit: float) -> float:
    """Return the inner frame width whose usable line width is limit."""
    return limit * SAFETY


def unbreak(runs: Inline) -> str:
    """Return drawn text without the breaks drawn_runs inserts (none after a hard hyphen here)."""
    return plain(runs).replace("-\n", "").replace("\n", "")


def test_german_compound_breaks_at_a_dictionary_point_with_a_hyphen(family: FontFamily) -> None:
    lines = para_lines(body("Körperwahrnehmung.", "de"), family, SIZE, frame_for(120))
    assert len(lines) > 1
    assert all(line.endswith("-") for line in lines[:-1])
    points, offset = set(hyphen_points("Körperwahrnehmung.", "de")), 0
    for line in lines[:-1]:
        offset += len(line) - 1
        assert offset in points
    assert "".join(line.removesuffix("-") for line in lines) == "Körperwahrnehmung."
    assert all(width_of(family, line) <= 120 for line in lines)


@pytest.mark.parametrize("limit", range(40, 260, 3))
def test_full_stop_stays_with_the_word_and_every_line_fits(family: FontFamily, limit: int) -> None:
    lines = para_lines(body("Die Körperwahrnehmung.", "de"), family, SIZE, frame_for(limit))
    assert lines[-1].endswith("g.")
    assert all(width_of(family, line) <= limit for line in lines)


def test_character_break_never_leaves_the_full_stop_alone(family: FontFamily) -> None:
    limit = width_of(family, "x" * 10 + "-") + 0.5  # room for every x, not for ".)"
    lines = wrap_lines("x" * 10 + ".)", family, False, SIZE, limit)
    assert lines == ["x" * 9 + "-", "x.)"]


def test_word_that_fits_a_line_alone_moves_whole_and_is_never_hyphenated(
    family: FontFamily,
) -> None:
    limit = width_of(family, "Wahrnehmung") + 1
    para = body("Die Wahrnehmung", "de")
    assert para_lines(para, family, SIZE, frame_for(limit)) == ("Die", "Wahrnehmung")
    assert drawn_runs(para, family, SIZE, frame_for(limit)) is para.runs


def test_url_breaks_only_after_separators_without_a_hyphen(family: FontFamily) -> None:
    lines = para_lines(body(URL), family, SIZE, frame_for(200))
    assert len(lines) > 2
    assert "".join(lines) == URL
    assert all(line[-1] in "/.-?&=_" for line in lines[:-1])
    assert all(width_of(family, line) <= 200 for line in lines)


def test_link_never_breaks_between_the_slashes_of_its_scheme() -> None:
    points = hyphen_points("(https://a.org/x-y).", "en")
    assert points == (9, 11, 15, 17)


def test_hard_hyphen_breaks_after_itself_without_a_second_one(family: FontFamily) -> None:
    para = body("Eltern-Kind-Beziehung", "de")
    limit = width_of(family, "Eltern-Kind-") + 1
    lines = para_lines(para, family, SIZE, frame_for(limit))
    assert lines[0] == "Eltern-Kind-"
    assert not any(line.endswith("--") for line in lines)
    assert plain(drawn_runs(para, family, SIZE, frame_for(limit))).startswith("Eltern-Kind-\nBe")


def test_times_and_dates_break_after_a_dash_never_between_digits(family: FontFamily) -> None:
    assert hyphen_points("08:00–15:00", "de") == (6,)  # was a point in "15:|00": "15:-" / "00"
    assert hyphen_points("2027-03-12", "en") == (5, 8)
    limit = width_of(family, "08:00–15:") + 1
    lines = para_lines(body("08:00–15:00", "de"), family, SIZE, frame_for(limit))
    assert list(lines) == ["08:00–", "15:00"]


def test_spanish_and_french_words_use_their_own_dictionaries(family: FontFamily) -> None:
    assert hyphen_points("responsabilidad", "es") == (3, 6, 8, 10, 12)
    assert hyphen_points("responsabilidad", "en") != hyphen_points("responsabilidad", "es")
    assert hyphen_points("développement", "fr-CA") == (2, 4, 7, 9)
    assert hyphen_points("développement", "fr") != hyphen_points("développement", "en")
    limit = width_of(family, "responsa-") + 1
    spanish = para_lines(body("responsabilidad", "es"), family, SIZE, frame_for(limit))
    english = para_lines(body("responsabilidad"), family, SIZE, frame_for(limit))
    assert spanish[0] == "responsa-" and english[0] != spanish[0]


@pytest.mark.parametrize(
    ("tag", "name"),
    [("", "en_US"), ("en", "en_US"), ("en-GB", "en_GB"), ("de-AT", "de_AT"), ("es-MX", "es"),
     ("xx", None)],
)  # fmt: skip
def test_language_tags_map_to_dictionaries(tag: str, name: str | None) -> None:
    assert dictionary(tag) == name


MIXED = (
    Run("Siehe "),
    Run("Körperwahrnehmung", bold=True),
    Run(" und "),
    Run(URL, italic=True),
    Run(" sowie Selbstwahrnehmung."),
)


@pytest.mark.parametrize("limit", [90, 150, 260])
def test_drawn_runs_break_exactly_where_para_lines_did(family: FontFamily, limit: int) -> None:
    para = Para(MIXED, "bullet", lang="de")
    drawn = drawn_runs(para, family, SIZE, frame_for(limit))
    assert [(r.bold, r.italic) for r in drawn] == [(r.bold, r.italic) for r in MIXED]
    # the words come back once the breaks (and the spaces they replace) are taken out
    assert [unbreak((r,)).replace(" ", "") for r in drawn] == [
        r.text.replace(" ", "") for r in MIXED
    ]
    assert " \n" not in plain(drawn)  # a client would wrap the space and leave an empty line
    # every break measure made inside a word is drawn, so no explicit line is wider than the
    # frame: wrapped on its own by a client, each piece's words stay in order
    for piece in explicit_lines(drawn):
        lines = para_lines(Para(piece, "body"), family, SIZE, frame_for(limit - SIZE))
        assert all(line for line in lines) or not plain(piece)


def explicit_lines(runs: Inline) -> list[Inline]:
    """Return runs split at their line breaks, each piece keeping its style."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        for i, text in enumerate(run.text.split("\n")):
            if i:
                lines.append([])
            lines[-1].append(Run(text, run.bold, run.italic))
    return [tuple(line) for line in lines]


def test_drawn_runs_start_a_broken_token_on_its_own_line(family: FontFamily) -> None:
    para = body("Die Körperwahrnehmung.", "de")
    drawn = plain(drawn_runs(para, family, SIZE, frame_for(150)))
    assert drawn == "Die\nKörperwahr-\nnehmung."  # no space before a break: see client_wrap


def test_titles_and_table_cells_hyphenate_in_their_language(family: FontFamily) -> None:
    box = Box(0, 0, 2 * 7.2 + 120 * SAFETY, 200)
    assert title_lines("Körperwahrnehmung", family, SIZE, box, "de")[0].endswith("-")
    assert wrap_lines("Körperwahrnehmung", family, True, SIZE, 120, "de")[0].endswith("-")
    table = Table((Row(((Run("Körperwahrnehmung"),),)),))
    narrow = (2 * 7.2 + 140 * SAFETY,)  # de: Körperwahr-|nehmung; en: Körper-|wahrnehmu-|ng
    german, english = (row_heights(table, narrow, family, SIZE, lang)[0] for lang in ("de", "en"))
    assert german < english


def test_a_title_draws_as_a_heading_paragraph_of_the_box_inner_width(family: FontFamily) -> None:
    title = "Körperwahrnehmung und Selbstwahrnehmung in der Psychotherapie"
    box = Box(0, 0, 2 * 7.2 + 150 * SAFETY, 300)
    heading = Para((Run(title),), "heading", lang="de")
    lines = para_lines(heading, family, SIZE, box.w - 2 * 7.2)
    assert tuple(title_lines(title, family, SIZE, box, "de")) == lines
    assert any(line.endswith("-") for line in lines)
    assert "-\n" in plain(drawn_runs(heading, family, SIZE, box.w - 2 * 7.2))
