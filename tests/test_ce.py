"""CE facts: credits per body and verbatim approval statements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.brand import Approval, Provider
from builder.ce import body_credits, credit_label, credits, statements
from builder.loader import load_model
from builder.model import Workshop


def _provider(*approvals: Approval) -> Provider:
    return Provider(
        name="Acme CE",
        address="1 Main St",
        contact="ce@acme.example",
        approvals=list(approvals),
        ada="Ask.",
        grievance="Write.",
        attendance="Stay.",
    )


def test_credits_round_down_to_each_bodys_increment(outline: Path) -> None:
    w = load_model(outline, Workshop)  # 65 credit minutes
    quarter = Approval(body="NBCC", number="1", increment=0.25, unit="CE clock hours")
    assert credits(w, _provider()) == 1
    assert credits(w, _provider(), quarter) == 1
    assert credits(w, _provider(), Approval(body="APA", minutes_per_credit=50, increment=0.5)) == 1
    assert body_credits(_provider(quarter), w) == ["NBCC: 1 CE clock hour"]
    half = Approval(body="APA", minutes_per_credit=30, increment=0.5)
    assert body_credits(_provider(half, quarter), w) == [
        "APA: 2 CE credits",
        "NBCC: 1 CE clock hour",
    ]
    assert body_credits(_provider(Approval(body="CAMFT", number="9")), w) == ["CAMFT: 1 CE credit"]
    assert credit_label(w, _provider()) == "1 CE credit (65 instructional minutes)"


def test_aswb_statement_is_verbatim_with_number_period_and_credits(outline: Path) -> None:
    w = load_model(outline, Workshop)
    aswb = Approval(
        body="ASWB",
        number="1901",
        period_start=dt.date(2026, 1, 15),
        period_end=dt.date(2029, 1, 15),
        credit_type="clinical",
    )
    (text,) = statements(_provider(aswb), w)
    assert text == (
        "Acme CE, provider #1901, is approved as an ACE provider to offer social work continuing "
        "education by the Association of Social Work Boards (ASWB) Approved Continuing Education "
        "(ACE) program. Regulatory boards are the final authority on courses accepted for "
        "continuing education credit. ACE provider approval period: 01/15/2026-01/15/2029. "
        "Social workers completing this course receive 1 clinical continuing education credits."
    )
