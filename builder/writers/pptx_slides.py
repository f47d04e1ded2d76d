"""New slides and notes slides copied from prepared elements, not rebuilt by python-pptx each time.

Part of the deck writer. python-pptx clones a layout's placeholders onto every new slide and
the notes master's onto every notes slide, with many lookups each time; the result depends only
on the layout (the notes master), so `SlideMaker` lets python-pptx make the first one and copies
its XML for the rest. The copies are the same elements, so the package's bytes are the same.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.parts.slide import NotesSlidePart, SlidePart

from builder.writers.pptx_package import NOTES_SLIDE

Shape = Any  # a python-pptx presentation, slide or shape (partly typed upstream)

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_PH = f"*/{_P}nvPr/{_P}ph"  # from a shape: its placeholder element
_SP_TREE = f"{_P}cSld/{_P}spTree"
_NOTES_BODY = f"{_P}txBody"


class SlideMaker:
    """Adds slides and notes slides to one presentation from copies of prepared elements."""

    def __init__(self, prs: Shape) -> None:
        self._prs = prs
        self._slides: dict[int, Any] = {}  # a new slide's p:sld by id() of its layout's part
        self._notes: Any = None  # a new notes slide's p:notes

    def add_slide(self, layout: Shape) -> Shape:
        """Return a new slide at the end of the deck with the layout's placeholders."""
        prototype = self._slides.get(id(layout.part))
        if prototype is None:
            slide = self._prs.slides.add_slide(layout)
            self._slides[id(layout.part)] = deepcopy(slide._element)
            return slide
        presentation = self._prs.part
        name = presentation._next_slide_partname
        part = SlidePart(name, CT.PML_SLIDE, presentation.package, deepcopy(prototype))
        part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        self._prs.slides._sldIdLst.add_sldId(presentation.relate_to(part, RT.SLIDE))
        return part.slide

    def notes_body(self, slide: Shape) -> Any:
        """Return the txBody of a new notes slide for slide (python-pptx's notes placeholder)."""
        if self._notes is None:
            notes = slide.notes_slide
            self._notes = deepcopy(notes._element)
            return notes.notes_placeholder.text_frame._txBody
        part = slide.part
        package = part.package
        master = package.presentation_part.notes_master_part
        element = deepcopy(self._notes)
        notes = NotesSlidePart(
            package.next_partname(NOTES_SLIDE), CT.PML_NOTES_SLIDE, package, element
        )
        notes.relate_to(master, RT.NOTES_MASTER)
        notes.relate_to(part, RT.SLIDE)
        part.relate_to(notes, RT.NOTES_SLIDE)
        return _notes_txbody(element)


def _notes_txbody(notes: Any) -> Any:
    """Return the text body of the notes slide's body placeholder (type "body")."""
    for shape in notes.find(_SP_TREE):
        ph = shape.find(_PH)
        if ph is not None and ph.get("type") == "body":
            return shape.find(_NOTES_BODY)
    raise ValueError("the notes slide has no body placeholder")
