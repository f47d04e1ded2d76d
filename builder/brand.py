"""Brand kits: the look (`_brand.yml`, brand.yml format) and the CE provider's facts.

A kit is a folder: `_brand.yml` (colors, typography, logos, meta), `provider.yml` (sponsor,
approval statements, policies) and optional assets. The neutral default kit ships inside the
package under `builder/brands/default` and is loaded like any other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints

from builder.errors import BrandError, Problem
from builder.fonts import FontFamily, family_for
from builder.loader import load_model
from builder.model import Node

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


@dataclass(frozen=True)
class Colors:
    """The brand's semantic colors, each '#RRGGBB'."""

    primary: str  # title bars, headings
    secondary: str  # accents, rules
    accent: str  # diagram highlights
    foreground: str  # body text
    background: str  # page and slide background
    light: str  # panels behind quotes and tables
    on_primary: str  # text drawn on primary


@dataclass(frozen=True)
class Brand:
    """Everything about the look that writers need."""

    name: str
    colors: Colors
    heading_font: FontFamily
    body_font: FontFamily
    logo: Path | None
    logo_alt: str
    paper: Literal["letter", "a4"]
    body_min_pt: int
    body_max_pt: int
    title_max_pt: int
    footer: str
    root: Path
    template: Path | None = None  # a corporate .pptx/.potx whose masters and layouts the deck uses
    layouts: tuple[tuple[str, str], ...] = ()  # slide kind -> layout name in that template


class _Node(Node):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Strict(Node):
    pass


class _BrandColor(_Node):
    palette: dict[str, HexColor] = {}
    foreground: str = "#1F2933"
    background: str = "#FFFFFF"
    primary: str = "#1F4E79"
    secondary: str = "#2E7D7A"
    tertiary: str | None = None
    light: str | None = None


class _Family(_Node):
    family: Text = "Arial"


class _Typography(_Node):
    base: _Family | Text = _Family()
    headings: _Family | Text = _Family()


class _LogoImage(_Node):
    path: Text
    alt: Text


class _Logo(_Node):
    images: dict[str, _LogoImage | Text] = {}
    small: Text | None = None
    medium: Text | None = None
    large: Text | None = None


class _Meta(_Node):
    name: Text | dict[str, Text] = "Workshop"


class _Layout(_Strict):
    """Our own extension of brand.yml, under the top-level key `workshop`."""

    paper: Literal["letter", "a4"] = "letter"
    body_min_pt: int = Field(default=18, ge=18, le=40)
    body_max_pt: int = Field(default=28, ge=18, le=48)
    title_max_pt: int = Field(default=36, ge=20, le=60)
    footer: str = ""
    template: Text | None = Field(default=None, description="corporate .pptx or .potx in the kit")
    layouts: dict[
        Literal["title", "section", "content", "quote", "process", "closing"], Text
    ] = Field(default={}, description="slide kind -> the template's layout name")


class BrandFile(_Node):
    """The subset of brand.yml we read; other brand.yml keys are accepted and ignored."""

    meta: _Meta = _Meta()
    color: _BrandColor = _BrandColor()
    typography: _Typography = _Typography()
    logo: _Logo | Text | None = None
    workshop: _Layout = _Layout()


class Approval(_Strict):
    """One accrediting body's approval of the provider."""

    body: Literal["APA", "NBCC", "ASWB", "CAMFT"]
    number: Text | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    credit_type: Text | None = Field(default=None, description="ASWB: e.g. 'clinical'")


class Provider(_Strict):
    """The CE provider's facts: who is responsible, what is approved, which policies apply."""

    name: Text
    address: Text
    contact: Text
    approvals: list[Approval] = []
    minutes_per_credit: int = Field(default=60, gt=0)
    ada: Text
    grievance: Text
    refund: Text | None = None
    attendance: Text
    evaluation: Text = Field(
        default="Complete the evaluation form before you leave; certificates are issued "
        "after verified attendance and a completed evaluation."
    )


def _color(value: str, palette: dict[str, str]) -> str:
    resolved = palette.get(value, value)
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", resolved):
        raise ValueError(resolved)
    return resolved.upper()


def default_kit() -> Path:
    """Return the folder of the built-in neutral brand kit."""
    return Path(str(resources.files("builder") / "brands" / "default"))


def load_brand(kit: Path) -> tuple[Brand, Provider]:
    """Return the brand and provider of the kit folder, or raise BrandError at file:line."""
    brand_path, provider_path = kit / "_brand.yml", kit / "provider.yml"
    for path in (brand_path, provider_path):
        if not path.is_file():
            raise BrandError(Problem(str(kit), 0, f"expected a file {path.name} in the brand kit"))
    spec = load_model(brand_path, BrandFile, BrandError)
    provider = load_model(provider_path, Provider, BrandError)
    return _brand(spec, brand_path, kit), provider


def _family(value: _Family | str, path: Path, line: int) -> FontFamily:
    name = value if isinstance(value, str) else value.family
    return family_for(name, str(path), line)


def _brand(spec: BrandFile, path: Path, kit: Path) -> Brand:
    c = spec.color
    try:
        colors = Colors(
            primary=_color(c.primary, c.palette),
            secondary=_color(c.secondary, c.palette),
            accent=_color(c.tertiary or c.secondary, c.palette),
            foreground=_color(c.foreground, c.palette),
            background=_color(c.background, c.palette),
            light=_color(c.light or "#EEF2F6", c.palette),
            on_primary="#FFFFFF",
        )
    except ValueError as exc:
        raise BrandError(
            Problem(str(path), c.line, f"expected #RRGGBB or a palette name, got {exc}", "color")
        ) from None
    logo, alt = _logo(spec.logo, kit, path)
    name = (
        spec.meta.name if isinstance(spec.meta.name, str) else next(iter(spec.meta.name.values()))
    )
    return Brand(
        name=name,
        colors=colors,
        heading_font=_family(spec.typography.headings, path, spec.typography.line),
        body_font=_family(spec.typography.base, path, spec.typography.line),
        logo=logo,
        logo_alt=alt,
        paper=spec.workshop.paper,
        body_min_pt=spec.workshop.body_min_pt,
        body_max_pt=spec.workshop.body_max_pt,
        title_max_pt=spec.workshop.title_max_pt,
        footer=spec.workshop.footer,
        root=kit,
        template=_template(spec.workshop, kit, path),
        layouts=tuple(sorted(spec.workshop.layouts.items())),
    )


def _template(layout: _Layout, kit: Path, path: Path) -> Path | None:
    if layout.template is None:
        return None
    file = kit / layout.template
    if file.suffix.lower() not in (".pptx", ".potx") or not file.is_file():
        raise BrandError(
            Problem(str(path), layout.line, f"expected a .pptx or .potx file in the kit, "
                    f"got {layout.template!r}", "workshop.template")
        )
    return file


def _logo(logo: _Logo | str | None, kit: Path, path: Path) -> tuple[Path | None, str]:
    if logo is None:
        return None, ""
    if isinstance(logo, str):
        raise BrandError(Problem(str(path), 0, "expected logo.images with path and alt", "logo"))
    ref = logo.medium or logo.small or logo.large
    image: Any = logo.images.get(ref) if ref else None
    if not isinstance(image, _LogoImage):
        raise BrandError(
            Problem(str(path), logo.line, "expected logo.images.<name> with path and alt", "logo")
        )
    file = kit / image.path
    if not file.is_file():
        raise BrandError(
            Problem(str(path), image.line, f"expected an image file, got {image.path!r}", "logo")
        )
    return file, image.alt
