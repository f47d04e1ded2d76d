"""Read a tagged PDF's structure tree back: roles in reading order, with each element's text.

Used by the accessibility tests; text per element comes from the page content's marked
sequences (MCID -> text), so the tree is checked against what is actually drawn.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf


@dataclasses.dataclass
class Element:
    """A structure element as read back: role, alt, scope, children and its own text."""

    role: str
    alt: str | None
    scope: str | None
    kids: list[Element]
    text: str = ""
    annots: int = 0
    parts: list[str | Element] = dataclasses.field(default_factory=list)  # in reading order

    def walk(self) -> list[Element]:
        """Return this element and all below it, in reading order."""
        return [self] + [e for k in self.kids for e in k.walk()]

    def all_text(self) -> str:
        """Return the text of this element and all below it, in reading order (own text and
        children interleaved as the structure has them)."""
        texts = [p if isinstance(p, str) else p.all_text() for p in self.parts]
        return " ".join(t.strip() for t in texts if t.strip())


def read_tree(path: Path) -> Element:
    """Return the Document element of a tagged PDF."""
    texts = _marked_texts(path)
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot.K
        return _element(root, texts, {p.objgen: i for i, p in enumerate(pdf.pages)})


def _element(obj: Any, texts: dict[tuple[int, int], str], pages: dict[Any, int]) -> Element:
    alt = str(obj.Alt) if "/Alt" in obj else None
    scope = str(obj.A.Scope)[1:] if "/A" in obj and "/Scope" in obj.A else None
    elem = Element(str(obj.S)[1:], alt, scope, [])
    kids = obj.K if isinstance(obj.K, pikepdf.Array) else [obj.K]
    parts = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            parts.append(texts.get((pages[kid.Pg.objgen], int(kid.MCID)), "") + " ")
            elem.parts.append(parts[-1])
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            elem.annots += 1
        elif isinstance(kid, pikepdf.Dictionary):
            elem.kids.append(_element(kid, texts, pages))
            elem.parts.append(elem.kids[-1])
    elem.text = "".join(parts).strip()
    return elem


def _marked_texts(path: Path) -> dict[tuple[int, int], str]:
    """Return the text shown in each (page, MCID) sequence, and under "artifact" the rest."""
    out: dict[tuple[int, int], str] = {}
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, int(char["mcid"]))
                    out[key] = out.get(key, "") + char["text"]
    return out


def untagged_chars(path: Path) -> list[str]:
    """Return the characters drawn neither in a tagged sequence nor as an artifact."""
    with pdfplumber.open(path) as pdf:
        return [
            c["text"]
            for page in pdf.pages
            for c in page.chars
            if c.get("mcid") is None and c.get("tag") != "Artifact"
        ]
