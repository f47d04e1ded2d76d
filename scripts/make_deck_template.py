"""Regenerate builder/templates/deck-16x9.pptx, the deck writer's built-in 16:9 template.

Starts from python-pptx's default package but replaces what a 4:3 file gets wrong: slide size
13.333 x 7.5 in without type="screen4x3", a master and five layouts whose placeholders are laid
out for the full width, Arial theme fonts, a neutral palette (the writer recolours it per brand),
no thumbnail, printer settings or stale core properties, and a notes master that
presentation.xml lists (python-pptx #1051). Same script, same bytes.

    python scripts/make_deck_template.py [OUTPUT]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import SlideLayout

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.writers.deck import add_notes_master_id, recolor_theme, repack  # noqa: E402

OUTPUT = ROOT / "builder" / "templates" / "deck-16x9.pptx"
EMU = 914400  # per inch
WIDTH, HEIGHT = 13.333, 7.5
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" '
    'val="1"/></a:ext></a:extLst>'
)
KEEP = ("Title Slide", "Title and Content", "Section Header", "Title Only", "Blank")

# Placeholder boxes in inches (x, y, w, h): 0.6 in side margins, a title band at the top, the
# body below a short accent rule, and a footer row at the bottom across the full 16:9 width.
TITLE = (0.6, 0.25, 12.133, 1.3)
BODY = (0.6, 1.85, 12.133, 4.8)
FOOTER = (0.6, 6.92, 7.4, 0.4)
DATE = (8.133, 6.92, 3.2, 0.4)
NUMBER = (11.533, 6.92, 1.2, 0.4)
BAND = 5.1  # the title slide's colour band ends here
PALETTE = {
    "dk1": "1F2933",
    "lt1": "FFFFFF",
    "dk2": "1F3A5F",
    "lt2": "EEF2F6",
    "accent1": "1F3A5F",
    "accent2": "2A7F7A",
    "accent3": "B8651B",
    "accent4": "5B6B7F",
    "accent5": "3C7DA6",
    "accent6": "7A5C99",
    "hlink": "1F5FA8",
    "folHlink": "6B4E9B",
}


def _emu(inches: float) -> int:
    return round(inches * EMU)


def _xfrm(box: tuple[float, float, float, float]) -> str:
    x, y, w, h = (_emu(v) for v in box)
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


def _rpr(size: int = 0, bold: bool = False, color: str = "") -> str:
    attrs = (f' sz="{size * 100}"' if size else "") + (' b="1"' if bold else "")
    fill = f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill>' if color else ""
    return f"<a:defRPr{attrs}>{fill}</a:defRPr>"


def _placeholder(
    sid: int,
    name: str,
    ph: str,
    box: tuple[float, float, float, float] | None,
    text: str,
    body: str = "",
    style: str = "",
) -> str:
    """Return a placeholder <p:sp>: ph attributes, optional box, bodyPr attributes, lvl1 style."""
    geometry = _xfrm(box) if box else ""
    lst = f"<a:lstStyle>{style}</a:lstStyle>" if style else "<a:lstStyle/>"
    run = f'<a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r>' if text else ""
    if "sldNum" in ph:
        run = (
            '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
            '<a:rPr lang="en-US"/><a:t>‹#›</a:t></a:fld>'
        )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr>'
        f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>'
        f"<p:spPr>{geometry}</p:spPr><p:txBody><a:bodyPr{body}/>{lst}"
        f'<a:p>{run}<a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>'
    )


def _bar(sid: int, name: str, box: tuple[float, float, float, float], color: str) -> str:
    """Return a decorative filled rectangle (marked decorative for screen readers)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}" descr="">{DECORATIVE}</p:cNvPr>'
        f'<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{_xfrm(box)}'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="{color}"/>'
        f"</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )


def _footers(first_id: int, color: str = "") -> list[str]:
    style = f"<a:lvl1pPr>{_rpr(color=color)}</a:lvl1pPr>" if color else ""
    return [
        _placeholder(
            first_id, "Date Placeholder", 'type="dt" sz="half" idx="10"', None, "", style=style
        ),
        _placeholder(
            first_id + 1,
            "Footer Placeholder",
            'type="ftr" sz="quarter" idx="11"',
            None,
            "",
            style=style,
        ),
        _placeholder(
            first_id + 2,
            "Slide Number Placeholder",
            'type="sldNum" sz="quarter" idx="12"',
            None,
            "",
            style=style,
        ),
    ]


