"""Certificates of attendance as PDF: one landscape page per attendee, on the shared page kit.

Called by `builder.certificates.issue`. What every certificate of a program shares (logo,
title, program facts, approval statements verbatim, the administrator's signature) is laid
out once per process and drawn once per part of a hundred certificates, on a template page;
a certificate's own content stream adds the attendee's name, license, credits and ID
(`pdf_part`). Each attendee's file and the merged PDF are written from the parts by
`pdf_pages`, one part in memory at a time, so memory stays flat.

Tagged PDF/UA-1: every page is a Sect of the same structure (`certificate_content`): the
title H1, "This certifies that", the attendee's name and license, the program's title H2 and
facts, the credits Table, each statement a P, the signature Figure, the signatory's name and
title, the certificate ID, date, provider and contact. The frames, rules, logo (decoration:
the provider is named in the text) and DRAFT mark are artifacts. The template's content has
the first MCIDs (a form XObject cannot hold marked content for a page), the attendee's the
next; every page's /Contents is the template's stream then its own.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from builder.certificates import Award, Body, Decision, Facts, Plan
from builder.document import Meta
from builder.errors import Problem, WriteError
from builder.fonts import BUILT_IN, family_for
from builder.i18n import Words, format_number, words_for
from builder.images import logo_png
from builder.roster_row import Attendee
from builder.writers.certificate_content import Structure, balanced, page_structure, show
from builder.writers.pdf_kit import (
    Faces,
    draft_mark,
    draw_logo,
    fit,
    image,
    palette,
    paper,
    pen,
    register,
    set_properties,
)
from builder.writers.pdf_pages import join, page_alone
from builder.writers.pdf_part import Part, part_file

MARGIN, FRAME = 54.0, 20.0
ROW, TABLE = 15.0, 540.0  # height of a row and width of the credits table
_STATEMENT_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)


@dataclass(frozen=True)
class _Layout:
    """Where things go on the page (y of baselines, from the bottom), fixed for a program."""

    name: float
    license: float
    title_size: float
    title: tuple[tuple[float, str], ...]  # (y, line) each
    facts: tuple[tuple[float, str], ...]
    table: float  # the top of the credits table
    statement_size: float
    statements: tuple[tuple[tuple[float, str], ...], ...]  # each statement's lines


class Painter:
    """Draws a program's certificates: fonts registered, images read and text laid out once."""

    def __init__(self, plan: Plan) -> None:
        self.facts, self.bodies, self.t = plan.facts, plan.bodies, words_for(plan.facts.language)
        self.draft = plan.draft
        brand, self.root = plan.brand, plan.brand.root
        self.heading, self.body = register(brand.heading_font), register(brand.body_font)
        self.colors = palette(brand)
        self.height, self.width = paper(brand)  # landscape: the portrait size turned
        self.logo = image(logo_png(brand), str(brand.logo))
        self.signature = image(self.facts.signature.read_bytes(), str(self.facts.signature))
        self.layout = self._layout()

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    def _layout(self) -> _Layout:
        """Return the page's layout, top down; the statements take the size that fits."""
        h, title, size = self.height, *self._title()
        title_y = tuple(h - 264 - i * size * 1.2 for i in range(len(title)))
        facts = self._fact_lines()
        facts_y = tuple(title_y[-1] - 20 - i * 13 for i in range(len(facts)))
        table = facts_y[-1] - 14
        below = table - ROW * (len(self.bodies) + 1) - 14
        for small in _STATEMENT_SIZES:
            statements = self._statements(below - small, small)
            lines = [line for statement in statements for line in statement]
            if not lines or lines[-1][0] >= 150:  # the signature block is below
                return _Layout(
                    h - 198, h - 216, size, tuple(zip(title_y, title, strict=True)),
                    tuple(zip(facts_y, facts, strict=True)), table, small, statements,
                )  # fmt: skip
        message = (
            f"expected the approval statements to fit a certificate above its signature at "
            f"{_STATEMENT_SIZES[-1]} pt, got {len(lines)} lines: shorten the provider's name (every "
            "statement holds it) or its address and contact"
        )
        raise WriteError(Problem(str(self.root / "provider.yml"), 0, message, "approvals"))

    def _statements(self, top: float, size: float) -> tuple[tuple[tuple[float, str], ...], ...]:
        """Return each statement's lines at size with their baselines from top down, half a
        line between statements."""
        placed, y = [], top
        for statement in self.facts.statements:
            lines = []
            for line in self._wrap(statement, size):
                lines.append((y, line))
                y -= size * 1.25
            placed.append(tuple(lines))
            y -= size * 0.5
        return tuple(placed)

    def _wrap(self, text: str, size: float) -> list[str]:
        return wrap(text, self.body.regular, size, self.text_width)

    def _title(self) -> tuple[list[str], float]:
        """Return the program title in at most two lines, and its size (smaller when long)."""
        for size in (17.0, 15.0, 13.0, 11.0):
            lines = wrap(self.facts.title, self.heading.bold, size, self.text_width)
            if len(lines) <= 2:
                return lines, size
        rest = fit(" ".join(lines[1:]), self.heading.bold, 11, self.text_width)
        return [lines[0], rest], 11.0

    def _fact_lines(self) -> list[str]:
        """Return the dates and format line, then the presenters (at most two lines)."""
        presenters = self.t("presented_by", names="; ".join(self.facts.presenters))
        lines = [f"{self.facts.dates} · {self.facts.format}"]
        lines += wrap(presenters, self.body.regular, 10, self.text_width)[:2]
        return [fit(line, self.body.regular, 10, self.text_width) for line in lines]

    def pages(self, decisions: Sequence[Decision]) -> bytes:
        """Return a part of the merged PDF (see `pdf_part`): the PDF of the template page, what
        every page shows, drawn once, and each decision's page's own content stream."""
        out = io.BytesIO()
        with _binary_streams():
            canv = self._canvas(out, Meta(title=self.facts.title, lang=self.facts.language))
            self.draw_template(canv)
            canv.showPage()
            streams = [self._own(canv, decision) for decision in decisions]
            canv.save()
        return part_file(out.getvalue(), self.structure.root, streams)

    def _own(self, canv: Any, decision: Decision) -> bytes:
        """Return the content stream of the decision's page, compressed: what the attendee's
        drawing put on the canvas, taken off it (reportlab would make a page of it, and
        formatting a hundred pages took as long as drawing them)."""
        start = len(canv._code)
        with balanced(canv):
            self.draw_attendee(canv, decision)
        code = canv._code[start:]
        del canv._code[start:]
        return zlib.compress("\n".join([*code, ""]).encode("utf8"))

    def _canvas(self, out: IO[bytes], meta: Meta) -> Any:
        # The initial font is set on every page: ours, or Helvetica goes in unembedded.
        canv = Canvas(
            out, pagesize=(self.width, self.height), pageCompression=1, lang=meta.lang,
            initialFontName=self.body.regular,
        )  # fmt: skip
        set_properties(canv, meta)
        return canv

    def draw_template(self, canv: Any) -> None:
        """Draw what every certificate of the program shows, in the order it is painted:
        the frames, logo and rules (artifacts), the program's text (marked content with the
        first MCIDs) and over it the DRAFT mark (an artifact) while [placeholders] remain."""
        with balanced(canv):
            with self.structure.artifact(canv, "<</Type /Layout>>"):
                self.draw_decor(canv)
            self.draw_shared(canv)
            if self.draft:  # not a certificate to hand out
                with self.structure.artifact(canv, "<</Type /Pagination /Subtype /Watermark>>"):
                    draft_mark(canv, self.width, self.height, self.heading.bold, self.t("draft"))

    @functools.cached_property
    def structure(self) -> Structure:
        """Return the structure every page shares, with the MCIDs its content is drawn with."""
        signatory = f"{self.t('col_signature')}: {self.facts.administrator}"
        return page_structure(len(self.bodies), len(self.facts.statements), signatory)

    def _tag(self, canv: Any, key: str) -> Any:
        return self.structure.marked(canv, key)

    def draw_decor(self, canv: Any) -> None:
        """Draw the frames, the logo and the rules to sign and write the name on."""
        w, h, c = self.width, self.height, self.colors
        with pen(canv, stroke=c["primary"], width=2):
            canv.rect(FRAME, FRAME, w - 2 * FRAME, h - 2 * FRAME)
        with pen(canv, stroke=c["secondary"], width=0.6):
            canv.rect(FRAME + 6, FRAME + 6, w - 2 * FRAME - 12, h - 2 * FRAME - 12)
        if self.logo is not None:
            draw_logo(canv, self.logo, (w / 2 - 110, h - 98, 220, 48), "c")
        with pen(canv, stroke=c["secondary"], width=0.75):
            canv.line(w * 0.2, self.layout.name - 8, w * 0.8, self.layout.name - 8)
        with pen(canv, stroke=c["foreground"], width=0.6):
            canv.line(MARGIN, 89, MARGIN + 240, 89)

    def draw_shared(self, canv: Any) -> None:
        """Draw the text every certificate of the program shows, as marked content."""
        w, h, c, t = self.width, self.height, self.colors, self.t
        with pen(canv, fill=c["primary"]), self._tag(canv, "title"):
            canv.setFont(self.heading.bold, 26)
            canv.drawCentredString(w / 2, h - 132, t("certificate_title"))
        with pen(canv, fill=c["muted"]):
            canv.setFont(self.body.regular, 11)
            with self._tag(canv, "certifies"):
                canv.drawCentredString(w / 2, h - 158, t("certifies"))
            with self._tag(canv, "attended"):
                canv.drawCentredString(w / 2, self.layout.title[0][0] + 24, t("attended_program"))
        self._draw_program(canv)
        self._draw_table(canv)
        self._draw_statements(canv)
        self._draw_signature(canv)

    def _draw_program(self, canv: Any) -> None:
        middle, layout = self.width / 2, self.layout
        with pen(canv, fill=self.colors["foreground"]):
            canv.setFont(self.heading.bold, layout.title_size)
            with self._tag(canv, "program"):
                for y, line in layout.title:
                    canv.drawCentredString(middle, y, line)
            canv.setFont(self.body.regular, 10)
            with self._tag(canv, "facts"):
                for y, line in layout.facts:
                    canv.drawCentredString(middle, y, line)

    def _columns(self) -> tuple[float, float, float, float]:
        """Return the x of each column of the credits table: body, credits, unit, type."""
        left = self.width / 2 - TABLE / 2
        return left, left + 130, left + 210, left + 390

    def _draw_table(self, canv: Any) -> None:
        x, top, t = self._columns(), self.layout.table, self.t
        heads = ("accrediting_body", "credits", "unit", "credit_type")
        with pen(canv, fill=self.colors["muted"], stroke=self.colors["rule"], width=0.5):
            canv.setFont(self.body.bold, 8.5)
            for column, (left, key) in enumerate(zip(x, heads, strict=True)):
                with self._tag(canv, f"head{column}"):
                    canv.drawString(left, top - 11, t(key))
            with self.structure.artifact(canv, "<</Type /Layout>>"):
                canv.line(x[0], top - ROW - 3, x[0] + TABLE, top - ROW - 3)
        with pen(canv, fill=self.colors["foreground"]):
            canv.setFont(self.body.regular, 9.5)
            for row, body in enumerate(self.bodies):
                self._draw_body(canv, row, body, top - ROW * (row + 1) - 14)

    def _draw_body(self, canv: Any, row: int, body: Body, y: float) -> None:
        """Draw a row of the credits table but its credits: body, unit and credit type."""
        x, regular = self._columns(), self.body.regular
        cells = (
            (x[0], fit(body.name or self.facts.provider, regular, 9.5, 125)),
            (x[2], fit(body.unit, regular, 9.5, 175)),
            (x[3], fit(body.kind or "—", regular, 9.5, TABLE - 390)),
        )
        for key, (left, text) in zip(("body", "unit", "kind"), cells, strict=True):
            with self._tag(canv, f"{key}{row}"):
                canv.drawString(left, y, text)

    def _draw_statements(self, canv: Any) -> None:
        with pen(canv, fill=self.colors["foreground"]):
            canv.setFont(self.body.regular, self.layout.statement_size)
            for number, lines in enumerate(self.layout.statements):
                with self._tag(canv, f"statement{number}"):
                    for y, line in lines:
                        canv.drawString(MARGIN, y, line)

    def _draw_signature(self, canv: Any) -> None:
        f, right, regular = self.facts, self.width - MARGIN, self.body.regular
        with self._tag(canv, "signature"):
            draw_logo(canv, self.signature, (MARGIN, 93, 190, 46), "sw")
        lines = (
            ("administrator", self.body.bold, 10, MARGIN, 76, fit(f.administrator, self.body.bold, 10, 300)),
            ("administrator_title", regular, 9, MARGIN, 64, fit(f.administrator_title, regular, 9, 300)),
            ("issued", regular, 9, right, 76, self.t("date_of_issue", date=f.issued)),
            ("provider", regular, 9, right, 64, fit(f.provider, regular, 9, 340)),
            ("contact", regular, 8, right, 52, fit(f.contact, regular, 8, 340)),
        )  # fmt: skip
        with pen(canv, fill=self.colors["foreground"]):
            for key, font, size, x, y, text in lines:
                canv.setFont(font, size)
                with self._tag(canv, key):
                    draw = canv.drawString if x == MARGIN else canv.drawRightString
                    draw(x, y, text)

    def draw_attendee(self, canv: Any, decision: Decision) -> None:
        """Draw one attendee's name, license, credits and certificate ID."""
        row = decision.row
        assert isinstance(row, Attendee), "only attendees get certificates"
        middle, bold = self.width / 2, self.name_face(row.name)
        size = _size(row.name, bold, (30.0, 26.0, 22.0, 18.0, 15.0), self.text_width)
        with pen(canv, fill=self.colors["foreground"]):
            canv.setFont(bold, size)
            with self._tag(canv, "name"):
                show(
                    canv, middle, self.layout.name, fit(row.name, bold, size, self.text_width), 0.5
                )
            with self._tag(canv, "license"):  # empty without one: its element is the name's
                if row.license:
                    canv.setFont(self.body.regular, 10)
                    license_ = self.t("license", license=row.license)
                    show(canv, middle, self.layout.license, license_, 0.5)
            canv.setFont(self.body.bold, 10)
            with self._tag(canv, "id"):
                show(canv, self.width - MARGIN, 89, self.t("certificate_id", id=decision.id), 1)
            self._draw_credits(canv, decision.awards)

    def name_face(self, name: str) -> str:
        """Return the face a name is drawn in: the kit's heading bold, or the built-in family's
        (Latin, Greek, Cyrillic) when only that one has every character of the name."""
        if not _lacking(self.heading.bold, name) or _lacking(self.fallback.bold, name):
            return str(self.heading.bold)
        return str(self.fallback.bold)

    @functools.cached_property
    def fallback(self) -> Faces:
        """Return the built-in family's faces, registered when a name first needs them."""
        return register(family_for(BUILT_IN))

    def _draw_credits(self, canv: Any, awards: Sequence[Award]) -> None:
        x, top = self._columns()[1], self.layout.table
        for row, award in enumerate(awards):
            credits = _number(award.credits, self.facts.language)
            with self._tag(canv, f"credits{row}"):
                text = credits if award.credits else self.t("not_awarded")
                show(canv, x, top - ROW * (row + 1) - 14, text)


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Compress streams without ASCII85 while drawing: reportlab's ASCII85 is pure Python
    (without the optional rl_accel) and took half a certificate's time; the files are a fifth
    smaller too. reportlab reads the setting as it draws images and as it saves."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def missing_glyphs(plan: Plan, text: str) -> str:
    """Return the characters of text the face of names cannot show (as boxes), in order."""
    painter = painter_for(plan)
    return _lacking(painter.name_face(text), text)


