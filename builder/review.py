"""Reviewer rules of `workshop check`: what an accreditor's reviewer reads an outline for.

Called by `builder.checks` after loading. Breaks that earn credit, activities longer than their
section, stated length and credits, commercial support, disclosures and evaluation items, each
reported at its line in the outline. Word lists cover the outline's language (en, es, de, fr).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder import ce
from builder.brand import Provider
from builder.errors import Problem
from builder.i18n import primary
from builder.loader import line_of
from builder.model import Activity, Workshop
from builder.verbs import ACTION_VERBS, verbs_known

# Titles of sections that never earn credit; English always, plus the outline's language.
_BREAK_WORDS = {
    "en": "break breaks lunch lunches luncheon meal meals breakfast dinner",
    "es": "descanso descansos pausa pausas receso almuerzo comida desayuno cena refrigerio",
    "de": "pause pausen mittagspause kaffeepause mittagessen mahlzeit frühstück abendessen",
    "fr": "pause pauses pause-café déjeuner petit-déjeuner repas dîner collation",
}
_NOT_A_BREAK = re.compile(r"\bbreak[- ]?(?:outs?|through)\b")  # "break-out groups" earn credit
_TITLE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# commercial_support that says there was none, in any of our languages
_NONE = frozenset(("none", "n/a", "ninguno", "ninguna", "keine", "kein", "aucun", "aucune"))
_GRANT = re.compile(
    r"\b(?:grants?|sponsored by|sponsorship|subvenci[oó]n(?:es)?|becas?|patrocinad[oa]s?"
    r"|patrocinio|f[oö]rdermittel\w*|drittmittel\w*|zusch[uü]ss\w*|gesponsert|sponsoring"
    r"|subventions?|parrain\w*|sponsoris\w*|m[eé]c[eé]nat)\b"
)

# A disclosure either says there is no relevant financial relationship, or names one and
# says how it was mitigated. Patterns are matched on casefolded text with ’ read as '.
_NO_RELATIONSHIP = re.compile(
    r"\bno (?:relevant )?(?:financial )?relationships?\b|\bnothing to disclose\b"
    r"|\bnot a relevant financial relationship|\bno (?:relevant )?conflicts? of interest"
    r"|\bno tiene relaciones financieras|\bsin relaciones financieras"
    r"|\bninguna relaci[oó]n financiera|\bnada que declarar|\bsin conflictos? de inter[eé]s"
    r"|\bkeine (?:relevanten )?finanziellen (?:beziehungen|verbindungen|interessen)"
    r"|\bkeine interessens?konflikte|\bnichts offenzulegen"
    r"|\baucun(?:e)? (?:lien|relation|conflit)s? (?:d'int[eé]r[eê]ts?|financi)"
    r"|\brien [àa] d[eé]clarer"
)
_MITIGATED = re.compile(
    r"\bmitigat\w*|\bresolved\b|\bpeer[- ]review\w*|\breviewed by\b|\bindependent(?:ly)? review"
    r"|\bmitigad\w*|\bresuelt\w*|\brevisad\w* por\b|\brevisi[oó]n por pares"
    r"|\bgemindert|\babgemildert|\bmitigiert|\bgepr[uü]ft|\bbegutachtet"
    r"|\batt[eé]nu[eé]\w*|\br[eé]solu\w*|\brevu\w* par\b|\brelu\w* par\b|\bexamin[eé]\w* par\b"
)

# Evaluation items: the objective's words of 4 letters or more, but for these, must recur.
_STOPWORD_TEXT = """
    that this these those with from into their them they when where which about using
    your within after before between other such than then were been have will able
    para como desde sobre entre cuando donde cada esta este estos estas pueden puede
    einer eines einem einen wenn nach oder sowie diese dieser dieses zwischen werden können
    dans avec pour leur leurs entre cette ceux sont être peut
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_EVALUATION_WORD = re.compile(r"[^\W\d_]+")
_STEM = 5  # words match on their first letters: "conditions" and "condition" agree


