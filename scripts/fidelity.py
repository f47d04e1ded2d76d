"""Fidelity: how our deck.pdf agrees with LibreOffice's PDF of the same deck.pptx.

Run from the repository root: python scripts/fidelity.py OUTLINE... [--brand KIT] [--first N]
For each outline it builds deck.pptx and deck.pdf, converts the pptx with LibreOffice (one call,
a profile of its own, the kit's fonts installed for it) and prints per slide and in total
"lines compared N, lines that differ M", then the first differences. Exit status 1 when any
line differs: the same words on each line and each baseline within --tolerance points.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.pdf_lines holds the comparison the fidelity test uses

from builder.errors import WorkshopError  # noqa: E402
from builder.pipeline import Job, produce, resolve_kit  # noqa: E402
from tests.libreoffice import to_pdf  # noqa: E402
from tests.pdf_lines import Agreement, compare, read_lines, report  # noqa: E402

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


def _build(outline: Path, kit: Path, folder: Path) -> list[Path]:
    """Write OUTLINE's deck as folder/<stem>.pptx and .ours.pdf; return the kit's font files."""
    _, files = produce(Job(outline, kit=kit), ["deck", "deck-pdf"])
    (folder / f"{outline.stem}.pptx").write_bytes(files.pop("deck.pptx"))
    (folder / f"{outline.stem}.ours.pdf").write_bytes(files.pop("deck.pdf"))
    fonts = []
    for name, data in files.items():
        if name.lower().endswith(FONT_SUFFIXES):
            path = folder / "fonts" / Path(name).name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            fonts.append(path)
    return fonts


def _convert(folder: Path, decks: list[Path], fonts: list[Path]) -> None:
    """Convert the decks with LibreOffice in one call; fonts are installed for it alone."""
    try:
        to_pdf(decks, folder, fonts)
    except FileNotFoundError as exc:
        sys.exit(str(exc))


def _agreement(folder: Path, stem: str, tolerance: float) -> Agreement:
    theirs = folder / f"{stem}.pdf"
    if not theirs.is_file():  # soffice exits 0 even when a conversion fails
        sys.exit(f"LibreOffice did not convert {stem}.pptx")
    return compare(read_lines(theirs), read_lines(folder / f"{stem}.ours.pdf"), tolerance)


def main() -> None:
    """Build, convert and compare every outline given; print the agreement figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outlines", nargs="+", type=Path, metavar="OUTLINE")
    parser.add_argument("--brand", default="default", help="brand kit: a name or a folder")
    parser.add_argument("--tolerance", type=float, default=2.0, help="baseline tolerance, pt")
    parser.add_argument("--first", type=int, default=10, help="differences shown per outline")
    args = parser.parse_args()
    stems = [p.stem for p in args.outlines]
    if len(set(stems)) < len(stems):
        sys.exit("expected outlines with different file names")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            kit = resolve_kit(args.brand, ROOT / "sources" / "brands")
            fonts = [f for outline in args.outlines for f in _build(outline, kit, folder)]
        except WorkshopError as error:
            sys.exit(str(error))
        _convert(folder, [folder / f"{s}.pptx" for s in stems], fonts)
        compared = differ = 0
        for stem in stems:
            agreement = _agreement(folder, stem, args.tolerance)
            print(f"== {stem} ({args.brand})")
            print("\n".join(report(agreement, args.first)))
            compared += agreement.lines_compared
            differ += agreement.lines_differ
    if len(stems) > 1:
        print(f"== all {len(stems)} decks: lines compared {compared}, lines that differ {differ}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
