"""LibreOffice as the tests (and scripts/fidelity.py) run it: decks to PDF in one call, in a
profile of its own, with a kit's fonts installed for that call alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


def to_pdf(
    decks: Sequence[Path], outdir: Path, fonts: Sequence[Path] = (), timeout: int = 900
) -> None:
    """Convert decks to PDFs in outdir; fonts go into a home of its own (~/.fonts).

    soffice exits 0 even when a conversion fails: callers check that the PDFs exist.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError("soffice is missing: run scripts/install-clients.sh")
    with tempfile.TemporaryDirectory() as profile:
        env = dict(os.environ)
        if fonts:
            (Path(profile) / ".fonts").mkdir()
            for font in fonts:
                shutil.copy(font, Path(profile) / ".fonts" / font.name)
            env["HOME"] = profile
        args = [soffice, f"-env:UserInstallation=file://{profile}", "--headless"]
        args += ["--convert-to", "pdf", "--outdir", str(outdir), *map(str, decks)]
        subprocess.run(args, check=True, capture_output=True, timeout=timeout, env=env)
