"""The .pptx package: core properties, the notes master id, part names and a reproducible zip.

Last step of the deck writer; also used by the scripts that regenerate deck templates.
python-pptx finds each new notes slide's name and each picture's image part by walking every
part of the package, so a deck's writing grew with the square of its slides: `count_parts`
keeps both in tables instead, giving the same names.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import PACKAGE_URI, PackURI
from pptx.opc.serialized import _ContentTypesItem
from pptx.oxml.ns import qn
from pptx.package import _ImageParts

from builder.document import Meta
from builder.errors import Problem, WriteError
from builder.writers.pptx_text import Shape, sub


def add_notes_master_id(prs: Shape) -> None:
    """List the notes master in presentation.xml, which python-pptx forgets (#1051)."""
    root = prs.part._element
    rels = [r for r in prs.part.rels.values() if r.reltype == RT.NOTES_MASTER]
    if not rels or root.find(qn("p:notesMasterIdLst")) is not None:
        return
    id_list = etree.Element(qn("p:notesMasterIdLst"))
    sub(id_list, "p:notesMasterId").set(qn("r:id"), rels[0].rId)
    root.find(qn("p:sldMasterIdLst")).addnext(id_list)


NOTES_SLIDE = "/ppt/notesSlides/notesSlide%d.xml"


def count_parts(prs: Shape) -> None:
    """Name notes slides and find pictures' image parts from tables kept while the deck is
    written, not by walking the whole package each time (python-pptx); the names are the same.

    Call it once the template's own slides are gone, before the first slide is added.
    """
    package = prs.part.package
    package.next_partname = _Partnames(package, package.next_partname)
    package.__dict__["_image_parts"] = _KnownImages(package)  # python-pptx's lazyproperty


class _Partnames:
    """python-pptx's next_partname for notes slides, from the names taken so far."""

    def __init__(self, package: Any, scan: Callable[[str], PackURI]) -> None:
        self._package, self._scan = package, scan
        self._taken: set[str] | None = None

    def __call__(self, tmpl: str) -> PackURI:
        if tmpl != NOTES_SLIDE:
            return self._scan(tmpl)
        if self._taken is None:
            prefix = NOTES_SLIDE.split("%")[0]
            parts = self._package.iter_parts()
            self._taken = {p.partname for p in parts if p.partname.startswith(prefix)}
        # as python-pptx: the highest free number up to one more than the names taken
        free = next(n for n in range(len(self._taken) + 1, 0, -1) if tmpl % n not in self._taken)
        self._taken.add(tmpl % free)
        return PackURI(tmpl % free)


class _KnownImages(_ImageParts):
    """The package's image parts by SHA-1, listed once and kept up to date."""

    def __init__(self, package: Any) -> None:
        super().__init__(package)  # type: ignore[no-untyped-call]
        self._by_sha1: dict[str, Any] | None = None

    def _find_by_sha1(self, sha1: str) -> Any:
        if self._by_sha1 is None:
            self._by_sha1 = {}
            for part in self:  # the first part of a digest wins, as in python-pptx
                if hasattr(part, "sha1"):
                    self._by_sha1.setdefault(part.sha1, part)
        return self._by_sha1.get(sha1)

    def get_or_add_image_part(self, image_file: Any) -> Any:
        part = super().get_or_add_image_part(image_file)
        if self._by_sha1 is not None:
            self._by_sha1.setdefault(part.sha1, part)
        return part


class _Frozen:
    """A part's XML already serialized: blob is those bytes, the lxml tree is gone."""

    _frozen: bytes

    @property
    def blob(self) -> bytes:
        return self._frozen


_FROZEN: dict[type, type] = {}


def freeze(part: Any) -> None:
    """Serialize a finished XML part (a slide, a notes slide) now and drop its lxml tree.

    A slide's tree takes about ten times the memory of its XML; a deck keeps only the bytes
    it will zip. Nothing may read or change the part's XML afterwards; its relationships stay.
    """
    kind = type(part)
    frozen = _FROZEN.get(kind)
    if frozen is None:
        frozen = _FROZEN[kind] = type(f"Frozen{kind.__name__}", (_Frozen, kind), {})
    part._frozen = serialize_part_xml(part._element)
    part.__class__ = frozen
    part._element = None
    for proxy in ("slide", "notes_slide"):  # python-pptx's lazy proxies hold the tree too
        part.__dict__.pop(proxy, None)


def retire(slide: Any) -> None:
    """Freeze a finished slide and its notes slide, and free their trees at once.

    The slide's proxy and its shapes collection point at each other: dropped as they are, they
    would keep the slide's tree until the next full garbage collection.
    """
    part = slide.part
    with suppress(KeyError):  # a slide without notes has no notes slide
        freeze(part.part_related_by(RT.NOTES_SLIDE))
    freeze(part)
    for proxy in ("shapes", "placeholders", "notes_slide"):
        slide.__dict__.pop(proxy, None)


def epoch() -> int | None:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise WriteError(Problem("SOURCE_DATE_EPOCH", 0, f"expected whole seconds, got {raw!r}"))
    return int(raw)


def _at_most_255(text: str) -> str:
    """Return text cut to the 255 characters a core property holds, at a comma or a word."""
    if len(text) <= 255:
        return text
    cut = text[:254]
    for mark in (", ", " "):
        if mark in cut:
            return cut[: cut.rindex(mark)].rstrip(",") + "…"
    return cut + "…"


def set_properties(prs: Shape, meta: Meta, epoch: int | None) -> None:
    """Set core properties; dates come from SOURCE_DATE_EPOCH when set, else from now."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    when = now if epoch is None else dt.datetime.fromtimestamp(epoch, dt.timezone.utc)
    core = prs.core_properties
    core.title, core.author = _at_most_255(meta.title), _at_most_255(meta.author)
    core.subject = _at_most_255(meta.subject)
    core.keywords = _at_most_255(", ".join(meta.keywords))
    core.language = meta.lang
    core.last_modified_by = "workshop"
    core.revision = 1
    core.created = core.modified = when.replace(tzinfo=None)


_FIRST = ["[Content_Types].xml", "_rels/.rels"]


def repack(data: bytes, epoch: int | None) -> bytes:
    """Return the zip with fixed timestamps (SOURCE_DATE_EPOCH or 1980-01-01) and member order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return _zipped({name: src.read(name) for name in src.namelist()}, epoch)


def package_bytes(prs: Shape, epoch: int | None) -> bytes:
    """Return the presentation as repack(prs.save()) gives it, zipped once instead of twice."""
    package = prs.part.package
    parts = tuple(package.iter_parts())
    members = {_FIRST[0]: serialize_part_xml(_ContentTypesItem.xml_for(parts))}
    members[PACKAGE_URI.rels_uri.membername] = package._rels.xml
    for part in parts:
        members[part.partname.membername] = part.blob
        if part._rels:
            members[part.partname.rels_uri.membername] = part.rels.xml
    return _zipped(members, epoch)


def _zipped(members: dict[str, bytes], epoch: int | None) -> bytes:
    """Return members zipped with fixed timestamps and [Content_Types].xml and _rels/.rels
    first, the rest in name order."""
    stamp = (1980, 1, 1, 0, 0, 0)
    if epoch is not None:
        t = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip starts 1980
        stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        rest = sorted(n for n in members if n not in _FIRST)
        for name in [n for n in _FIRST if n in members] + rest:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            dst.writestr(info, members[name])
    return out.getvalue()
