"""Tagged PDF, finishing half: the structure tree, metadata and Unicode maps (pikepdf).

Takes the bytes reportlab wrote with `pdf_tags` marked content and the `Tags` recorded while
drawing, and returns PDF/UA-1 bytes: StructTreeRoot with its ParentTree, MarkInfo, /Lang,
DisplayDocTitle, tab order by structure, XMP with dc:title and pdfuaid:part, and ToUnicode
maps without the unused codes reportlab sends to U+0000.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pikepdf import Array, Dictionary, Name, Pdf, String

from builder.document import Meta
from builder.writers.pdf_tags import Annot, Mark, Node, Tags, unicode_map_cleaned


def finish(data: bytes, tags: Tags, meta: Meta) -> bytes:
    """Return data (a reportlab PDF drawn with tags' marked content) as a tagged PDF."""
    with Pdf.open(io.BytesIO(data)) as pdf:
        _Tree(pdf).build(tags.root)
        _catalog(pdf, tags.lang)
        _metadata(pdf, meta)
        _clean_unicode_maps(pdf)
        out = io.BytesIO()
        # deterministic_id: the file identifier from the content, so rebuilds are identical
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


class _Tree:
    """Writes Node trees as structure elements, and the parent tree that points back."""

    def __init__(self, pdf: Pdf) -> None:
        self.pdf = pdf
        self.pages = [page.obj for page in pdf.pages]
        self.parents: dict[int, dict[int, Any]] = {}  # page -> MCID -> element
        self.annots: list[tuple[Any, Any]] = []  # (annotation, element)

    def build(self, root: Node) -> None:
        """Add the StructTreeRoot for root and the keys that tie pages to it."""
        tree = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        tree.K = self._element(root, tree)
        tree.ParentTree = self._parent_tree()
        tree.ParentTreeNextKey = len(self.pages) + len(self.annots)
        self.pdf.Root.StructTreeRoot = tree

    def _element(self, node: Node, parent: Any) -> Any:
        elem = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role)))
        elem.P = parent
        _attributes(elem, node)
        elem.K = Array([self._kid(kid, elem) for kid in node.kids])
        first = _first_mark(node)
        if first is not None:
            elem.Pg = self.pages[first.page]
        return elem

    def _kid(self, kid: Node | Mark | Annot, elem: Any) -> Any:
        if isinstance(kid, Node):
            return self._element(kid, elem)
        page = self.pages[kid.page]
        if isinstance(kid, Mark):
            self.parents.setdefault(kid.page, {})[kid.mcid] = elem
            return Dictionary(Type=Name.MCR, Pg=page, MCID=kid.mcid)
        annot = page.Annots[kid.index]
        self.annots.append((annot, elem))
        return Dictionary(Type=Name.OBJR, Obj=annot, Pg=page)

    def _parent_tree(self) -> Any:
        nums: list[Any] = []
        for index, page in enumerate(self.pages):
            page.StructParents = index
            page.Tabs = Name.S  # tab order follows the structure (PDF/UA 7.18.3)
            mcids = self.parents.get(index, {})
            nums += [index, Array([mcids[m] for m in sorted(mcids)])]
        for key, (annot, elem) in enumerate(self.annots, start=len(self.pages)):
            annot.StructParent = key
            if Name.Contents not in annot:
                annot.Contents = String(_describe(annot, elem))
            nums += [key, elem]
        return self.pdf.make_indirect(Dictionary(Nums=Array(nums)))


def _first_mark(node: Node) -> Mark | None:
    """Return the first marked sequence of node or of the nodes below it, in reading order."""
    for kid in node.kids:
        found = (
            kid if isinstance(kid, Mark) else _first_mark(kid) if isinstance(kid, Node) else None
        )
        if found is not None:
            return found
    return None


def _attributes(elem: Any, node: Node) -> None:
    if node.alt is not None:
        elem.Alt = String(node.alt)
    if node.lang:
        elem.Lang = String(node.lang)
    if node.scope:
        elem.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))


def _describe(annot: Any, elem: Any) -> str:
    """Return what a link or field annotation is: its element's Alt, else its target."""
    if Name.Alt in elem:
        return str(elem.Alt)
    action = annot.get(Name.A)
    uri = action.get(Name.URI) if action is not None else None
    return f"Link to {uri}" if uri is not None else "Link"


def _catalog(pdf: Pdf, lang: str) -> None:
    root = pdf.Root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = String(lang)
    prefs = root.get(Name.ViewerPreferences) or Dictionary()
    prefs.DisplayDocTitle = True
    root.ViewerPreferences = prefs


def _metadata(pdf: Pdf, meta: Meta) -> None:
    # set_pikepdf_as_editor=False: otherwise the metadata date becomes "now"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = meta.title
        xmp["dc:language"] = [meta.lang]
        if meta.author:
            xmp["dc:creator"] = [meta.author]
        if meta.subject:
            xmp["dc:description"] = meta.subject
        xmp["pdfuaid:part"] = "1"
        xmp["pdf:Producer"] = str(pdf.docinfo.get(Name.Producer, "workshop"))
        xmp["xmp:CreatorTool"] = "workshop"
        for key in ("CreationDate", "ModDate"):
            if Name("/" + key) in pdf.docinfo:
                xmp[_XMP_DATES[key]] = _xmp_date(str(pdf.docinfo[Name("/" + key)]))


_XMP_DATES = {"CreationDate": "xmp:CreateDate", "ModDate": "xmp:ModifyDate"}
_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-Z])?(\d\d)?'?(\d\d)?")


def _xmp_date(value: str) -> str:
    """Return a PDF date ("D:20261202050533+00'00'") in XMP's form."""
    m = _PDF_DATE.match(value)
    if not m:
        return value
    y, mo, d, h, mi, s, sign, zh, zm = m.groups()
    zone = "Z" if sign in (None, "Z") else f"{sign}{zh or '00'}:{zm or '00'}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def _clean_unicode_maps(pdf: Pdf) -> None:
    """Drop the ToUnicode entries reportlab maps to U+0000 (PDF/UA forbids them)."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get(Name.Resources, Dictionary()).get(Name.Font, Dictionary())
        for font in fonts.values():
            cmap = font.get(Name.ToUnicode)
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            cmap.write(unicode_map_cleaned(cmap.read_bytes()))
