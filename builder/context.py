"""What the templates see of a loaded job: the outline, brand, provider and CE facts, with
the words, dates, times and numbers of the outline's language (builder.pipeline renders every
template of a build with one such context)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder import ce
from builder.bibliography import Bibliography, bibliography_of
from builder.brand import Brand, Provider
from builder.checks import placeholders_remain
from builder.errors import Problem
from builder.i18n import Words, format_date, format_time, primary, words_for
from builder.model import Node, Quote, Workshop, distinct


@dataclass(frozen=True)
class Loaded:
    """An outline with its brand, provider and every problem the checks found."""

    workshop: Workshop
    brand: Brand
    provider: Provider
    problems: list[Problem]
    registered: tuple[str, ...] = ()  # names from the job's roster, in its order


def context(loaded: Loaded, source: Path) -> dict[str, Any]:
    """Return what templates see: the workshop, brand, provider and derived CE facts."""
    w, provider = loaded.workshop, loaded.provider
    bib = bibliography_of(w)
    return {
        "w": w,
        "program": w.program,
        "presenters": w.presenters,
        "brand": loaded.brand,
        "provider": provider,
        "credit_label": ce.credit_label(w, provider),
        "credits": ce.credits(w, provider),
        "statements": ce.statements(provider, w),
        "body_credits": ce.body_credits(provider, w),
        "non_credit": any(not s.credit for s in w.agenda),
        "bib": bib,
        "refs": [(key, w.sources[key]) for key in bib.sorted_keys()],
        "presenter_names": ", ".join(p.name for p in w.presenters),
        "registered": loaded.registered,
        "draft": placeholders_remain(loaded.problems),
        "at": lambda node: f"{source}:{node.line}" if isinstance(node, Node) else "",
        "attribution": lambda quote: _attribution(quote, bib),
        "research_in_agenda": any(s.research for s in w.agenda),
        "parts": part_numbers(w),
        **_language_context(w),
        # the kit's policies, else the outline language's sentences
        **_policies(provider, words_for(w.program.language)),
    }


def _policies(provider: Provider, t: Words) -> dict[str, str]:
    """Return the attendance and evaluation policies the templates state: the provider's own,
    else the outline language's (a kit may leave them out; the built-in kit does)."""
    return {
        "attendance_policy": provider.attendance or t("attendance_policy"),
        "evaluation_policy": provider.evaluation or t("evaluation_policy"),
    }


def part_numbers(w: Workshop) -> list[int | None]:
    """Return each agenda section's part number ("Part 3"): a break (no credit, nothing to
    show) has none and is not counted, so the parts after it run on without a gap."""
    numbers, count = [], 0
    for section in w.agenda:
        count += not section.is_break
        numbers.append(None if section.is_break else count)
    return numbers


_FORMAT_KEYS = {
    "in-person": "format_in_person",
    "live interactive webinar": "format_webinar",
    "self-study": "format_self_study",
}


def _language_context(w: Workshop) -> dict[str, Any]:
    """Return the words, dates, times and numbers of the outline's language."""
    language, t = w.program.language, words_for(w.program.language)
    starts, ends, days = _minutes(w)
    support = w.commercial_support
    # what a CE provider needs on the day besides the outline's materials (facilitator guide)
    on_paper = ("handouts", "sign_in", "evaluations")
    online = ("handout_file", "attendance", "evaluation_link")
    ce_items = on_paper if w.program.format == "in-person" else online
    return {
        "t": t,
        "lang": language,
        "date_label": "; ".join(format_date(d, language) for d in w.program.dates),
        "clock": [_clock(m, w) for m in starts],
        "start_minute": starts,
        "clock_at": lambda minute: _clock(minute, w),
        "clause": lambda text: _clause(text, language),
        "listed": lambda text: listed_objective(text, language),
        "sheet_dates": [format_date(day, language) for day in w.program.dates],
        "sheet_sections": sheet_sections(days, len(w.program.dates)),
        "clock_end": [_clock(m, w) for m in ends],
        "non_credit_notice": t("non_credit_notice"),
        "level_label": t(f"level_{w.program.level}"),
        "format_label": t(_FORMAT_KEYS[w.program.format]),
        "commercial_support": _support(support, t),
        "quote_title": lambda quote: quote_title(quote.by, t),
        "checklist": distinct([*w.materials, *(t(f"checklist_{item}") for item in ce_items)]),
    }