def review_workshop(w: Workshop, source: Path, tree: Any, provider: Provider) -> list[Problem]:
    """Return the problems a CE reviewer would raise in the outline (tree: its YAML, or None)."""
    at = _Lines(source, tree)
    problems: list[Problem] = []
    problems += _breaks(w, at)
    problems += _activities(w, at)
    problems += _length_and_credits(w, at, provider)
    problems += _zero_credits(w, at, provider)
    problems += _commercial_support(w, at)
    problems += _disclosures(w, at)
    problems += _evaluations(w, at)
    return problems


@dataclass(frozen=True)
class _Lines:
    """Where a field is: its key's line read from the YAML tree, else its mapping's line."""

    source: Path
    tree: Any

    def line(self, fallback: int, *loc: int | str) -> int:
        return line_of(self.tree, *loc) if self.tree is not None else fallback

    def error(self, line: int, field: str, message: str) -> Problem:
        return Problem(str(self.source), line, message, field, "error")

    def warning(self, line: int, field: str, message: str) -> Problem:
        return Problem(str(self.source), line, message, field, "warning")


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def break_word(title: str, language: str) -> str | None:
    """Return the word that makes a section title a break or a meal, or None.

    Whole words (a hyphenated word's parts too) of English and the outline's language.
    """
    words = set(_BREAK_WORDS["en"].split()) | set(_BREAK_WORDS.get(primary(language), "").split())
    tokens: list[str] = _TITLE_WORD.findall(_NOT_A_BREAK.sub(" ", title.casefold()))
    for token in tokens:
        found = [t for t in (token, *token.split("-")) if t in words]
        if found:
            return found[0]
    return None


def _breaks(w: Workshop, at: _Lines) -> Iterator[Problem]:
    """Yield an error for each credit-bearing section whose title says break, lunch or meal."""
    for i, section in enumerate(w.agenda):
        word = break_word(section.title, w.program.language) if section.credit else None
        if word is not None:
            yield at.error(
                section.line,
                f"agenda.{i}.credit",
                f"expected credit: false for a break or meal ({word!r} in the title), "
                "got a section that earns credit",
            )


def _activities(w: Workshop, at: _Lines) -> Iterator[Problem]:
    """Yield an error for an activity longer than its section; a warning when they add up."""
    for i, section in enumerate(w.agenda):
        activities = [(j, b) for j, b in enumerate(section.blocks) if isinstance(b, Activity)]
        longer = [(j, b) for j, b in activities if b.minutes > section.minutes]
        for j, b in longer:
            yield at.error(
                at.line(b.line, "agenda", i, "blocks", j, "minutes"),
                f"agenda.{i}.blocks.{j}.minutes",
                f"expected at most the section's {section.minutes} minutes, got {b.minutes}",
            )
        total = sum(b.minutes for _, b in activities)
        if not longer and total > section.minutes:
            yield at.warning(
                at.line(section.line, "agenda", i, "minutes"),
                f"agenda.{i}.minutes",
                f"expected at least the {total} minutes of the section's activities, "
                f"got {section.minutes}",
            )


def _length_and_credits(w: Workshop, at: _Lines, provider: Provider) -> Iterator[Problem]:
    """Yield an error where program.minutes or program.credits disagree with the agenda."""
    stated, claimed, earned = w.program.minutes, w.program.credits, ce.credits(w, provider)
    if stated is not None and stated != w.credit_minutes:
        yield at.error(
            at.line(w.program.line, "program", "minutes"),
            "program.minutes",
            f"expected the agenda's {w.credit_minutes} credit-bearing minutes (the whole "
            f"agenda, breaks included, is {w.total_minutes}), got {stated}",
        )
    if claimed is not None and claimed != earned:
        yield at.error(
            at.line(w.program.line, "program", "credits"),
            "program.credits",
            f"expected {earned} credits ({w.credit_minutes} credit-bearing minutes at "
            f"{provider.minutes_per_credit} minutes a credit), got {claimed:g}",
        )


def _zero_credits(w: Workshop, at: _Lines, provider: Provider) -> Iterator[Problem]:
    """Yield a warning when credit-bearing minutes earn no credit (e.g. 50 of 60 minutes)."""
    earned = [ce.credits(w, provider)] + [ce.credits(w, provider, a) for a in provider.approvals]
    if w.credit_minutes > 0 and max(earned) == 0:
        yield at.warning(
            w.agenda[0].line,
            "agenda",
            f"expected at least 1 credit, got 0 ({w.credit_minutes} credit-bearing minutes at "
            f"{provider.minutes_per_credit} minutes a credit)",
        )


