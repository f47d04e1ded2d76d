"""evaluation.pdf: the program evaluation form, a Document from evaluation.xml.j2 made fillable.

Two of the template's blocks become AcroForm fields, the rest prints as text (forms.convert):
- a table whose header row lists the scale over rows with empty cells is a rating grid: each
  row a radio group named `rating_<table>_<row>`, one button per scale column, the row's text
  its accessible name (/TU) and each button's the row's text and its column's ("…: 5 Strongly
  agree"), the first number in a column's header its export value;
- a paragraph followed by <lines count="n"/> is a question: a text field `text_<n>` (multiline
  when n > 1) whose accessible name is the question.

Tagged PDF/UA-1: a rating grid is a Table whose header row is TH (Column) and each item's text
a TH (Row) before a TD per button, each holding the button's Form element; a question is its
P, then its field's Form element.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus import Table as PdfTable

from builder import document as d
from builder.brand import Brand
from builder.i18n import primary
from builder.verbs import ACTION_VERBS
from builder.writers.form_fields import FieldStyle, RadioButton, TextBox
from builder.writers.forms import (
    FormLook,
    FormTags,
    build_form,
    columns,
    convert,
    form_look,
    header_count,
    table_style,
)
from builder.writers.handout_text import Text, markup

SOURCE = "evaluation.xml.j2"
_NUMBER = re.compile(r"\d+")
_ELIDED = re.compile(r"^(?:s|l|d)[’']")  # French "s’approprier": the verb follows


def build_evaluation(document: d.Document, brand: Brand) -> bytes:
    """Return the PDF bytes of the fillable evaluation form in brand's printed look."""
    look = form_look(brand, document.meta.lang)
    return build_form(
        document.meta, look, lambda look, tagger: _Story(look, tagger).flowables(document.blocks)
    )


def objective_clause(text: str, language: str) -> str:
    """Return an objective as the end of "I am able to …": its first letter in lower case when
    its first word is its verb (a German objective may start with a noun, which keeps it)."""
    words = text.split(maxsplit=1)
    first = words[0].strip(",.;:").lower() if words else ""
    verbs = ACTION_VERBS.get(primary(language), ACTION_VERBS["en"])
    if primary(language) == "de":
        return _german_clause(text, first, verbs)
    if first in verbs or _ELIDED.sub("", first) in verbs:
        return text[:1].lower() + text[1:]
    return text


# German words that start a clause in lower case after "Ich kann" (nouns keep their capital)
_GERMAN_LOWER = frozenset(
    [
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "zwei",
        "drei",
        "vier",
        "fünf",
        "sechs",
        "sieben",
        "acht",
        "neun",
        "zehn",
        "alle",
        "mehrere",
        "mindestens",
        "wesentliche",
        "typische",
        "eigene",
        "zentrale",
    ]
)


def _german_clause(text: str, first: str, verbs: frozenset[str]) -> str:
    """Return a German objective as the end of "Ich kann …": the verb last, as German puts it.

    "Beschreiben Sie fünf Zeichen." becomes "fünf Zeichen beschreiben."; "Beschreiben, wie …"
    keeps its order; a verb-last objective lowers a leading article or numeral ("Einen Ablauf
    anwenden." -> "einen Ablauf anwenden.").
    """
    words = text.split()
    particle = words[-1].rstrip(".!;").lower() if len(words) > 2 else ""
    if particle and particle + first in verbs and first not in verbs:  # "Wenden Sie … an."
        body = " ".join(words[2:-1] if words[1] == "Sie" else words[1:-1])
        return f"{body} {particle}{first}{words[-1][len(particle) :]}"
    if first in verbs and len(words) > 1 and not words[0].endswith(","):
        rest = words[2:] if words[1] == "Sie" else words[1:]
        if rest:
            body = " ".join(rest)
            end = len(body.rstrip(".!;"))
            return f"{body[:end]} {first}{body[end:]}"
        return text[:1].lower() + text[1:]
    if first in verbs or first in _GERMAN_LOWER:
        return text[:1].lower() + text[1:]
    return text


def is_rating(block: d.Block) -> bool:
    """Return whether a block is a rating grid: one header row of 3 or more cells over rows
    whose cells after the first are empty."""
    if not isinstance(block, d.Table) or header_count(block) != 1 or len(block.rows) < 2:
        return False
    if len(block.rows[0].cells) < 3:
        return False
    return all(not d.plain(c).strip() for row in block.rows[1:] for c in row.cells[1:])


def scale_values(heads: Sequence[d.Inline]) -> list[str]:
    """Return the export value of each scale column: the first number in its header, else
    the columns counted down ('5' for the first of five)."""
    found = [_NUMBER.search(d.plain(cell)) for cell in heads]
    if all(found) and len({m.group() for m in found if m}) == len(found):
        return [m.group() for m in found if m]
    return [str(len(heads) - i) for i in range(len(heads))]


Unit = d.Block | tuple[d.Paragraph, int]  # a question: its paragraph and answer lines


def units(blocks: Sequence[d.Block]) -> list[Unit]:
    """Return blocks with each paragraph that <lines/> follow joined to their count."""
    joined: list[Unit] = []
    for block in blocks:
        if isinstance(block, d.NoteLines) and joined and isinstance(joined[-1], d.Paragraph):
            joined[-1] = (joined[-1], block.count)
        else:
            joined.append(block)
    return joined