def _header_shapes(first_id: int) -> list[str]:
    """The content slides' decoration: a thin primary strip on top, an accent rule under titles."""
    return [
        _bar(first_id, "Top Strip", (0, 0, WIDTH, 0.12), "tx2"),
        _bar(first_id + 1, "Title Rule", (0.7, 1.62, 1.1, 0.06), "accent2"),
    ]


def _plain_lvl1(size: int, color: str, bold: bool = False) -> str:
    return f'<a:lvl1pPr marL="0" indent="0"><a:buNone/>{_rpr(size, bold, color)}</a:lvl1pPr>'


def _layout_shapes(name: str) -> tuple[str, list[str]]:
    """Return a layout's background XML and its shapes."""
    title = _placeholder(2, "Title", 'type="title"', TITLE, "Click to add title")
    body = _placeholder(3, "Content Placeholder", 'idx="1"', BODY, "Click to add text")
    if name == "Title Slide":
        band = _bar(7, "Title Band", (0, 0, WIDTH, BAND), "tx2")
        rule = _bar(8, "Band Rule", (0, BAND, WIDTH, 0.08), "accent2")
        ctr = _placeholder(
            2,
            "Title",
            'type="ctrTitle"',
            (0.9, 0.9, 11.533, 2.45),
            "Click to add title",
            ' anchor="b"',
            _plain_lvl1(44, "bg1", True),
        )
        sub = _placeholder(
            3,
            "Subtitle",
            'type="subTitle" idx="1"',
            (0.9, 3.5, 11.533, 1.4),
            "Click to add subtitle",
            ' anchor="t"',
            _plain_lvl1(24, "bg2"),
        )
        details = _placeholder(
            4,
            "Details",
            'type="body" sz="half" idx="13"',
            (0.9, 5.42, 8.6, 1.85),
            "Presenter, date, sponsor",
            ' anchor="t"',
            _plain_lvl1(20, "tx1"),
        )
        return "", [band, rule, ctr, sub, details, *_footers(9)]
    if name == "Section Header":
        background = (
            '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
            "<a:effectLst/></p:bgPr></p:bg>"
        )
        head = _placeholder(
            2,
            "Title",
            'type="title"',
            (0.9, 1.5, 11.533, 2.4),
            "Click to add section title",
            ' anchor="b"',
            f"<a:lvl1pPr>{_rpr(40, True, 'bg1')}</a:lvl1pPr>",
        )
        rule = _bar(7, "Section Rule", (1.0, 4.05, 1.2, 0.07), "accent2")
        sub = _placeholder(
            3,
            "Text Placeholder",
            'type="body" idx="1"',
            (0.9, 4.3, 11.533, 1.5),
            "Click to add text",
            ' anchor="t"',
            _plain_lvl1(24, "bg2"),
        )
        return background, [head, rule, sub, *_footers(4, "bg1")]
    if name == "Title and Content":
        return "", [*_header_shapes(7), title, body, *_footers(4)]
    if name == "Title Only":
        return "", [*_header_shapes(7), title, *_footers(4)]
    return "", _footers(2)


def _tree(shapes: list[str]) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{"".join(shapes)}</p:spTree>'
    )


def _replace_csld(element: etree._Element, name: str, background: str, shapes: list[str]) -> None:
    attr = f' name="{name}"' if name else ""
    new = etree.fromstring(f"<p:cSld {NS}{attr}>{background}{_tree(shapes)}</p:cSld>")
    old = element.find(qn("p:cSld"))
    assert old is not None
    element.replace(old, new)


def _master_styles() -> str:
    body_levels = "".join(
        f'<a:lvl{n}pPr marL="{285750 * n + 57150 * (n - 1)}" indent="-285750" algn="l">'
        f'<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="1000"/></a:spcBef>'
        f'<a:buFont typeface="Arial"/><a:buChar char="{"•" if n % 2 else "–"}"/>'
        f'<a:defRPr sz="{max(2000, 3200 - 400 * n)}" kern="1200"><a:solidFill>'
        '<a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/>'
        f'<a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>'
        for n in range(1, 10)
    )
    return (
        f'<p:txStyles {NS}><p:titleStyle><a:lvl1pPr algn="l" rtl="0">'
        '<a:lnSpc><a:spcPct val="90000"/></a:lnSpc><a:spcBef><a:spcPct val="0"/></a:spcBef>'
        '<a:buNone/><a:defRPr sz="3600" b="1" kern="1200"><a:solidFill><a:schemeClr val="tx2"/>'
        '</a:solidFill><a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/>'
        '<a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>'
        f"<p:bodyStyle>{body_levels}</p:bodyStyle><p:otherStyle><a:defPPr>"
        '<a:defRPr lang="en-US"/></a:defPPr><a:lvl1pPr marL="0" algn="l">'
        '<a:defRPr sz="1800" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
        '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>'
        "</a:defRPr></a:lvl1pPr></p:otherStyle></p:txStyles>"
    )


