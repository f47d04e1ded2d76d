"""What the PDF writers can draw of a rendered document, checked without drawing it.

`workshop check` runs every stage of a build but the drawing (builder.pipeline.prepare); the
few things only a writer used to notice are decided here, and the writers ask the same
questions, so check and build cannot disagree: a table needs a row with cells and, when it
gives column widths, one width a column; a printed form shows headings, paragraphs, lists,
tables, answer lines and page breaks, nothing else (no figures, quotes or processes).
"""

from __future__ import annotations

from builder import document as d
from builder.errors import Problem, WriteError

FORM_BLOCKS = (d.Heading, d.Paragraph, d.ListBlock, d.Table, d.NoteLines, d.PageBreak)


def column_count(block: d.Table) -> int:
    """Return how many columns a table has: the cells of its longest row."""
    return max((len(r.cells) for r in block.rows), default=0)


def table_message(block: d.Table) -> str | None:
    """Return why a table cannot be drawn, or None."""
    count = column_count(block)
    if count == 0:
        return "expected a row with cells"
    if block.widths and len(block.widths) != count:
        return f"expected {count} column widths, got {len(block.widths)}"
    return None


def form_message(block: d.Block) -> str | None:
    """Return why a printed form cannot show a block, or None."""
    if isinstance(block, FORM_BLOCKS):
        return None
    kind = type(block).__name__.lower()
    return f"expected headings, paragraphs, lists, tables, lines or page breaks, got {kind}"


def check_handout_tables(document: d.Document) -> None:
    """Raise the WriteError the handout (and guide) writer would raise for a table."""
    for block in document.blocks:
        if isinstance(block, d.Table) and (message := table_message(block)) is not None:
            raise WriteError(Problem(block.at or "handout", 0, message, "table"))


def check_form(document: d.Document, source: str) -> None:
    """Raise the WriteError a form writer would raise for a block it cannot show."""
    for block in document.blocks:
        message = form_message(block)
        field = ""
        if message is None and isinstance(block, d.Table):
            message, field = table_message(block), "table"
        if message is not None:
            raise WriteError(Problem(f"{source} (rendered)", block.line, message, field))
