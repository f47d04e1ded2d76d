"""Client wrap: explicit breaks wherever PowerPoint, LibreOffice and deck.pdf could disagree."""

from __future__ import annotations

import pytest

from builder.client_wrap import EDGE_PT, NARROWER, WIDER, drawn_runs, forced_breaks
from builder.document import Run, plain
from builder.fonts import FontFamily, family_for, metrics
from builder.measure import Para, wrap_runs

SIZE = 24


def advances(text: str) -> list[float]:
    return [10.0] * len(text)  # a monospaced stand-in: every character 10 pt


def test_a_word_ending_just_inside_the_edge_goes_to_the_next_line() -> None:
    text = "aaaa bbbb"  # "bbbb" ends at 90 pt
    limit = 90 / (1 - WIDER) + EDGE_PT / 2  # 90 pt lies in the band below the edge
    assert forced_breaks(advances(text), text, limit, limit) == [5]


def test_a_word_ending_just_past_the_edge_is_broken_before_too() -> None:
    text = "aaaa bbbb"
    limit = 90 * (1 - NARROWER / 2)  # a client up to 1.5% narrower could keep it
    assert forced_breaks(advances(text), text, limit, limit) == [5]


def test_clear_cases_need_no_break() -> None:
    text = "aaaa bbbb cccc"
    assert forced_breaks(advances(text), text, 200, 200) == []  # all fits with room
    assert forced_breaks(advances(text), text, 100, 100) == []  # "cccc" clearly overflows


def test_a_compound_a_client_could_split_at_its_hyphen_moves_whole() -> None:
    text = "aaaa bb-ccccc"  # "aaaa bb-" (80 pt) fits 95 pt; the whole (130 pt) does not
    assert forced_breaks(advances(text), text, 95, 95) == [5]


def test_explicit_breaks_reset_the_line() -> None:
    text = "aaaaaaaa\nbbbb"
    assert forced_breaks(advances(text), text, 85, 85) == []


@pytest.fixture(scope="module")
def family() -> FontFamily:
    return family_for("Arial")


@pytest.mark.parametrize("width", [300.0, 420.0, 555.5, 700.25])
def test_after_drawn_runs_every_line_end_is_clear_cut(family: FontFamily, width: float) -> None:
    """Wrapped greedily at full width, no line ends in the band where clients disagree."""
    words = "Crying in therapy is common, and research on it is limited (Bylsma et al., 2021)"
    para = Para((Run(f"{words} {words} crying-focused self-reports"),), "body")
    drawn = drawn_runs(para, family, SIZE, width)
    assert " \n" not in plain(drawn)
    face = metrics(family.regular)
    for segment in plain(drawn).split("\n"):
        lines = wrap_runs((Run(segment),), family, SIZE, width, width)
        for line, after in zip(lines, lines[1:], strict=False):
            with_next = f"{line} {after.split()[0]}"
            assert face.width(line, SIZE) < width * (1 - WIDER) - EDGE_PT
            assert face.width(with_next, SIZE) > width / (1 - NARROWER)


def test_a_page_range_a_client_could_split_at_its_en_dash_moves_whole() -> None:
    text = "aaaa 894\u2013900."  # "aaaa 894–" (90 pt) fits 95 pt; the whole (140 pt) does not
    assert forced_breaks(advances(text), text, 95, 95) == [5]
