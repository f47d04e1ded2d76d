"""Fillable fields of the printed forms (evaluation.pdf): AcroForm radio buttons and text
fields, drawn as flowables so they sit where platypus lays out their row or question.

Each field has an accessible name (/TU): a text field its question, a radio group its
question and each of its buttons the question and the button's option ("…: 5 Strongly
agree"). A field given a `form` (the tags and its Form element) makes its widget inside that
element, so the element holds the widget annotation (PDF/UA-1, TAGGED-PDF.md): a Form
element holds its widget only, no marked content (PDF/UA-1 fails one that holds both).

reportlab's AcroForm writes the font of typed text as an unembedded standard-14 Helvetica;
`_Form` replaces it with the brand's body font, embedded as a simple WinAnsi TrueType font
(every Latin-1 letter a reader may type), so every font of the file is embedded.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont as ToolsFont
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.acroform import AcroForm
from reportlab.platypus import Flowable

from builder.font_cuts import full_cut
from builder.writers.pdf_tags import Node, adopt

FIELD_PT = 10.0  # typed text
_WINANSI = range(32, 256)
_NONSYMBOLIC = 32  # FontDescriptor flag: the font uses a standard encoding


def _winansi_chars() -> dict[int, str]:
    """Return the characters of WinAnsiEncoding by code ('' for the five unused codes)."""
    return {code: bytes([code]).decode("cp1252", errors="ignore") for code in _WINANSI}


@cache
def _winansi_font(path: Path) -> bytes:
    """Return the TrueType file cut to the WinAnsi characters (about 20 KB for Arimo)."""
    font = ToolsFont(str(path))
    options = subset.Options()
    options.notdef_outline, options.name_IDs, options.layout_features = True, ["*"], []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(_winansi_chars().values()))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _Form(AcroForm):  # type: ignore[misc]
    """reportlab's AcroForm whose text fields use one embedded font instead of Helvetica."""

    NAME = "FormFont"

    def __init__(self, canv: Any, face: str, path: Path) -> None:
        super().__init__(canv)
        self.face, self.path = face, path

    def makeFont(self, fontName: str | None) -> tuple[str, str]:  # noqa: N802, N803 (reportlab's)
        """Return the reference and resource name of the form font, writing it on first use."""
        if self.NAME not in self.fonts:
            self.fonts[self.NAME] = self._font_ref()
        return self.fonts[self.NAME], self.NAME

    def _font_ref(self) -> str:
        # cut from the face with its layout tables, whose subset the forms have always carried
        # (os.fspath cuts it if the cache lacks it)
        doc, data = self.canv._doc, _winansi_font(Path(os.fspath(full_cut(self.path))))
        face = pdfmetrics.getFont(self.face).face
        tag = "".join(chr(65 + b % 26) for b in hashlib.sha1(data).digest()[:6])
        base = face.name.decode() if isinstance(face.name, bytes) else str(face.name)
        name = pdfdoc.PDFName(f"{tag}+{base}")
        stream = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary({"Length1": len(data)}),
            data,
            filters=[pdfdoc.PDFStreamFilterZCompress()],
        )
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("FontDescriptor"),
                "FontName": name,
                "Flags": _NONSYMBOLIC,
                "FontBBox": pdfdoc.PDFArray([round(v) for v in face.bbox]),
                "ItalicAngle": face.italicAngle,
                "Ascent": round(face.ascent),
                "Descent": round(face.descent),
                "CapHeight": round(face.capHeight),
                "StemV": face.stemV,
                "FontFile2": doc.Reference(stream),
            }
        )
        font = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("TrueType"),
                "BaseFont": name,
                "FirstChar": _WINANSI[0],
                "LastChar": _WINANSI[-1],
                "Widths": pdfdoc.PDFArray(self._widths()),
                "Encoding": pdfdoc.PDFName("WinAnsiEncoding"),
                "FontDescriptor": doc.Reference(descriptor),
            }
        )
        return str(doc.Reference(font).format(doc).decode())

    def _widths(self) -> list[int]:
        chars = _winansi_chars()
        return [round(pdfmetrics.stringWidth(chars[c], self.face, 1000)) for c in _WINANSI]


