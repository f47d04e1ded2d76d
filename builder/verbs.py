"""Observable action verbs for learning objectives, per language (used by `builder.checks`).

Measurable verbs follow Bloom's revised taxonomy (remember, understand, apply, analyze,
evaluate, create) plus the clinical skills CE programs teach; vague verbs are refused even
where a list would accept them. Languages without a list are checked against English.
"""

from __future__ import annotations

import re

from builder.i18n import primary

_ENGLISH = """
    recall recognize list name define label match identify locate memorize quote repeat
    reproduce retrieve state tell outline arrange order record cite select
    describe explain summarize paraphrase classify categorize compare contrast discuss
    distinguish differentiate exemplify illustrate infer interpret predict report restate
    review translate clarify characterize indicate relate represent
    apply demonstrate implement use employ execute solve calculate compute complete
    conduct perform practice role-play schedule sketch administer adapt adjust choose
    dramatize operate prepare modify show simulate respond screen document refer
    teach interview intervene facilitate model coach counsel treat manage monitor measure
    analyze analyse examine diagram deconstruct attribute organize investigate test
    discriminate question correlate map structure integrate detect trace determine
    evaluate assess appraise critique judge justify defend argue rate rank score prioritize
    recommend verify check decide support weigh validate grade conclude estimate
    create design develop construct compose draft produce propose formulate plan generate
    assemble devise invent reconstruct revise write build combine synthesize adapt
    establish collaborate negotiate advocate communicate
"""
_SPANISH = """
    recordar reconocer enumerar nombrar definir identificar señalar localizar citar
    mencionar listar relacionar reproducir
    describir explicar resumir parafrasear clasificar categorizar comparar contrastar
    distinguir diferenciar ejemplificar ilustrar inferir interpretar predecir informar
    traducir aclarar caracterizar exponer
    aplicar demostrar implementar utilizar usar emplear ejecutar resolver calcular realizar
    practicar dramatizar programar esbozar administrar adaptar ajustar elegir seleccionar
    preparar modificar mostrar simular responder cribar documentar derivar enseñar
    entrevistar intervenir facilitar acompañar tratar manejar gestionar monitorizar medir
    analizar examinar diagramar organizar investigar detectar determinar integrar
    evaluar valorar criticar juzgar justificar defender argumentar calificar clasificar
    priorizar recomendar verificar comprobar decidir fundamentar estimar jerarquizar
    crear diseñar desarrollar construir componer elaborar redactar producir proponer
    formular planificar planear generar ensamblar idear reconstruir revisar escribir
    establecer negociar comunicar
"""
_GERMAN = """
    nennen benennen aufzählen auflisten definieren wiedergeben erkennen identifizieren
    zitieren zuordnen angeben
    beschreiben erklären erläutern zusammenfassen umschreiben klassifizieren kategorisieren
    vergleichen gegenüberstellen unterscheiden abgrenzen veranschaulichen interpretieren
    deuten vorhersagen darstellen einordnen übersetzen charakterisieren begründen
    anwenden demonstrieren vorführen umsetzen einsetzen nutzen verwenden durchführen lösen
    berechnen üben planen skizzieren anpassen auswählen vorbereiten modifizieren zeigen
    simulieren reagieren screenen dokumentieren überweisen lehren anleiten moderieren
    intervenieren begleiten behandeln steuern messen erheben
    analysieren untersuchen prüfen herausarbeiten gliedern ordnen strukturieren ermitteln
    feststellen ableiten integrieren
    bewerten beurteilen einschätzen kritisieren rechtfertigen verteidigen argumentieren
    priorisieren empfehlen überprüfen entscheiden abwägen gewichten schätzen reflektieren
    entwickeln entwerfen gestalten konstruieren verfassen formulieren erstellen erarbeiten
    produzieren vorschlagen konzipieren rekonstruieren überarbeiten schreiben zusammenstellen
    kommunizieren verhandeln
"""
_FRENCH = """
    citer nommer énumérer lister définir identifier repérer reconnaître localiser
    reproduire associer
    décrire expliquer résumer reformuler classer catégoriser comparer distinguer
    différencier illustrer interpréter prédire rapporter traduire caractériser situer
    appliquer démontrer mettre utiliser employer exécuter résoudre calculer réaliser
    pratiquer conduire planifier esquisser administrer adapter ajuster choisir
    sélectionner préparer modifier montrer simuler répondre dépister documenter orienter
    enseigner animer intervenir accompagner traiter gérer mesurer
    analyser examiner schématiser organiser structurer détecter déterminer intégrer
    évaluer apprécier critiquer juger justifier défendre argumenter hiérarchiser
    prioriser recommander vérifier décider estimer
    créer concevoir développer construire composer élaborer rédiger produire proposer
    formuler générer assembler inventer reconstruire réviser écrire établir négocier
    communiquer
"""
ACTION_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(_ENGLISH.split()),
    "es": frozenset(_SPANISH.split()),
    "de": frozenset(_GERMAN.split()),
    "fr": frozenset(_FRENCH.split()),
}
VAGUE_VERBS: dict[str, tuple[str, ...]] = {
    "en": (
        "know",
        "understand",
        "learn",
        "appreciate",
        "become aware of",
        "become familiar with",
        "explore",
        "improve",
        "realize",
        "comprehend",
    ),
    "es": ("conocer", "entender", "comprender", "saber", "aprender", "apreciar",
           "familiarizarse", "tomar conciencia", "explorar", "mejorar"),
    "de": ("kennen", "kennenlernen", "verstehen", "wissen", "lernen", "erfahren",
           "nachvollziehen", "erkunden", "verbessern"),
    "fr": ("connaître", "comprendre", "savoir", "apprendre", "appréhender", "découvrir",
           "se familiariser", "prendre conscience", "explorer", "améliorer"),
}  # fmt: skip
EXAMPLES = {
    "en": "describe, identify, explain, compare, apply, list, distinguish",
    "es": "describir, identificar, explicar, comparar, aplicar, analizar, evaluar",
    "de": "beschreiben, erklären, benennen, unterscheiden, anwenden, analysieren, bewerten",
    "fr": "décrire, identifier, expliquer, comparer, appliquer, analyser, évaluer",
}
_WORD = re.compile(r"[\w’'-]+")
_ELIDED = re.compile(r"^(?:s|l|d)[’']")  # French "s’approprier": the verb follows


