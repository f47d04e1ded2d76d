"""The handout's look: its type table, paragraph styles, fonts, colours and paper.

Shared by the handout writer (handout.py), its page decoration (handout_pages.py) and the
guide, which is drawn by the handout writer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from builder.brand import Brand
from builder.hyphenate import dictionary, load
from builder.i18n import Words, words_for
from builder.images import logo_png
from builder.writers.pdf_kit import (
    BOTTOM,
    SIDE,
    TOP,
    Faces,
    TypeTable,
    image,
    palette,
    paper,
    register,
    styles,
)

# Body text at 11 pt and nothing under 9 pt (README, Accessibility).
BODY_PT = 11

# name: (family, face, size, leading, color, space before, space after)
_TYPE: TypeTable = {
    "body": ("body", "regular", BODY_PT, 16, "foreground", 0, 7),
    "item": ("body", "regular", BODY_PT, 16, "foreground", 0, 3),
    "lead": ("body", "regular", 12.5, 18, "foreground", 0, 10),
    "small": ("body", "regular", 9, 12.5, "foreground", 0, 7),
    "meta": ("body", "regular", 11, 16.5, "foreground", 0, 2),
    "cite": ("body", "italic", 9.5, 13, "muted", 0, 7),
    "reference": ("body", "regular", 10, 13.5, "foreground", 0, 5),
    "statement": ("body", "regular", 10, 14, "foreground", 16, 24),
    "h1": ("head", "bold", 20, 24, "primary", 6, 10),
    "h2": ("head", "bold", 14, 18, "primary", 18, 6),
    "h3": ("head", "bold", 11.5, 15, "secondary", 10, 3),
    "cover_title": ("head", "bold", 28, 33, "white", 0, 14),
    "cover_lead": ("body", "regular", 13.5, 19, "tint", 0, 0),
    "cell": ("body", "regular", 10, 13.5, "foreground", 0, 0),
    "cell_head": ("body", "bold", 10, 13.5, "white", 0, 0),
    "quote": ("body", "italic", 12, 17.5, "foreground", 0, 0),
    "quote_by": ("body", "regular", 9.5, 13, "muted", 0, 0),
    "figure_caption": ("body", "regular", 9.5, 13, "foreground", 0, 2),
    "figure_credit": ("body", "regular", 9, 12, "muted", 0, 0),
    "caption": ("head", "bold", 11, 14, "primary", 0, 8),
    "step_name": ("head", "bold", 10, 13, "primary", 0, 3),
    "step_text": ("body", "regular", 9.5, 13, "foreground", 0, 0),
}
_EXTRA: dict[str, dict[str, Any]] = {
    "reference": {"leftIndent": 18, "firstLineIndent": -18},
    # The panel's padding sits inside the indents, so the panel lines up with the text column.
    "statement": {"leftIndent": 10, "rightIndent": 10, "borderPadding": (7, 10, 8, 10)},
    **{h: {"keepWithNext": 1} for h in ("h1", "h2", "h3")},
}
# Long URLs break after / . - ? & = when a line would otherwise waste this share of its width.
_URI_WASTE = 0.3


@dataclasses.dataclass(frozen=True)
class Look:
    """What every converter needs: fonts, colors, styles and page geometry."""

    brand: Brand
    body: Faces
    palette: dict[str, Any]
    styles: dict[str, ParagraphStyle]
    page: tuple[float, float]
    words: Words
    slides: Expand | None = None

    @property
    def width(self) -> float:
        """Return the width of the text frame."""
        return float(self.page[0] - 2 * SIDE)

    @property
    def height(self) -> float:
        """Return the height of the text frame."""
        return float(self.page[1] - TOP - BOTTOM)


class Tagging(Protocol):
    """What a <slides/> block's flowables are tagged through (the handout's story)."""

    def tag(self, role: str, flowable: Flowable, alt: str | None = None) -> Flowable:
        """Return flowable drawn as a new element of role, next in reading order."""

    def heading_role(self, level: int) -> str:
        """Return the tag of a heading of level, never skipping one."""


# the flowables that stand for a <slides/> block, tagged through the story that holds them
Expand = Callable[["Look", Tagging], list[Flowable]]


def hyphenation(language: str) -> dict[str, Any]:
    """Return the style options that hyphenate in language (pyphen); none without a dictionary
    for it, since no hyphenation beats hyphenating it as English. The forms use them too."""
    name = dictionary(language)
    if name is None:
        return {}
    load(name)  # parsed once and kept: reportlab's paragraphs ask pyphen for it
    return {"hyphenationLang": name, "embeddedHyphenation": 1}


def make_look(brand: Brand, language: str, slides: Expand | None = None) -> Look:
    """Return the fonts, colours, styles and paper of a handout in brand and language."""
    faces = {"body": register(brand.body_font), "head": register(brand.heading_font)}
    colours = palette(brand)
    common = {
        "bulletFontName": faces["body"].regular,
        **hyphenation(language),
        "uriWasteReduce": _URI_WASTE,
    }
    made = styles(_TYPE, faces, colours, common, _EXTRA)
    made["statement"].backColor = colours["light"]
    words = words_for(language)
    return Look(brand, faces["body"], colours, made, paper(brand), words, slides)


def make_logo(brand: Brand) -> ImageReader | None:
    """Return the brand's logo for reportlab, or None."""
    return image(logo_png(brand), str(brand.logo))
