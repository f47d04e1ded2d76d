"""Inspection of a deck template: its masters, layouts and placeholders, as `workshop brand
inspect KIT` prints them for a provider choosing layouts for their kit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from builder.writers.pptx_template import LAYOUTS, Shape, box_of, read_presentation

_PT, _INCH = 12700, 914400  # EMU per point and per inch


@dataclass(frozen=True)
class PlaceholderInfo:
    """One placeholder of a layout: idx, type (e.g. "title", "body"), name, box in inches."""

    idx: int
    type: str
    name: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class LayoutInfo:
    """One layout of a template: its master (1-based, with the master's name) and placeholders."""

    master: int
    master_name: str
    name: str
    placeholders: tuple[PlaceholderInfo, ...]


def inspect_template(path: Path) -> list[LayoutInfo]:
    """Return every master's layouts with their placeholders, for choosing a kit's layout map."""
    prs = read_presentation(path)
    infos = []
    for number, master in enumerate(prs.slide_masters, start=1):
        name = master.name or _theme_name(master)
        for layout in master.slide_layouts:
            holders = tuple(_info(p) for p in layout.placeholders)
            infos.append(LayoutInfo(number, name, layout.name, holders))
    return infos


def _theme_name(master: Shape) -> str:
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    return str(theme.get("name", ""))


def _info(shape: Shape) -> PlaceholderInfo:
    kind = shape.placeholder_format.type
    box = box_of(shape)
    x, y, w, h = (round(v * _PT / _INCH, 2) for v in (box.x, box.y, box.w, box.h))
    type_name = kind.name.lower().replace("_", " ") if kind is not None else "object"
    return PlaceholderInfo(shape.placeholder_format.idx, type_name, shape.name, (x, y, w, h))


def format_inspection(infos: Sequence[LayoutInfo]) -> str:
    """Return a readable listing of layouts and placeholders, grouped by master."""
    lines: list[str] = []
    for i, info in enumerate(infos):
        if i == 0 or info.master != infos[i - 1].master:
            label = f" {info.master_name!r}" if info.master_name else ""
            lines += [*([""] if lines else []), f"master {info.master}{label}"]
        usable = any(p.type in ("title", "center title") for p in info.placeholders)
        lines.append(f"  layout {info.name!r}" + ("" if usable else "  (no title placeholder)"))
        for p in info.placeholders:
            x, y, w, h = p.box
            lines.append(
                f"    idx {p.idx:<3} {p.type:<13} {p.name[:28]:<28} "
                f"at {x:5.2f}, {y:5.2f} in  size {w:5.2f} x {h:5.2f} in"
            )
    kinds = ", ".join(LAYOUTS)
    lines += ["", f"map slide kinds ({kinds}) to layout names under workshop.layouts"]
    return "\n".join(lines)
