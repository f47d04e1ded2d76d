"""Deck templates: open the built-in or a brand's corporate .pptx/.potx, pick layouts, list them.

Part of the deck writer stage: `builder.writers.deck` draws into what this module opens. Covers
what python-pptx lacks: .potx files (it refuses their content type), removing a template's own
slides (#67), layouts of every master (`prs.slide_layouts` is only the first master's), and
placeholders found by type rather than position or a fixed idx.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.exc import PythonPptxError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from builder.archive import MAX_FILE, check_package
from builder.errors import Problem, WriteError
from builder.measure import Box
from builder.placement import Frame, Geometry

Shape = Any  # a python-pptx presentation, layout or shape (partly typed upstream)

TEMPLATE = "deck-16x9.pptx"
LAYOUTS = {
    "title": "Title Slide",
    "section": "Section Header",
    "content": "Title and Content",
    "closing": "Title and Content",
    "quote": "Title Only",
    "process": "Title Only",
}
_EDGE = 2.0  # points a placeholder may reach past the slide's edge (rounding)
_PT = 12700  # EMU per point
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SP_TREE = f"{_P}cSld/{_P}spTree"
_PH = f"*/{_P}nvPr/{_P}ph"  # from a shape: its placeholder element
_PH_TYPES = {m.xml_value: m for m in PP_PLACEHOLDER if m.xml_value}
_INCH = 914400
_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.{}.main+xml"
_CONTENT_TYPES = "[Content_Types].xml"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_P14 = "http://schemas.microsoft.com/office/powerpoint/2010/main"
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
FOOTERS = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)
_MARGIN = 18.0  # points kept free at the slide's foot under a text box we place ourselves
_GAP = 8.0
LOGO_ROOM = 252.0  # points right of the title slide's details: a logo up to 3 in, a gap
_APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
    b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>workshop</Application></Properties>"
)


@dataclass(frozen=True)
class Template:
    """An opened deck template with its slides removed; source names it in messages."""

    prs: Shape
    source: str
    builtin: bool


@dataclass(frozen=True)
class Slots:
    """The idx of the placeholders a slide kind fills; None: the layout has none for it.

    On the title slide, body holds the presenter details (the subtitle has its own slot).
    """

    title: int
    subtitle: int | None
    body: int | None


@dataclass(frozen=True)
class KindLayout:
    """The layout that serves one slide kind, the placeholders it fills and its frame."""

    layout: Shape
    slots: Slots
    frame: Frame


# ---- opening ---------------------------------------------------------------------------------


def open_template(path: Path | None) -> Template:
    """Return the built-in template (path None) or the corporate one, without its own slides."""
    if path is None:
        data = (resources.files("builder") / "templates" / TEMPLATE).read_bytes()
        return Template(_open(data, TEMPLATE), TEMPLATE, True)
    source = str(path)
    prs = _open(as_presentation(_read(path), source), source)
    remove_slides(prs)
    _clean_package(prs)
    return Template(prs, source, False)


_SPARE: dict[object, Template] = {}  # at most one template opened and not changed since


def _key(path: Path | None) -> object:
    """Return what identifies a template file's version: path, time and size of its change."""
    if path is None:
        return TEMPLATE
    try:
        stat = path.stat()
    except OSError:
        return object()  # matches nothing: open_template reports the problem
    return (str(path), stat.st_mtime_ns, stat.st_size)


def keep_spare(template: Template, path: Path | None) -> None:
    """Keep a template that was opened only to be read, for the next reuse_template of it."""
    _SPARE.clear()
    _SPARE[_key(path)] = template


def reuse_template(path: Path | None) -> Template:
    """Return the template keep_spare kept for this file (once), else open_template(path).

    Planning opens the template to read its frames just before the writer opens it again to
    fill it; this spares the second opening, a tenth of the deck writer's time.
    """
    kept = _SPARE.pop(_key(path), None)
    _SPARE.clear()
    return kept if kept is not None else open_template(path)


