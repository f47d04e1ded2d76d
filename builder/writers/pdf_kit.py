"""The page kit every PDF writer shares: fonts, palette, running header and footer, page
numbers, document properties and bookmarks.

The handout, deck.pdf, slides.pdf and the guide draw through it, so a page decoration or a
document property is written in one place (and the tagging of TAGGED-PDF.md has one place to
mark headers, footers and page numbers as artifacts).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics

from builder.brand import Brand
from builder.brand_checks import cover_tint
from builder.document import Meta
from builder.errors import Problem, WriteError
from builder.fonts import FontFamily
from builder.i18n import Words
from builder.writers.page_count import counted
from builder.writers.pdf_fonts import register_family
from builder.writers.pdf_structure import finish
from builder.writers.pdf_tags import Tags

SIDE, TOP, BOTTOM = 0.8 * inch, 0.9 * inch, 0.85 * inch
GRAYS = {"muted": "#5B6875", "rule": "#C9D2DC", "tint": "#DCE4EE", "white": "#FFFFFF"}
DECOR_PT = 9  # nothing in our PDFs is set under 9 pt (README, Accessibility)


@dataclasses.dataclass(frozen=True)
class Faces:
    """Internal reportlab names of one registered family."""

    regular: str
    bold: str
    italic: str
    bolditalic: str

    def face(self, bold: bool = False, italic: bool = False) -> str:
        """Return the name of the face with this weight and slant."""
        return (self.regular, self.italic, self.bold, self.bolditalic)[bold * 2 + italic]


def register(family: FontFamily) -> Faces:
    """Register a family's four faces with reportlab (embedded, subset) and return their names."""
    return Faces(*register_family(family))


# A type table: style name -> (family "body"|"head", face, size, leading, colour name, space
# before, space after). Each writer keeps its own table; the styles are made here.
TypeTable = dict[str, tuple[str, str, float, float, str, float, float]]


def styles(
    table: TypeTable,
    faces: dict[str, Faces],
    colours: dict[str, Any],
    common: dict[str, Any],
    extra: dict[str, dict[str, Any]],
) -> dict[str, ParagraphStyle]:
    """Return a ParagraphStyle per row of table; common options for all, extra per style."""
    return {
        name: ParagraphStyle(
            name,
            fontName=getattr(faces[family], face),
            fontSize=size,
            leading=leading,
            textColor=colours[color],
            spaceBefore=before,
            spaceAfter=after,
            **common,
            **extra.get(name, {}),
        )
        for name, (family, face, size, leading, color, before, after) in table.items()
    }


def palette(brand: Brand) -> dict[str, Any]:
    """Return the brand's colours and our grays as reportlab colours, by name."""
    hexes = {**dataclasses.asdict(brand.colors), **GRAYS, "tint": cover_tint(brand.colors.primary)}
    return {name: colors.HexColor(value) for name, value in hexes.items() if value}


def paper(brand: Brand) -> tuple[float, float]:
    """Return the page size of the brand's paper (portrait)."""
    width, height = LETTER if brand.paper == "letter" else A4
    return float(width), float(height)


def properties(meta: Meta) -> dict[str, Any]:
    """Return the document properties every PDF carries (for doc templates and canvases)."""
    return {
        "title": meta.title,
        "author": meta.author,
        "subject": meta.subject,
        "keywords": list(meta.keywords),
        "creator": "workshop",
        "lang": meta.lang,
    }


def set_properties(canv: Any, meta: Meta) -> None:
    """Write the document properties into a bare canvas (what doc templates do themselves)."""
    canv.setTitle(meta.title)
    canv.setAuthor(meta.author)
    canv.setSubject(meta.subject)
    canv.setKeywords(list(meta.keywords))
    canv.setCreator("workshop")
    canv.setViewerPreference("DisplayDocTitle", "true")


def image(data: bytes | None, source: str = "logo") -> ImageReader | None:
    """Return an image for reportlab, or raise WriteError naming the file it came from."""
    if data is None:
        return None
    try:
        return ImageReader(io.BytesIO(data))
    except Exception as exc:  # reportlab raises bare Exceptions for unreadable images
        raise WriteError(Problem(source, 0, f"expected a PNG or JPEG image, got {exc}")) from None


def draw_logo(
    canv: Any, logo: ImageReader, box: tuple[float, float, float, float], anchor: str
) -> None:
    """Draw the logo inside box, proportions kept; mask="auto" keeps PNG transparency."""
    canv.drawImage(logo, *box, mask="auto", preserveAspectRatio=True, anchor=anchor)


def fit(text: str, font: str, size: float, width: float) -> str:
    """Return text on one line, shortened with an ellipsis to fit width."""
    text = " ".join(text.split())
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


