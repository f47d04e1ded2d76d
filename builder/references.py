"""APA 7 reference-list entries and in-text citations of one source, from its structured fields.

`builder.bibliography` orders a whole list and tells each entry what only the list knows (its
year suffix, 2020a or n.d.-a, and how many names its citation needs); this module writes one
entry. Output is markup: every piece of user text is escaped and only <i> is added. The words
APA adds ("n.d.", "Eds.", "Trans.", "pp.") follow the outline's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from builder.i18n import Words, format_date, primary, words_for
from builder.model import Source


@dataclass(frozen=True)
class Terms:
    """The words of APA references in one language (CSL's locale terms, capitalized as APA)."""

    editor: str
    editors: str
    translator: str
    edition: str  # "{n} ed."
    pages: str  # "pp. {pages}"
    page: str  # "p. {page}"
    volume: str  # "Vol. {n}"
    within: str  # "In", before a chapter's book
    report: str  # "Report No. {n}"
    article: str  # "Article {n}"
    original: str  # "Original work published {year}"
    retrieved: str  # "Retrieved {date}, from {url}"


TERMS = {
    "en": Terms("Ed.", "Eds.", "Trans.", "{n} ed.", "pp. {pages}", "p. {page}", "Vol. {n}", "In",
                "Report No. {n}", "Article {n}", "Original work published {year}",
                "Retrieved {date}, from {url}"),
    "es": Terms("Ed.", "Eds.", "Trad.", "{n} ed.", "pp. {pages}", "p. {page}", "Vol. {n}", "En",
                "Informe N.º {n}", "Artículo {n}", "Trabajo original publicado en {year}",
                "Recuperado el {date} de {url}"),
    "de": Terms("Hrsg.", "Hrsg.", "Übers.", "{n} Aufl.", "S. {pages}", "S. {page}", "Bd. {n}",
                "In", "Bericht Nr. {n}", "Artikel {n}", "Originalwerk veröffentlicht {year}",
                "Abgerufen am {date}, von {url}"),
    "fr": Terms("Dir.", "Dir.", "Trad.", "{n} éd.", "p. {pages}", "p. {page}", "Vol. {n}", "Dans",
                "Rapport no {n}", "Article {n}", "Œuvre originale publiée en {year}",
                "Consulté le {date} à l'adresse {url}"),
}  # fmt: skip

# Kinds whose title is italic: stand-alone works. Parts of a whole (an article, a post, a
# chapter) keep their title roman and italicize the whole they are part of.
ITALIC_TITLES = frozenset(("book", "report", "web"))
_INITIALS = re.compile(r"^(?:\w{1,2}\.(?:[ -]?\w{1,2}\.)*)?(?:,? ?(?:Jr\.|Sr\.|II|III|IV))?$")
# Minor words of three letters or fewer stay lower case in title case (APA 7, 6.17)
_MINOR = frozenset(("a", "an", "the", "and", "but", "for", "nor", "or", "so", "yet", "as", "at",
                    "by", "in", "of", "off", "on", "per", "to", "up", "via", "if", "vs"))  # fmt: skip


def terms_for(language: str) -> Terms:
    """Return the APA words of language's primary subtag; English for a language we lack."""
    return TERMS.get(primary(language), TERMS["en"])


@dataclass(frozen=True)
class Name:
    """An author as the outline writes it: 'Family, I. I.' (a person) or a group's name."""

    family: str
    initials: str = ""  # "" for a group
    group: bool = False

    @property
    def initials_first(self) -> str:
        """Return 'I. I. Family' (editors and translators), a group's name as it is."""
        if self.group:
            return self.family
        given, _, suffix = self.initials.partition(", ")
        return " ".join(p for p in (given, self.family, suffix) if p)


def parse_name(text: str) -> Name:
    """Return the name of 'Family, I. I.'; text without initials after a comma is a group."""
    family, comma, rest = text.partition(",")
    rest = rest.strip()
    if comma and rest and _INITIALS.match(rest):
        return Name(family.strip(), rest)
    return Name(text.strip(), group=True)


def lead_names(source: Source) -> list[str]:
    """Return the names in the author position: the authors, else an edited book's editors."""
    return source.authors or (source.editors if source.kind == "book" else [])


def apa_authors(authors: list[str]) -> str:
    """Return authors joined the APA 7 way: 'A', 'A, & B', 'A, B, & C' (20 at most shown)."""
    if len(authors) <= 1:
        return "".join(authors)
    if len(authors) > 20:
        return ", ".join(authors[:19]) + ", . . . " + authors[-1]
    return ", ".join(authors[:-1]) + ", & " + authors[-1]


def _initials_first(names: list[str]) -> str:
    """Return 'A. A. One', 'A. One & B. Two' or 'A. One, B. Two, & C. Three'."""
    shown = [parse_name(n).initials_first for n in names]
    if len(shown) <= 2:
        return " & ".join(shown)
    return ", ".join(shown[:-1]) + ", & " + shown[-1]


def ordinal(n: str, language: str) -> str:
    """Return an edition number as the language writes it: '2nd', '2.ª', '2.', '2e'."""
    if not n.isdigit():
        return n
    value, lang = int(n), primary(language)
    if lang == "es":
        return f"{value}.ª"
    if lang == "de":
        return f"{value}."
    if lang == "fr":
        return "1re" if value == 1 else f"{value}e"
    ends = {1: "st", 2: "nd", 3: "rd"}
    return f"{value}{'th' if 10 <= value % 100 <= 20 else ends.get(value % 10, 'th')}"


def date_label(source: Source, t: Words, suffix: str = "") -> str:
    """Return the reference's date: '2012, May/June', '2020a', 'n.d.-b'."""
    if source.year is None:
        label = t("no_date") + (f"-{suffix}" if suffix else "")
    else:
        label = f"{source.year}{suffix}"
    return f"{label}, {source.date_detail}" if source.date_detail else label


def citation_date(source: Source, language: str, suffix: str = "") -> str:
    """Return the citation's date: '2021', '2020a', 'n.d.-a', '1900/2018' (translated)."""
    t = words_for(language)
    year = t("no_date") + (f"-{suffix}" if suffix else "") if source.year is None else ""
    year = year or f"{source.year}{suffix}"
    return f"{source.original_year}/{year}" if source.original_year else year


def _closed(text: Markup, last: str) -> Markup:
    """Return text ending in a period, unless its own last character already ends it."""
    return text if last.endswith((".", "?", "!")) else text + Markup(".")


def _italic(text: str) -> Markup:
    return Markup("<i>{}</i>").format(text)


def _pages(pages: str) -> str:
    return re.sub(r"\s*-{1,2}\s*", "\u2013", pages)


def _is_author(name: str | None, source: Source) -> bool:
    """Whether a publisher or site is the work's own (group) author: APA leaves it out."""
    own = {a.casefold() for a in source.authors}
    return name is not None and name.casefold() in own


def _author_element(source: Source, terms: Terms) -> Markup | None:
    """Return 'Family, I. I., & Other, O.' or 'Editor, E. (Ed.).'; None when there is none."""
    if source.authors:
        names = apa_authors(source.authors)
        return _closed(escape(names), names)
    if source.editors and source.kind == "book":
        role = terms.editor if len(source.editors) == 1 else terms.editors
        return Markup("{} ({}).").format(apa_authors(source.editors), role)
    return None


def _book_details(source: Source, terms: Terms, language: str, chapter: bool) -> str:
    """Return what APA puts in parentheses after a book's title: '(H. Weaver, Trans.; 2nd ed.)'."""
    roles = []
    if source.editors and source.authors and not chapter:
        role = terms.editor if len(source.editors) == 1 else terms.editors
        roles.append(f"{_initials_first(source.editors)}, {role}")
    if source.translators:
        roles.append(f"{_initials_first(source.translators)}, {terms.translator}")
    numbers = []
    if source.edition:
        numbers.append(terms.edition.format(n=ordinal(source.edition, language)))
    if source.volume and source.kind in ("book", "chapter", "report"):
        numbers.append(terms.volume.format(n=source.volume))
    if source.number and source.kind == "report":
        shown = source.number
        numbers.append(terms.report.format(n=shown) if _bare(shown) else shown)
    if chapter and source.pages:
        form = terms.page if _single(source.pages) else terms.pages
        numbers.append(form.format(page=source.pages, pages=_pages(source.pages)))
    return "; ".join([*roles, *([", ".join(numbers)] if numbers else [])])


def _bare(number: str) -> bool:
    """Whether a report number is only the number ('12', '18-2059'), without its own label."""
    return not re.search(r"[^\W\d_]{3,}", number)


def _single(pages: str) -> bool:
    return not re.search(r"[-\u2013,]", pages)


def _title_element(source: Source, terms: Terms, language: str) -> Markup:
    """Return the title, italic for a stand-alone work, with its details and description."""
    title = _italic(source.title) if source.kind in ITALIC_TITLES else escape(source.title)
    last = source.title
    details = "" if source.kind == "chapter" else _book_details(source, terms, language, False)
    if details:
        title, last = Markup("{} ({})").format(title, details), ")"
    if source.description:
        title, last = Markup("{} [{}]").format(title, source.description), "]"
    return _closed(title, last)


def _periodical(source: Source, terms: Terms) -> Markup | None:
    """Return '<i>Journal</i>, <i>58</i>(1), 133–149.' (a journal's or magazine's part)."""
    numbers = _italic(source.volume) if source.volume else Markup("")
    if source.issue:
        numbers += Markup("({})").format(source.issue)
    where = terms.article.format(n=source.number) if source.number else None
    where = where or (_pages(source.pages) if source.pages else None)
    parts = [_italic(source.container) if source.container else None, numbers, where]
    shown = [escape(p) for p in parts if p]
    return Markup(", ").join(shown) + Markup(".") if shown else None


def _chapter(source: Source, terms: Terms, language: str) -> Markup | None:
    """Return 'In E. Editor (Ed.), <i>Book</i> (2nd ed., pp. 10–20). Publisher.'"""
    if not source.container:
        return _publisher(source)
    book = _italic(source.container)
    details = _book_details(source, terms, language, True)
    if details:
        book = Markup("{} ({})").format(book, details)
    if source.editors:
        role = terms.editor if len(source.editors) == 1 else terms.editors
        editors = f"{_initials_first(source.editors)} ({role}),"
        book = Markup("{} {} {}").format(terms.within, editors, book)
    else:
        book = Markup("{} {}").format(terms.within, book)
    book = _closed(book, source.container if not details else ")")
    publisher = _publisher(source)
    return Markup("{} {}").format(book, publisher) if publisher else book


def _publisher(source: Source) -> Markup | None:
    if not source.publisher or _is_author(source.publisher, source):
        return None
    return _closed(escape(source.publisher), source.publisher)


def _source_element(source: Source, terms: Terms, language: str) -> Markup | None:
    """Return where the work appeared: journal, blog, website, book of a chapter, publisher."""
    if source.kind in ("journal", "magazine"):
        return _periodical(source, terms)
    if source.kind == "blog":
        return _closed(_italic(source.container), source.container) if source.container else None
    if source.kind == "web":
        site = source.container
        return None if not site or _is_author(site, source) else _closed(escape(site), site)
    if source.kind == "chapter":
        return _chapter(source, terms, language)
    return _publisher(source)


def _link(source: Source, terms: Terms, language: str) -> str | None:
    """Return the DOI as a URL, else the URL (with its retrieval date when the page changes)."""
    if source.doi:
        return f"https://doi.org/{source.doi}"
    if source.url and source.accessed:
        return terms.retrieved.format(date=format_date(source.accessed, language), url=source.url)
    return source.url


def apa_reference(source: Source, language: str = "en", suffix: str = "") -> Markup:
    """Return the source as an APA 7 reference-list entry (markup with <i>).

    suffix is the letter the whole list gives a work of the same author and year ('a').
    """
    terms = terms_for(language)
    date = Markup("({}).").format(date_label(source, words_for(language), suffix))
    title = _title_element(source, terms, language)
    author = _author_element(source, terms)
    parts: list[Markup | str | None] = [author, date, title] if author else [title, date]
    parts += [_source_element(source, terms, language), _link(source, terms, language)]
    if source.original_year:
        parts.append(f"({terms.original.format(year=source.original_year)})")
    return Markup(" ").join(escape(p) for p in parts if p)


def title_case(text: str) -> str:
    """Return text in APA title case: every word capitalized but short minor ones inside."""

    def word(w: str, first: bool) -> str:
        parts = w.split("-")
        return "-".join(_capital(p, first and i == 0) for i, p in enumerate(parts))

    words = text.split(" ")
    after_colon = [i == 0 or words[i - 1].endswith(":") for i in range(len(words))]
    return " ".join(word(w, after_colon[i]) for i, w in enumerate(words))


def _capital(word: str, first: bool) -> str:
    core = word.strip("“”\"'‘’()[]:;,.!?")
    if not core or not core[0].islower() or any(c.isupper() for c in core):
        return word  # capitalized already, or mixed case such as "iPhone"
    if core.casefold() in _MINOR and not first:
        return word
    at = word.index(core[0])
    return word[:at] + core[0].upper() + word[at + 1 :]


def short_title(source: Source, language: str) -> str:
    """Return the title a citation shows when there is no author: up to its colon, at most
    four words (or `short_title`), in title case for English."""
    if source.short_title:
        text = source.short_title
    else:
        words = source.title.split(":")[0].split()
        text = " ".join(words[:4] if len(words) > 6 else words).rstrip(",;:.")
    return title_case(text) if primary(language) == "en" else text


def citation_names(
    source: Source, language: str = "en", shown: int = 1, initials: bool = False
) -> Markup:
    """Return who a citation names: 'Bylsma et al.', 'Miller & Rollnick', a group, or the
    short title (italic or in quotation marks, as the reference sets it).

    shown is how many names come before 'et al.' (more when two works would read alike);
    initials adds the first author's initials (two first authors share a family name).
    """
    names = [parse_name(n) for n in lead_names(source)]
    if not names:
        title = short_title(source, language)
        if source.kind in ITALIC_TITLES:
            return _italic(title)
        return escape(words_for(language)("quoted", text=title))
    families = [n.family for n in names]
    if initials and not names[0].group:
        families[0] = names[0].initials_first
    if len(families) == 2 or (len(families) > 2 and shown >= len(families)):
        text = " & ".join(families) if len(families) == 2 else apa_authors(families)
    elif len(families) > 2:
        text = ", ".join(families[:shown]) + ("," if shown > 1 else "")
        text += " " + words_for(language)("et_al")
    else:
        text = families[0]
    return escape(text)


def citation_markup(
    source: Source, language: str = "en", suffix: str = "", shown: int = 1, initials: bool = False
) -> Markup:
    """Return the parenthetical citation without its parentheses: 'Von Glahn, 2012'."""
    date = citation_date(source, language, suffix)
    if lead_names(source) or source.kind in ITALIC_TITLES:
        return Markup("{}, {}").format(citation_names(source, language, shown, initials), date)
    # an untitled part of a whole: its short title in quotation marks ("Title," 2020)
    t = words_for(language)
    title = short_title(source, language)
    if primary(language) == "en":
        return Markup("{} {}").format(t("quoted", text=title + ","), date)
    return Markup("{}, {}").format(t("quoted", text=title), date)


def apa_citation(source: Source, language: str = "en") -> str:
    """Return the citation of a source alone, as plain text: 'Von Glahn, 2012'."""
    return citation_markup(source, language).striptags()
