"""How a drawn slide is tagged: the one table from a slide's pieces to structure elements.

deck.pdf and slides.pdf tag each slide as a Sect: the title an H1, then the body in the
outline's order (paragraphs P, headings H2, lists L > LI > (Lbl, LBody), tables Table > TR >
TH/TD, images Figure with their alt, quotes BlockQuote, a process a numbered list). The slide
drawer asks this module for the elements and draws into them; everything else on a slide
(backgrounds, template shapes, logos, panels, arrows, footers) is an artifact. Drawn without
tags (a thumbnail inside the guide's Figure), the same elements are made and thrown away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.measure import MARKED_STYLES, Para
from builder.writers.pdf_tags import Node

# Paragraph styles -> roles; every other style (body, lead, cite, quote, by, name) is a P,
# bullets and numbers are list items (MARKED_STYLES).
PARA_ROLES = {"heading": "H2"}
TITLE, SLIDE = "H1", "Sect"


@dataclass(frozen=True)
class Target:
    """Where one paragraph's drawn lines go: its body element, and a list item's label (the
    bullet or number drawn before its first line)."""

    body: Node
    label: Node | None = None


def slide_node(parent: Node | None) -> Node:
    """Return a new Sect for one slide under parent (a throwaway one when drawn untagged)."""
    return (parent or Node("Div")).add(SLIDE)


def para_targets(parent: Node, paras: Sequence[Para]) -> list[Target]:
    """Return an element per paragraph under parent: runs of bullets or numbers become one L."""
    targets: list[Target] = []
    group: tuple[str, Node] | None = None
    for para in paras:
        if para.style not in MARKED_STYLES:
            group = None
            targets.append(Target(parent.add(PARA_ROLES.get(para.style, "P"))))
            continue
        if group is None or group[0] != para.style:
            group = (para.style, parent.add("L"))
        targets.append(list_item(group[1]))
    return targets


def list_item(parent: Node) -> Target:
    """Return a new LI of list parent as its label and body."""
    item = parent.add("LI")
    label = item.add("Lbl")  # the label reads first
    return Target(item.add("LBody"), label)


def cell(row: Node, header: bool) -> Node:
    """Return a new cell of a table row: a column header (TH) in a header row, else TD."""
    return row.add("TH", scope="Column") if header else row.add("TD")
