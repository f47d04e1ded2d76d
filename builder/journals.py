"""Journal titles abbreviated as the NLM Catalog abbreviates them, for AMA references.

The NLM's abbreviations follow ISO 4: each word by its abbreviation in the List of Title Word
Abbreviations, articles, conjunctions and prepositions dropped, a subtitle left out. We hold
the words of the journals our field cites most; a title with any word we do not hold stays
whole (AMA writes a journal the NLM does not list in full), and `container_short` in the
outline gives any journal's own abbreviation.
"""

from __future__ import annotations

import re

# Title word: its NLM abbreviation (the word itself when the NLM keeps it whole)
WORDS = {
    "abnormal": "Abnorm", "abuse": "Abuse", "academy": "Acad", "addiction": "Addict",
    "adolescent": "Adolesc", "adolescence": "Adolesc", "advanced": "Adv", "affective": "Affect",
    "alcohol": "Alcohol", "american": "Am", "annals": "Ann", "annual": "Annu", "anxiety": "Anxiety",
    "applied": "Appl", "archives": "Arch", "behavior": "Behav", "behaviour": "Behav",
    "behavioral": "Behav", "behavioural": "Behav", "biological": "Biol", "british": "Br",
    "bulletin": "Bull", "cancer": "Cancer", "care": "Care", "child": "Child", "clinical": "Clin",
    "cognition": "Cogn", "cognitive": "Cogn", "community": "Community", "consulting": "Consult",
    "counseling": "Couns", "counselling": "Couns", "death": "Death", "dependence": "Depend",
    "depression": "Depress", "development": "Dev", "developmental": "Dev", "disease": "Dis",
    "diseases": "Dis", "disorder": "Disord", "disorders": "Disord", "drug": "Drug",
    "dynamics": "Dyn", "education": "Educ", "emotion": "Emot", "england": "Engl",
    "european": "Eur", "evolutionary": "Evol", "experimental": "Exp", "family": "Fam",
    "frontiers": "Front", "general": "Gen", "geriatric": "Geriatr", "gerontology": "Gerontol",
    "group": "Group", "health": "Health", "integration": "Integr", "internal": "Intern",
    "international": "Int", "journal": "J", "management": "Manage", "marital": "Marital",
    "medical": "Med", "medicine": "Med", "mental": "Ment", "motivation": "Motiv",
    "national": "Natl", "nervous": "Nerv", "neurology": "Neurol", "neuroscience": "Neurosci",
    "new": "N", "nurse": "Nurse", "nursing": "Nurs", "oncology": "Oncol", "pain": "Pain",
    "palliative": "Palliat", "pediatric": "Pediatr", "personality": "Pers", "practice": "Pract",
    "proceedings": "Proc", "psychiatric": "Psychiatr", "psychiatry": "Psychiatry",
    "psychological": "Psychol", "psychologist": "Psychol", "psychology": "Psychol",
    "psychopathology": "Psychopathol", "psychosomatic": "Psychosom",
    "psychotherapy": "Psychother", "public": "Public", "quarterly": "Q", "research": "Res",
    "review": "Rev", "reviews": "Rev", "science": "Sci", "sciences": "Sci", "services": "Serv",
    "social": "Soc", "stress": "Stress", "studies": "Stud", "substance": "Subst",
    "symptom": "Symptom", "systematic": "Syst", "therapy": "Ther", "therapies": "Ther",
    "trauma": "Trauma", "traumatic": "Trauma", "women": "Women", "work": "Work",
}  # fmt: skip
DROPPED = frozenset(("a", "an", "the", "and", "&", "of", "for", "in", "on", "to", "with"))


def abbreviate(title: str) -> str:
    """Return the NLM abbreviation of a journal title, or the title whole when a word is not
    in our list or only one word would be left ('Psychotherapy' stays as it is)."""
    words = [w for w in re.split(r"[\s,]+", title.split(":")[0]) if w]
    kept = [w for w in words if w.casefold() not in DROPPED]
    if len(kept) < 2:
        return title
    shown = [w if w.isupper() else WORDS.get(w.casefold(), "") for w in kept]
    return title if "" in shown else " ".join(shown)
