"""AMA 11 reference-list entries of one source, from its structured fields.

`builder.bibliography` numbers the list in order of first citation; this module writes one
entry as the AMA Manual of Style (11th ed., ch. 3) does: "Surname AB", six authors then three
and "et al", abbreviated journal titles, "2015;12(3):45-67", "Publisher; Year", "Accessed Month
Day, Year". Output is markup: user text is escaped and only <i> is added. AMA is an English
style: its words (ed, trans, In:, Published, Accessed) and dates are English.
"""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup, escape

from builder.i18n import primary
from builder.journals import abbreviate
from builder.model import Source
from builder.references import ordinal, parse_name, title_case

# Stand-alone works: title italic, in title case. An article's, post's, page's or chapter's
# title stays roman, as written (sentence case).
ITALIC_TITLES = frozenset(("book", "report"))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
MAX_AUTHORS = 6  # more: the first three and "et al" (AMA 11, 3.6.1)


def ama_name(text: str) -> str:
    """Return 'Family AB' of 'Family, A. B.' (a suffix after: 'King ML Jr'); a group as it is."""
    name = parse_name(text)
    if name.group:
        return name.family
    given, _, suffix = name.initials.partition(", ")
    letters = re.sub(r"[.\s\-]", "", given)
    return " ".join(p for p in (name.family, letters, suffix.rstrip(".")) if p)


def ama_authors(names: list[str]) -> str:
    """Return names as AMA lists them: all up to six, else the first three and 'et al'."""
    shown = [ama_name(n) for n in names]
    if len(shown) > MAX_AUTHORS:
        shown = [*shown[:3], "et al"]
    return ", ".join(shown)


def english_date(day: dt.date) -> str:
    """Return 'July 3, 2019'."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def published(source: Source) -> str | None:
    """Return the work's date as AMA writes it: '2018', 'May 24, 2018', 'May/June 2012'."""
    if source.year is None:
        return None
    detail = source.date_detail
    if not detail:
        return str(source.year)
    return f"{detail}, {source.year}" if detail[-1].isdigit() else f"{detail} {source.year}"


def ama_pages(pages: str) -> str:
    """Return pages with hyphens and ranges written out: '1165-87' gives '1165-1187'."""
    return ", ".join(_range(p.strip()) for p in pages.split(","))


def _range(pages: str) -> str:
    first, dash, last = re.sub(r"\s*[-\u2013\u2014]{1,2}\s*", "-", pages).partition("-")
    if dash and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}" if dash else first


def _sentence(text: Markup | str) -> Markup:
    """Return text ending in a period, unless it ends in one, or in ? or !, already."""
    shown = escape(text)
    return shown if shown.striptags().endswith((".", "?", "!")) else shown + Markup(".")


def _italic(text: str) -> Markup:
    return Markup("<i>{}</i>").format(text)


def _role(names: list[str], one: str) -> str:
    """Return 'Gay P, ed.' or 'Lewis M, Haviland JM, eds.'."""
    return f"{ama_authors(names)}, {one}{'s' if len(names) > 1 and one == 'ed' else ''}."


def _author(source: Source) -> Markup | None:
    """Return the authors, an edited book's editors ('Gross JJ, ed.'), or None."""
    if source.authors:
        return _sentence(ama_authors(source.authors))
    if source.editors and source.kind == "book":
        return escape(_role(source.editors, "ed"))
    return None


def _title(source: Source, language: str) -> Markup:
    """Return the title: a book's or report's italic and in title case (in English)."""
    if source.kind not in ITALIC_TITLES:
        return _sentence(source.title)
    title = title_case(source.title) if primary(language) == "en" else source.title
    return _sentence(_italic(title))


def _book_parts(source: Source, editors: bool) -> list[Markup]:
    """Return what follows a book's title: editors, translators, volume and edition."""
    parts = []
    if editors and source.editors and source.authors:  # else they stand in the author's place
        parts.append(_role(source.editors, "ed"))
    if source.translators:
        parts.append(_role(source.translators, "trans"))
    if source.volume:
        parts.append(f"Vol {source.volume}.")
    if source.edition:
        shown = ordinal(source.edition, "en")
        parts.append(f"{shown} ed." if source.edition.isdigit() else _sentence(shown))
    return [escape(p) for p in parts]


