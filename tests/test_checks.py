"""CE checks: objectives, citations, references, placeholders, characters."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from builder import pipeline
from builder.brand import default_kit, load_brand
from builder.checks import check_workshop, placeholders, placeholders_remain
from builder.errors import OutlineError, Problem
from builder.loader import load_model
from builder.model import Workshop
from tests.conftest import MINIMAL as SHARED

# The shared outline with commercial support stated: leaving it out is an error of its own.
MINIMAL = SHARED if "commercial_support:" in SHARED else SHARED + "commercial_support: none\n"


def _problems(path: Path) -> list[Problem]:
    brand, provider = load_brand(default_kit())
    return check_workshop(load_model(path, Workshop), path, provider, brand)


def _errors(path: Path) -> list[str]:
    return [str(p) for p in _problems(path) if p.severity == "error"]


def test_minimal_outline_has_no_errors(write_outline) -> None:  # type: ignore[no-untyped-def]
    assert _errors(write_outline(MINIMAL)) == []


def test_vague_objective_verb_is_an_error(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("Describe the S-P", "Understand the S-P"))
    (message,) = _errors(path)
    assert "objectives.0.text" in message and "'understand'" in message
    line = MINIMAL.splitlines().index("  - text: Describe the S-P sequence.") + 1
    assert message.startswith(f"{path}:{line}:")


def test_unknown_cite_key_is_an_error_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("      cite: b2021", "      cite: nosuch")
    path = write_outline(text)
    (message,) = _errors(path)
    line = text.splitlines().index("    - point: Benefit depends on context") + 1
    assert message.startswith(
        f"{path}:{line}: research.findings.0.cite: expected one of the source keys"
    )


def test_at_least_one_peer_reviewed_source(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("    peer_reviewed: true\n", ""))
    assert any("peer-reviewed" in m for m in _errors(path))


def test_placeholders_warn(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("name: Ada Lovelace", 'name: "[Presenter name]"'))
    warnings = [str(p) for p in _problems(path) if p.severity == "warning"]
    assert any("presenters.0" in w and "name" in w for w in warnings), warnings


def test_character_the_font_lacks_is_reported_with_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("Patience matters.", "Patience matters 😢")
    path = write_outline(text)
    (message,) = _errors(path)
    line = text.splitlines().index("  - Patience matters 😢") + 1
    assert message.startswith(f"{path}:{line}: takeaways.0: ") and "U+1F622" in message


def test_character_the_font_lacks_in_a_nested_field_is_at_that_fields_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("A fuller paragraph for the handout.", "A fuller ✅ paragraph.")
    path = write_outline(text)
    (message,) = _errors(path)
    line = text.splitlines().index("        detail: A fuller ✅ paragraph.") + 1
    assert message.startswith(f"{path}:{line}: agenda.0.blocks.0.detail: ")


def _objective_errors(write_outline, language: str, objective: str) -> list[str]:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace(
        "  format: in-person\n", f"  format: in-person\n  language: {language}\n"
    )
    for english in (
        "Describe the S-P sequence.",
        "Identify two conditions for therapeutic crying.",
        "Explain one limit of the evidence.",
    ):
        text = text.replace(english, objective)
    return _errors(write_outline(text))


@pytest.mark.parametrize(
    ("language", "objective"),
    [
        ("en", "Critique a published case of therapeutic crying."),
        ("en", "Role-play a response to a client who cries."),
        ("en", "Prioritize three responses to a tearful client."),
        ("es", "Describir la secuencia S-P."),
        ("es", "Redactar una nota clínica sobre el llanto."),
        ("de", "Therapeutisches Weinen von Retraumatisierung unterscheiden."),
        ("de", "Beschreiben, wie die S-P-Sequenz verläuft."),
        ("de", "Wenden Sie einen sechsstufigen Ablauf an."),  # anwenden, its particle last
        ("de-AT", "Zwei Bedeutungen von Tränen erklären können."),
        ("fr", "Décrire la séquence S-P."),
        ("fr", "Élaborer un plan d’intervention."),
    ],
)
def test_measurable_verbs_of_the_outlines_language_pass(  # type: ignore[no-untyped-def]
    write_outline, language: str, objective: str
) -> None:
    assert _objective_errors(write_outline, language, objective) == []


@pytest.mark.parametrize(
    ("language", "objective", "got", "listed"),
    [
        ("en", "Learn the S-P sequence.", "learn", "describe"),
        ("en", "Become aware of tears.", "become aware of", "describe"),
        ("es", "Comprender la secuencia S-P.", "comprender", "describir"),
        ("es", "Conocer el llanto terapéutico.", "conocer", "describir"),
        ("es", "Describe la secuencia S-P.", "describe", "describir"),
        ("de", "Die S-P-Sequenz verstehen.", "verstehen", "beschreiben"),
        ("de", "Wissen, wann Weinen hilft.", "wissen", "beschreiben"),
        ("fr", "Comprendre la séquence S-P.", "comprendre", "décrire"),
        ("fr", "Decrire la séquence S-P.", "decrire", "décrire"),
    ],
)
def test_vague_or_unknown_verbs_are_refused_in_the_outlines_language(  # type: ignore[no-untyped-def]
    write_outline, language: str, objective: str, got: str, listed: str
) -> None:
    messages = _objective_errors(write_outline, language, objective)
    assert len(messages) == 3
    assert all(f"got {got!r}" in m and listed in m for m in messages)


def test_a_language_without_words_warns_once_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("  format: in-person\n", "  format: in-person\n  language: it\n")
    path = write_outline(text)
    warnings = [str(p) for p in _problems(path) if "program.language" in str(p)]
    line = text.splitlines().index("  language: it") + 1
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:{line}:")
    assert "English" in warnings[0]


def test_objective_number_past_the_objectives_is_an_error_at_its_section(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("    minutes: 35\n", "    minutes: 35\n    objectives: [2, 4]\n")
    path = write_outline(text)
    (message,) = _errors(path)
    line = text.splitlines().index("  - title: Practice") + 1
    assert message == (
        f"{path}:{line}: agenda.2.objectives: expected objective numbers 1 to 3, got 4"
    )


def test_objective_numbers_within_the_objectives_pass(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("    minutes: 35\n", "    minutes: 35\n    objectives: [1, 3]\n")
    assert _errors(write_outline(text)) == []


def test_objective_number_zero_is_refused_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("    minutes: 35\n", "    minutes: 35\n    objectives: [0]\n")
    with pytest.raises(OutlineError) as caught:
        _problems(write_outline(text))
    (problem,) = caught.value.problems
    assert problem.line == text.splitlines().index("    objectives: [0]") + 1
    assert "objectives" in problem.field


def _warnings(path: Path) -> list[Problem]:
    return [p for p in _problems(path) if p.severity == "warning" and p.file == str(path)]


def test_placeholders_are_any_brackets_but_a_quotes_insertions_and_apas_descriptions(
    write_outline,  # type: ignore[no-untyped-def]
) -> None:
    text = (
        MINIMAL.replace("- quote: The less the", "- quote: The less [sic] the")
        .replace("title: In praise of therapeutic crying", "title: In praise of tears [Video]")
        .replace("Discuss in pairs.", "Ask [name] to discuss in pairs.")
    )
    path = write_outline(text)
    found = [(p.line, p.field) for p in _warnings(path)]
    line = text.splitlines().index("        instructions: Ask [name] to discuss in pairs.") + 1
    assert found == [(line, "agenda.2.blocks.2.instructions")]


def test_a_file_name_with_brackets_is_no_placeholder() -> None:
    """Google's variable fonts are named "Family[wght].ttf": a path is never prose."""
    path = "fonts/SourceSans3[wght].ttf"
    assert placeholders(path, "typography.fonts.0.files.0.path") == []
    assert placeholders(path, "program.title") == ["[wght]"]
    assert placeholders("[your logo]", "logo") == ["[your logo]"]


