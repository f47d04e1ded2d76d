"""Certificates of attendance as PDF: one landscape page per attendee, on the shared page kit.

Called by `builder.certificates.issue`. What every certificate of a program shares (logo,
title, program facts, approval statements verbatim, the administrator's signature) is laid
out once per process; a page adds the attendee's name, license, credits and ID. The merged
PDF is made of parts of a hundred pages (each drawing the shared part once) that `join_parts`
copies one after another into one file, so memory stays flat.

Tagged PDF/UA-1: every page is a Sect of the same structure (`page_structure`): the title H1,
"This certifies that", the attendee's name and license, the program's title H2 and facts, the
credits Table, each statement a P, the signature Figure, the signatory's name and title, the
certificate ID, date, provider and contact. The frames, rules, logo (decoration: the provider
is named in the text) and DRAFT mark are artifacts. The shared text is drawn once as marked
content with fixed MCIDs and its operators repeated on every page (a form XObject cannot hold
marked content for more than one page); `pdf_pages` writes the structure tree.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator, Sequence
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
from builder.i18n import Words, format_number, words_for
from builder.images import logo_png
from builder.roster import Attendee
from builder.writers.pdf_kit import (
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
from builder.writers.pdf_pages import Part, Writer, page_alone, with_structure
from builder.writers.pdf_tags import Mark, Node

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
        brand = plan.brand
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
        raise WriteError(Problem("certificate", 0, "expected the statements to fit the page"))

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
        """Return one PDF with a page for each decision: a part of the merged PDF."""
        out = io.BytesIO()
        with _binary_streams():
            canv = self._canvas(out, Meta(title=self.facts.title, lang=self.facts.language))
            self._forms(canv)
            shared = _Recorded(canv, self.draw_shared)
            for decision in decisions:
                self._artifact(canv, "decor", "<</Type /Layout>>")
                shared.replay(canv)
                if self.draft:  # over the text, as it always was
                    self._artifact(canv, "draft", "<</Type /Pagination /Subtype /Watermark>>")
                self.draw_attendee(canv, decision)
                canv.showPage()
            canv.save()
        return with_structure(out.getvalue(), self.structure.root)

    def _canvas(self, out: IO[bytes], meta: Meta) -> Any:
        # The initial font is set on every page: ours, or Helvetica goes in unembedded.
        canv = Canvas(
            out, pagesize=(self.width, self.height), pageCompression=1, lang=meta.lang,
            initialFontName=self.body.regular,
        )  # fmt: skip
        set_properties(canv, meta)
        return canv

    def _forms(self, canv: Any) -> None:
        """Draw the decoration once, as forms placed on every page: under the text, the
        frames, logo and rules; over it, the DRAFT mark."""
        canv.beginForm("decor")
        self.draw_decor(canv)
        canv.endForm()
        if self.draft:  # [placeholders] remain: not a certificate to hand out
            canv.beginForm("draft")
            draft_mark(canv, self.width, self.height, self.heading.bold, self.t("draft"))
            canv.endForm()

    @staticmethod
    def _artifact(canv: Any, form: str, kind: str) -> None:
        canv.addLiteral(f"/Artifact {kind} BDC")
        canv.doForm(form)
        canv.addLiteral("EMC")

    @functools.cached_property
    def structure(self) -> _Structure:
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
            with self.structure.artifact(canv):
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
        middle, bold = self.width / 2, self.heading.bold
        size = _size(row.name, bold, (30.0, 26.0, 22.0, 18.0, 15.0), self.text_width)
        with pen(canv, fill=self.colors["foreground"]):
            canv.setFont(bold, size)
            with self._tag(canv, "name"):
                canv.drawCentredString(
                    middle, self.layout.name, fit(row.name, bold, size, self.text_width)
                )
            with self._tag(canv, "license"):  # empty without one: its element is the name's
                if row.license:
                    canv.setFont(self.body.regular, 10)
                    license_ = self.t("license", license=row.license)
                    canv.drawCentredString(middle, self.layout.license, license_)
            canv.setFont(self.body.bold, 10)
            with self._tag(canv, "id"):
                canv.drawRightString(
                    self.width - MARGIN, 89, self.t("certificate_id", id=decision.id)
                )
            self._draw_credits(canv, decision.awards)

    def _draw_credits(self, canv: Any, awards: Sequence[Award]) -> None:
        x, top = self._columns()[1], self.layout.table
        for row, award in enumerate(awards):
            credits = format_number(award.credits, self.facts.language)
            with self._tag(canv, f"credits{row}"):
                canv.drawString(
                    x,
                    top - ROW * (row + 1) - 14,
                    credits if award.credits else self.t("not_awarded"),
                )


class _Recorded:
    """What a drawing function put on the canvas's page, taken off it to be put on any page:
    its operators and the forms (images) it uses."""

    def __init__(self, canv: Any, draw: Callable[[Any], None]) -> None:
        code, forms = len(canv._code), len(canv._formsinuse)  # reportlab's page state
        draw(canv)
        self.code, self.forms = canv._code[code:], canv._formsinuse[forms:]
        del canv._code[code:], canv._formsinuse[forms:]

    def replay(self, canv: Any) -> None:
        """Put the recorded operators on the canvas's current page."""
        canv._code.extend(self.code)
        canv._formsinuse.extend(self.forms)