def _rebuild_master(prs: PresentationObject) -> None:
    master = prs.slide_masters[0]
    footer_style = f'<a:lvl1pPr algn="{{}}">{_rpr(12, color="tx1")}</a:lvl1pPr>'
    anchor = ' lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="ctr"'
    shapes = [
        _placeholder(
            2,
            "Title Placeholder",
            'type="title"',
            TITLE,
            "Click to edit title style",
            ' vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="b"',
        ),
        _placeholder(
            3,
            "Text Placeholder",
            'type="body" idx="1"',
            BODY,
            "Click to edit text",
            ' vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720"',
        ),
        _placeholder(
            4,
            "Date Placeholder",
            'type="dt" sz="half" idx="2"',
            DATE,
            "",
            anchor,
            footer_style.format("r"),
        ),
        _placeholder(
            5,
            "Footer Placeholder",
            'type="ftr" sz="quarter" idx="3"',
            FOOTER,
            "",
            anchor,
            footer_style.format("l"),
        ),
        _placeholder(
            6,
            "Slide Number Placeholder",
            'type="sldNum" sz="quarter" idx="4"',
            NUMBER,
            "",
            anchor,
            footer_style.format("r"),
        ),
    ]
    element = master._element
    _replace_csld(
        element, "", '<p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>', shapes
    )
    old = element.find(qn("p:txStyles"))
    assert old is not None
    element.replace(old, etree.fromstring(_master_styles()))


def _keep_layouts(prs: PresentationObject) -> list[SlideLayout]:
    layouts = prs.slide_masters[0].slide_layouts
    for layout in [lay for lay in layouts if lay.name not in KEEP]:
        layouts.remove(layout)
    kept = sorted(layouts, key=lambda lay: KEEP.index(lay.name))
    for number, layout in enumerate(kept, start=1):
        layout.part.partname = PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml")
    return kept


def _rebuild_layouts(layouts: list[SlideLayout]) -> None:
    for layout in layouts:
        background, shapes = _layout_shapes(layout.name)
        _replace_csld(layout._element, layout.name, background, shapes)


def _theme(blob: bytes) -> bytes:
    xml = recolor_theme(blob, PALETTE, "Arial", "Arial").decode("utf-8")
    xml = xml.replace('name="Office Theme"', 'name="Workshop"')
    return xml.replace('<a:clrScheme name="Office">', '<a:clrScheme name="Workshop">').encode()


def _clean_package(prs: PresentationObject) -> None:
    """Drop the thumbnail and printer settings; blank the core and app properties."""
    package = prs.part.package
    for rId, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rId)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part.blob = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
                b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                b"<Application>workshop</Application><PresentationFormat>Widescreen"
                b"</PresentationFormat></Properties>"
            )
    for rId, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rId)
        elif rel.reltype == RT.THEME:
            rel.target_part.blob = _theme(rel.target_part.blob)
    core = prs.core_properties._element
    for child in list(core):
        core.remove(child)
    prs.core_properties.title = "Workshop deck template"
    prs.core_properties.revision = 1


def build_template() -> bytes:
    """Return the bytes of the 16:9 deck template."""
    prs = Presentation()
    sld_sz = prs.part._element.find(qn("p:sldSz"))
    assert sld_sz is not None
    sld_sz.attrib.pop("type", None)
    sld_sz.set("cx", str(12192000))
    sld_sz.set("cy", str(6858000))
    _rebuild_master(prs)
    _rebuild_layouts(_keep_layouts(prs))
    _clean_package(prs)
    prs.notes_master  # noqa: B018 - creates the notes master to list
    add_notes_master_id(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return repack(buffer.getvalue(), None)


def main() -> None:
    """Write the template to the path given, or into the package."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build_template())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
