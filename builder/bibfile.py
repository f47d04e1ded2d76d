"""Sources from a reference manager's export: BibTeX (.bib) or CSL-JSON (.json), as Zotero,
Mendeley and JabRef write them, read while the outline is validated.

`sources: refs.bib` names a file beside the outline; `sources: {file: refs.bib, extra: {key:
{peer_reviewed: true, note: ...}}}` also sets or overrides fields per key. Each entry becomes
the fields of a `Source`, keyed by its citation key; problems raise ValueError, which the loader
reports at the outline's `sources:` line.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from babel.dates import format_skeleton
from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from builder.i18n import locale_for
from builder.loader import clean_text

MAX_BYTES = 5_000_000
Fields = dict[str, Any]

# bibtexparser logs a broken entry itself; we report it as the outline's problem instead
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

BIBTEX_KINDS = {
    "article": "journal",
    "book": "book",
    "mvbook": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "chapter",
    "conference": "chapter",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "phdthesis": "report",
    "mastersthesis": "report",
    "thesis": "report",
    "online": "web",
    "electronic": "web",
    "www": "web",
    "misc": "web",
}
CSL_KINDS = {
    "article-journal": "journal",
    "article": "journal",
    "article-magazine": "magazine",
    "article-newspaper": "magazine",
    "post-weblog": "blog",
    "webpage": "web",
    "post": "web",
    "book": "book",
    "chapter": "chapter",
    "paper-conference": "chapter",
    "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter",
    "report": "report",
    "thesis": "report",
}
_THESES = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master’s thesis"}
_DATED = ("magazine", "blog", "web")  # the kinds whose reference shows month and day
_EXTRA_KEYS = ("file", "extra")


def sources_from_file(value: Any, outline: Path | None, language: str = "en") -> dict[str, Fields]:
    """Return the sources that `sources: FILE` (or `{file:, extra:}`) names, as Source fields
    by citation key; raise ValueError (what was expected) for any problem."""
    name, extra = _spec(value)
    path = resolve_beside(outline, name)
    text = _read(path)
    read = _bibtex if path.suffix.lower() == ".bib" else _csl_json
    entries = read(text, path.name)
    return _finish(entries, extra, path.name, language)


def _spec(value: Any) -> tuple[str, Mapping[str, Any]]:
    """Return the file name and the per-key extras of the outline's `sources:` value."""
    if isinstance(value, str):
        return value, {}
    unknown = [k for k in value if k not in _EXTRA_KEYS and k != "@line"]
    if unknown:
        raise ValueError(f"a mapping of file and extra (unknown key {unknown[0]!r})")
    extra = value.get("extra") or {}
    extra = {k: v for k, v in extra.items() if k != "@line"} if isinstance(extra, dict) else None
    if extra is None or not all(isinstance(v, dict) for v in extra.values()):
        raise ValueError("extra: a mapping of source keys to fields, e.g. {key: {note: ...}}")
    return str(value["file"]), extra


def resolve_beside(outline: Path | None, name: str) -> Path:
    """Return the path of file name inside the outline's folder; ValueError for a name or a
    link that leaves it, or another suffix than .bib or .json."""
    if outline is None:
        raise ValueError("a source list, or a file beside an outline read from disk")
    posix = PurePosixPath(name.replace("\\", "/"))
    leaves = posix.is_absolute() or ".." in posix.parts or PureWindowsPath(name).drive
    if leaves or posix.suffix.lower() not in (".bib", ".json"):
        raise ValueError("a .bib or .json file inside the outline's folder")
    folder = outline.parent.resolve()
    path = (folder / posix).resolve()
    if not path.is_relative_to(folder):
        raise ValueError("a file inside the outline's folder (a link leads outside it)")
    return path


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"a file of at most 5 MB ({path.name} is larger)")
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"an existing file (no {path.name} beside the outline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"a readable UTF-8 file ({path.name}: {exc})") from None


def _finish(
    entries: Mapping[str, Fields], extra: Mapping[str, Any], file: str, language: str
) -> dict[str, Fields]:
    """Return entries with the outline's extras applied and dates set for the final kind."""
    missing = [k for k in extra if k not in entries]
    if missing:
        raise ValueError(f"extra keys that {file} has (it has no {missing[0]!r})")
    done: dict[str, Fields] = {}
    for key, fields in entries.items():
        more = dict(extra.get(key, {}))
        line = more.pop("@line", 0)
        merged = {**fields, **more, "@line": line}
        month, day = merged.pop("_month", None), merged.pop("_day", None)
        if month and merged.get("kind") in _DATED and "date_detail" not in merged:
            merged["date_detail"] = date_detail(month, day, language)
        done[key] = {k: clean_text(v) if isinstance(v, str) else v for k, v in merged.items()}
    return done


