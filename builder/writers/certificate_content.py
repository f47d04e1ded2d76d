"""How a certificate page's content goes on reportlab's canvas: its structure and marked content.

Used by `certificate`, whose Painter lays out and draws the page. A page is a Sect of the
same elements on every certificate (`page_structure`); each piece of content is drawn as the
marked content of its element with a fixed MCID (the template's first, then the attendee's);
decoration is drawn as artifacts; each content stream leaves the graphics state as it found
it (`balanced`), and per-page text is shown without reportlab's text objects (`show`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics

from builder.writers.pdf_tags import Mark, Node


@dataclass(frozen=True)
class Structure:
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
    def artifact(self, canv: Any, kind: str) -> Iterator[None]:
        """Draw the body as an artifact of kind (its properties: a layout rule, a watermark)."""
        canv.addLiteral(f"/Artifact {kind} BDC")
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


def page_structure(bodies: int, statements: int, signatory: str) -> Structure:
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
    return Structure(sect, mcids, roles)


@contextmanager
def balanced(canv: Any) -> Iterator[None]:
    """Draw the body between q and Q: a page's content streams are painted one after another,
    so each leaves the graphics state as it found it."""
    canv.saveState()
    yield
    canv.restoreState()


def show(canv: Any, x: float, y: float, text: str, anchor: float = 0.0) -> None:
    """Draw text in the canvas's font with its start (anchor 0), middle (0.5) or end (1) at
    x: what drawString writes for an embedded TrueType font, without its text object (a
    third of an attendee's drawing time)."""
    font, size = pdfmetrics.getFont(canv._fontname), canv._fontsize
    x -= anchor * font.stringWidth(text, size) if anchor else 0
    if not font._dynamicFont:  # a standard font: not ours, but drawn all the same
        canv.drawString(x, y, text)
        return
    doc, setting = canv._doc, _setting(size, canv._leading)
    runs = " ".join(
        f"{font.getSubsetInternalName(subset, doc)} {setting} ({escapePDF(data)}) Tj"
        for subset, data in font.splitString(text, doc)
    )
    canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {runs} T* ET")


@functools.lru_cache(maxsize=64)
def _setting(size: float, leading: float) -> str:
    """Return a font's size and leading as text operators (formatted once: fp_str is slow)."""
    return f"{fp_str(size)} Tf {fp_str(leading)} TL"
