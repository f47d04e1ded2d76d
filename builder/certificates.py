"""Certificates of attendance: who gets one, the credits each accrediting body gives, stable IDs.

The stage between `builder.roster` (the attendees) and `builder.writers.certificate` (the
pages). Credits come from the minutes of instruction each attendee attended, never breaks,
capped at the program's, rounded down to each body's increment. CE.md asks for full
attendance (its strictest common set), so no body gives partial credit unless the provider
says it does for this program (`partial`); the log says which body gave none and why.
`issue` writes one PDF per certificate, the merged PDF and the CSV log, in chunks, so memory
stays flat whatever the roster's size.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from builder import ce
from builder.brand import Brand, Provider
from builder.errors import Problem, WorkshopError, WriteError
from builder.i18n import format_date, format_number, words_for
from builder.model import Workshop
from builder.publish import staged
from builder.roster_row import Attendee, Rejected

CHUNK = 100  # certificates drawn at a time: one part of the merged PDF
WORKER_CHUNKS = 20  # chunks that repay starting a worker process (about 2,000 certificates)
LOG = "certificates.csv"
MERGED = "certificates.pdf"
_FORMULA_STARTS = frozenset("=+-@\t\r")  # a spreadsheet reads a cell so begun as a formula
_FORMATS = {
    "in-person": "format_in_person",
    "live interactive webinar": "format_webinar",
    "self-study": "format_self_study",
}
_ASCII = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d",
                        "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "œ": "oe"})  # fmt: skip


class CertificateError(WorkshopError):
    """Certificates cannot be issued for this outline and kit (no administrator, say)."""


@dataclass(frozen=True)
class Body:
    """One accrediting body's credit rule as this program applies it."""

    name: str  # APA, NBCC, ASWB, CAMFT; empty when the provider claims no body
    unit: str  # 'CE credits', 'CE clock hours'
    kind: str  # the credit type (ASWB: 'clinical'), or empty
    per: int  # minutes per credit
    step: float  # credits are rounded down to this
    partial: bool  # whether attending part of the program earns part of the credits


@dataclass(frozen=True)
class Award:
    """The credits one body gives one attendee, with the reason when it gives none."""

    body: Body
    credits: float
    note: str = ""


@dataclass(frozen=True)
class Facts:
    """What every certificate of the program says, made once from the outline and the kit."""

    title: str
    dates: str
    date_key: str  # the dates as ISO text: part of every certificate ID
    format: str
    presenters: tuple[str, ...]
    statements: tuple[str, ...]
    provider: str
    contact: str
    administrator: str
    administrator_title: str
    signature: Path
    language: str
    issued: str  # the date of issue as the language writes it
    credit_minutes: int


@dataclass(frozen=True)
class Plan:
    """Everything issuing needs, picklable for worker processes."""

    facts: Facts
    bodies: tuple[Body, ...]
    brand: Brand
    breaks: int  # minutes of the agenda that earn no credit
    spans: tuple[tuple[int, int], ...]  # credit sections as minutes of the day, when timed
    self_study: bool = False
    draft: bool = False  # [placeholders] remain: every certificate says DRAFT


@dataclass(frozen=True)
class Decision:
    """One roster row's outcome: the certificate issued, or why none was."""

    row: Attendee | Rejected
    credit_minutes: int | None = None
    awards: tuple[Award, ...] = ()
    reason: str = ""
    id: str = ""
    filename: str = ""  # the certificate's file, when one is issued

    @property
    def issued(self) -> bool:
        """Whether the row gets a certificate."""
        return bool(self.filename)


def plan_for(
    workshop: Workshop,
    provider: Provider,
    brand: Brand,
    partial: frozenset[str] = frozenset(),
    draft: bool = False,
) -> Plan:
    """Return the plan of the program's certificates; raise CertificateError when the kit
    cannot sign them (no administrator or no signature image)."""
    admin = provider.administrator
    where = str(brand.root / "provider.yml")
    if admin is None or not admin.signature:
        message = (
            "expected an administrator with name, title and signature (an image file in the "
            "kit) to sign certificates, got " + ("no signature" if admin else "no administrator")
        )
        raise CertificateError(Problem(where, admin.line if admin else 0, message, "administrator"))
    return Plan(
        facts=_facts(workshop, provider, brand.root / admin.signature),
        bodies=bodies(provider, workshop.program.language, partial),
        brand=brand.printed(),
        breaks=workshop.total_minutes - workshop.credit_minutes,
        spans=_spans(workshop),
        self_study=workshop.program.format == "self-study",
        draft=draft,
    )


