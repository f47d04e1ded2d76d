"""The rules a reviewer checks (issue 10), each flagged by `workshop check --strict` at its line.

Every outline in tests/fixtures/reviewer/ differs from base.yaml in one place, marked
"# flagged"; checked with the fixtures' kit (a provider without placeholders) it reports that
problem and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.review import break_word, evaluation_mismatch, unmitigated
from builder.templating import builtin_dir

REVIEWER = Path(__file__).parent / "fixtures" / "reviewer"
KIT = REVIEWER / "kit"
SHOWN = re.compile(r"^(error|warning): (.+?):(\d+): (\S+): (.*)$")


@dataclass(frozen=True)
class Shown:
    """One problem as `workshop check` prints it."""

    severity: str
    file: str
    line: int
    field: str
    message: str


def _check(*args: str) -> tuple[int, list[Shown]]:
    result = CliRunner().invoke(main, ["check", "--strict", *args], catch_exceptions=False)
    found = [SHOWN.match(line) for line in result.stderr.splitlines()]
    shown = [Shown(m[1], m[2], int(m[3]), m[4], m[5]) for m in found if m]
    return result.exit_code, shown


def _marked(path: Path) -> list[int]:
    """Return the lines a fixture marks "# flagged"."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, 1) if line.endswith("# flagged")]


# fixture -> what check prints: (line, severity, field, words of the message)
CASES = {
    "break-earns-credit.yaml": [(64, "error", "agenda.2.credit", "'lunch' in the title")],
    "break-earns-credit-es.yaml": [(65, "error", "agenda.2.credit", "'pausa' in the title")],
    "activity-too-long.yaml": [
        (68, "error", "agenda.2.blocks.0.minutes", "at most the section's 60 minutes, got 75")
    ],
    "activities-add-up.yaml": [(65, "warning", "agenda.2.minutes", "the 65 minutes")],
    "stated-minutes.yaml": [(14, "error", "program.minutes", "120 credit-bearing minutes")],
    "claimed-credits.yaml": [(14, "error", "program.credits", "expected 2 credits")],
    "zero-credits.yaml": [(55, "warning", "agenda", "at least 1 credit, got 0")],
    "support-missing.yaml": [(2, "error", "commercial_support", "'none' or who gave")],
    "support-grant.yaml": [(80, "warning", "commercial_support", "('grant', line 4)")],
    "disclosure-unmitigated.yaml": [
        (25, "error", "presenters.0.disclosure", "how the financial relationship was mitigated")
    ],
    "evaluation-mismatch.yaml": [
        (28, "error", "objectives.0.evaluation", "missing the verb 'describe'")
    ],
    "placeholders.yaml": [
        (3, "warning", "program.title", "'[Workshop title]'"),
        (15, "warning", "program.location", "'[Venue]'"),
        (38, "warning", "sources.vonglahn2012.container", "'[Magazine name]'"),
        (60, "warning", "agenda.0.materials.1", "'[Handout name]'"),
        (82, "warning", "takeaways.1", "'[One more thing to remember]'"),
    ],
}


def test_every_fixture_of_the_folder_has_its_case() -> None:
    assert {p.name for p in REVIEWER.glob("*.yaml")} == {*CASES, "base.yaml"}


def test_the_base_outline_passes_strict() -> None:
    assert _check("--brand", str(KIT), str(REVIEWER / "base.yaml")) == (0, [])


@pytest.mark.parametrize(("name", "expected"), CASES.items(), ids=list(CASES))
def test_each_rule_is_flagged_at_its_line(
    name: str, expected: list[tuple[int, str, str, str]]
) -> None:
    path = REVIEWER / name
    code, shown = _check("--brand", str(KIT), str(path))
    assert code == 1
    assert [(s.file, s.line, s.severity, s.field) for s in shown] == [
        (str(path), line, severity, field) for line, severity, field, _ in expected
    ]
    for s, (_, _, _, words) in zip(shown, expected, strict=True):
        assert words in s.message, s.message
    assert _marked(path) == [line for line, *_ in expected]


def test_placeholders_of_the_kit_are_flagged_at_their_file_and_line() -> None:
    kit = REVIEWER / "kit-placeholders"
    code, shown = _check("--brand", str(kit), str(REVIEWER / "base.yaml"))
    assert code == 1
    assert [(s.file, s.line, s.field) for s in shown] == [
        (str(kit / "_brand.yml"), 3, "meta.name"),
        (str(kit / "provider.yml"), 4, "contact"),
    ]
    assert "'[phone]'" in shown[1].message
    assert _marked(kit / "_brand.yml") == [3] and _marked(kit / "provider.yml") == [4]