def date_detail(month: int, day: int | None, language: str) -> str:
    """Return a month and day as the language writes them: 'May 4', '4 de mayo', 'May'."""
    skeleton = "MMMMd" if day else "MMMM"
    return format_skeleton(skeleton, dt.date(2000, month, day or 1), locale=locale_for(language))


# ---- BibTeX ---------------------------------------------------------------------------------

_LATEX = LatexNodes2Text()
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bibtex(text: str, file: str) -> dict[str, Fields]:
    """Return the entries of a BibTeX file as Source fields by key."""
    library = parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    for block in library.failed_blocks:
        raise ValueError(f"BibTeX that bibtexparser can read ({file} line {_line(block)}: "
                         f"{_failure(block)})")  # fmt: skip
    return {entry.key: _bibtex_entry(entry, file) for entry in library.entries}


def _line(block: ParsingFailedBlock) -> int:
    return int(block.start_line or 0) + 1


def _failure(block: ParsingFailedBlock) -> str:
    if isinstance(block, DuplicateBlockKeyBlock):
        return f"the key {block.key!r} a second time"
    return "an entry broken off"


def _bibtex_entry(entry: Entry, file: str) -> Fields:
    """Return the Source fields of one BibTeX entry."""
    kind = BIBTEX_KINDS.get(entry.entry_type.lower())
    if kind is None:
        raise ValueError(
            f"entries of the types {', '.join(BIBTEX_KINDS)} ({file} line "
            f"{(entry.start_line or 0) + 1}: @{entry.entry_type}{{{entry.key}}})"
        )
    raw = {f.key.lower(): f.value for f in entry.fields}
    text = {k: _decode(v) for k, v in raw.items() if isinstance(v, str)}
    fields: Fields = {"kind": kind, "title": text.get("title", "")}
    for role in ("author", "editor", "translator"):
        if isinstance(raw.get(role), list):
            fields[role + "s"] = [_bibtex_name(n) for n in raw[role]]
    fields |= _bibtex_dates(text)
    fields |= _bibtex_places(entry.entry_type.lower(), kind, text)
    shorts = (
        ("short_title", "shorttitle"),
        ("edition", "edition"),
        ("container_short", "shortjournal"),
    )
    for ours, theirs in shorts:
        if text.get(theirs):
            fields[ours] = text[theirs]
    fields |= _links(raw.get("doi"), raw.get("url"))
    return fields


def _decode(value: str) -> str:
    """Return a BibTeX value as text: LaTeX accents and escapes decoded, braces dropped."""
    return " ".join(_LATEX.latex_to_text(value).split())


def _bibtex_name(name: Any) -> str:
    """Return 'Family, I. I.' (or a group's name) of bibtexparser's NameParts."""
    family = _decode(" ".join([*name.von, *name.last]))
    given = _decode(" ".join(name.first))
    suffix = _decode(" ".join(name.jr))
    return person(family, given, suffix)


def person(family: str, given: str, suffix: str = "") -> str:
    """Return 'Family, I. I., Jr.' from a family and given name; the family alone for a group."""
    if not given:
        return family
    initials = " ".join(
        "-".join(part[0].upper() + "." for part in word.split("-") if part)
        for word in re.split(r"[\s.]+", given)
        if word.strip("-")
    )
    return f"{family}, {initials}" + (f", {suffix}" if suffix else "")


def _bibtex_dates(text: Mapping[str, str]) -> Fields:
    """Return year, month and day (biblatex `date` or `year`/`month`) and the original year."""
    fields: Fields = {}
    date = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text.get("date", ""))
    year = re.search(r"\d{4}", text.get("year", ""))
    if date or year:
        fields["year"] = int(date.group(1) if date else year.group(0))  # type: ignore[union-attr]
    month = date.group(2) if date and date.group(2) else text.get("month", "")
    number = _month(month)
    if number:
        fields["_month"] = number
        day = date.group(3) if date and date.group(3) else text.get("day")
        if day and day.isdigit():
            fields["_day"] = int(day)
    original = re.search(r"\d{4}", text.get("origdate", "") or text.get("origyear", ""))
    if original:
        fields["original_year"] = int(original.group(0))
    return fields


def _month(value: str) -> int | None:
    value = value.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    return _MONTHS.index(value[:3]) + 1 if value[:3] in _MONTHS else None


