"""Confinement: a file a kit, an outline or a template names must lie inside its own folder.

Checked after symlinks are followed, so neither `../../outside/logo.png` nor a link in the kit
that points elsewhere is ever read.
"""

from __future__ import annotations

from pathlib import Path


def escapes(file: Path, folder: Path) -> bool:
    """Return whether file, once its links are followed, lies outside folder."""
    try:
        return not file.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop, or a path the system refuses
        return True


def outside_message(written: str, what: str) -> str:
    """Return the message for a path that leads outside its folder."""
    return f"expected a file inside the {what} folder, got {written!r}, which leads outside it"
