"""Confinement and image bounds: a kit's files are read only from inside the kit, and only
images of a sensible size, each refused at its file and line."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from builder.brand import load_brand
from builder.errors import BrandError

NORTHWIND = Path("sources/brands/northwind")


@pytest.fixture()
def kit(tmp_path: Path) -> Path:
    """A copy of the northwind kit, with a file outside it to point at."""
    copy = tmp_path / "kit"
    shutil.copytree(NORTHWIND, copy)
    (tmp_path / "outside").mkdir()
    shutil.copy(NORTHWIND / "logo.png", tmp_path / "outside" / "logo.png")
    shutil.copy(NORTHWIND / "template.pptx", tmp_path / "outside" / "corporate.pptx")
    return copy


def _problems(kit: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(BrandError) as caught:
        load_brand(kit)
    return [(Path(p.file).name, p.line, p.message) for p in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def test_a_logo_path_leaving_the_kit_is_refused_at_its_line(kit: Path) -> None:
    _edit(kit / "_brand.yml", "path: logo.png", "path: ../outside/logo.png")
    [(name, line, message)] = _problems(kit)
    assert (name, line) == ("_brand.yml", 27)
    assert "inside the kit folder" in message and "leads outside" in message


def test_a_logo_that_links_outside_the_kit_is_refused(kit: Path) -> None:
    (kit / "logo.png").unlink()
    (kit / "logo.png").symlink_to(kit.parent / "outside" / "logo.png")
    [(name, _, message)] = _problems(kit)
    assert name == "_brand.yml" and "leads outside" in message


def test_a_template_and_a_signature_outside_the_kit_are_refused(kit: Path) -> None:
    _edit(kit / "workshop.yml", "template: template.pptx", "template: ../outside/corporate.pptx")
    _edit(kit / "provider.yml", "signature: signature.png", "signature: /etc/hostname")
    found = {(name, message.split(",")[0]) for name, _, message in _problems(kit)}
    assert found == {("workshop.yml", "expected a file inside the kit folder"),
                     ("provider.yml", "expected a file inside the kit folder")}  # fmt: skip


def _png_header(width: int, height: int) -> bytes:
    """Return a PNG that declares width x height but holds one row: never decoded in full."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("size", "said"), [(30000, "hundreds"), (9000, "9000 x 9000")])
def test_a_huge_logo_is_refused_from_its_header(kit: Path, size: int, said: str) -> None:
    (kit / "logo.png").write_bytes(_png_header(size, size))
    [(name, line, message)] = _problems(kit)
    assert (name, line) == ("_brand.yml", 27)
    assert "at most 40 megapixels" in message and said in message


def test_a_logo_that_is_not_an_image_is_refused(kit: Path) -> None:
    (kit / "logo.png").write_bytes(b"GIF89a not really")
    [(_, _, message)] = _problems(kit)
    assert "readable PNG or JPEG" in message


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("/srv/brand/logo.png", "expected a file's path relative to _brand.yml, inside the kit"),
        ("logos", "expected a file's path relative to _brand.yml, inside the kit"),
        ("https://example.org/logo.png", "got the URL 'https://example.org/logo.png'"),
    ],
    ids=["absolute", "no-extension", "url"],
)
def test_a_logo_path_the_kit_cannot_hold_says_so_at_the_path(
    kit: Path, written: str, said: str
) -> None:
    _edit(kit / "_brand.yml", "path: logo.png", f"path: {written}")
    problems = _problems(kit)
    assert problems and all(name == "_brand.yml" for name, _, _ in problems)
    assert any(said in message for _, _, message in problems), problems
    assert not any("unknown key" in message for _, _, message in problems)


def test_a_logo_that_is_not_a_regular_file_is_refused(kit: Path) -> None:
    (kit / "logo.png").unlink()
    (kit / "logo.png").mkdir()
    [(name, _, message)] = _problems(kit)
    assert name == "_brand.yml" and "'logo.png', which is not a regular file" in message


@pytest.mark.parametrize("name", ["_brand.yml", "provider.yml", "workshop.yml"])
def test_a_kit_file_that_links_outside_the_kit_is_refused_unread(kit: Path, name: str) -> None:
    secret = kit.parent / "outside" / "secret.yml"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")  # was read, and quoted in the error
    (kit / name).unlink()
    (kit / name).symlink_to(secret)
    problems = _problems(kit)
    assert [(n, line) for n, line, _ in problems] == [(name, 0)]
    assert "leads outside" in problems[0][2] and "root:x" not in problems[0][2]


def test_a_kit_file_linked_to_another_kit_is_refused(kit: Path) -> None:
    (kit / "provider.yml").unlink()  # another provider's approvals, on this kit's certificates
    (kit / "provider.yml").symlink_to(NORTHWIND.resolve() / "provider.yml")
    [(name, _, message)] = _problems(kit)
    assert name == "provider.yml" and "leads outside" in message


def test_a_link_inside_the_kit_is_followed(kit: Path) -> None:
    (kit / "brand-2027.yml").write_text((kit / "_brand.yml").read_text())
    (kit / "_brand.yml").unlink()
    (kit / "_brand.yml").symlink_to("brand-2027.yml")
    assert load_brand(kit)[0].root == kit
