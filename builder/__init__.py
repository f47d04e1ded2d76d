"""workshop: one CE workshop outline in, a deck and a handout out."""

from __future__ import annotations

__version__ = "0.1.0"
