"""Generate sources/brands/northwind/template.pptx, an example corporate deck template.

The fictional "Northwind Counseling Institute" template exercises what real corporate templates
do and our built-in one does not: two masters ("Northwind Standard" and "Northwind Breit"),
German layout names, placeholder idx values other than ours, colour bars on the masters and
layouts, a dark title slide whose details have no spare placeholder, one sample slide with notes
in a section (the deck writer removes it), and stale template metadata. No images. Built from
the built-in 16:9 template's package (theme, notes master); same script, same bytes.

    python scripts/make_example_kit_template.py [OUTPUT]
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.slide import SlideLayoutPart, SlideMasterPart

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.writers.deck import add_notes_master_id, recolor_theme, repack  # noqa: E402

BUILTIN = ROOT / "builder" / "templates" / "deck-16x9.pptx"
OUTPUT = ROOT / "sources" / "brands" / "northwind" / "template.pptx"
EMU = 914400  # per inch
W, H = 13.333, 7.5
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
PALETTE = {  # the colours of the example kit's _brand.yml, so drawn shapes match the template
    "dk1": "1E252B",  # slate
    "lt1": "FFFFFF",
    "dk2": "12355B",  # harbor
    "lt2": "EDF2F6",  # frost
    "accent1": "2F6F8F",  # fjord
    "accent2": "C8102E",  # signal
    "accent3": "B8862B",
    "accent4": "5C6F7B",
    "accent5": "8FB8C9",
    "accent6": "6B4E8C",
    "hlink": "1B5FA8",
    "folHlink": "6B4E8C",
}
FIRST_ID = 2147483648  # masters and layouts share one id space from 2^31
Box = tuple[float, float, float, float]  # x, y, w, h in inches


def _emu(inches: float) -> int:
    return round(inches * EMU)


def _xfrm(box: Box | None) -> str:
    if box is None:
        return ""  # inherit the position from the master
    x, y, w, h = (_emu(v) for v in box)
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'


def _rpr(size: int = 0, color: str = "", bold: bool = False, italic: bool = False) -> str:
    attrs = f' sz="{size * 100}"' if size else ""
    attrs += (' b="1"' if bold else "") + (' i="1"' if italic else "")
    fill = f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill>' if color else ""
    return f"<a:defRPr{attrs}>{fill}</a:defRPr>"


def _lvl1(size: int = 0, color: str = "", bold: bool = False, italic: bool = False) -> str:
    return (
        f'<a:lvl1pPr marL="0" indent="0"><a:buNone/>{_rpr(size, color, bold, italic)}</a:lvl1pPr>'
    )


@dataclass(frozen=True)
class Ph:
    """A placeholder: its <p:ph> attributes, box (None: inherit), anchor and level-1 style."""

    name: str
    ph: str
    box: Box | None
    prompt: str = ""
    anchor: str = ""
    style: str = ""


def _placeholder(sid: int, p: Ph) -> str:
    body = f' anchor="{p.anchor}"' if p.anchor else ""
    lst = f"<a:lstStyle>{p.style}</a:lstStyle>" if p.style else "<a:lstStyle/>"
    run = f'<a:r><a:rPr lang="de-DE"/><a:t>{escape(p.prompt)}</a:t></a:r>' if p.prompt else ""
    if "sldNum" in p.ph:
        run = (
            '<a:fld id="{2C5F0E8B-4B0C-4D0E-9E55-6A4B8A2F1D11}" type="slidenum">'
            '<a:rPr lang="de-DE"/><a:t>‹#›</a:t></a:fld>'
        )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{escape(p.name)}"/><p:cNvSpPr>'
        f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {p.ph}/></p:nvPr></p:nvSpPr>'
        f"<p:spPr>{_xfrm(p.box)}</p:spPr><p:txBody><a:bodyPr{body}/>{lst}"
        f'<a:p>{run}<a:endParaRPr lang="de-DE"/></a:p></p:txBody></p:sp>'
    )


@dataclass(frozen=True)
class Decor:
    """A decorative filled shape (preset geometry) or, with text, the wordmark."""

    name: str
    box: Box
    color: str
    shape: str = "rect"
    text: str = ""


def _decor(sid: int, d: Decor) -> str:
    fill = f'<a:solidFill><a:schemeClr val="{d.color}"/></a:solidFill>' if not d.text else ""
    geometry = f'<a:prstGeom prst="{d.shape}"><a:avLst/></a:prstGeom>'
    if d.text:  # a text mark: readable by screen readers, so not decorative
        return (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{d.name}"/><p:cNvSpPr txBox="1"/>'
            f'<p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{_xfrm(d.box)}{geometry}<a:noFill/>'
            '</p:spPr><p:txBody><a:bodyPr wrap="none" lIns="0" rIns="0" anchor="ctr"/>'
            '<a:lstStyle/><a:p><a:pPr algn="r"/><a:r><a:rPr lang="en-US" sz="1000" b="1" '
            f'spc="300"><a:solidFill><a:schemeClr val="{d.color}"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/></a:rPr><a:t>{d.text}</a:t></a:r></a:p></p:txBody></p:sp>'
        )
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{d.name}" descr="">{DECORATIVE}</p:cNvPr>'
        f'<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr>{_xfrm(d.box)}{geometry}{fill}'
        "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )


def _tree(items: list[Ph | Decor]) -> str:
    shapes = "".join(
        _placeholder(i, item) if isinstance(item, Ph) else _decor(i, item)
        for i, item in enumerate(items, start=2)
    )
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{shapes}</p:spTree>'
    )


def _background(color: str) -> str:
    return (
        f'<p:bg><p:bgPr><a:solidFill><a:schemeClr val="{color}"/></a:solidFill>'
        "<a:effectLst/></p:bgPr></p:bg>"
    )


# ---- the two masters ----------------------------------------------------------------------------


def _footers(idx: tuple[int, int, int], color: str = "", y: float = 7.02) -> list[Ph | Decor]:
    style = _lvl1(color=color) if color else ""
    date, footer, number = idx
    return [
        Ph("Datumsplatzhalter", f'type="dt" sz="half" idx="{date}"', (9.4, y, 2.2, 0.4), "", "ctr", style),
        Ph("Fußzeilenplatzhalter", f'type="ftr" sz="quarter" idx="{footer}"', (0.75, y, 8.3, 0.4), "", "ctr", style),
        Ph("Foliennummernplatzhalter", f'type="sldNum" sz="quarter" idx="{number}"', (11.8, y, 0.9, 0.4), "", "ctr", style),
    ]  # fmt: skip


@dataclass(frozen=True)
class Master:
    """A slide master: its theme name, shapes, title colour and layouts."""

    theme: str
    shapes: list[Ph | Decor]
    title_color: str
    layouts: list[tuple[str, str, str, bool, list[Ph | Decor]]]  # name, type, bg, masterSp, shapes


def _standard() -> Master:
    shapes: list[Ph | Decor] = [
        Decor("Seitenleiste", (0, 0, 0.22, H), "tx2"),
        Decor("Goldkante", (0.22, 0, 0.06, H), "accent2"),
        Decor("Fußband", (0.28, 6.95, W - 0.28, H - 6.95), "bg2"),
        Decor("Wortmarke", (7.9, 0.16, 4.75, 0.3), "tx2", text="NORTHWIND COUNSELING INSTITUTE"),
        Ph("Titelplatzhalter", 'type="title"', (0.75, 0.5, 11.9, 1.2), "Titel bearbeiten", "b"),
        Decor("Titellinie", (0.75, 1.76, 1.4, 0.05), "accent2"),
        Ph("Textplatzhalter", 'type="body" idx="1"', (0.75, 2.0, 11.9, 4.75), "Text bearbeiten"),
        *_footers((2, 3, 4)),
    ]
    footers = _footers((20, 21, 22))
    light = _footers((20, 21, 22), "bg1")
    title = Ph("Titel", 'type="title"', None, "Titel hinzufügen")
    layouts = [
        (
            "Titelfolie",
            "title",
            "bg1",
            False,
            [
                Decor("Farbfläche", (0, 0, 8.4, H), "tx2"),
                Decor("Signalkante", (8.4, 0, 0.08, H), "accent2"),
                Decor("Kreis", (9.7, 0.9, 2.6, 2.6), "bg2", "ellipse"),
                Decor("Signalpunkt", (11.75, 0.7, 0.55, 0.55), "accent2", "ellipse"),
                Decor("Balken", (0.8, 1.1, 1.6, 0.08), "accent2"),
                Ph("Titel", 'type="ctrTitle"', (0.8, 1.3, 7.2, 2.4), "Titel", "b", _lvl1(40, "bg1", True)),
                Ph("Untertitel", 'type="subTitle" idx="10"', (0.8, 3.85, 7.2, 1.0), "Untertitel", "t", _lvl1(22, "bg2")),
                *light,
            ],
        ),
        (
            "Abschnittsüberschrift",
            "secHead",
            "accent1",
            False,
            [
                Decor("Abschnittsbalken", (0.9, 2.1, 0.1, 2.9), "accent2"),
                Ph("Titel", 'type="title"', (1.2, 1.9, 10.8, 1.9), "Abschnitt", "b", _lvl1(40, "bg1", True)),
                Ph("Text", 'type="body" idx="11"', (1.2, 3.95, 10.8, 1.3), "Text", "t", _lvl1(24, "bg2")),
                *light,
            ],
        ),
        (
            "Titel und Inhalt",
            "obj",
            "",
            True,
            [title, Ph("Inhalt", 'idx="14"', (0.75, 2.0, 11.9, 4.75), "Inhalt"), *footers],
        ),
        ("Nur Titel", "titleOnly", "", True, [title, *footers]),
        (
            "Zitat",
            "",
            "",
            True,
            [
                title,
                Ph("Zitat", 'type="body" idx="16"', (1.6, 2.0, 10.1, 4.7), "Zitat", "ctr", _lvl1(28, "tx1", italic=True)),
                *footers,
            ],
        ),
        (
            "Vergleich",
            "twoTxTwoObj",
            "",
            True,
            [
                title,
                Ph("Überschrift links", 'type="body" sz="quarter" idx="17"', (0.75, 2.0, 5.8, 0.55), "Links", "b", _lvl1(20, "tx2", True)),
                Ph("Inhalt links", 'sz="half" idx="18"', (0.75, 2.65, 5.8, 4.1), "Inhalt"),
                Ph("Überschrift rechts", 'type="body" sz="quarter" idx="19"', (6.85, 2.0, 5.8, 0.55), "Rechts", "b", _lvl1(20, "tx2", True)),
                Ph("Inhalt rechts", 'sz="half" idx="23"', (6.85, 2.65, 5.8, 4.1), "Inhalt"),
                *footers,
            ],
        ),
    ]  # fmt: skip
    return Master("Northwind Standard", shapes, "tx2", layouts)


def _wide() -> Master:
    shapes: list[Ph | Decor] = [
        Decor("Kopfband", (0, 0, W, 1.5), "tx2"),
        Decor("Goldlinie", (0, 1.5, W, 0.06), "accent2"),
        Decor("Fußlinie", (0.5, 6.95, W - 1.0, 0.02), "tx2"),
        Ph("Titelplatzhalter", 'type="title"', (0.5, 0.2, 12.333, 1.15), "Titel bearbeiten", "ctr"),
        Ph("Textplatzhalter", 'type="body" idx="1"', (0.5, 1.85, 12.333, 4.95), "Text bearbeiten"),
        *_footers((2, 3, 4)),
    ]
    footers = _footers((30, 31, 32))
    layouts = [
        (
            "Titel und Inhalt (breit)",
            "obj",
            "",
            True,
            [Ph("Titel", 'type="title"', None, "Titel"), Ph("Inhalt", 'idx="35"', (0.5, 1.85, 12.333, 4.95), "Inhalt"), *footers],
        ),
        (
            "Titelfolie (breit)",
            "title",
            "bg1",
            False,
            [
                Decor("Goldbalken", (0.8, 1.0, 1.6, 0.08), "accent2"),
                Decor("Fußband", (0, 6.9, W, 0.6), "tx2"),
                Ph("Titel", 'type="ctrTitle"', (0.8, 1.2, 11.7, 2.0), "Titel", "b", _lvl1(40, "tx2", True)),
                Ph("Untertitel", 'type="subTitle" idx="33"', (0.8, 3.3, 11.7, 0.9), "Untertitel", "t", _lvl1(22, "accent1")),
                Ph("Angaben", 'type="body" sz="half" idx="34"', (0.8, 4.45, 8.0, 2.2), "Referent, Datum, Anbieter", "t", _lvl1(18, "tx1")),
                *footers,
            ],
        ),
    ]  # fmt: skip
    return Master("Northwind Breit", shapes, "bg1", layouts)


def _text_styles(title_color: str) -> str:
    levels = "".join(
        f'<a:lvl{n}pPr marL="{342900 * n}" indent="-342900" algn="l">'
        '<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="1000"/></a:spcBef>'
        '<a:buClr><a:schemeClr val="accent2"/></a:buClr><a:buFont typeface="Arial"/>'
        f'<a:buChar char="{"■" if n % 2 else "–"}"/><a:defRPr sz="{max(1600, 2600 - 200 * n)}">'
        '<a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+mn-lt"/>'
        f"</a:defRPr></a:lvl{n}pPr>"
        for n in range(1, 10)
    )
    return (
        '<p:txStyles><p:titleStyle><a:lvl1pPr algn="l"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        f'<a:buNone/><a:defRPr sz="3200" b="1"><a:solidFill><a:schemeClr val="{title_color}"/>'
        '</a:solidFill><a:latin typeface="+mj-lt"/></a:defRPr></a:lvl1pPr></p:titleStyle>'
        f"<p:bodyStyle>{levels}</p:bodyStyle><p:otherStyle><a:lvl1pPr>"
        '<a:defRPr sz="1800"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill></a:defRPr>'
        "</a:lvl1pPr></p:otherStyle></p:txStyles>"
    )


def _master_xml(master: Master) -> bytes:
    return (
        f"<p:sldMaster {NS}><p:cSld>{_background('bg1')}{_tree(master.shapes)}</p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
        'accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" '
        f'folHlink="folHlink"/><p:sldLayoutIdLst/>{_text_styles(master.title_color)}</p:sldMaster>'
    ).encode()


def _layout_xml(
    name: str, kind: str, bg: str, master_shapes: bool, shapes: list[Ph | Decor]
) -> bytes:
    attrs = (f' type="{kind}"' if kind else "") + ("" if master_shapes else ' showMasterSp="0"')
    background = _background(bg) if bg else ""
    return (
        f'<p:sldLayout {NS}{attrs} preserve="1"><p:cSld name="{escape(name)}">{background}'
        f"{_tree(shapes)}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    ).encode()


def _theme(blob: bytes, name: str) -> bytes:
    xml = recolor_theme(blob, PALETTE, "Georgia", "Arial").decode("utf-8")
    xml = xml.replace('name="Workshop"', f'name="{name}"', 1)
    return xml.replace('<a:clrScheme name="Workshop">', '<a:clrScheme name="Northwind">').encode()


def _fill_master(package: Any, part: SlideMasterPart, master: Master, next_id: int) -> int:
    """Give a master part its XML and new layout parts; return the next free layout id."""
    part._element = parse_xml(_master_xml(master))
    id_list = part._element.find(qn("p:sldLayoutIdLst"))
    for name, kind, bg, master_shapes, shapes in master.layouts:
        partname = package.next_partname("/ppt/slideLayouts/slideLayout%d.xml")
        blob = _layout_xml(name, kind, bg, master_shapes, shapes)
        layout = SlideLayoutPart.load(partname, CT.PML_SLIDE_LAYOUT, package, blob)
        layout.relate_to(part, RT.SLIDE_MASTER)
        rid = part.relate_to(layout, RT.SLIDE_LAYOUT)
        entry = etree.SubElement(id_list, qn("p:sldLayoutId"), {"id": str(next_id)})
        entry.set(qn("r:id"), rid)
        next_id += 1
    return next_id


def _build_masters() -> bytes:
    """Return the package with both masters and their layouts, no slides yet."""
    prs = Presentation(str(BUILTIN))
    package = prs.part.package
    first = prs.slide_masters[0].part
    for rid, rel in list(first.rels.items()):
        if rel.reltype == RT.SLIDE_LAYOUT:
            first.rels.pop(rid)
    theme = first.part_related_by(RT.THEME)
    original = theme.blob
    theme.blob = _theme(original, "Northwind Standard")
    next_id = _fill_master(package, first, _standard(), FIRST_ID + 1)
    partname = package.next_partname("/ppt/slideMasters/slideMaster%d.xml")
    second = SlideMasterPart.load(partname, CT.PML_SLIDE_MASTER, package, _master_xml(_wide()))
    theme_name = package.next_partname("/ppt/theme/theme%d.xml")
    second_theme = Part(theme_name, CT.OFC_THEME, package, _theme(original, "Northwind Breit"))
    second.relate_to(second_theme, RT.THEME)
    rid = prs.part.relate_to(second, RT.SLIDE_MASTER)
    masters = prs.part._element.find(qn("p:sldMasterIdLst"))
    entry = etree.SubElement(masters, qn("p:sldMasterId"), {"id": str(next_id)})
    entry.set(qn("r:id"), rid)
    _fill_master(package, second, _wide(), next_id + 1)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


SECTIONS = (
    '<p:extLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    '<p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}">'
    '<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
    '<p14:section name="Beispiel" id="{6D1C2F0A-2B7E-4C55-9E8B-3F1A0C9D2E47}"><p14:sldIdLst>'
    '<p14:sldId id="{slide}"/></p14:sldIdLst></p14:section></p14:sectionLst></p:ext></p:extLst>'
)


APP = (  # what PowerPoint writes: it names the sample slide, which the deck writer must drop
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
    '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>Northwind</Template><Application>Microsoft Office PowerPoint</Application>"
    "<PresentationFormat>Breitbild</PresentationFormat><Slides>1</Slides><Notes>1</Notes>"
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Folientitel'
    "</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>"
    '<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Willkommen bei Northwind'
    "</vt:lpstr></vt:vector></TitlesOfParts><Company>Northwind Counseling Institute</Company>"
    "<AppVersion>16.0000</AppVersion></Properties>"
)


def _add_sample_slide(prs: Any) -> None:
    """Add the template's own sample slide, with notes and in a section, as templates ship."""
    layout = next(lay for lay in prs.slide_masters[0].slide_layouts if lay.name == "Titelfolie")
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "Willkommen bei Northwind"
    slide.placeholders[10].text = "Beispielfolie – vor dem Einsatz löschen"
    slide.notes_slide.notes_text_frame.text = "Notizen zur Beispielfolie."
    root = prs.part._element
    slide_id = root.find(f"{qn('p:sldIdLst')}/{qn('p:sldId')}").get("id")
    root.append(etree.fromstring(SECTIONS.replace("{slide}", slide_id)))


def build_template() -> bytes:
    """Return the bytes of the Northwind example template."""
    prs = Presentation(io.BytesIO(_build_masters()))
    _add_sample_slide(prs)
    core = prs.core_properties
    core.title, core.author = "Northwind Vorlage 16:9", "Northwind Design Team"
    core.last_modified_by, core.revision = "Northwind Design Team", 7
    core.created = core.modified = dt.datetime(2024, 5, 6, 9, 30)
    app = next(r for r in prs.part.package._rels.values() if r.reltype == RT.EXTENDED_PROPERTIES)
    app.target_part.blob = APP.encode()
    add_notes_master_id(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return repack(buffer.getvalue(), None)


def main() -> None:
    """Write the template to the path given, or into the example kit."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build_template())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
