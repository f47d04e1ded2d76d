"""A whole reference list in the outline's citation style, and the citations that point into it.

What one entry cannot know alone is decided here, once for every output, so the list and the
citations always agree. APA 7 (`apa`): the order (authors letter by letter, n.d. first, then by
year and title), 2020a/2020b and n.d.-a/n.d.-b, more names before "et al." when two works would
read alike, and a first author's initials when two first authors share a family name;
`builder.references` writes each entry. AMA 11 (`ama`): the list numbered in order of first
citation (sources never cited follow in the outline's order), each citation its number;
`builder.ama` writes each entry.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from markupsafe import Markup

from builder.ama import ama_reference
from builder.model import Source, Workshop
from builder.references import (
    apa_reference,
    citation_date,
    citation_markup,
    citation_names,
    lead_names,
    parse_name,
)

STYLES = ("apa", "ama")
_ARTICLES = ("the ", "a ", "an ")

NameKey = tuple[str, str]
SortKey = tuple[tuple[NameKey, ...], tuple[int, int], str]


class Bibliography:
    """The references of a workshop: their order, entries and citations, in one style."""

    def __init__(
        self,
        sources: Mapping[str, Source],
        language: str = "en",
        style: str = "apa",
        cited: Sequence[str] = (),
    ) -> None:
        """Order sources in style; cited is the keys in order of citation (AMA numbers by it)."""
        if style not in STYLES:
            raise ValueError(f"expected a citation style of {', '.join(STYLES)}, got {style!r}")
        self.language, self.style = language, style
        self._sources = dict(sources)
        if style == "ama":
            self._keys = list(dict.fromkeys(k for k in cited if k in self._sources))
            self._keys += [k for k in self._sources if k not in self._keys]
        else:
            self._keys = sorted(self._sources, key=lambda k: sort_key(self._sources[k]))
        self._number = {k: i for i, k in enumerate(self._keys, 1)}
        self._suffix = _year_suffixes(self._keys, self._sources)
        self._shown = _names_shown(self._sources, self._suffix)
        self._initials = _initials_needed(self._sources)
        self._by_id = {id(s): k for k, s in self._sources.items()}

    def sorted_keys(self) -> list[str]:
        """Return the source keys in reference-list order."""
        return list(self._keys)

    def key_of(self, source: Source) -> str | None:
        """Return the key of this very source object, or None when it is not in the list."""
        return self._by_id.get(id(source))

    @property
    def numbered(self) -> bool:
        """Whether the list is numbered and citations are numbers (AMA)."""
        return self.style == "ama"

    def number(self, key: str) -> int:
        """Return key's place in the list, from 1 (AMA's reference number)."""
        return self._number[key]

    def reference(self, key: str) -> Markup:
        """Return the reference-list entry of key (markup with <i>); AMA's starts '1. '."""
        if self.numbered:
            entry = ama_reference(self._sources[key], self.language)
            return Markup("{}. {}").format(self._number[key], entry)
        return apa_reference(self._sources[key], self.language, self._suffix[key])

    def citation(self, key: str) -> Markup:
        """Return the citation of key without parentheses: 'Miller, 2020a' (APA), '3' (AMA)."""
        if self.numbered:
            return Markup(str(self._number[key]))
        source = self._sources[key]
        return citation_markup(
            source, self.language, self._suffix[key], self._shown[key], key in self._initials
        )

    def citation_text(self, key: str) -> str:
        """Return the citation of key as plain text (for attributes and plain-text outputs)."""
        return self.citation(key).striptags()

    def citation_parts(self, key: str) -> tuple[str, str]:
        """Return a citation's names and date apart, as plain text: ('Von Glahn', 'n.d.');
        AMA's number stands in the date's place: ('Von Glahn', '3')."""
        source = self._sources[key]
        names = citation_names(source, self.language, self._shown[key], key in self._initials)
        if self.numbered:
            return names.striptags(), str(self._number[key])
        return names.striptags(), citation_date(source, self.language, self._suffix[key])


def bibliography_of(w: Workshop) -> Bibliography:
    """Return the workshop's reference list in its citation style, numbered (AMA) in the
    order its outputs first cite each source."""
    return Bibliography(w.sources, w.program.language, w.citation_style, citation_order(w))