def _read(path: Path) -> bytes:
    """Return a corporate template's bytes, refusing a zip bomb or a DTD before python-pptx
    opens it (builder.archive)."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE:  # refused before it is read
            message = f"expected a template of at most {MAX_FILE // 2**20} MB"
            raise WriteError(Problem(source, 0, message))
        data = path.read_bytes()
    except OSError as exc:
        raise WriteError(Problem(source, 0, f"cannot read the template: {exc.strerror}")) from None
    check_package(data, source)
    return data


def _open(data: bytes, source: str) -> Shape:
    try:
        return Presentation(io.BytesIO(data))
    except (PythonPptxError, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError):
        message = "expected a PowerPoint .pptx or .potx file that PowerPoint can open"
        raise WriteError(Problem(source, 0, message)) from None


def read_presentation(path: Path) -> Shape:
    """Return the template at path opened as it is (its own slides kept), or raise WriteError."""
    return _open(as_presentation(_read(path), str(path)), str(path))


def as_presentation(data: bytes, source: str = "template") -> bytes:
    """Return .potx bytes relabelled as a presentation (python-pptx refuses the template type)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as src:
            types = src.read(_CONTENT_TYPES)
            if _MAIN.format("template").encode() not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    blob = src.read(info)
                    if info.filename == _CONTENT_TYPES:
                        blob = _relabel(blob)
                    dst.writestr(info, blob)
    except (zipfile.BadZipFile, KeyError):
        message = "expected a PowerPoint .pptx or .potx file (a zip with [Content_Types].xml)"
        raise WriteError(Problem(source, 0, message)) from None
    return out.getvalue()


def _relabel(types: bytes) -> bytes:
    root = etree.fromstring(types)
    for override in root.iter(f"{{{_TYPES_NS}}}Override"):
        if override.get("ContentType") == _MAIN.format("template"):
            override.set("ContentType", _MAIN.format("presentation"))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def remove_slides(prs: Shape) -> None:
    """Remove every slide: its sldId and its relationship, so no orphan part is saved (#67)."""
    root = prs.part._element
    custom_shows = root.find(qn("p:custShowLst"))
    if custom_shows is not None:  # they point at the slides by relationship id
        root.remove(custom_shows)
    for sections in root.iter(f"{{{_P14}}}sectionLst"):  # sections list slide ids
        ext = sections.getparent()
        ext.getparent().remove(ext)
    id_list = root.find(qn("p:sldIdLst"))
    if id_list is not None:
        for sld_id in list(id_list):
            id_list.remove(sld_id)
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.SLIDE:
            prs.part.rels.pop(rid)


def _clean_package(prs: Shape) -> None:
    """Drop what describes the template rather than the deck: thumbnail, app and core data."""
    package = prs.part.package
    for rid, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:  # it lists the template's slide titles
            rel.target_part.blob = _APP_XML
    core = prs.core_properties._element
    for child in list(core):
        core.remove(child)


# ---- layouts and their placeholders ------------------------------------------------------------


def all_layouts(prs: Shape) -> list[Shape]:
    """Return the layouts of every master, in master order."""
    return [layout for master in prs.slide_masters for layout in master.slide_layouts]


def choose_layouts(template: Template, mapping: Sequence[tuple[str, str]]) -> dict[str, KindLayout]:
    """Return the layout, slots and frame of every slide kind; the mapping overrides LAYOUTS."""
    names = LAYOUTS | dict(mapping)
    found = find_layouts(template, names)
    slots = {kind: slots_of(layout, kind, template.source) for kind, layout in found.items()}
    frames = _frames(template.prs, found, slots, template.source)
    return {kind: KindLayout(found[kind], slots[kind], frames[kind]) for kind in names}