# Lower-case words inside personal names, and articles that start a description instead
_PARTICLES = frozenset(("von", "van", "der", "den", "de", "del", "della", "la", "le", "du"))
_PARTICLES |= {"da", "di", "dos", "das", "y", "e", "und", "et", "and", "&", "bin", "ibn", "al"}
_ARTICLES = frozenset(("the", "a", "an", "el", "los", "las", "un", "una", "die", "das", "ein"))
_ARTICLES |= {"eine", "einer", "les", "une", "des", "our", "my", "this"}


def quote_title(by: str, t: Words) -> str:
    """Return a quote slide's title: "In Jeffrey Von Glahn’s words" for a person's name, else
    "Quote: a composite client, first session" (a description reads badly in "In …’s words")."""
    words = by.split()
    named = (
        "," not in by
        and 0 < len(words) <= 8
        and words[0].casefold() not in _ARTICLES
        and all(w[0].isupper() or w in _PARTICLES for w in words)
    )
    return t("in_words", name=by) if named else t("quote_from", who=by)


def _support(text: str, t: Words) -> str:
    """Return commercial support as written, or 'none' in the outline's language."""
    return t("no_commercial_support") if text.strip().lower() == "none" else text


def _attribution(quote: Quote, bib: Bibliography) -> str:
    """Return 'Jeffrey Von Glahn (n.d.)', or 'Name (Citation)' when the author differs."""
    if not quote.cite:
        return quote.by
    names, date = bib.citation_parts(quote.cite)
    shown = date if names in quote.by else bib.citation_text(quote.cite)
    return f"{quote.by} ({shown})"


def _minutes(w: Workshop) -> tuple[list[int], list[int], list[int]]:
    """Return the minute each section starts and ends, counted from the program's start, and
    the day of the agenda it is held on (0 for the first).

    A section with its own start begins then: later the same day, or on the next day when
    that time has passed (a second day's morning, which begins the agenda's next day).
    """
    starts, ends, held, minute, day = [], [], [], 0, 0
    first = _of_day(w.program.start) if w.program.start else 0
    for section in w.agenda:
        if section.start is not None and w.program.start is not None:
            at = _of_day(section.start) - first
            days = -(-(minute - at) // DAY)  # 0: later today; else the days until that time
            minute = at + days * DAY
            day += days > 0
        starts.append(minute)
        held.append(day)
        minute += section.minutes
        ends.append(minute)
    return starts, ends, held


DAY = 24 * 60


def sheet_sections(days: list[int], dates: int) -> list[list[int]]:
    """Return, for each of a program's dates, the agenda sections its sign-in sheet covers:
    that day's own when the agenda has one day per date, else every section on every date
    (one agenda run, or days that do not match the dates)."""
    count = days[-1] + 1 if days else 1
    if count == dates:
        return [[i for i, day in enumerate(days) if day == date] for date in range(dates)]
    return [list(range(len(days)))] * dates


def _of_day(clock: str) -> int:
    """Return a clock time ('09:30') as minutes after midnight."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return hours * 60 + minutes


def _clock(minute: int, w: Workshop) -> str:
    """Return elapsed time ('1:05'), or the time of day in the language from program.start."""
    if w.program.start is None:
        return f"{minute // 60}:{minute % 60:02d}"
    total = _of_day(w.program.start) + minute
    time = dt.time(total // 60 % 24, total % 60)
    return format_time(time, w.program.language)


def _clause(text: str, language: str) -> str:
    """Return an objective as the end of "I am able to …" (its verb in lower case)."""
    from builder.writers.evaluation import objective_clause

    return objective_clause(text, language)


def listed_objective(text: str, language: str) -> str:
    """Return an objective as an item under "By the end of this workshop, you will be able
    to:": German's lead ("… können Sie:") wants the verb last ("Beschreiben Sie drei
    Verläufe." -> "drei Verläufe beschreiben."); other languages' items read as written."""
    return _clause(text, language) if primary(language) == "de" else text