@contextmanager
def pen(canv: Any, fill: Any = None, stroke: Any = None, width: float = 0) -> Iterator[Any]:
    """Yield canv with fill, stroke and line width set, restoring its state afterwards."""
    canv.saveState()
    canv.setFillColor(fill or colors.black)
    canv.setStrokeColor(stroke or colors.black)
    canv.setLineWidth(width or 1)
    try:
        yield canv
    finally:
        canv.restoreState()


@dataclasses.dataclass
class Decor:
    """The running header and footer of a portrait page: title left and brand (or logo)
    right above a rule; footer text left and "Page X of Y" right below a rule.

    total is the page count of a first pass (0: "Page X" only); pages counts as pages draw.
    """

    brand: Brand
    faces: Faces
    colors: dict[str, Any]
    words: Words
    title: str
    logo: ImageReader | None = None
    total: int = 0
    pages: int = 0
    draft: bool = False  # a DRAFT watermark on every page
    tags: Tags | None = None  # header and footer are drawn as pagination artifacts

    def _artifact(self, canv: Any, subtype: str) -> Any:
        if self.tags is None:
            return contextlib.nullcontext()
        return self.tags.artifact(canv, "Pagination", subtype)

    def header(self, canv: Any, w: float, h: float) -> None:
        """Draw the running header."""
        y, right = h - 0.55 * inch, w - SIDE
        with (
            self._artifact(canv, "Header"),
            pen(canv, fill=self.colors["primary"], stroke=self.colors["primary"], width=0.75),
        ):
            canv.line(SIDE, y - 7, right, y - 7)
            canv.setFont(self.faces.bold, DECOR_PT)
            if self.logo is not None:
                draw_logo(canv, self.logo, (right - 90, y - 2, 90, 16), "e")
            else:
                canv.drawRightString(right, y, self.brand.name)
            canv.setFont(self.faces.regular, DECOR_PT)
            canv.setFillColor(self.colors["muted"])
            canv.drawString(SIDE, y, fit(self.title, self.faces.regular, DECOR_PT, w / 2))

    def footer(self, canv: Any, w: float) -> None:
        """Draw the footer: the brand's footer line and the page number (and DRAFT)."""
        if self.draft:
            with self._artifact(canv, "Watermark"):
                draft_mark(canv, w, canv._pagesize[1], self.faces.bold, self.words("draft"))
        self.pages, y = canv.getPageNumber(), 0.5 * inch
        number = self.words("page_of", page=self.pages, pages=self.total) if self.total else ""
        text = fit(self.brand.footer, self.faces.regular, DECOR_PT, w - 2 * SIDE - 90)
        with (
            self._artifact(canv, "Footer"),
            pen(canv, fill=self.colors["muted"], stroke=self.colors["rule"], width=0.5),
        ):
            canv.line(SIDE, y + 11, w - SIDE, y + 11)
            canv.setFont(self.faces.regular, DECOR_PT)
            canv.drawRightString(w - SIDE, y, number or self.words("page", page=self.pages))
            canv.drawString(SIDE, y, text)


DRAFT_COLOR = "#B00020"  # a warning red: white text on it reads at 7:1


def draft_mark(canv: Any, w: float, h: float, face: str, word: str) -> None:
    """Draw a faint diagonal DRAFT across the page (while [placeholders] remain)."""
    size = min(w, h) * 0.22
    with pen(canv, fill=colors.HexColor(DRAFT_COLOR)) as c:
        c.setFillAlpha(0.10)
        c.translate(w / 2, h / 2)
        c.rotate(35)
        c.setFont(face, size)
        c.drawCentredString(0, -size / 3, word)


def two_pass(render: Callable[[int], tuple[bytes, int]], key: str = "") -> bytes:
    """Return the bytes of a document whose footers say "of Y": render once to count pages
    (total 0), then again with the count when it is needed.

    With a key naming the document, the count its last build had is tried first, and one
    render is enough when it still holds (page_count): the same bytes either way.
    """
    if key:
        return counted(render, key)
    data, pages = render(0)
    return render(pages)[0]


def tagged_two_pass(
    render: Callable[[int, Tags], tuple[bytes, int]], meta: Meta, key: str = ""
) -> bytes:
    """Return a tagged document whose footers say "of Y" (see two_pass): each pass draws
    with a fresh structure tree, and the last one's becomes the PDF's."""
    trees: list[Tags] = []

    def drawn(total: int) -> tuple[bytes, int]:
        trees.append(Tags(meta.lang))
        return render(total, trees[-1])

    return finish(two_pass(drawn, key), trees[-1], meta)