def citation_order(w: Workshop) -> list[str]:
    """Return the keys the outline cites, each once, in the order the handout and the deck
    show them: section by section, the research view's findings after the section marked
    `research` (else after the agenda)."""
    return list(dict.fromkeys(_cites(w)))


def _cites(w: Workshop) -> Iterator[str]:
    findings = [f.cite for f in w.research.findings if f.cite]
    for section in w.agenda:
        yield from (c for b in section.blocks if (c := getattr(b, "cite", None)))
        if section.research:
            yield from findings
    if not any(s.research for s in w.agenda):
        yield from findings


def _letters(text: str) -> str:
    """Return text reduced to what APA alphabetizes: letters and digits, accents dropped."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c))


def _significant(text: str) -> str:
    """Return text without a leading article ('The Center' sorts under C)."""
    lowered = text.casefold()
    return next((text[len(a) :] for a in _ARTICLES if lowered.startswith(a)), text)


def _name_key(text: str) -> NameKey:
    name = parse_name(text)
    family = _significant(name.family) if name.group else name.family
    return (_letters(family), _letters(name.initials))


def _lead(source: Source) -> tuple[NameKey, ...]:
    """Return what stands in the author position, as sort keys: authors, editors or title."""
    names = lead_names(source)
    if names:
        return tuple(_name_key(n) for n in names)
    return ((_letters(_significant(source.title)), ""),)


def sort_key(source: Source) -> SortKey:
    """Return the key of APA 7's order: names letter by letter (nothing precedes something,
    so one author before the same author with others), then n.d., then years, then title."""
    year = (0, 0) if source.year is None else (1, source.year)
    return (_lead(source), year, _letters(_significant(source.title)))


def _suffix(n: int) -> str:
    """Return the n-th year suffix: a ... z, then aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[n] if n < 26 else _suffix(n // 26 - 1) + letters[n % 26]


def _year_suffixes(keys: list[str], sources: Mapping[str, Source]) -> dict[str, str]:
    """Return each key's suffix: works with the same names and year get a, b, ... in list order."""
    groups: dict[tuple[tuple[NameKey, ...], int | None], list[str]] = defaultdict(list)
    for key in keys:
        groups[(_lead(sources[key]), sources[key].year)].append(key)
    suffixes = dict.fromkeys(keys, "")
    for members in groups.values():
        if len(members) > 1:
            suffixes.update({key: _suffix(i) for i, key in enumerate(members)})
    return suffixes


def _families(source: Source) -> list[str]:
    return [parse_name(n).family for n in lead_names(source)]


def _names_shown(sources: Mapping[str, Source], suffixes: Mapping[str, str]) -> dict[str, int]:
    """Return how many names each citation shows before 'et al.' (APA 7, 8.18).

    Two works whose first names and year are the same get as many names as tell them apart;
    when only one name would be left for "et al.", all are written.
    """
    shown: dict[str, int] = {}
    for key, source in sources.items():
        families, date = _families(source), (source.year, suffixes[key])
        rivals = [
            _families(other)
            for k, other in sources.items()
            if k != key and (other.year, suffixes[k]) == date and len(_families(other)) > 2
        ]
        rivals = [r for r in rivals if r != families]
        n = 1
        while n < len(families) and any(r[:n] == families[:n] for r in rivals):
            n += 1
        shown[key] = len(families) if n > 1 and n >= len(families) - 1 else n
    return shown


def _initials_needed(sources: Mapping[str, Source]) -> set[str]:
    """Return the keys whose first author shares a family name with another first author
    (APA 7, 8.20: their citations give initials: 'J. Smith, 2020')."""
    firsts = {k: parse_name(lead_names(s)[0]) for k, s in sources.items() if lead_names(s)}
    people = {k: n for k, n in firsts.items() if not n.group}
    by_family: dict[str, set[str]] = defaultdict(set)
    for name in people.values():
        by_family[name.family.casefold()].add(_letters(name.initials))
    return {k for k, n in people.items() if len(by_family[n.family.casefold()]) > 1}