def _facts(workshop: Workshop, provider: Provider, signature: Path) -> Facts:
    program, t = workshop.program, words_for(workshop.program.language)
    place = program.location if program.format != "self-study" else None
    assert provider.administrator is not None  # plan_for checked it
    return Facts(
        title=program.title,
        dates="; ".join(format_date(d, program.language) for d in program.dates),
        date_key=",".join(d.isoformat() for d in program.dates),
        format=", ".join(filter(None, (t(_FORMATS[program.format]), place))),
        presenters=tuple(f"{p.name}, {p.credentials}" for p in workshop.presenters),
        statements=tuple(ce.statements(provider, workshop)),
        provider=provider.name,
        contact=provider.contact,
        administrator=provider.administrator.name,
        administrator_title=provider.administrator.title,
        signature=signature,
        language=program.language,
        issued=format_date(issue_date(), program.language),
        credit_minutes=workshop.credit_minutes,
    )


def bodies(provider: Provider, language: str, partial: frozenset[str]) -> tuple[Body, ...]:
    """Return each claimed body's credit rule; the provider's own when it claims none."""
    unit = words_for(language)("ce_credits")
    if not provider.approvals:
        return (Body("", unit, "", provider.minutes_per_credit, 1.0, False),)
    return tuple(
        Body(
            a.body,
            a.unit or unit,
            a.credit_type or "",
            a.minutes_per_credit or provider.minutes_per_credit,
            a.increment,
            a.body in partial,
        )
        for a in provider.approvals
    )


def _spans(workshop: Workshop) -> tuple[tuple[int, int], ...]:
    """Return the credit sections as (start, end) minutes of the day, when the program has a
    start time and one date (an agenda is one run of minutes from program.start)."""
    program = workshop.program
    if program.start is None or len(program.dates) > 1:
        return ()
    hours, minutes = (int(part) for part in program.start.split(":"))
    minute, spans = hours * 60 + minutes, []
    for section in workshop.agenda:
        if section.credit:
            spans.append((minute, minute + section.minutes))
        minute += section.minutes
    return tuple(spans)


def issue_date() -> dt.date:
    """Return the date of issue: SOURCE_DATE_EPOCH's (UTC) when set, else today."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return dt.date.today()
    if not raw.isdigit():
        raise WriteError(Problem("SOURCE_DATE_EPOCH", 0, f"expected whole seconds, got {raw!r}"))
    return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc).date()


def decide(row: Attendee | Rejected, plan: Plan) -> Decision:
    """Return whether row gets a certificate, with its credits per body, or why not."""
    if isinstance(row, Rejected):
        return Decision(row, reason="; ".join(_bad(p) for p in row.problems))
    minutes, how = credit_minutes(row, plan)
    refusal = _refusal(row, plan)
    if refusal or minutes is None:
        return Decision(row, minutes, reason=refusal or how)
    awards = tuple(_award(body, minutes, plan) for body in plan.bodies)
    if not any(a.credits for a in awards):
        notes = [how, *(a.note for a in awards)]
        return Decision(row, minutes, awards, "; ".join(filter(None, notes)))
    notes = [a.note for a in awards if a.note]
    cid = certificate_id(plan.facts, row)
    reason = "; ".join(filter(None, [how if notes else "", *notes]))
    return Decision(row, minutes, awards, reason, cid, filename(row.name, cid))


def unprintable(plan: Plan, decisions: Sequence[Decision], roster: Path) -> list[Problem]:
    """Return a warning for each issued name with characters the kit's font cannot show."""
    from builder.writers.certificate import missing_glyphs

    family = plan.brand.heading_font.deck_name
    warnings = []
    for decision in decisions:
        missing = missing_glyphs(plan, decision.row.name) if decision.issued else ""
        if missing:
            message = (
                f"expected characters the font {family} can show, got {missing!r} "
                "(they print as boxes: a kit font that has them fixes it)"
            )
            warnings.append(Problem(str(roster), decision.row.line, message, "name", "warning"))
    return warnings


