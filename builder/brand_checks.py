"""Checks of a loaded brand kit: contrast of every pair we draw, images, approvals.

Called by `builder.brand.load_brand` once the kit is read. Each problem names its file and line,
where the pair is drawn, and the fix. Thresholds are WCAG 2.x AA: 4.5:1 for text, 3:1 for large
text (18 pt and up, or 14 pt bold and up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.confine import escapes, outside_message
from builder.errors import Problem
from builder.fonts import FontFamily, unshowable
from builder.loader import line_of
from builder.model import texts_of
from builder.yaml_bounds import read_text

if TYPE_CHECKING:
    from builder.brand import Brand, Provider

WHITE = "#FFFFFF"
TINT = "#DCE4EE"  # the handout's light text on its cover band
TEXT, LARGE = 4.5, 3.0
_SLIDE_FIX = "change color.{} in _brand.yml"
_PRINT_FIX = "set handout: {} in workshop.yml (the colors on white paper)"


@dataclass(frozen=True)
class Pair:
    """A text color drawn on a background color, where, and what to change when it fails."""

    text: str
    ground: str
    minimum: float
    where: str
    fix: str


def luminance(hex_color: str) -> float:
    """Return WCAG relative luminance of '#RRGGBB'."""
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def cover_tint(primary: str) -> str:
    """Return the light text of the handout's cover band on primary: our pale tint where it
    reads (4.5:1), else white, which the pair 'white on primary' checks."""
    return TINT if contrast(TINT, primary) >= TEXT else WHITE


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two '#RRGGBB' colors (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def slide_pairs(brand: Brand) -> list[Pair]:
    """Return every text/background pair the deck draws with the brand's colors."""
    c = brand.colors
    return [
        Pair(c.foreground, c.background, TEXT, "foreground on background (slide text)",
             _SLIDE_FIX.format("foreground or color.background")),
        Pair(c.primary, c.background, LARGE, "primary on background (slide titles)",
             _SLIDE_FIX.format("primary")),
        Pair(c.on_primary, c.primary, LARGE,
             "text on primary (title band, section slides, table headers)",
             _SLIDE_FIX.format("primary")),
        Pair(c.foreground, c.light, TEXT, "foreground on light (quote panels, table rows)",
             _SLIDE_FIX.format("light or color.foreground")),
        Pair(c.on_primary, c.badge, TEXT,
             "step numbers on process diagrams (text on the tertiary, primary or foreground "
             "color, whichever reads best)", _SLIDE_FIX.format("tertiary or color.primary")),
        Pair(c.link, c.background, TEXT,
             "links on the slide background (the theme's hyperlink color)",
             _SLIDE_FIX.format("primary or color.secondary (links use the first that reads)")),
        Pair(c.link, c.light, TEXT, "links on quote panels and table rows",
             _SLIDE_FIX.format("primary or color.light")),
    ]  # fmt: skip


def print_pairs(brand: Brand) -> list[Pair]:
    """Return every text/background pair the handout draws on white paper."""
    p = brand.printed().colors
    return [
        Pair(p.foreground, WHITE, TEXT, "handout text on white paper",
             _PRINT_FIX.format("foreground:")),
        Pair(p.primary, WHITE, TEXT, "handout headings and step names on white paper",
             _PRINT_FIX.format("primary:")),
        Pair(p.secondary, WHITE, TEXT, "handout subheadings on white paper",
             _PRINT_FIX.format("secondary:")),
        Pair(WHITE, p.primary, TEXT, "handout cover title and table headers (white on primary)",
             _PRINT_FIX.format("primary: (a darker one)")),
        Pair(WHITE, p.accent, TEXT, "handout step numbers (white on tertiary)",
             _PRINT_FIX.format("accent: (a darker one)")),
        Pair(p.foreground, p.light, TEXT, "handout statements and quote panels (text on light)",
             _PRINT_FIX.format("light:")),
    ]  # fmt: skip


def contrast_problems(brand: Brand, tree: Any, path: Path, settings: Path) -> list[Problem]:
    """Return a problem for every pair below its minimum, at color: or workshop.yml handout:."""
    problems = []
    for pair in slide_pairs(brand) + print_pairs(brand):
        ratio = contrast(pair.text, pair.ground)
        if ratio >= pair.minimum:
            continue
        printed = pair.where.startswith("handout")
        file = settings if printed else path
        line = _settings_line(settings) if printed else line_of(tree, "color")
        message = (
            f"expected contrast of at least {pair.minimum}:1 for {pair.where}, "
            f"got {ratio:.2f}:1 ({pair.text} on {pair.ground}); {pair.fix}"
        )
        problems.append(Problem(str(file), line, message, "handout" if printed else "color"))
    return problems


