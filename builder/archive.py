"""Bounds on the zip packages we open (a corporate .pptx or .potx): parts, sizes, ratios, DTDs.

A template is checked before python-pptx unpacks it: a zip bomb (a part of 1 GiB from a few
kilobytes) or a part that declares a DTD or entities (which PowerPoint refuses and lxml would
expand) is refused at the template's file, naming the part, instead of filling memory.
"""

from __future__ import annotations

import io
import zipfile

from builder.errors import Problem, WriteError

MAX_FILE = 100 * 2**20  # the template file itself
MAX_PARTS = 2000
MAX_PART = 100 * 2**20  # one part, uncompressed
MAX_TOTAL = 300 * 2**20  # every part together, uncompressed
MAX_RATIO = 100  # uncompressed to compressed, for parts over RATIO_FROM bytes
RATIO_FROM = 2**20
_XML = (".xml", ".rels", ".vml")


def check_package(data: bytes, source: str) -> None:
    """Raise WriteError at source when the package breaks a bound or an XML part has a DTD."""
    if len(data) > MAX_FILE:
        _refuse(
            source,
            f"expected a template of at most {MAX_FILE // 2**20} MB, got {len(data) // 2**20} MB",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            _check_sizes(infos, source)
            for info in infos:
                if info.filename.lower().endswith(_XML):
                    _check_xml(package.read(info), info.filename, source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
        _refuse(source, "expected a PowerPoint .pptx or .potx file (a readable zip)")


def _check_sizes(infos: list[zipfile.ZipInfo], source: str) -> None:
    if len(infos) > MAX_PARTS:
        _refuse(source, f"expected at most {MAX_PARTS} parts in the package, got {len(infos)}")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        _refuse(
            source, f"expected at most {MAX_TOTAL // 2**20} MB unpacked, got {total // 2**20} MB"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            message = (
                f"expected parts of at most {MAX_PART // 2**20} MB packed at most {MAX_RATIO}:1, "
                f"got {info.filename} ({info.file_size // 2**20} MB, {ratio:.0f}:1)"
            )
            _refuse(source, message)


def _check_xml(blob: bytes, name: str, source: str) -> None:
    """Refuse an XML part that declares a DTD or entities (in any of the usual encodings)."""
    head = blob.replace(b"\x00", b"")  # UTF-16 parts: look at the ASCII letters
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        _refuse(source, f"expected XML without a DTD or entities, got one in {name}")


def _refuse(source: str, message: str) -> None:
    raise WriteError(Problem(source, 0, message))
