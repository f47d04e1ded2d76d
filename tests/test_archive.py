"""Corporate templates: zip bombs, too many parts and DTDs are refused before python-pptx reads them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from builder.archive import MAX_PARTS, check_package
from builder.errors import WriteError
from builder.writers.pptx_template import open_template

BUILTIN = Path("builder/templates/deck-16x9.pptx")


def _rezip(extra: dict[str, bytes] | None = None, patch: dict[str, bytes] | None = None) -> bytes:
    """Return the built-in template with parts added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(BUILTIN) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, (patch or {}).get(info.filename, src.read(info)))
        for name, blob in (extra or {}).items():
            dst.writestr(name, blob)
    return out.getvalue()


def _refused(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "corporate.pptx"
    path.write_bytes(data)
    with pytest.raises(WriteError) as caught:
        open_template(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    return problem.message


def test_the_built_in_template_passes() -> None:
    check_package(BUILTIN.read_bytes(), str(BUILTIN))


def test_a_zip_bomb_part_is_refused_without_unpacking_it(tmp_path: Path) -> None:
    message = _refused(_rezip({"ppt/media/bomb.bin": bytes(40 * 2**20)}), tmp_path)
    assert "ppt/media/bomb.bin" in message and ":1" in message


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    parts = {f"ppt/media/p{i}.bin": b"x" for i in range(MAX_PARTS + 1)}
    assert f"at most {MAX_PARTS} parts" in _refused(_rezip(parts), tmp_path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_layout_with_a_dtd_and_an_entity_is_refused(tmp_path: Path, encoding: str) -> None:
    name = "ppt/slideLayouts/slideLayout1.xml"
    with zipfile.ZipFile(BUILTIN) as src:
        xml = src.read(name).decode("utf-8")
    body = xml.split("?>", 1)[1]
    doctype = '<!DOCTYPE p:sldLayout [<!ENTITY boom "boom">]>'
    hostile = f'<?xml version="1.0" encoding="{encoding}"?>{doctype}{body}'.encode(encoding)
    assert f"got one in {name}" in _refused(_rezip(patch={name: hostile}), tmp_path)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    assert "readable zip" in _refused(b"PK\x03\x04 not really a zip" * 10, tmp_path)
