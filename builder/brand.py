"""Brand kits: the look (`_brand.yml`, brand.yml format) and the CE provider's facts.

A kit is a folder: `_brand.yml` (read and validated with the `brand_yml` package, so a file
Quarto or Shiny reads works unchanged), `provider.yml` (sponsor, approvals, policies), an
optional `workshop.yml` (our settings: paper, sizes, corporate template, print colors) and assets.
Everything is checked when the kit loads: contrast of every text/background pair we draw,
readable logos, known font families, numbers for every approval claimed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from builder.errors import BrandError, Problem
from builder.fonts import FontFamily, family_for
from builder.loader import line_of, load_model, read_yaml, validate
from builder.model import Node

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
WHITE = "#FFFFFF"
DEFAULTS = {"primary": "#1F3A5F", "secondary": "#2A7F7A", "foreground": "#1F2933"}


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
    print_colors: Colors | None = None  # colors on white paper, when they differ from the slides'
    print_logo: Path | None = None  # the logo for white paper, when it differs from the slides'

    def printed(self) -> Brand:
        """Return the brand as it prints on white paper (the handout)."""
        return dataclasses.replace(
            self,
            colors=self.print_colors or self.colors,
            logo=self.print_logo or self.logo,
            print_colors=None,
            print_logo=None,
        )


class _PrintColors(Node):
    foreground: HexColor | None = None
    primary: HexColor | None = None
    secondary: HexColor | None = None


class Settings(Node):
    """workshop.yml: our settings beside brand.yml (which allows no extra keys)."""

    paper: Literal["letter", "a4"] = "letter"
    body_min_pt: int = Field(default=18, ge=18, le=40)
    body_max_pt: int = Field(default=28, ge=18, le=48)
    title_max_pt: int = Field(default=36, ge=20, le=60)
    footer: str = ""
    template: Text | None = Field(default=None, description="corporate .pptx or .potx in the kit")
    layouts: dict[Literal["title", "section", "content", "quote", "process", "closing"], Text] = (
        Field(default={}, description="slide kind -> the template's layout name")
    )
    handout: _PrintColors = Field(
        default=_PrintColors(), description="colors on white paper (for dark slide brands)"
    )


class Approval(Node):
    """One accrediting body's approval of the provider."""

    body: Literal["APA", "NBCC", "ASWB", "CAMFT"]
    number: Text | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    credit_type: Text | None = Field(default=None, description="ASWB: e.g. 'clinical'")
    minutes_per_credit: int | None = Field(default=None, gt=0)
    increment: float = Field(default=1, gt=0, le=1, description="credits are rounded down to")
    unit: Text | None = Field(default=None, description="e.g. 'CE clock hours' for NBCC")


class Administrator(Node):
    """The program administrator who signs certificates."""

    name: Text
    title: Text
    signature: Text | None = Field(default=None, description="signature image in the kit")


class Provider(Node):
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
    administrator: Administrator | None = None


def default_kit() -> Path:
    """Return the folder of the built-in neutral brand kit."""
    return Path(str(resources.files("builder") / "brands" / "default"))


def load_brand(kit: Path) -> tuple[Brand, Provider]:
    """Return the brand and provider of the kit folder, or raise BrandError at file:line."""
    from brand_yml import Brand as BrandYml

    brand_path, provider_path = kit / "_brand.yml", kit / "provider.yml"
    for path in (brand_path, provider_path):
        if not path.is_file():
            raise BrandError(Problem(str(kit), 0, f"expected a file {path.name} in the brand kit"))
    tree = read_yaml(brand_path, BrandError)
    spec = validate(tree, brand_path, BrandYml, BrandError, lines=False)
    settings_path = kit / "workshop.yml"
    settings = (
        load_model(settings_path, Settings, BrandError) if settings_path.is_file() else Settings()
    )
    provider = load_model(provider_path, Provider, BrandError)
    brand = _brand(spec, tree, brand_path, settings, settings_path, kit)
    problems = _contrast(brand, tree, brand_path) + _approvals(provider, provider_path)
    problems += _images(brand, provider, kit, brand_path, provider_path, tree)
    if problems:
        raise BrandError(problems)
    return brand, provider


def _brand(
    spec: Any, tree: Any, path: Path, settings: Settings, settings_path: Path, kit: Path
) -> Brand:
    colors = _colors(spec, tree, str(path))
    typography = spec.typography
    dark_slides = _luminance(colors.background) < 0.4
    logo, alt = _logo(spec.logo, kit, "dark" if dark_slides else "light")
    print_logo, _ = _logo(spec.logo, kit, "light")
    name = spec.meta.name.full if spec.meta and spec.meta.name else kit.name
    printed = settings.handout
    print_colors = None
    if printed.foreground or printed.primary or printed.secondary:
        primary = (printed.primary or colors.primary).upper()
        print_colors = dataclasses.replace(
            colors,
            foreground=(printed.foreground or colors.foreground).upper(),
            primary=primary,
            secondary=(printed.secondary or colors.secondary).upper(),
            background=WHITE,
            light="#EEF2F6" if _luminance(colors.light) < 0.5 else colors.light,
            on_primary=WHITE if _luminance(primary) < 0.4 else "#111111",
        )
    return Brand(
        name=name,
        colors=colors,
        heading_font=_family(typography, "headings", path, tree),
        body_font=_family(typography, "base", path, tree),
        logo=logo,
        logo_alt=alt,
        paper=settings.paper,
        body_min_pt=settings.body_min_pt,
        body_max_pt=settings.body_max_pt,
        title_max_pt=settings.title_max_pt,
        footer=settings.footer,
        root=kit,
        template=_template(settings, kit, settings_path),
        layouts=tuple(sorted(settings.layouts.items())),
        print_colors=print_colors,
        print_logo=print_logo if print_logo != logo else None,
    )