@dataclass(frozen=True)
class _Structure:
    """The structure of a certificate page and the MCID of each piece of its content."""

    root: Node
    mcids: dict[str, int]
    roles: dict[str, str]

    @contextmanager
    def marked(self, canv: Any, key: str) -> Iterator[None]:
        """Draw the body as the marked content of key (its element's role, its MCID)."""
        canv.addLiteral(f"/{self.roles[key]} <</MCID {self.mcids[key]}>> BDC")
        yield
        canv.addLiteral("EMC")

    @contextmanager
    def artifact(self, canv: Any) -> Iterator[None]:
        """Draw the body as an artifact (a rule)."""
        canv.addLiteral("/Artifact <</Type /Layout>> BDC")
        yield
        canv.addLiteral("EMC")


def _keys(bodies: int, statements: int) -> list[str]:
    """Return the pieces of a page's content in drawing order (their MCIDs): the program's,
    then the attendee's."""
    rows = [f"{key}{row}" for row in range(bodies) for key in ("body", "unit", "kind")]
    shared = [
        "title", "certifies", "attended", "program", "facts", *(f"head{i}" for i in range(4)),
        *rows, *(f"statement{i}" for i in range(statements)), "signature", "administrator",
        "administrator_title", "issued", "provider", "contact",
    ]  # fmt: skip
    return [*shared, "name", "license", "id", *(f"credits{row}" for row in range(bodies))]


def page_structure(bodies: int, statements: int, signatory: str) -> _Structure:
    """Return a certificate page's structure: a Sect of its elements in reading order."""
    mcids = {key: mcid for mcid, key in enumerate(_keys(bodies, statements))}
    roles: dict[str, str] = {}
    sect = Node("Sect")

    def leaf(parent: Node, role: str, *keys: str, **kw: Any) -> None:
        node = parent.add(role, **kw)
        node.kids += [Mark(0, mcids[key]) for key in keys]
        roles.update(dict.fromkeys(keys, role))

    for role, keys in (("H1", ["title"]), ("P", ["certifies"]), ("P", ["name", "license"]),
                       ("P", ["attended"]), ("H2", ["program"]), ("P", ["facts"])):  # fmt: skip
        leaf(sect, role, *keys)
    table = sect.add("Table")
    head = table.add("TR")
    for column in range(4):
        leaf(head, "TH", f"head{column}", scope="Column")
    for row in range(bodies):
        cells = table.add("TR")
        for key in ("body", "credits", "unit", "kind"):
            leaf(cells, "TD", f"{key}{row}")
    for number in range(statements):
        leaf(sect, "P", f"statement{number}")
    leaf(sect, "Figure", "signature", alt=signatory)
    for key in ("administrator", "administrator_title", "id", "issued", "provider", "contact"):
        leaf(sect, "P", key)
    return _Structure(sect, mcids, roles)


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
    """Return the characters of text the font of names cannot show (as boxes), in order."""
    faces = painter_for(plan).heading
    glyphs = pdfmetrics.getFont(faces.bold).face.charToGlyph
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in glyphs))


@functools.lru_cache(maxsize=4)
def painter_for(plan: Plan) -> Painter:
    """Return the painter of a plan, made once per process."""
    return Painter(plan)


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
    pages = painter.pages(decisions)
    part, files = Part(pages), []
    for index, decision in enumerate(decisions):
        out = io.BytesIO()
        page_alone(part, index, _meta(painter.facts, painter.t, decision), out)
        files.append(out.getvalue())
    return pages, files


def join_parts(parts: Sequence[Path], target: IO[bytes], facts: Facts) -> None:
    """Write the pages of parts (files from certificate_files) as one PDF, one part in memory
    at a time."""
    writer = Writer(target)
    for path in parts:
        part = Part(path.read_bytes())
        writer.copy(part, part.objects())
    title = f"{facts.title}: {words_for(facts.language)('certificates_title')}"
    writer.finish(Meta(title, facts.language, facts.provider, facts.title))
