"""Draw the example kits' administrator signatures (fictional people) as small PNGs,
deterministically: the name in a slanted hand with a flourish beneath, on transparency.

Run from the repository root: PYTHONPATH=. python scripts/make_example_signatures.py
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from builder.fonts import family_for

ROOT = Path(__file__).resolve().parents[1]
SCALE = 4  # drawn large, then reduced: smooth strokes without antialiasing support


def _signature(path: Path, name: str, ink: str) -> None:
    """Write a signature: the name in italic, sheared to lean, and a looping underline."""
    font = ImageFont.truetype(str(family_for("Arial").italic), 58 * SCALE)
    width = int(font.getlength(name)) + 80 * SCALE
    height = 130 * SCALE
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.text((30 * SCALE, 62 * SCALE), name, font=font, fill=ink, anchor="lm")
    lean = 0.28  # shear to the right, as handwriting leans
    image = image.transform(
        image.size, Image.Transform.AFFINE, (1, lean, -lean * height / 2, 0, 1, 0),
        resample=Image.Resampling.BICUBIC,
    )  # fmt: skip
    draw = ImageDraw.Draw(image)
    points = [
        (30 * SCALE + t * (width - 60 * SCALE), 100 * SCALE + 9 * SCALE * math.sin(t * 9))
        for t in (i / 200 for i in range(201))
    ]
    draw.line(points, fill=ink, width=3 * SCALE, joint="curve")
    small = image.resize((width // SCALE, height // SCALE), Image.Resampling.LANCZOS)
    small.save(path, optimize=False)


if __name__ == "__main__":
    _signature(ROOT / "sources/brands/northwind/signature.png", "Ingrid Solberg", "#1B2A4A")
    _signature(ROOT / "sources/brands/harborlight/signature.png", "Marisol Ortega", "#1B2A4A")
