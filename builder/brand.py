"""Brand kits: the look (`_brand.yml`, brand.yml format) and the CE provider's facts.

A kit is a folder: `_brand.yml` (read and validated with the `brand_yml` package, so a file
Quarto or Shiny reads works unchanged), `provider.yml` (sponsor, approvals, policies), an
optional `workshop.yml` (our settings: paper, sizes, corporate template, print colors) and assets.
Everything is checked when the kit loads, and every problem of the kit is reported at once
(`builder.brand_checks`: contrast, images, approvals; `builder.brand_fonts`: fonts). A kit with
only `_brand.yml` loads too: the provider's details are then [placeholders] with a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, StringConstraints

from builder.brand_checks import (
    approval_problems,
    contrast,
    contrast_problems,
    image_problems,
    luminance,
    provider_text_problems,
)
from builder.brand_file import BrandSpec, read_brand_file
from builder.brand_fonts import kit_fonts, travelling_files
from builder.confine import escapes, outside_message
from builder.css_colors import color_problem, css_color
from builder.errors import BrandError, Problem
from builder.fonts import FontFamily
from builder.loader import load_model
from builder.model import Node

__all__ = ["Brand", "Colors", "Provider", "contrast", "default_kit", "load_brand"]
T = TypeVar("T")
KIT_FILES = ("_brand.yml", "provider.yml", "workshop.yml")  # the files a kit is read from
HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
WHITE = "#FFFFFF"
DARK = 0.4  # a background darker than this (relative luminance) makes dark slides
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
    badge: str = ""  # step-number circles: tertiary, primary or foreground, whichever reads best
    link: str = ""  # hyperlinks (the theme's hlink): the first brand color that reads

    def __post_init__(self) -> None:
        """Choose badge and link colors when the caller left them out."""
        if not self.badge or not self.link:
            chosen = _derived(self)
            object.__setattr__(self, "badge", self.badge or chosen.badge)
            object.__setattr__(self, "link", self.link or chosen.link)


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
    mono_font: FontFamily | None = None  # typography.monospace, when the kit names one
    warnings: tuple[Problem, ...] = ()  # found while loading; the build shows them

    def font_files(self) -> dict[str, Path]:
        """Return the kit's font files and licenses to copy beside the deck (name -> file)."""
        return travelling_files(self.heading_font, self.body_font, self.mono_font)

    def fonts_to_install(self) -> list[str]:
        """Return the families a presenter must install to show the deck as designed."""
        families = (self.heading_font, self.body_font, self.mono_font)
        names = [f.deck_name for f in families if f is not None and f.source != "metric"]
        return list(dict.fromkeys(names))

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
    accent: HexColor | None = Field(default=None, description="step numbers in the handout")
    light: HexColor | None = Field(default=None, description="panels behind statements")


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
    attendance: Text | None = None  # None: the outline language's (i18n attendance_policy)
    evaluation: Text | None = None  # None: the outline language's (i18n evaluation_policy)
    administrator: Administrator | None = None


def default_kit() -> Path:
    """Return the folder of the built-in neutral brand kit."""
    return Path(str(resources.files("builder") / "brands" / "default"))


def load_brand(kit: Path) -> tuple[Brand, Provider]:
    """Return the brand and provider of the kit folder, or raise BrandError with every problem."""
    brand_path, settings_path = kit / "_brand.yml", kit / "workshop.yml"
    _confined(kit)
    if not brand_path.is_file():
        raise BrandError(Problem(str(kit), 0, "expected a file _brand.yml in the brand kit"))
    problems: list[Problem] = []
    tree, spec = _attempt(problems, lambda: read_brand_file(brand_path)) or (None, None)
    settings = _attempt(problems, lambda: _settings(settings_path)) or Settings()
    name = _name(spec, kit)
    provider, warnings = _provider(kit, name, problems)
    if spec is None:
        raise BrandError(problems)
    brand = _brand(spec, tree, brand_path, settings, kit, problems)
    problems += contrast_problems(brand, tree, brand_path, settings_path)
    problems += approval_problems(provider, kit / "provider.yml")
    problems += provider_text_problems(provider, brand.body_font, kit / "provider.yml")
    problems += image_problems(brand, provider, tree, brand_path)
    if problems:
        raise BrandError(problems)
    return dataclasses.replace(brand, warnings=brand.warnings + tuple(warnings)), provider


def _confined(kit: Path) -> None:
    """Raise, before any is read, when one of the kit's own files is a link leading outside
    the kit (to another provider's facts, or to a file that is no kit's at all)."""
    files = [kit / name for name in KIT_FILES if (kit / name).is_symlink()]
    problems = [
        Problem(str(path), 0, outside_message(path.name, "kit"))
        for path in files
        if escapes(path, kit)
    ]
    if problems:
        raise BrandError(problems)


def _attempt(problems: list[Problem], make: Callable[[], T]) -> T | None:
    """Return make(), or None after adding its problems: one fault must not hide the next."""
    try:
        return make()
    except BrandError as exc:
        problems.extend(exc.problems)
        return None


def _settings(path: Path) -> Settings:
    return load_model(path, Settings, BrandError) if path.is_file() else Settings()


def _name(spec: BrandSpec | None, kit: Path) -> str:
    return (spec.name if spec else None) or kit.name


def _provider(kit: Path, name: str, problems: list[Problem]) -> tuple[Provider, list[Problem]]:
    """Return the kit's provider; without provider.yml, placeholders and a warning."""
    path = kit / "provider.yml"
    if path.is_file():
        loaded = _attempt(problems, lambda: load_model(path, Provider, BrandError))
        return loaded or _placeholder_provider(name), []
    message = (
        "expected provider.yml beside _brand.yml, got none: the provider's details are "
        "[placeholders] and no approval statements are printed; `workshop brand new NAME` "
        "writes a provider.yml to copy into the kit and fill in"
    )
    return _placeholder_provider(name), [Problem(str(path), 0, message, "", "warning")]


