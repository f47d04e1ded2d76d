"""The geometry a deck is laid out against, read from its template once and cached.

Laying out the deck needs only the slide size and where each slide kind puts its title, body
and subtitle. Reading them means opening the template with python-pptx (importing it and the
deck writer, and parsing the package): most of what `workshop check` spent beside the layout.
They are kept in the user cache under a digest of the template's bytes, the layouts the brand
picks and the source of the code that reads them, so a changed template or reader reads again.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from builder.brand import Brand
from builder.measure import Box
from builder.placement import Frame, Geometry
from builder.user_cache import cache_dir, write_atomically

# the modules whose code decides the geometry (builder.writers.deck.template_geometry)
_READERS = ("writers/deck.py", "writers/pptx_template.py", "writers/pptx_inspect.py", "units.py")


def template_geometry(brand: Brand) -> Geometry:
    """Return the geometry of the brand's deck template (the built-in one when it has none)."""
    entry = _entry(brand)
    if entry is not None:
        try:
            return _from_json(json.loads(entry.read_bytes()))
        except (OSError, ValueError, TypeError, KeyError):
            pass
    from builder.writers.deck import template_geometry as read_geometry

    geometry = read_geometry(brand)
    if entry is not None:
        write_atomically(entry, json.dumps(_to_json(geometry)).encode())
    return geometry


def _entry(brand: Brand) -> Path | None:
    """Return the cache file of the brand's template geometry, None if it cannot be told."""
    package = Path(__file__).parent
    try:
        if brand.template is None:
            template = (resources.files("builder") / "templates" / "deck-16x9.pptx").read_bytes()
        else:
            template = brand.template.read_bytes()
        digest = hashlib.sha256(template)
        for reader in _READERS:
            digest.update((package / reader).read_bytes())
    except OSError:
        return None
    digest.update(repr(tuple(brand.layouts)).encode())
    return cache_dir("geometry") / f"{digest.hexdigest()[:32]}.json"


def _to_json(geometry: Geometry) -> dict[str, Any]:
    frames = {
        kind: [_box(frame.title), _box(frame.body), _box(frame.subtitle)]
        for kind, frame in geometry.frames.items()
    }
    return {"width": geometry.width, "height": geometry.height, "frames": frames}


def _box(box: Box | None) -> list[float] | None:
    return None if box is None else [box.x, box.y, box.w, box.h]


def _from_json(data: dict[str, Any]) -> Geometry:
    frames = {
        kind: Frame(Box(*title), Box(*body), Box(*subtitle) if subtitle else None)
        for kind, (title, body, subtitle) in data["frames"].items()
    }
    return Geometry(float(data["width"]), float(data["height"]), frames)