def _bibtex_places(entry_type: str, kind: str, text: Mapping[str, str]) -> Fields:
    """Return where the work appeared: container, volume, issue, pages, publisher, number."""
    fields: Fields = {}
    container = text.get("journal") or text.get("journaltitle") or text.get("booktitle")
    if kind == "web":
        container = container or text.get("organization") or text.get("howpublished")
    if container and not container.startswith(("http://", "https://", "\\url")):
        fields["container"] = container
    for ours, theirs in (("volume", "volume"), ("pages", "pages")):
        if text.get(theirs):
            fields[ours] = text[theirs]
    number = text.get("number")
    if number:
        fields["issue" if kind == "journal" else "number"] = number
    publisher = text.get("publisher") or text.get("institution") or text.get("organization")
    if entry_type in _THESES or entry_type == "thesis":
        label = text.get("type") or _THESES.get(entry_type, "Doctoral dissertation")
        school = text.get("school") or text.get("institution")
        fields["description"] = f"{label}, {school}" if school else label
        publisher = None
    if publisher and kind != "web":
        fields["publisher"] = publisher
    return fields


def _links(doi: Any, url: Any) -> Fields:
    """Return the DOI (without its resolver) and the URL, as given."""
    fields: Fields = {}
    if isinstance(doi, str) and doi.strip():
        fields["doi"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I)
    if isinstance(url, str) and url.strip():
        fields["url"] = url.strip()
    return fields


# ---- CSL-JSON -------------------------------------------------------------------------------


def _csl_json(text: str, file: str) -> dict[str, Fields]:
    """Return the items of a CSL-JSON file (a list, or Zotero's {"items": [...]}) by id."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"CSL-JSON ({file} line {exc.lineno}: {exc.msg})") from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(f"CSL-JSON: a list of items with an id and a type ({file})")
    entries: dict[str, Fields] = {}
    for number, item in enumerate(items, 1):
        key = str(item.get("id", "")).strip()
        if not key or key in entries:
            what = "an id" if not key else f"the id {key!r} once"
            raise ValueError(f"CSL-JSON items with {what} ({file} item {number})")
        entries[key] = _csl_item(item, file, number)
    return entries


def _csl_item(item: Mapping[str, Any], file: str, number: int) -> Fields:
    """Return the Source fields of one CSL-JSON item."""
    kind = CSL_KINDS.get(str(item.get("type")))
    if kind is None:
        raise ValueError(
            f"items of the types {', '.join(CSL_KINDS)} ({file} item {number}: "
            f"type {item.get('type')!r})"
        )
    fields: Fields = {"kind": kind, "title": str(item.get("title", ""))}
    for role in ("author", "editor", "translator"):
        names = item.get(role)
        if isinstance(names, list):
            fields[role + "s"] = [_csl_name(n) for n in names if isinstance(n, dict)]
    fields |= _csl_dates(item)
    simple = {
        "short_title": "title-short",
        "container": "container-title",
        "container_short": "container-title-short",
        "volume": "volume",
        "issue": "issue",
        "pages": "page",
        "number": "number",
        "publisher": "publisher",
        "edition": "edition",
    }
    fields |= {ours: _text(item[theirs]) for ours, theirs in simple.items() if item.get(theirs)}
    if item.get("journalAbbreviation") and "container_short" not in fields:  # Zotero's own name
        fields["container_short"] = _text(item["journalAbbreviation"])
    if item.get("type") == "thesis":
        label = _text(item.get("genre") or "Doctoral dissertation")
        school = fields.pop("publisher", None)
        fields["description"] = f"{label}, {school}" if school else label
        if item.get("archive"):
            fields["publisher"] = _text(item["archive"])
    if kind == "web":
        fields.pop("publisher", None)
    return fields | _links(item.get("DOI"), item.get("URL"))


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _csl_name(name: Mapping[str, Any]) -> str:
    """Return 'Family, I. I.' of a CSL name, or its literal (a group)."""
    if name.get("literal"):
        return _text(name["literal"])
    particle = name.get("non-dropping-particle") or name.get("dropping-particle") or ""
    family = _text(f"{particle} {name.get('family', '')}")
    return person(family, _text(name.get("given", "")), _text(name.get("suffix", "")))


def _csl_dates(item: Mapping[str, Any]) -> Fields:
    """Return year, month and day of `issued`, and the year of `original-date`."""
    fields: Fields = {}
    issued = _date_parts(item.get("issued"))
    if issued:
        fields["year"] = issued[0]
        if len(issued) > 1:
            fields["_month"] = issued[1]
        if len(issued) > 2:
            fields["_day"] = issued[2]
    original = _date_parts(item.get("original-date"))
    if original:
        fields["original_year"] = original[0]
    return fields


def _date_parts(date: Any) -> list[int]:
    """Return [year, month, day] (as far as known) of a CSL date: date-parts or raw."""
    if not isinstance(date, dict):
        return []
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        return [int(p) for p in parts[0][:3] if str(p).isdigit()]
    raw = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(date.get("raw", "")))
    return [int(g) for g in raw.groups() if g] if raw else []