def _placeholder_provider(name: str) -> Provider:
    """Return the neutral kit's placeholder provider, named [name] (still a placeholder)."""
    provider = load_model(default_kit() / "provider.yml", Provider, BrandError)
    return provider.model_copy(update={"name": f"[{name}]", "approvals": [], "line": 0})


def _brand(
    spec: BrandSpec, tree: Any, path: Path, settings: Settings, kit: Path, problems: list[Problem]
) -> Brand:
    colors = _colors(spec, tree, str(path), problems)
    dark_slides = luminance(colors.background) < DARK
    logo, alt = _logo(spec, kit, "dark" if dark_slides else "light")
    print_logo, _ = _logo(spec, kit, "light")
    fonts = kit_fonts(spec, tree, path, kit, problems)
    return Brand(
        name=_name(spec, kit),
        colors=colors,
        heading_font=fonts.heading,
        body_font=fonts.body,
        logo=logo,
        logo_alt=alt,
        paper=settings.paper,
        body_min_pt=settings.body_min_pt,
        body_max_pt=settings.body_max_pt,
        title_max_pt=settings.title_max_pt,
        footer=settings.footer,
        root=kit,
        template=_attempt(problems, lambda: _template(settings, kit, kit / "workshop.yml")),
        layouts=tuple(sorted(settings.layouts.items())),
        print_colors=_print_colors(colors, settings.handout),
        print_logo=print_logo if print_logo != logo else None,
        mono_font=fonts.mono,
        warnings=fonts.warnings,
    )


def _print_colors(colors: Colors, printed: _PrintColors) -> Colors | None:
    """Return the colors on white paper: workshop.yml `handout:`'s, or for dark slides that
    set none, the slide colours that read on white and the slides' background for the rest."""
    given = {k: v.upper() for k, v in printed if k != "line" and isinstance(v, str)}
    if not given and luminance(colors.background) < DARK:
        given = _paper_defaults(colors)
    if not given:
        return None
    light = colors.light if luminance(colors.light) >= 0.5 else "#EEF2F6"
    paper = dataclasses.replace(colors, background=WHITE, light=light)
    return _derived(dataclasses.replace(paper, **given))


def _paper_defaults(c: Colors) -> dict[str, str]:
    """Return print colours for dark slides: each text colour that does not read on white
    paper (4.5:1, titles 3:1) replaced by the slides' dark background, else our ink."""
    ink = c.background if contrast(c.background, WHITE) >= 7 else DEFAULTS["foreground"]
    wanted = {"foreground": 4.5, "primary": 3.0, "secondary": 3.0, "accent": 3.0}
    return {k: ink for k, least in wanted.items() if contrast(getattr(c, k), WHITE) < least}


def _panel(background: str, foreground: str) -> str:
    """Return the default colour of panels behind quotes and table rows: our pale blue-grey
    on light slides; on dark ones, the background a seventh of the way to the text."""
    if luminance(background) >= DARK:
        return "#EEF2F6"
    mixed = [
        round(int(background[i : i + 2], 16) * 6 / 7 + int(foreground[i : i + 2], 16) / 7)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{v:02X}" for v in mixed)


def _derived(c: Colors) -> Colors:
    """Return colors with on_primary, badge and link chosen for contrast."""
    on_primary = max((WHITE, "#111111"), key=lambda text: contrast(text, c.primary))
    fills = (c.accent, c.primary, c.foreground)
    badge = next((f for f in fills if contrast(on_primary, f) >= 4.5), None)
    links = (c.primary, c.secondary, c.accent, c.foreground)

    def reads(color: str) -> float:
        return min(contrast(color, c.background), contrast(color, c.light))

    link = next((x for x in links if reads(x) >= 4.5), max(links, key=reads))
    return dataclasses.replace(
        c,
        on_primary=on_primary,
        badge=badge or max(fills, key=lambda f: contrast(on_primary, f)),
        link=link,
    )


def _colors(spec: BrandSpec, tree: Any, path: str, problems: list[Problem]) -> Colors:
    palette = list(spec.palette)

    def pick(name: str, default: str) -> str:
        value = spec.colors.get(name) or default
        parsed = css_color(value)
        if parsed is not None:
            return parsed
        problem = color_problem(value, palette, tree, path, name)
        if problem not in problems:  # two colours naming one bad palette entry: say it once
            problems.append(problem)
        return default

    primary, secondary = pick("primary", DEFAULTS["primary"]), pick("secondary", "#2A7F7A")
    foreground, background = pick("foreground", DEFAULTS["foreground"]), pick("background", WHITE)
    return _derived(
        Colors(
            primary=primary,
            secondary=secondary,
            accent=pick("tertiary", secondary),
            foreground=foreground,
            background=background,
            light=pick("light", _panel(background, foreground)),
            on_primary=WHITE,
        )
    )


def _logo(spec: BrandSpec, kit: Path, mode: str) -> tuple[Path | None, str]:
    """Return the logo for a light or dark ground (brand_file chose it), and its alt text."""
    chosen = spec.logos.get(mode)
    return (kit / chosen[0], chosen[1]) if chosen else (None, "")


def _template(settings: Settings, kit: Path, path: Path) -> Path | None:
    if settings.template is None:
        return None
    file = kit / settings.template
    if escapes(file, kit):
        message = outside_message(settings.template, "kit")
        raise BrandError(Problem(str(path), settings.line, message, "template"))
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