def _settings_line(settings: Path) -> int:
    """Return the line of `handout:` in workshop.yml (0 when the file or key is absent)."""
    if not settings.is_file():
        return 0
    lines = read_text(settings).splitlines()  # any encoding the YAML reader accepts
    return next((i + 1 for i, text in enumerate(lines) if text.startswith("handout:")), 0)


def approval_problems(provider: Provider, path: Path) -> list[Problem]:
    """Return a problem for each claimed body without its number (ASWB: its period too), and
    each period that ends before it starts."""
    problems = []
    for i, a in enumerate(provider.approvals):
        if a.body != "APA" and not a.number:
            message = f"expected {a.body}'s provider number, got nothing"
            problems.append(Problem(str(path), a.line, message, f"approvals.{i}.number"))
        if a.body == "ASWB" and not (a.period_start and a.period_end):
            message = "expected period_start and period_end for ASWB (its approval period)"
            problems.append(Problem(str(path), a.line, message, f"approvals.{i}"))
        if a.period_start and a.period_end and a.period_end < a.period_start:
            message = (
                f"expected a period_end after period_start ({a.period_start}), got {a.period_end}"
            )
            problems.append(Problem(str(path), a.line, message, f"approvals.{i}.period_end"))
    return problems


def provider_text_problems(provider: Provider, font: FontFamily, path: Path) -> list[Problem]:
    """Return a problem for each provider text holding characters the kit's font cannot show
    (every document prints the provider's facts)."""
    found = ((field, node.line, unshowable(text, font)) for field, node, text in texts_of(provider))
    return [Problem(str(path), line, message, field) for field, line, message in found if message]


def image_problems(brand: Brand, provider: Provider, tree: Any, brand_path: Path) -> list[Problem]:
    """Return a problem for each logo or signature that is missing, unreadable or without alt."""
    line = line_of(tree, "logo")
    wanted = [(f, brand_path, line, "logo") for f in dict.fromkeys([brand.logo, brand.print_logo])]
    admin = provider.administrator
    if admin and admin.signature:
        provider_path = brand.root / "provider.yml"
        wanted.append((brand.root / admin.signature, provider_path, admin.line, "signature"))
    problems = [
        Problem(str(path), at, _image_problem(file, brand.root), field)
        for file, path, at, field in wanted
        if file is not None and _image_problem(file, brand.root)
    ]
    if brand.logo is not None and not brand.logo_alt:
        message = "expected alt text for the logo (alt: under its image), got none"
        problems.append(Problem(str(brand_path), line, message, "logo"))
    return problems


MAX_IMAGE_BYTES = 20 * 2**20
MAX_IMAGE_PIXELS = 40_000_000  # 8000 x 5000: a logo needs far less; it is downsampled anyway


def _image_problem(file: Path, kit: Path) -> str:
    """Return why a kit's image cannot be used (outside the kit, missing, too big, unreadable)."""
    written = str(file.relative_to(kit)) if file.is_relative_to(kit) else str(file)
    if re.match(r"^[a-z][a-z0-9+.-]*:/", written):  # a path joined to the kit kept one slash
        url = written.replace(":/", "://", 1)
        return f"expected an image file in the kit, got the URL {url!r} (images are never fetched)"
    if escapes(file, kit):
        return outside_message(written, "kit")
    if file.exists() and not file.is_file():
        return f"expected an image file in the kit, got {written!r}, which is not a regular file"
    if not file.is_file():
        return f"expected an image file in the kit, got {written!r}, which does not exist"
    if file.stat().st_size > MAX_IMAGE_BYTES:
        return f"expected an image of at most {MAX_IMAGE_BYTES // 2**20} MB, got {file.name!r}"
    return _decoded_problem(file)


def _decoded_problem(file: Path) -> str:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:  # reads the header only: the size is known before decoding
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return (f"expected an image of at most {MAX_IMAGE_PIXELS // 10**6} megapixels, "
                        f"got {file.name!r} at {width} x {height}")  # fmt: skip
            image.verify()
            readable = image.format in ("PNG", "JPEG")
    except Image.DecompressionBombError:  # Pillow's own bound, far above ours
        return (f"expected an image of at most {MAX_IMAGE_PIXELS // 10**6} megapixels, "
                f"got {file.name!r}, which declares hundreds")  # fmt: skip
    except (OSError, UnidentifiedImageError, SyntaxError):
        readable = False
    return "" if readable else f"expected a readable PNG or JPEG image, got {file.name!r}"