def _bad(problem: Problem) -> str:
    return f"line {problem.line}: {problem.field}: {problem.message}"


def _refusal(row: Attendee, plan: Plan) -> str:
    """Return why the attendee gets no certificate whatever the minutes, or nothing."""
    if not row.evaluation:
        return "no completed evaluation"
    if plan.self_study and not row.post_test:
        return "self-study: no passed post-test"
    return ""


def credit_minutes(row: Attendee, plan: Plan) -> tuple[int | None, str]:
    """Return the minutes of instruction the attendee attended (at most the program's), and
    how they were counted; None with the reason when the row cannot say."""
    total = plan.facts.credit_minutes
    if plan.self_study:
        return total, ""
    if row.credit_minutes is not None:
        got, how = row.credit_minutes, f"{row.credit_minutes} credit minutes in the roster"
    elif row.time_in and row.time_out and plan.spans:
        got, how = _overlap(row.time_in, row.time_out, plan.spans), _clock(row)
    elif row.minutes is not None:
        got = row.minutes - plan.breaks  # minutes present less the breaks: missed time was
        how = f"{row.minutes} minutes present less {plan.breaks} of breaks"  # instruction
    else:
        return None, "time in and out need the outline's program.start and a single date"
    counted = max(0, min(got, total))
    return counted, f"attended {counted} of {total} credit minutes ({how})"


def _overlap(time_in: dt.time, time_out: dt.time, spans: Sequence[tuple[int, int]]) -> int:
    start, end = time_in.hour * 60 + time_in.minute, time_out.hour * 60 + time_out.minute
    return sum(max(0, min(end, b) - max(start, a)) for a, b in spans)


def _clock(row: Attendee) -> str:
    assert row.time_in and row.time_out
    return f"in {row.time_in:%H:%M}, out {row.time_out:%H:%M}"


def _award(body: Body, minutes: int, plan: Plan) -> Award:
    """Return the credits body gives for minutes of instruction attended."""
    name = body.name or "credit"
    total = plan.facts.credit_minutes
    if minutes < total and not body.partial:
        return Award(
            body, 0, f"{name}: no partial credit, full attendance ({total} minutes) required"
        )
    credits = credits_for(minutes, body)
    if credits == 0:
        least = format_number(body.step * body.per, "en")
        return Award(body, 0, f"{name}: less than {least} minutes, the least that earns credit")
    return Award(body, credits)


def credits_for(minutes: int, body: Body) -> float:
    """Return credits for minutes of instruction, rounded down to the body's increment (the
    rule of `ce.credits`, there applied to the program's minutes)."""
    value = math.floor(minutes / body.per / body.step) * body.step
    return int(value) if value == int(value) else value


def certificate_id(facts: Facts, attendee: Attendee) -> str:
    """Return the certificate's ID: the same program, provider and attendee give the same ID."""
    parts = (facts.title, facts.date_key, facts.provider, _folded(attendee.name),
             attendee.email.casefold(), _folded(attendee.license))  # fmt: skip
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    code = base64.b32encode(digest).decode("ascii")[:12]
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def filename(name: str, cid: str) -> str:
    """Return a certificate's file name: safe on every system, unique through its ID."""
    ascii_ = unicodedata.normalize("NFKD", name.translate(_ASCII))
    ascii_ = ascii_.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60].strip("-")
    return f"{slug or 'certificate'}-{cid}.pdf"


def log_header(plan: Plan) -> list[str]:
    """Return the columns of the CSV log: the row, the decision, credits per body, the file."""
    credits = [f"{b.name or 'CE'} {b.unit}" + (f" ({b.kind})" if b.kind else "")
               for b in plan.bodies]  # fmt: skip
    head = ["line", "name", "e-mail", "license", "attended minutes", "credit minutes",
            "evaluation completed", "status", "reason"]  # fmt: skip
    return [*head, *credits, "certificate ID", "file"]