def test_a_quote_that_is_all_placeholder_is_one(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("The less the therapist does, the better.", "'[A quote]'"))
    assert [p.field for p in _warnings(path)] == ["agenda.0.blocks.1.quote"]


def test_placeholders_remain_while_the_outline_or_the_kit_has_one(write_outline) -> None:  # type: ignore[no-untyped-def]
    brand, provider = load_brand(default_kit())  # the neutral kit's provider is placeholders
    clean = write_outline(MINIMAL)
    assert not placeholders_remain(_warnings(clean))
    assert placeholders_remain(check_workshop(load_model(clean, Workshop), clean, provider, brand))
    draft = write_outline(MINIMAL.replace("title: Practice", 'title: "[Section]"'))
    assert placeholders_remain(_warnings(draft))


def test_the_built_in_kits_placeholders_are_one_warning_saying_where_the_facts_go(
    write_outline: Callable[[str], Path], tmp_path: Path
) -> None:

    clean = write_outline(MINIMAL)
    workshop = load_model(clean, Workshop)
    brand, provider = load_brand(default_kit())
    (built_in,) = [
        p for p in check_workshop(workshop, clean, provider, brand) if p.file != str(clean)
    ]
    assert built_in.file == str(default_kit() / "provider.yml") and built_in.line == 4
    assert "name, address, contact, ada, grievance, refund" in built_in.message
    assert "workshop brand new NAME" in built_in.message and built_in.severity == "warning"
    assert placeholders_remain([built_in])
    own = shutil.copytree(default_kit(), tmp_path / "kit")  # a trainer's copy: at each line
    brand, provider = load_brand(own)
    problems = [p for p in check_workshop(workshop, clean, provider, brand) if p.file != str(clean)]
    assert [p.field for p in problems] == [
        "name",
        "address",
        "contact",
        "ada",
        "grievance",
        "refund",
    ]
    assert all(p.file == str(own / "provider.yml") for p in problems)


