"""Draw the example kits' logos (fictional organizations) as small PNGs, deterministically.

Run from the repository root: PYTHONPATH=. python scripts/make_example_logos.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from builder.fonts import family_for

ROOT = Path(__file__).resolve().parents[1]


def _logo(path: Path, text: str, mark: str, ink: str, accent: str) -> None:
    """Write a wordmark: a round mark with a letter, then the name, on transparency."""
    font = ImageFont.truetype(str(family_for("Arial").bold), 64)
    width = 120 + int(font.getlength(text)) + 20
    image = Image.new("RGBA", (width, 110), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 104, 104), fill=accent)
    draw.text((55, 56), mark, font=font, fill="white", anchor="mm")
    draw.text((120, 56), text, font=font, fill=ink, anchor="lm")
    image.save(path, optimize=False)


if __name__ == "__main__":
    _logo(ROOT / "sources/brands/northwind/logo.png", "Northwind", "N", "#12355B", "#C8102E")
    _logo(
        ROOT / "sources/brands/harborlight/logo-dark.png", "Harborlight", "H", "#F2F4F7", "#E0A526"
    )
    _logo(
        ROOT / "sources/brands/harborlight/logo-light.png", "Harborlight", "H", "#0F1B2D", "#B07A10"
    )