def _commercial_support(w: Workshop, at: _Lines) -> Iterator[Problem]:
    """Yield an error when commercial support is not stated; a warning for an unnamed grant."""
    if not w.states_commercial_support:
        yield at.error(
            w.line,
            "commercial_support",
            "expected 'none' or who gave commercial support, got nothing "
            "(add commercial_support: none when there was none)",
        )
        return
    grant = _GRANT.search(_folded(w.program.description))
    if grant and _folded(w.commercial_support).rstrip(".") in _NONE:
        description = at.line(w.program.line, "program", "description")
        yield at.warning(
            at.line(w.line, "commercial_support"),
            "commercial_support",
            f"expected who gave the grant the description names ({grant.group()!r}, line "
            f"{description}), got {w.commercial_support!r}",
        )


def _disclosures(w: Workshop, at: _Lines) -> Iterator[Problem]:
    """Yield an error for a disclosure that names a relationship but not its mitigation."""
    for i, p in enumerate(w.presenters):
        if "[" in p.disclosure or not unmitigated(p.disclosure):
            continue  # a [placeholder] is reported as one
        message = (
            "expected how the financial relationship was mitigated (e.g. 'the content was "
            "peer reviewed to mitigate it'), or 'has no relevant financial relationships', "
            "got a relationship without it"
        )
        where = (at.line(p.line, "presenters", i, "disclosure"), f"presenters.{i}.disclosure")
        if verbs_known(w.program.language):
            yield at.error(*where, message)
        else:  # the phrases are known in the same languages as the verbs
            language = w.program.language
            yield at.warning(*where, f"{message} (or one we cannot read in {language!r})")


def unmitigated(disclosure: str) -> bool:
    """Return whether a disclosure names a financial relationship but not its mitigation.

    Any disclosure that does not say there is no relevant relationship names one.
    """
    text = _folded(disclosure)
    return not (_NO_RELATIONSHIP.search(text) or _MITIGATED.search(text))


def _evaluations(w: Workshop, at: _Lines) -> Iterator[Problem]:
    """Yield an error for an evaluation item that does not match its objective."""
    for i, o in enumerate(w.objectives):
        if o.evaluation is None:
            continue  # the form then asks "I am able to <objective>", which matches
        missing = evaluation_mismatch(o.text, o.evaluation, w.program.language)
        if missing:
            yield at.error(
                at.line(o.line, "objectives", i, "evaluation"),
                f"objectives.{i}.evaluation",
                f"expected an item that matches its objective, missing {', '.join(missing)}",
            )


def evaluation_mismatch(objective: str, evaluation: str, language: str) -> list[str]:
    """Return what the evaluation item lacks of its objective; empty when they match.

    It matches when it contains the objective's action verb and at least half of the
    objective's content words (4 letters or more, not stopwords, compared on their first 5).
    """
    words = _EVALUATION_WORD.findall(_folded(objective))
    have = {word[:_STEM] for word in _EVALUATION_WORD.findall(_folded(evaluation))}
    verb = _action_verb(words, language)
    missing = [f"the verb {verb!r}"] if verb and verb[:_STEM] not in have else []
    content = list(dict.fromkeys(x for x in words if len(x) >= 4 and x not in _STOPWORDS))
    content = [x for x in content if x != verb]
    absent = [x for x in content if x[:_STEM] not in have]
    if content and len(absent) > len(content) // 2:
        shown = ", ".join(repr(x) for x in absent[:4])
        missing.append(f"{len(absent)} of its {len(content)} key words ({shown})")
    return missing


def _action_verb(words: list[str], language: str) -> str | None:
    """Return the objective's action verb: first, or for German first or last."""
    verbs = ACTION_VERBS.get(primary(language), ACTION_VERBS["en"])
    candidates = words[:1]
    if primary(language) == "de" and words:
        candidates.append(words[-2] if words[-1] == "können" and len(words) > 1 else words[-1])
    return next((x for x in candidates if x in verbs), None)