def _imprint(source: Source, pages: str | None = None) -> Markup | None:
    """Return 'Publisher; 2013.' (a chapter's 'Publisher; 2001:199-211.')."""
    year = str(source.year) if source.year is not None else None
    text = "; ".join(p for p in (source.publisher, year) if p)
    if pages:
        text = f"{text}:{ama_pages(pages)}" if text else ama_pages(pages)
    return _sentence(text) if text else None


def _report_number(source: Source) -> Markup | None:
    """Return 'Report No. 12.' of a bare number, or the number as written ('NIH ... 18-2059.')."""
    if source.kind != "report" or not source.number:
        return None
    shown = source.number
    return _sentence(f"Report No. {shown}" if not re.search(r"[^\W\d_]{3,}", shown) else shown)


def _issue(source: Source, date: str | None) -> str:
    """Return '2021;58(1):133-149', '2016;(5):12-19', '2015;4:1' (an article number)."""
    text = date or ""
    numbers = (source.volume or "") + (f"({source.issue})" if source.issue else "")
    if numbers:
        text = f"{text};{numbers}" if text else numbers
    where = source.number or (ama_pages(source.pages) if source.pages else None)
    if where:
        text = f"{text}:{where}" if text else where
    return text


def _periodical(source: Source) -> list[Markup]:
    """Return '<i>J Soc Clin Psychol</i>. 2008;27(10):1165-1187.' (a magazine: 'June 15,
    2009;153(24):27.', or 'Published May/June 2012.' online without volume or pages)."""
    parts = [_sentence(_italic(_journal(source)))] if source.container else []
    if source.kind == "journal":
        date = str(source.year) if source.year is not None else None
    else:
        date = published(source)
    numbered = source.volume or source.issue or source.pages or source.number
    text = _issue(source, date) if numbered else date
    if text and not numbered and source.url:
        text = f"Published {text}"
    return parts + ([_sentence(text)] if text else [])


def _journal(source: Source) -> str:
    """Return a journal's NLM abbreviation (a magazine's or newspaper's name stays whole)."""
    name = source.container or ""
    if source.kind != "journal":
        return name
    return source.container_short or abbreviate(name)


def _online(source: Source) -> list[Markup]:
    """Return a page's or post's site (left out when it is the author) and 'Published ...'."""
    parts = []
    site = source.container
    if site and site.casefold() not in {a.casefold() for a in source.authors}:
        parts.append(_sentence(site))
    date = published(source)
    return parts + ([_sentence(f"Published {date}")] if date else [])


def _chapter(source: Source, language: str) -> list[Markup]:
    """Return 'In: Vingerhoets AJJM, Cornelius RR, eds. <i>Adult Crying</i>. Publisher;
    2001:199-211.'"""
    within = Markup("In:")
    if source.editors:
        within = Markup("{} {}").format(within, _role(source.editors, "ed"))
    if source.container:
        book = title_case(source.container) if primary(language) == "en" else source.container
        within = Markup("{} {}").format(within, _sentence(_italic(book)))
    imprint = _imprint(source, source.pages)
    return [within, *_book_parts(source, False), *([imprint] if imprint else [])]


def _body(source: Source, language: str) -> list[Markup]:
    """Return what follows the title: where the work appeared, by kind."""
    if source.kind in ("journal", "magazine"):
        return _periodical(source)
    if source.kind in ("blog", "web"):
        return _online(source)
    if source.kind == "chapter":
        return _chapter(source, language)
    imprint, number = _imprint(source), _report_number(source)
    return [*_book_parts(source, True), *(p for p in (imprint, number) if p)]


def _link(source: Source) -> list[Markup]:
    """Return 'doi:10.1037/pst0000342', else 'Accessed July 3, 2019.' and the URL."""
    if source.doi:
        return [escape(f"doi:{source.doi}")]
    accessed = [_sentence(f"Accessed {english_date(source.accessed)}")] if source.accessed else []
    return accessed + ([escape(source.url)] if source.url else [])


def ama_reference(source: Source, language: str = "en") -> Markup:
    """Return the source as an AMA 11 reference-list entry, without its number (markup)."""
    author = _author(source)
    parts = [author] if author else []
    parts.append(_title(source, language))
    if source.description:
        parts.append(_sentence(source.description))
    parts += _body(source, language)
    if source.original_year:
        parts.append(escape(f"Originally published {source.original_year}."))
    return Markup(" ").join(parts + _link(source))