class _Story:
    """Converts the form's blocks to flowables, numbering its fields in reading order."""

    PER_LINE = 2  # one-line questions side by side (name and date)

    def __init__(self, look: FormLook, tagger: FormTags) -> None:
        self.look, self.tagger, self.grids, self.texts, self.keys = look, tagger, 0, 0, 0
        p = look.palette
        body = look.brand.body_font.regular
        self.field = FieldStyle(look.body.regular, body, p["muted"], p["white"], p["foreground"])

    def flowables(self, blocks: Sequence[d.Block]) -> list[Flowable]:
        """Return the story of blocks: rating grids and questions as fields, the rest as text."""
        story: list[Flowable] = []
        line: list[d.Paragraph] = []
        for unit in units(blocks):
            if isinstance(unit, tuple) and unit[1] == 1 and len(line) < self.PER_LINE:
                line.append(unit[0])
                continue
            if line:
                story.append(self._line(line))
            line = [unit[0]] if isinstance(unit, tuple) and unit[1] == 1 else []
            if not line:
                story.append(self._unit(unit))
        return story + ([self._line(line)] if line else [])

    def _unit(self, unit: Unit) -> Flowable:
        if isinstance(unit, tuple):
            return self._question(*unit)
        if isinstance(unit, d.Table) and is_rating(unit):
            return self._grid(unit)
        self.keys += 1
        return convert(unit, self.look, self.tagger, SOURCE, f"e{self.keys}")

    def _grid(self, block: d.Table) -> PdfTable:
        """Return a rating grid: the header row, then each item with a radio button a column."""
        self.grids += 1
        s, head = self.look.styles, block.rows[0].cells
        values = scale_values(head[1:])
        data: list[list[Flowable]] = [
            [Text(markup(head[0]), s["cell_head"])]
            + [self._scale(cell, value) for cell, value in zip(head[1:], values, strict=True)]
        ]
        options = [" ".join(d.plain(cell).split()) for cell in head[1:]]
        for number, row in enumerate(block.rows[1:], start=1):
            name, group = d.plain(row.cells[0]), f"rating_{self.grids}_{number}"
            buttons = [
                RadioButton(group, value, name, f"{name}: {option}", self.field)
                for value, option in zip(values, options, strict=True)
            ]
            data.append([Text(markup(row.cells[0]), s["cell"]), *buttons])
        widths = columns(block, self.look.width, SOURCE)
        grid = PdfTable(data, widths, repeatRows=1, hAlign="LEFT", spaceBefore=2, spaceAfter=10)
        p = self.look.palette
        grid.setStyle([
            *table_style(self.look, 1),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [p["white"], p["light"]]),
            ("TOPPADDING", (0, 1), (-1, -1), 5),
            ("LEFTPADDING", (1, 0), (-1, 0), 2),
            ("RIGHTPADDING", (1, 0), (-1, 0), 2),
        ])  # fmt: skip
        return self.tagger.table(grid, 1, row_heads=True)

    def _scale(self, cell: d.Inline, value: str) -> Text:
        """Return a scale column's header: its value on a line above its words."""
        # Whole words: a hyphen in "Total-mente" reads worse than one more line.
        style = ParagraphStyle("scale", parent=self.look.styles["cell_head"], alignment=TA_CENTER,
                               fontSize=9, leading=10.5, hyphenationLang="")  # fmt: skip
        text = d.plain(cell).strip()
        words = text[len(value) :].strip() if text.startswith(value) else text
        return Text(f'<font size="10">{escape(value)}</font><br/>{escape(words)}', style)

    def _question(self, block: d.Paragraph, lines: int) -> Flowable:
        """Return a question with its answer field under it."""
        label = self.tagger.tag("P", Text(markup(block.runs), self.look.styles["label"]))
        box = self._box(block, lines)
        box.form = self.tagger.root.add("Form", alt=box.name)
        box.spaceAfter = 6
        return KeepTogether([label, box])

    def _box(self, block: d.Paragraph, lines: int) -> TextBox:
        self.texts += 1
        return TextBox(f"text_{self.texts}", d.plain(block.runs), lines, self.field)

    def _line(self, questions: Sequence[d.Paragraph]) -> Flowable:
        """Return one-line questions side by side, each label before its field."""
        style, share = self.look.styles["label"], self.look.width / len(questions)
        cells: list[Flowable] = []
        widths: list[float] = []
        for block in questions:
            text = d.plain(block.runs)
            label = min(stringWidth(text, style.fontName, style.fontSize) + 12, share * 0.4)
            cells += [Text(markup(block.runs), style), self._box(block, 1)]
            widths += [label, share - label]
        row = PdfTable([cells], widths, hAlign="LEFT", spaceBefore=4, spaceAfter=8)
        gap = [("RIGHTPADDING", (i, 0), (i, 0), 14) for i in range(1, len(cells) - 1, 2)]
        row.setStyle([
            ("FONT", (0, 0), (-1, -1), self.look.body.regular, style.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            *gap,
        ])  # fmt: skip
        return self.tagger.layout(row)
