"""CE checks: objectives, citations, references, placeholders, characters."""

from __future__ import annotations

from pathlib import Path

from builder.brand import default_kit, load_brand
from builder.checks import check_workshop
from builder.errors import Problem
from builder.loader import load_model
from builder.model import Workshop
from tests.conftest import MINIMAL


def _problems(path: Path) -> list[Problem]:
    brand, provider = load_brand(default_kit())
    return check_workshop(load_model(path, Workshop), path, provider, brand)


def _errors(path: Path) -> list[str]:
    return [str(p) for p in _problems(path) if p.severity == "error"]


def test_minimal_outline_has_no_errors(outline: Path) -> None:
    assert _errors(outline) == []


def test_vague_objective_verb_is_an_error(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("Describe the S-P", "Understand the S-P"))
    (message,) = _errors(path)
    assert "objectives.0.text" in message and "'understand'" in message
    line = MINIMAL.splitlines().index("  - text: Describe the S-P sequence.") + 1
    assert message.startswith(f"{path}:{line}:")


def test_unknown_cite_key_is_an_error_at_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL.replace("      cite: b2021", "      cite: nosuch")
    path = write_outline(text)
    (message,) = _errors(path)
    line = text.splitlines().index("    - point: Benefit depends on context") + 1
    assert message.startswith(
        f"{path}:{line}: research.findings.0.cite: expected one of the source keys"
    )


def test_at_least_one_peer_reviewed_source(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("    peer_reviewed: true\n", ""))
    assert any("peer-reviewed" in m for m in _errors(path))


def test_placeholders_warn(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("name: Ada Lovelace", 'name: "[Presenter name]"'))
    warnings = [str(p) for p in _problems(path) if p.severity == "warning"]
    assert any("presenters.0" in w and "name" in w for w in warnings), warnings


def test_character_the_font_lacks_is_reported_with_its_line(write_outline) -> None:  # type: ignore[no-untyped-def]
    path = write_outline(MINIMAL.replace("Patience matters.", "Patience matters 😢"))
    (message,) = _errors(path)
    assert "U+1F622" in message and "takeaways" in message