def form_of(canv: Any, face: str, path: Path) -> AcroForm:
    """Return the canvas's AcroForm, installing ours (embedded font) before the first field."""
    form = getattr(canv, "AcroForm", None)
    if form is None:
        # canvas.acroForm creates reportlab's own form on first use: set ours first.
        form = canv.AcroForm = _Form(canv, face, path)
        canv._doc._catalog.AcroForm = form
    return form


@dataclass(frozen=True)
class FieldStyle:
    """How fields look on paper: typed-text face and its file, border, fill and mark colours."""

    face: str
    path: Path
    border: Any
    fill: Any
    mark: Any


class FormField(Flowable):  # type: ignore[misc]
    """A field flowable: its accessible name, and where its widget goes in the structure."""

    def __init__(self, name: str, style: FieldStyle) -> None:
        super().__init__()
        self.name, self.style = name, style
        self.form: Node | None = None  # its Form element, set by the table or story that tags it

    @contextlib.contextmanager
    def tagged(self) -> Iterator[AcroForm]:
        """Yield the canvas's form; a widget made inside belongs to this field's Form element."""
        s = self.style
        form = form_of(self.canv, s.face, s.path)
        if self.form is None:
            yield form
            return
        # Only the widget: a Form element with marked content too fails PDF/UA-1 (7.18.4).
        first = len(self.canv._annotationrefs)
        yield form
        adopt(self.canv, self.form, first)


class RadioButton(FormField):
    """One button of a radio group, centred in its table cell: the group's /TU is the
    question (name), the button's /TU the question and its option (tooltip)."""

    SIZE = 12.0

    def __init__(self, group: str, value: str, name: str, tooltip: str, style: FieldStyle) -> None:
        super().__init__(tooltip, style)
        self.group, self.value, self.question = group, value, name

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.SIZE

    def draw(self) -> None:
        s = self.style
        with self.tagged() as form:
            form.radio(
                name=self.group,
                value=self.value,
                tooltip=self.question,
                x=(self.width - self.SIZE) / 2,
                y=0,
                size=self.SIZE,
                buttonStyle="circle",
                shape="circle",
                borderColor=s.border,
                fillColor=s.fill,
                textColor=s.mark,
                borderWidth=0.8,
                fieldFlags="noToggleToOff radio",  # not "required": a reader may skip an item
                relative=True,
            )
            _last_widget(self.canv)["TU"] = pdfdoc.PDFString(self.name)


def _last_widget(canv: Any) -> Any:
    """Return the dictionary of the annotation the canvas made last (reportlab's names)."""
    doc = canv._doc
    name = doc.annotationName("NUMBER" + repr(canv._annotationCount))
    return doc.idToObject[name].dict


class TextBox(FormField):
    """A text field as wide as it is given, lines high; multiline when lines > 1."""

    LINE = 17.0

    def __init__(self, field: str, name: str, lines: int, style: FieldStyle) -> None:
        super().__init__(name, style)
        self.field, self.lines = field, lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width, self.height = aw, self.lines * self.LINE + 6
        return self.width, self.height

    def draw(self) -> None:
        s = self.style
        with self.tagged() as form:
            form.textfield(
                name=self.field,
                tooltip=self.name,
                x=0,
                y=0,
                width=self.width,
                height=self.height,
                fontSize=FIELD_PT,
                borderColor=s.border,
                fillColor=s.fill,
                textColor=s.mark,
                borderWidth=0.8,
                fieldFlags="multiline" if self.lines > 1 else "",
                maxlen=0,  # reportlab's default caps answers at 100 characters
                relative=True,
            )