def log_row(decision: Decision, plan: Plan) -> list[str]:
    """Return one row of the CSV log."""
    row = decision.row
    if isinstance(row, Rejected):
        cells = [str(row.line), row.name, row.email, row.license, "", "", ""]
        return [*cells, "not issued", decision.reason, *[""] * len(plan.bodies), "", ""]
    present = "" if row.minutes is None else str(row.minutes)
    counted = "" if decision.credit_minutes is None else str(decision.credit_minutes)
    awards = decision.awards if decision.issued else ()
    credits = [format_number(a.credits, "en") for a in awards] or [""] * len(plan.bodies)
    status = "issued" if decision.issued else "not issued"
    cells = [str(row.line), row.name, row.email, row.license, present, counted,
             "yes" if row.evaluation else "no", status, decision.reason]  # fmt: skip
    return [*cells, *credits, decision.id, decision.filename]


def issue(plan: Plan, decisions: Sequence[Decision], folder: Path, jobs: int = 1) -> Iterator[int]:
    """Write each certificate's PDF, the merged PDF and the log into folder, as one set (none
    of them when one fails: `builder.publish`); yield the number of certificates written as
    each chunk is done (for a progress bar)."""
    issued = [d for d in decisions if d.issued]
    chunks = [issued[i : i + CHUNK] for i in range(0, len(issued), CHUNK)]
    try:
        with staged(folder) as staging:
            parts = [staging / f".{MERGED}.part{n}" for n in range(len(chunks))]
            with _executor(jobs, len(chunks)) as pool:
                yield from pool.map(_write_chunk, [plan] * len(chunks), chunks, parts)
            if parts:
                _join(parts, staging / MERGED, plan.facts)
            for part in parts:
                part.unlink()
            _write_log(plan, decisions, staging / LOG)
    except OSError as exc:  # the staging folder could not be made or put in place
        raise WriteError(Problem(str(folder), 0, f"could not write: {exc.strerror}")) from None


def _executor(jobs: int, chunks: int) -> Executor:
    """Return worker processes when each has enough chunks to repay its start (a second or
    two), else an in-process executor."""
    workers = min(jobs, chunks // WORKER_CHUNKS)
    if workers <= 1:
        return _InProcess()
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"))


class _InProcess(Executor):
    """An executor that runs each call here, in order (no worker start-up cost)."""

    def map(self, fn, *iterables, timeout=None, chunksize=1):  # type: ignore[no-untyped-def]
        return map(fn, *iterables)


def _write_chunk(plan: Plan, chunk: list[Decision], part: Path) -> int:
    """Write the chunk's certificates, each to its own file and all to one part of the merged
    PDF; return how many were written."""
    from builder.writers.certificate import certificate_files

    pages, files = certificate_files(plan, chunk)
    for decision, data in zip(chunk, files, strict=True):
        _replace(part.parent / decision.filename, data)
    _replace(part, pages)
    return len(chunk)


def _replace(target: Path, data: bytes) -> None:
    """Write data to target atomically: a temporary file moved over it."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteError(Problem(str(target), 0, f"could not write: {exc.strerror}")) from None


def _join(parts: list[Path], target: Path, facts: Facts) -> None:
    """Write the merged PDF from the parts, atomically."""
    from builder.writers.certificate import join_parts

    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(tmp, "wb") as out:
            join_parts(parts, out, facts)
        os.replace(tmp, target)
    except OSError as exc:
        raise WriteError(Problem(str(target), 0, f"could not write: {exc.strerror}")) from None
    finally:
        tmp.unlink(missing_ok=True)


def _inert(cell: str) -> str:
    """Return a cell that a spreadsheet would read as a formula (=, +, -, @, a tab or a
    carriage return first: a roster's "=HYPERLINK(...)" name) with a ' before it, which
    Excel and LibreOffice show as text; other cells as they are."""
    return f"'{cell}" if cell[:1] in _FORMULA_STARTS else cell


def _write_log(plan: Plan, decisions: Sequence[Decision], target: Path) -> None:
    """Write the CSV log in UTF-8 with a BOM, so that Excel shows accented names as written."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(log_header(plan))
    writer.writerows([_inert(cell) for cell in log_row(d, plan)] for d in decisions)
    _replace(target, text.getvalue().encode("utf-8-sig"))