def verbs_known(language: str) -> bool:
    """Return whether the action verbs of language's objectives can be checked."""
    return primary(language) in ACTION_VERBS


def unknown_verbs(language: str) -> str:
    """Return the warning for objectives in a language whose verbs are not known."""
    known = ", ".join(sorted(ACTION_VERBS))
    return (
        f"expected objectives in a language whose action verbs are checked ({known}), got "
        f"{language!r}: make sure each starts with an observable action verb"
    )


def _catalogue(language: str) -> str:
    return primary(language) if primary(language) in ACTION_VERBS else "en"


def objective_verb_problem(text: str, language: str) -> str | None:
    """Return the vague or unknown word an objective starts with, None when its verb is fine.

    German may put its infinitive last ("… unterscheiden"), so there either end counts, and a
    separable verb's particle ends the imperative ("Wenden Sie … an").
    """
    lang = _catalogue(language)
    lowered = " ".join(text.lower().split())
    words = [_ELIDED.sub("", w) for w in _WORD.findall(lowered)] or [""]
    candidates = [words[0]]
    if lang == "de":
        candidates += [words[-2] if words[-1] == "können" and len(words) > 1 else words[-1]]
        candidates += [words[-1] + words[0]]  # a separable verb: "Wenden Sie … an" (anwenden)
    vague = _vague(lowered, candidates, lang)
    if vague:
        return vague
    return None if any(w in ACTION_VERBS[lang] for w in candidates) else words[0]


def _vague(lowered: str, candidates: list[str], lang: str) -> str | None:
    """Return a vague verb (one word or a phrase) at the start, or as a German candidate."""
    for vague in VAGUE_VERBS[lang]:
        if re.match(rf"{re.escape(vague)}\b", lowered) or vague in candidates:
            return vague
    return None


def expected_verbs(language: str) -> str:
    """Return the error's expectation: a few measurable verbs of the outline's language."""
    where = "first or last" if _catalogue(language) == "de" else "first"
    return f"expected an observable action verb {where} ({EXAMPLES[_catalogue(language)]}, ...)"