def find_layouts(template: Template, names: Mapping[str, str]) -> dict[str, Shape]:
    """Return the layout named for each slide kind, looked up across all masters (first wins)."""
    by_name: dict[str, Shape] = {}
    for layout in all_layouts(template.prs):
        by_name.setdefault(layout.name, layout)
    for kind, name in names.items():
        if name not in by_name:
            raise WriteError(Problem(template.source, 0, _missing(kind, name, list(by_name))))
    return {kind: by_name[name] for kind, name in names.items()}


def _missing(kind: str, name: str, have: list[str]) -> str:
    close = difflib.get_close_matches(name, have, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(repr(n) for n in have) or "none"
    return f"expected a layout named {name!r} for {kind} slides{hint}; it has {listed}"


def ph_elements(owner: Shape) -> list[tuple[PP_PLACEHOLDER, int, Any]]:
    """Return (type, idx, element) of each placeholder of a layout or slide, in z-order.

    Read with plain lxml: python-pptx's placeholder proxies look each attribute up by xpath.
    """
    found = []
    for element in owner._element.find(_SP_TREE):
        ph = element.find(_PH)
        if ph is not None:
            kind = _PH_TYPES.get(ph.get("type", "obj"), PP_PLACEHOLDER.MIXED)
            found.append((kind, int(ph.get("idx", "0")), element))
    return found


def _of_type(layout: Shape, types: Sequence[PP_PLACEHOLDER]) -> list[Shape]:
    shape = layout.shapes._shape_factory
    return [shape(el) for kind, _, el in ph_elements(layout) if kind in types]


def slots_of(layout: Shape, kind: str, source: str) -> Slots:
    """Return which placeholders of layout take the title, subtitle and body of a kind."""
    if not _of_type(layout, TITLES):
        message = f"expected a title placeholder in layout {layout.name!r} ({kind} slides)"
        raise WriteError(Problem(source, 0, message))
    found = ph_elements(layout)
    bodies = [idx for k, idx, _ in found if k in _BODIES]
    idx = [i for k, i, _ in found if k == PP_PLACEHOLDER.SUBTITLE] + bodies
    title = next(i for k, i, _ in found if k in TITLES)
    if kind == "title":  # the subtitle first, the presenter details in a spare one
        return Slots(title, idx[0] if idx else None, idx[1] if len(idx) > 1 else None)
    return Slots(title, None, next(iter(bodies or idx), None))


def placeholder(owner: Shape, idx: int) -> Shape:
    """Return the placeholder with this idx on a slide or layout, or None."""
    for _, i, element in ph_elements(owner):
        if i == idx:
            return owner.shapes._shape_factory(element)
    return None


def box_of(shape: Shape) -> Box:
    """Return a shape's box in points (a placeholder inherits it from its layout and master)."""
    x, y, cx, cy = _dims(shape)
    if x is None or y is None or cx is None or cy is None:
        return Box(0.0, 0.0, 0.0, 0.0)
    return Box(x / _PT, y / _PT, cx / _PT, cy / _PT)


def _dims(shape: Shape) -> tuple[int | None, ...]:
    """Return x, y, cx, cy in EMU, each from the shape or else the placeholder it inherits.

    python-pptx's left, top, width and height each look the inherited placeholder up again
    (a walk of the layout's shapes); here it is looked up once for all four.
    """
    el = shape._element
    own = (el.x, el.y, el.cx, el.cy)
    base = getattr(shape, "_base_placeholder", None) if None in own else None
    if base is None:
        return own
    return tuple(o if o is not None else b for o, b in zip(own, _dims(base), strict=True))


def _layout_box(layout: Shape, idx: int, source: str) -> Box:
    box = box_of(placeholder(layout, idx))
    if box.w <= 0 or box.h <= 0:
        message = f"expected placeholder {idx} of layout {layout.name!r} to have a position"
        raise WriteError(Problem(source, 0, message))
    return box


# ---- frames: where layout measures each kind's text --------------------------------------------


def _frames(
    prs: Shape, layouts: Mapping[str, Shape], slots: Mapping[str, Slots], source: str
) -> dict[str, Frame]:
    slide = Box(0, 0, prs.slide_width / _PT, prs.slide_height / _PT)
    content = slots["content"].body
    shared = _layout_box(layouts["content"], content, source) if content is not None else None
    frames = {}
    for kind, layout in layouts.items():
        s = slots[kind]
        title = _layout_box(layout, s.title, source)
        if kind == "title":
            subtitle = _layout_box(layout, s.subtitle, source) if s.subtitle is not None else None
            if s.body is not None:
                details = _layout_box(layout, s.body, source)
            else:
                details = _details_box(layout, subtitle or title, slide, source)
            frames[kind] = Frame(title, details, subtitle)
        elif s.body is not None:
            frames[kind] = Frame(title, _layout_box(layout, s.body, source))
        elif shared is not None and shared.y >= title.y + title.h:
            frames[kind] = Frame(title, shared)  # a title-only layout: the content layout's body
        else:
            frames[kind] = Frame(title, _below(layout, title, slide))
        _on_slide(frames[kind], slide, layout.name, source)
    return frames


def _on_slide(frame: Frame, slide: Box, name: str, source: str) -> None:
    """Raise when a frame's box reaches past the slide's edge (a layout drawn for another
    slide size): the deck's text, set in the layout's placeholders, would run off the slide."""
    for box in (frame.title, frame.body, frame.subtitle):
        if box is None:
            continue
        right, bottom = box.x + box.w, box.y + box.h
        if min(box.x, box.y) < -_EDGE or right > slide.w + _EDGE or bottom > slide.h + _EDGE:
            message = (
                f"expected the placeholders of layout {name!r} on its slide ({slide.w:.0f} x "
                f"{slide.h:.0f} pt), got one reaching ({right:.0f}, {bottom:.0f}): the text would "
                "run off the slide (resize the layouts in PowerPoint's Slide Master)"
            )
            raise WriteError(Problem(source, 0, message, "template"))


def _below(layout: Shape, above: Box, slide: Box) -> Box:
    """Return the free region under a box, down to the footer row or the slide's foot."""
    top = above.y + above.h + _GAP
    feet = [y for y in (box_of(p).y for p in _of_type(layout, FOOTERS)) if y > top]
    bottom = min([*feet, slide.h - _MARGIN]) - _GAP
    return Box(above.x, top, above.w, max(bottom - top, 0.0))


def _details_box(layout: Shape, above: Box, slide: Box, source: str) -> Box:
    """Return a text box for the title slide's presenter details under its subtitle."""
    top = above.y + above.h + _GAP
    # Narrower than the slide allows, so a logo still fits beside (LOGO_ROOM to the right).
    width = max(min(above.w, slide.w - above.x - LOGO_ROOM), above.w / 2)
    region = Box(above.x, top, width, slide.h - _MARGIN - top)
    if region.h < 72:
        message = (
            f"expected room for the presenter details under the subtitle of {layout.name!r}, "
            f"or a second text placeholder on it{_roomier(layout)}"
        )
        raise WriteError(Problem(source, 0, message))
    return region


def _roomier(layout: Shape) -> str:
    """Return a hint naming the template's layouts with a title and two text placeholders."""
    names = [
        other.name
        for other in layout.slide_master.slide_layouts
        if _of_type(other, TITLES)
        and sum(kind in (*_BODIES, PP_PLACEHOLDER.SUBTITLE) for kind, _, _ in ph_elements(other))
        >= 2
    ]
    if not names:
        return ""
    return f"; a layout that has two: {', '.join(repr(n) for n in names[:3])} (workshop.yml: layouts: title: {names[0]!r})"


def frames_geometry(prs: Shape, kinds: Mapping[str, KindLayout]) -> Geometry:
    """Return the geometry layout plans against: slide size and each kind's frame."""
    frames = {kind: chosen.frame for kind, chosen in kinds.items()}
    return Geometry(prs.slide_width / _PT, prs.slide_height / _PT, frames)
