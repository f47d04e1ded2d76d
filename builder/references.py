"""APA 7 references and in-text citations, built from structured sources.

Output is markup for templates: every piece of user text is escaped, and only <i> is added.
The few words APA adds ("n.d.", "et al.", quotation marks) follow the outline's language.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from builder.i18n import Words, words_for
from builder.model import Source


def apa_authors(authors: list[str]) -> str:
    """Return authors joined the APA 7 way: 'A', 'A, & B', 'A, B, & C'."""
    if len(authors) <= 1:
        return "".join(authors)
    if len(authors) > 20:
        return ", ".join(authors[:19]) + ", . . . " + authors[-1]
    return ", ".join(authors[:-1]) + ", & " + authors[-1]


def _date(source: Source, t: Words) -> str:
    if source.year is None:
        return t("no_date")
    return f"{source.year}, {source.date_detail}" if source.date_detail else str(source.year)


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def apa_reference(source: Source, language: str = "en") -> Markup:
    """Return the source as an APA 7 reference-list entry (markup with <i>)."""
    date = f"({_date(source, words_for(language))})."
    title = escape(_end(source.title))
    if source.kind == "journal":
        title_part: Markup = title
    else:
        title_part = Markup("<i>{}</i>").format(title) if not source.container else title
    head = Markup("{} {} {}").format(escape(_end(apa_authors(source.authors))), date, title_part)
    if not source.authors:
        head = Markup("{} {}").format(title_part, date)
    parts = [head]
    container = _container(source)
    if container:
        parts.append(container)
    link = f"https://doi.org/{source.doi}" if source.doi else source.url
    if link:
        parts.append(escape(link))
    if source.note:
        parts.append(Markup("[{}]").format(_end(source.note)))
    return Markup(" ").join(parts)


def _container(source: Source) -> Markup:
    if not source.container:
        return Markup("")
    name = Markup("<i>{}</i>").format(source.container)
    if source.volume:
        name = Markup("{}, <i>{}</i>").format(name, source.volume)
    if source.issue:
        name = Markup("{}({})").format(name, source.issue)
    if source.pages:
        name = Markup("{}, {}").format(name, source.pages.replace("-", "\u2013"))
    return name + Markup(".")


def apa_citation(source: Source, language: str = "en") -> str:
    """Return the parenthetical in-text citation without parentheses: 'Von Glahn, 2012'."""
    t = words_for(language)
    year = t("no_date") if source.year is None else str(source.year)
    if not source.authors:
        words = source.title.split()
        short = " ".join(words[:4]) + ("\u2026" if len(words) > 4 else "")
        return f"{t('quoted', text=short)} {year}"
    families = [a.split(",")[0].strip() for a in source.authors]
    if len(families) == 1:
        names = families[0]
    elif len(families) == 2:
        names = f"{families[0]} & {families[1]}"
    else:
        names = f"{families[0]} {t('et_al')}"
    return f"{names}, {year}"


def reference_sort_key(source: Source) -> tuple[str, int]:
    """Return the key that orders a reference list (first author or title, then year)."""
    first = source.authors[0] if source.authors else source.title
    return (first.lower(), source.year or 0)