def _colors(spec: Any, tree: Any, path: str) -> Colors:
    c = spec.color

    def pick(name: str, default: str) -> str:
        value = str((getattr(c, name, None) if c else None) or default)
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            raise BrandError(
                Problem(
                    path,
                    line_of(tree, "color", name),
                    f"expected #RRGGBB or a palette name, got {value!r}",
                    f"color.{name}",
                )
            )
        return value.upper()

    primary, secondary = (
        pick("primary", DEFAULTS["primary"]),
        pick("secondary", DEFAULTS["secondary"]),
    )
    return Colors(
        primary=primary,
        secondary=secondary,
        accent=pick("tertiary", secondary),
        foreground=pick("foreground", DEFAULTS["foreground"]),
        background=pick("background", WHITE),
        light=pick("light", "#EEF2F6"),
        on_primary=WHITE if _luminance(primary) < 0.4 else "#111111",
    )


def _family(typography: Any, role: str, path: Path, tree: Any) -> FontFamily:
    value = getattr(typography, role, None) if typography else None
    name = getattr(value, "family", None) or "Arial"
    return family_for(name, str(path), line_of(tree, "typography", role))


def _logo(logo: Any, kit: Path, mode: str) -> tuple[Path | None, str]:
    """Return the logo (medium, else small, else large) for a light or dark ground, and alt."""
    if logo is None or isinstance(logo, str):
        return (kit / logo, "") if isinstance(logo, str) else (None, "")
    choice = logo.medium or logo.small or logo.large
    resource = getattr(choice, mode, None) or getattr(choice, "light", None) or choice
    if resource is None:
        return None, ""
    return kit / str(resource.path.root), resource.alt or ""


def _template(settings: Settings, kit: Path, path: Path) -> Path | None:
    if settings.template is None:
        return None
    file = kit / settings.template
    if file.suffix.lower() not in (".pptx", ".potx") or not file.is_file():
        raise BrandError(
            Problem(
                str(path),
                settings.line,
                f"expected a .pptx or .potx file in the kit, got {settings.template!r}",
                "template",
            )
        )
    return file


def _luminance(hex_color: str) -> float:
    """Return WCAG relative luminance of '#RRGGBB'."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two '#RRGGBB' colors (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _contrast(brand: Brand, tree: Any, path: Path) -> list[Problem]:
    """Return a problem for every text/background pair we draw below WCAG AA."""
    c, p = brand.colors, brand.printed().colors
    pairs = [  # (text, background, minimum, what), 3:1 where the text is large (18 pt and up)
        (c.foreground, c.background, 4.5, "foreground on background (slide text)"),
        (c.primary, c.background, 3.0, "primary on background (slide titles)"),
        (c.on_primary, c.primary, 3.0, "text on primary (section slides, table headers)"),
        (c.foreground, c.light, 4.5, "foreground on light (quote panels, table rows)"),
        (p.foreground, WHITE, 4.5, "handout foreground on white paper"),
        (p.primary, WHITE, 4.5, "handout primary on white paper (headings)"),
        (p.on_primary, p.primary, 3.0, "handout text on primary (the cover band)"),
        (p.secondary, WHITE, 4.5, "handout secondary on white paper (subheadings)"),
    ]
    problems = []
    for text, ground, minimum, what in pairs:
        ratio = contrast(text, ground)
        if ratio < minimum:
            problems.append(
                Problem(
                    str(path),
                    line_of(tree, "color"),
                    f"expected contrast of at least {minimum}:1 for {what}, "
                    f"got {ratio:.2f}:1 ({text} on {ground})",
                    "color",
                )
            )
    return problems


def _approvals(provider: Provider, path: Path) -> list[Problem]:
    problems = []
    for i, a in enumerate(provider.approvals):
        if a.body != "APA" and not a.number:
            problems.append(
                Problem(
                    str(path),
                    a.line,
                    f"expected {a.body}'s provider number, got nothing",
                    f"approvals.{i}.number",
                )
            )
        if a.body == "ASWB" and not (a.period_start and a.period_end):
            problems.append(
                Problem(
                    str(path),
                    a.line,
                    "expected period_start and period_end for ASWB",
                    f"approvals.{i}",
                )
            )
    return problems


def _images(
    brand: Brand, provider: Provider, kit: Path, brand_path: Path, provider_path: Path, tree: Any
) -> list[Problem]:
    problems = []
    wanted = [(brand.logo, brand_path, line_of(tree, "logo"), "logo")]
    wanted.append((brand.print_logo, brand_path, line_of(tree, "logo"), "logo"))
    if provider.administrator and provider.administrator.signature:
        wanted.append(
            (
                kit / provider.administrator.signature,
                provider_path,
                provider.administrator.line,
                "administrator.signature",
            )
        )
    for file, path, line, field in wanted:
        if file is not None and not _readable_image(file):
            problems.append(
                Problem(
                    str(path),
                    line,
                    f"expected a readable PNG or JPEG image, got {file.name!r}",
                    field,
                )
            )
    if brand.logo is not None and not brand.logo_alt:
        problems.append(
            Problem(
                str(brand_path), line_of(tree, "logo"), "expected alt text for the logo", "logo"
            )
        )
    return problems


def _readable_image(file: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            image.verify()
            return image.format in ("PNG", "JPEG")
    except (OSError, UnidentifiedImageError, SyntaxError):
        return False
