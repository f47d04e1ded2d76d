"""The loader: YAML 1.2 with line numbers, every problem at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import loader
from builder.errors import OutlineError
from builder.loader import load_model
from builder.model import Point, Workshop
from tests.conftest import MINIMAL


def _errors(path: Path) -> list[str]:
    with pytest.raises(OutlineError) as info:
        load_model(path, Workshop)
    return [str(p) for p in info.value.problems]


def test_minimal_outline_loads_with_lines(outline: Path) -> None:
    w = load_model(outline, Workshop)
    assert w.program.title == "Crying in therapy"
    assert w.credit_minutes == 65 and w.total_minutes == 75
    first = w.agenda[0].blocks[0]
    assert isinstance(first, Point)
    assert (
        first.line
        == MINIMAL.splitlines().index("      - point: Crying can relieve a presenting complaint")
        + 1
    )


def test_malformed_yaml_names_the_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline("program:\n  title: [unclosed\n  level: x\n")
    (message,) = _errors(path)
    assert message.startswith(f"{path}:")
    assert "invalid YAML" in message


def test_misspelled_key_suggests_the_right_one(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("  subtitle:", "  subtitel:"))
    messages = _errors(path)
    assert any(
        m.startswith(f"{path}:3: program.subtitel:") and "did you mean 'subtitle'" in m
        for m in messages
    ), messages


def test_wrong_type_and_missing_field_reported_together(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("    minutes: 30\n", "    minutes: thirty\n").replace(
        "  level: introductory\n", ""
    )
    messages = _errors(write_outline(text))
    assert any("agenda.0.minutes: expected a valid integer" in m for m in messages), messages
    assert any("program.level: expected a value" in m for m in messages), messages


def test_duplicate_key_is_an_error(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("  level: introductory\n", "  level: introductory\n  level: advanced\n")
    (message,) = _errors(write_outline(text))
    assert "invalid YAML" in message and "duplicate" in message


def test_unknown_block_kind_lists_the_kinds(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("      - point: Crying can", "      - pont: Crying can")
    messages = _errors(write_outline(text))
    assert any("expected a block with one of the keys point, quote" in m for m in messages)


def test_yes_and_no_stay_text_in_yaml_1_2(write_outline) -> None:  # type: ignore[no-untyped-def]
    w = load_model(write_outline(MINIMAL.replace("Patience matters.", "no")), Workshop)
    assert w.takeaways == ["no"]


def test_control_characters_become_spaces(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("Patience matters.", '"Patience\\x1b matters\\x07"')
    w = load_model(write_outline(text), Workshop)
    assert w.takeaways == ["Patience  matters"]


def test_top_level_must_be_a_mapping(write_outline) -> None:  # type: ignore[no-untyped-def]
    (message,) = _errors(write_outline("- a\n- b\n"))
    assert "expected a mapping at the top, got a list" in message


def test_character_yaml_forbids_is_reported_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("Patience matters.", "Patience\x7f matters."))
    (message,) = _errors(path)
    line = MINIMAL.splitlines().index("  - Patience matters.") + 1
    assert message.startswith(f"{path}:{line}: invalid YAML: character U+007F")
    assert message.endswith("(column 13)")  # after "  - Patience"


def test_unknown_key_inside_a_block_lists_the_blocks_keys_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("        detail: A fuller", "        detial: A fuller"))
    line = MINIMAL.splitlines().index("        detail: A fuller paragraph for the handout.") + 1
    assert _errors(path) == [
        f"{path}:{line}: agenda.0.blocks.0.detial: expected one of point, detail, notes, cite, "
        "got unknown key 'detial' (did you mean 'detail'?)"
    ]


def test_unknown_key_in_a_source_lists_the_source_fields(write_outline) -> None:  # type: ignore[no-untyped-def]
    messages = _errors(write_outline(MINIMAL.replace("    kind: magazine", "    knid: magazine")))
    assert any(
        "sources.a2012.knid: expected one of kind, authors," in m and "(did you mean 'kind'?)" in m
        for m in messages
    ), messages


def test_a_blocks_own_field_is_named_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    old = "      - point: Crying can relieve a presenting complaint"
    path = write_outline(MINIMAL.replace(old, "      - point: " + "x" * 300))
    line = MINIMAL.splitlines().index(old) + 1
    (message,) = _errors(path)
    assert message.startswith(f"{path}:{line}: agenda.0.blocks.0.point: expected text of at most")


def test_anchors_and_merge_keys_load_with_their_lines(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace(
        "  - name: Ada Lovelace\n", "  - &ada\n    name: Ada Lovelace\n"
    ).replace("sources:\n", "  - <<: *ada\n    name: Grace Hopper\nsources:\n", 1)
    w = load_model(write_outline(text), Workshop)
    assert [p.name for p in w.presenters] == ["Ada Lovelace", "Grace Hopper"]
    assert w.presenters[1].bio == w.presenters[0].bio
    assert w.presenters[1].line == text.splitlines().index("  - <<: *ada") + 1


def test_an_invalid_date_is_reported_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("dates: [2027-03-12]", "dates: [2027-02-30]"))
    line = MINIMAL.splitlines().index("  dates: [2027-03-12]") + 1
    assert _errors(path) == [
        f"{path}:{line}: expected a valid date, got 2027-02-30 (day is out of range for month)"
    ]


@pytest.mark.parametrize(
    ("exc", "words"),
    [(RecursionError, "levels of nesting"), (MemoryError, "fits in memory")],
)
def test_running_out_of_stack_or_memory_is_a_problem_at_the_file(
    outline: Path, monkeypatch: pytest.MonkeyPatch, exc: type[Exception], words: str
) -> None:
    def fail(text: str) -> None:
        raise exc()

    monkeypatch.setattr(loader, "load", fail)
    (message,) = _errors(outline)
    assert message.startswith(f"{outline}:1: expected") and words in message


def test_validation_running_out_of_stack_is_a_problem_too(
    outline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RecursionError

    monkeypatch.setattr(Workshop, "model_validate", fail)
    (message,) = _errors(outline)
    assert message == f"{outline}:1: expected at most 64 levels of nesting, got too many to read"


def test_a_file_read_as_one_long_string_is_quoted_in_part(tmp_path: Path) -> None:
    path = tmp_path / "outline.yaml"
    path.write_text("root:x:0:0:root:/root:/bin/bash daemon:x:1:1:daemon:/usr/sbin " * 20)
    with pytest.raises(OutlineError) as caught:
        loader.read_yaml(path)
    (problem,) = caught.value.problems
    assert problem.message.startswith("expected a mapping at the top, got str 'root:x:0:0")
    assert problem.message.endswith("…") and len(problem.message) < 120


def test_an_empty_list_that_needs_items_says_so_plainly(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("  audience: [psychologists]", "  audience: []"))
    with pytest.raises(OutlineError) as caught:
        load_model(path, Workshop)
    (problem,) = caught.value.problems
    assert problem.message == "expected a list of at least 1 item(s), got an empty list"


def test_an_unquoted_colon_in_a_text_is_told_to_be_quoted(tmp_path: Path) -> None:
    path = tmp_path / "outline.yaml"
    path.write_text("program:\n  title: Le deuil : un parcours : vers la paix\n")
    with pytest.raises(OutlineError) as caught:
        loader.read_yaml(path)
    (problem,) = caught.value.problems
    assert problem.line == 2 and "must be in quotes" in problem.message


def test_a_comma_inside_a_flow_mapping_is_told_to_be_quoted(write_outline) -> None:  # type: ignore[no-untyped-def]
    block = (
        "    blocks:\n      - process: Steps\n        steps:\n"
        "          - {name: Arrive, text: Give room, respect the pace}\n"
        "          - {name: Listen, text: Hear the story}\n"
    )
    with pytest.raises(OutlineError) as caught:
        load_model(write_outline(MINIMAL.replace("    blocks:\n", block, 1)), Workshop)
    messages = [p.message for p in caught.value.problems]
    assert any(
        "unknown key 'respect the pace'" in m and "put the text in quotes" in m for m in messages
    )