def test_an_untouched_new_outline_warns_that_it_offers_0_credits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "grief"]).exit_code == 0
    code, shown = _check("--brand", str(KIT), "sources/grief.yaml")
    template = (builtin_dir() / "new-outline.yaml").read_text(encoding="utf-8").splitlines()
    welcome = template.index("  - title: Welcome") + 1
    credits = [s for s in shown if s.field == "agenda"]
    assert code == 1 and [s.severity for s in shown if s.severity == "error"] == []
    assert [(s.line, s.message[:33]) for s in credits] == [
        (welcome, "expected at least 1 credit, got 0")
    ]
    stated = template.index('commercial_support: "[none, or who gave commercial support]"') + 1
    assert any(s.line == stated and s.field == "commercial_support" for s in shown)


# ---- the rules' definitions, word by word ---------------------------------------------------


@pytest.mark.parametrize(
    ("title", "language", "word"),
    [
        ("Lunch", "en", "lunch"),
        ("Coffee break", "en", "break"),
        ("Lunch-and-learn", "en", "lunch"),
        ("Almuerzo", "es", "almuerzo"),
        ("Mittagspause", "de-AT", "mittagspause"),
        ("Pause-café", "fr", "pause-café"),
        ("Kaffee-Pause", "de", "pause"),
        ("Déjeuner libre", "fr", "déjeuner"),
        ("Break", "fr", "break"),  # English words count in every outline
    ],
)
def test_breaks_and_meals_are_named_in_english_and_the_outlines_language(
    title: str, language: str, word: str
) -> None:
    assert break_word(title, language) == word


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("Break-out groups", "en"),
        ("Breaking bad news", "en"),
        ("Breakthroughs in grief work", "en"),
        ("Pause and reflect", "en"),  # "pause" is a break in French and German only
        ("Practice", "de"),
    ],
)
def test_titles_that_only_look_like_breaks_earn_credit(title: str, language: str) -> None:
    assert break_word(title, language) is None


@pytest.mark.parametrize(
    "disclosure",
    [
        "Has no relevant financial relationships to disclose.",
        "No tiene relaciones financieras relevantes que declarar.",
        "Es bestehen keine relevanten finanziellen Beziehungen.",
        "N’a aucun lien d’intérêt financier à déclarer.",
        "Receives royalties from Acme Press; mitigated by peer review of the content.",
        "Recibe honorarios de Acme; el contenido fue revisado por un comité independiente.",
        "Erhält Honorare von Acme; die Inhalte wurden unabhängig geprüft.",
        "Reçoit des honoraires d’Acme ; le contenu a été revu par un comité.",
    ],
)
def test_disclosures_with_no_relationship_or_its_mitigation_pass(disclosure: str) -> None:
    assert not unmitigated(disclosure)


@pytest.mark.parametrize(
    "disclosure",
    [
        "Consultant for Acme Pharma.",
        "Recibe honorarios de Acme Pharma.",
        "Erhält Vortragshonorare von Acme.",
        "Reçoit des honoraires d’Acme.",
    ],
)
def test_a_relationship_without_its_mitigation_is_flagged(disclosure: str) -> None:
    assert unmitigated(disclosure)


@pytest.mark.parametrize(
    ("objective", "evaluation", "language"),
    [
        ("Describe the S-P sequence.", "I am able to describe the S-P sequence.", "en"),
        (
            "Identify two conditions for therapeutic crying.",
            "I can identify a condition for crying that is therapeutic.",
            "en",
        ),
        (
            "Describir la secuencia S-P del llanto.",
            "Soy capaz de describir la secuencia S-P del llanto.",
            "es",
        ),
        (
            "Zwei Bedeutungen von Tränen erklären können.",
            "Ich kann zwei Bedeutungen von Tränen erklären.",
            "de",
        ),
        ("Décrire la séquence S-P.", "Je peux décrire la séquence S-P.", "fr"),
    ],
)
def test_an_evaluation_item_with_the_verb_and_half_the_key_words_matches(
    objective: str, evaluation: str, language: str
) -> None:
    assert evaluation_mismatch(objective, evaluation, language) == []


def test_an_evaluation_item_missing_the_verb_or_the_key_words_does_not_match() -> None:
    objective = "Identify four meanings of tears in a cry-resistant client."
    assert evaluation_mismatch(objective, "I am able to list four meanings of tears.", "en") == [
        "the verb 'identify'"
    ]
    (words,) = evaluation_mismatch(objective, "I am able to identify a client.", "en")
    assert words.startswith("4 of its 5 key words")