def _lacking(face: str, text: str) -> str:
    """Return the characters of text the registered face has no glyph for, in order."""
    glyphs = pdfmetrics.getFont(face).face.charToGlyph
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in glyphs))


@functools.lru_cache(maxsize=4)
def painter_for(plan: Plan) -> Painter:
    """Return the painter of a plan, made once per process."""
    return Painter(plan)


@functools.lru_cache(maxsize=256)
def _number(credits: float, language: str) -> str:
    """Return credits as the language writes them (Babel's formatting, once per value: it
    took a fifth of a certificate's drawing)."""
    return format_number(credits, language)


def _size(text: str, font: str, sizes: Sequence[float], width: float) -> float:
    """Return the first of sizes at which text fits width (else the last)."""
    return next((s for s in sizes if pdfmetrics.stringWidth(text, font, s) <= width), sizes[-1])


def _meta(facts: Facts, t: Words, decision: Decision) -> Meta:
    """Return a certificate's document properties: its title names the attendee."""
    name = decision.row.name
    title = f"{t('certificate_title')}: {name}, {facts.title}"
    return Meta(title, facts.language, facts.provider, facts.title, (decision.id,))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Return text in lines no wider than width (a word wider than width has its own line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and pdfmetrics.stringWidth(trial, font, size) > width:
            lines.append(line)
            trial = word
        line = trial
    return [*lines, line] if line else lines


def certificate_files(plan: Plan, decisions: Sequence[Decision]) -> tuple[bytes, list[bytes]]:
    """Return a part of the merged PDF with the decisions' pages, and each page as a PDF of
    its own (drawn once: each file is its page copied out of the part)."""
    painter = painter_for(plan)
    data = painter.pages(decisions)
    part, files = Part(data), []
    for index, decision in enumerate(decisions):
        out = io.BytesIO()
        page_alone(part, index, _meta(painter.facts, painter.t, decision), out)
        files.append(out.getvalue())
    return data, files


def join_parts(parts: Sequence[Path], target: IO[bytes], facts: Facts) -> None:
    """Write the pages of parts (files from certificate_files) as one PDF, one part in memory
    at a time."""
    title = f"{facts.title}: {words_for(facts.language)('certificates_title')}"
    meta = Meta(title, facts.language, facts.provider, facts.title)
    join((path.read_bytes() for path in parts), target, meta)
