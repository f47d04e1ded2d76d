"""The .pptx package: core properties, the notes master id, and a reproducible zip.

Last step of the deck writer; also used by the scripts that regenerate deck templates.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

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


def repack(data: bytes, epoch: int | None) -> bytes:
    """Return the zip with fixed timestamps (SOURCE_DATE_EPOCH or 1980-01-01) and member order."""
    stamp = (1980, 1, 1, 0, 0, 0)
    if epoch is not None:
        t = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip starts 1980
        stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    first = ["[Content_Types].xml", "_rels/.rels"]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        rest = sorted(n for n in src.namelist() if n not in first)
        for name in [n for n in first if n in src.namelist()] + rest:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            dst.writestr(info, src.read(name))
    return out.getvalue()
