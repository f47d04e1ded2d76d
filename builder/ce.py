"""CE facts derived from an outline and a provider: credits and approval statements.

Approval statements are the accreditors' verbatim templates (see shared/CE.md); only the
bracketed parts are substituted. Credit wording follows the outline's language.
"""

from __future__ import annotations

import math

from builder.brand import Approval, Provider
from builder.i18n import format_number, plural, words_for
from builder.model import Workshop

# Accreditors require their exact wording, so these stay English whatever program.language is.
STATEMENTS = {
    "APA": (
        "{org} is approved by the American Psychological Association to sponsor continuing "
        "education for psychologists. {org} maintains responsibility for this program and its "
        "content."
    ),
    "NBCC": (
        "{org} has been approved by NBCC as an Approved Continuing Education Provider, ACEP No. "
        "{number}. Programs that do not qualify for NBCC credit are clearly identified. {org} is "
        "solely responsible for all aspects of the programs."
    ),
    "ASWB": (
        "{org}, provider #{number}, is approved as an ACE provider to offer social work "
        "continuing education by the Association of Social Work Boards (ASWB) Approved "
        "Continuing Education (ACE) program. Regulatory boards are the final authority on "
        "courses accepted for continuing education credit. ACE provider approval period: "
        "{start}-{end}. Social workers completing this course receive {credits} {type} "
        "continuing education credits."
    ),
    "CAMFT": (
        "{org} is approved by the California Association of Marriage and Family Therapists to "
        "sponsor continuing education for LMFTs, LPCCs, LCSWs, and LEPs (CAMFT CEPA #{number}). "
        "{org} maintains responsibility for this program/course and its content."
    ),
}


def credits(workshop: Workshop, provider: Provider, approval: Approval | None = None) -> float:
    """Return credits: credit-bearing minutes per credit, rounded down to the body's increment."""
    per = (approval.minutes_per_credit if approval else None) or provider.minutes_per_credit
    step = approval.increment if approval else 1.0
    value = math.floor(workshop.credit_minutes / per / step) * step
    return int(value) if value == int(value) else value


def credit_label(workshop: Workshop, provider: Provider) -> str:
    """Return the credits as people read them: '1 CE credit (75 instructional minutes)'."""
    language = workshop.program.language
    n = credits(workshop, provider)
    key = "credit_one" if plural(n, language) == "one" else "credit_many"
    minutes = format_number(workshop.credit_minutes, language)
    return words_for(language)(key, n=format_number(n, language), minutes=minutes)


def statement(approval: Approval, provider: Provider, workshop: Workshop) -> str:
    """Return one body's approval statement, verbatim but for the bracketed parts."""
    return STATEMENTS[approval.body].format(
        org=provider.name,
        number=approval.number or "",
        start=approval.period_start.strftime("%m/%d/%Y") if approval.period_start else "",
        end=approval.period_end.strftime("%m/%d/%Y") if approval.period_end else "",
        credits=credits(workshop, provider, approval),
        type=approval.credit_type or "general",
    )


def body_credits(provider: Provider, workshop: Workshop) -> list[str]:
    """Return each claimed body's credits in its own unit: 'NBCC: 1 CE clock hour'."""
    language = workshop.program.language
    out = []
    for a in provider.approvals:
        n = credits(workshop, provider, a)
        out.append(f"{a.body}: {format_number(n, language)} {unit(a, n, language)}")
    return out


def unit(approval: Approval, n: float, language: str) -> str:
    """Return the credit unit for n: the body's own ("CE clock hours", one "CE clock hour" in
    English), else "CE credits" in the language, singular for one."""
    one = plural(n, language) == "one"
    if approval.unit:
        english = language.split("-")[0] == "en"
        return (
            approval.unit[:-1] if one and english and approval.unit.endswith("s") else approval.unit
        )
    return words_for(language)("ce_credits_one" if one else "ce_credits")


def statements(provider: Provider, workshop: Workshop) -> list[str]:
    """Return every approval statement the provider claims, in the order listed."""
    return [statement(a, provider, workshop) for a in provider.approvals]