def test_a_spanish_grant_with_support_ninguno_warns_at_commercial_support(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("commercial_support: none", "commercial_support: ninguno").replace(
        "clinical judgment and", "clinical judgment (con una subvención de Acme) and"
    )
    path = write_outline(text)
    (warning,) = [p for p in _warnings(path) if p.field == "commercial_support"]
    assert warning.line == text.splitlines().index("commercial_support: ninguno") + 1
    assert "'subvención'" in warning.message


def test_a_grant_named_as_commercial_support_passes(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace(
        "commercial_support: none", "commercial_support: An educational grant from Acme Health"
    ).replace("clinical judgment and", "clinical judgment (an educational grant) and")
    assert [p for p in _problems(write_outline(text)) if p.field == "commercial_support"] == []


def test_stated_minutes_and_credits_that_match_the_agenda_pass(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("  format: in-person\n", "  format: in-person\n  minutes: 65\n")
    text = text.replace("  minutes: 65\n", "  minutes: 65\n  credits: 1\n")
    assert _errors(write_outline(text)) == []


def test_an_activity_as_long_as_its_section_passes(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace(
        "        minutes: 10\n        instructions", "        minutes: 35\n        instructions"
    )
    path = write_outline(text)
    assert [p for p in _problems(path) if p.file == str(path)] == []
    longer = write_outline(
        text.replace("        minutes: 35\n        instr", "        minutes: 36\n        instr")
    )
    assert [p.field for p in _errors_of(longer)] == ["agenda.2.blocks.2.minutes"]


def _errors_of(path: Path) -> list[Problem]:
    return [p for p in _problems(path) if p.severity == "error"]


def test_a_character_the_font_lacks_in_a_table_cell_is_an_error(tmp_path: Path) -> None:
    source = Path("tests/fixtures/outlines/tables.yaml")
    outline = tmp_path / "tables.yaml"
    outline.write_text(
        source.read_text().replace(
            "- [EPDS, 10, Past 7 days, 5]", "- [EPDS 🙂, 10, Past 7 days, 5]"
        )
    )
    problems = pipeline.check(pipeline.Job(outline), ["deck"])
    hits = [p for p in problems if "U+1F642" in p.message]
    assert hits and hits[0].severity == "error" and hits[0].file == str(outline)


def _long_program(hours: int, objectives: int) -> str:
    """Return MINIMAL with its Practice section stretched to `hours` credit hours in all."""
    lines = "".join(
        f"  - text: Describe aspect {n} of the S-P sequence.\n" for n in range(objectives)
    )
    text = MINIMAL.replace("    minutes: 35\n", "", 1)
    sections = "".join(
        f"  - title: Day block {n}\n    minutes: 480\n" for n in range((hours * 60 - 30) // 480)
    )
    rest = hours * 60 - 30 - 480 * ((hours * 60 - 30) // 480)
    text = text.replace(
        "  - title: Practice\n", f"{sections}  - title: Practice\n    minutes: {rest}\n"
    )
    return re.sub(r"objectives:\n(  - text: .*\n)+", "objectives:\n" + lines, text, count=1)


@pytest.mark.parametrize(("hours", "objectives"), [(13, 13), (20, 20), (50, 40)])
def test_a_program_of_many_hours_can_state_its_objectives(
    write_outline, hours: int, objectives: int
) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(_long_program(hours, objectives))
    assert load_model(path, Workshop).credit_minutes == hours * 60
    assert [e for e in _errors(path) if "objectives" in e] == []


def test_a_program_of_many_hours_needs_one_objective_an_hour(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(_long_program(13, 12))
    assert any("expected at least 13 objectives, got 12" in e for e in _errors(path))


def test_right_to_left_text_is_refused_once_at_its_first_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("Patience matters.", "סבלנות חשובה.").replace(
        "Single cases only.", "מקרים בודדים בלבד."
    )
    path = write_outline(text)
    rtl = [e for e in _errors(path) if "right-to-left" in e]
    line = text.splitlines().index("    - מקרים בודדים בלבד.") + 1
    assert len(rtl) == 1 and rtl[0].startswith(f"{path}:{line}: research.limitations.0: ")
    assert "1 more texts have it" in rtl[0]


PORTUGUESE = (
    MINIMAL.replace("  dates: [2027-03-12]\n", "  dates: [2027-03-12]\n  language: pt-BR\n")
    .replace("Describe the S-P sequence.", "Descrever a sequência S-P.")
    .replace("Identify two conditions", "Identificar duas condições")
    .replace("Explain one limit", "Explicar um limite")
    .replace(
        "Has no relevant financial relationships to disclose.",
        "Não possui relações financeiras relevantes a declarar.",
    )
)


def test_a_language_whose_verbs_are_not_known_gets_warnings_not_errors(  # type: ignore[no-untyped-def]
    write_outline,
) -> None:
    problems = _problems(write_outline(PORTUGUESE))  # three verbs and the disclosure refused
    assert [p for p in problems if p.severity == "error"] == []
    warned = {p.field: p.message for p in problems}
    assert "(de, en, es, fr), got 'pt-BR'" in warned["objectives"]
    assert "one we cannot read in 'pt-BR'" in warned["presenters.0.disclosure"]


def test_a_known_language_still_has_its_verbs_checked(write_outline) -> None:  # type: ignore[no-untyped-def]
    spanish = PORTUGUESE.replace("pt-BR", "es").replace("Descrever", "Conocer")
    (message,) = [m for m in _errors(write_outline(spanish)) if "objectives.0" in m]
    assert "'conocer'" in message
