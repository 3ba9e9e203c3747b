"""The offline analyser: well-kept libraries and the site's own catalogue, no network, small in memory."""

from __future__ import annotations

import datetime as dt
import re
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from statex.analysis import matching
from statex.analysis.catalogue import Catalogue
from statex.analysis.facts import find_facts
from statex.analysis.schema import AnalysisResult, Findings, Provenance, RecommendedService
from statex.analysis.steps import next_steps
from statex.analysis.stopwords import stopwords

# The site's languages and the portal's: a small set keeps the detector small in memory.
LANGUAGE_NAMES = {"ENGLISH": "en", "CZECH": "cs", "GERMAN": "de", "FRENCH": "fr"}
SUMMARY_SENTENCES = 3
KEYWORDS = 8
REQUIREMENTS = 10
# TextRank compares every pair of sentences: past this many its time and memory grow too fast, so the
# summary and keywords come from the text's start (the client's own words come first, attachments after).
RANKED_SENTENCES = 300
SURE = 0.5  # below this lingua confidence, a language hint wins
NOTHING_FITS = ("This request does not look like work we offer: none of our services fits it, so we recommend "
                "none. Our staff will still read it and answer.")
_WORD = re.compile(r"\w+", re.UNICODE)
# Sentences that say what the client needs, wants or expects, in our four languages.
NEED = re.compile(
    r"\b(we need|need to|needs to|i need|we want|we would like|we'd like|i would like|we are looking for"
    r"|looking for|must|should|has to|have to|required|requirement|expect|it is important"
    r"|chceme|chtěli bychom|chtěla bych|chtěl bych|potřebujeme|potřebuji|potřebovali bychom|musí|musíme"
    r"|měl[aoiy]? by|požadujeme|požadavek|hledáme|je nutné|je potřeba|je třeba|rádi bychom"
    r"|wir brauchen|benötigen|muss|müssen|soll|sollte|möchten|wir suchen"
    r"|nous avons besoin|il faut|doit|doivent|devrait|nous voulons|nous souhaitons|nous cherchons)\b",
    re.IGNORECASE)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGE_NAMES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str, hint: str | None = None) -> str:
    """The ISO 639-1 code of the text's language among ours; the hint (or English) when lingua is unsure."""
    fallback = hint if hint in LANGUAGE_NAMES.values() else "en"
    confidences = _detector().compute_language_confidence_values(text)
    if not confidences or confidences[0].value < SURE:
        return fallback
    return LANGUAGE_NAMES[confidences[0].language.name]


def keywords(text: str, language: str, top: int = KEYWORDS) -> list[str]:
    """Key phrases by YAKE, most relevant first, without short words or words of a phrase already kept."""
    import yake

    extractor = yake.KeywordExtractor(lan=language, n=2, top=top * 2, dedup_lim=0.7,
                                      stopwords=stopwords(language))
    kept: list[str] = []
    for phrase, _score in extractor.extract_keywords(text):
        words = set(phrase.lower().split())
        too_short = len(phrase) <= 3 and phrase.islower()  # "syn", "let": not acronyms such as "ERP"
        if not too_short and not any(words <= set(other.lower().split()) for other in kept):
            kept.append(phrase)
    return kept[:top]


def sentences(text: str) -> list[str]:
    """Sentences of the text, by segtok's rule-based splitter."""
    from segtok.segmenter import split_multi

    return [s.strip() for s in split_multi(text) if _WORD.search(s)]


def summarise(text: str, limit: int = SUMMARY_SENTENCES, found: list[str] | None = None) -> str:
    """TextRank: the sentences most similar to the others, kept in their original order."""
    found = sentences(text) if found is None else found
    if len(found) <= limit:
        return " ".join(found)
    import networkx

    words = [set(w.lower() for w in _WORD.findall(s) if len(w) > 2) for s in found]
    graph = networkx.Graph()
    graph.add_nodes_from(range(len(found)))
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            overlap = len(words[i] & words[j])
            if overlap:
                graph.add_edge(i, j, weight=overlap / (1 + len(words[i]) + len(words[j])))
    scores = networkx.pagerank(graph, weight="weight")
    best = sorted(sorted(scores, key=scores.get, reverse=True)[:limit])
    return " ".join(found[i] for i in best)


def requirements(text: str, limit: int = REQUIREMENTS, found: list[str] | None = None) -> list[str]:
    """The sentences that say what the client needs, in order, without repeats."""
    needs: list[str] = []
    for sentence in sentences(text) if found is None else found:
        if NEED.search(sentence) and sentence not in needs:
            needs.append(sentence if len(sentence) <= 400 else sentence[:399].rstrip() + "…")
        if len(needs) == limit:
            break
    return needs


def analyse(text: str, catalogue: Catalogue, language_hint: str | None = None,
            today: dt.date | None = None, cache_dir: Path | None = None) -> AnalysisResult:
    """Everything the offline analyser finds in `text`, with the time each step took.

    `cache_dir` keeps the catalogue's embeddings between processes (see statex.analysis.meaning).
    """
    durations: dict[str, float] = {}
    with _timed(durations, "total"):
        with _timed(durations, "language"):
            language = detect_language(text, language_hint)
        with _timed(durations, "summary"):
            found = sentences(text)
            head = found[:RANKED_SENTENCES]
            summary = summarise(text, found=head)
        with _timed(durations, "keywords"):
            found_keywords = keywords(" ".join(head), language)
        with _timed(durations, "requirements"):
            needs = requirements(text, found=found)
        with _timed(durations, "facts"):
            facts = find_facts(text, language, today)
        with _timed(durations, "services"):
            fits = matching.match(text, catalogue, language, cache_dir)
        findings = Findings(
            summary=summary, language=language, requirements=needs, facts=facts, keywords=found_keywords,
            recommended_services=[RecommendedService(slug=f.service.slug, title=f.service.title, url=f.service.url,
                                                     score=f.score) for f in fits],
            no_service_fits=bool(catalogue.services and text.strip() and not fits),
            next_steps=next_steps([f.service for f in fits], facts, language),
            category=fits[0].service.category if fits else None,
            category_confidence=fits[0].score if fits else 0.0,
        )
    notes = [catalogue.problem] if catalogue.problem else []
    if len(found) > RANKED_SENTENCES:
        notes.append(f"The text is long ({len(found):,} sentences): the summary and keywords were made from "
                     f"its first {RANKED_SENTENCES} sentences.")
    if not text.strip():
        notes.append("The request has no text to analyse.")
    elif findings.no_service_fits:
        notes.append(NOTHING_FITS)
    return AnalysisResult(**findings.model_dump(), notes=notes,
                          provenance=Provenance(provider="local", durations_ms=durations))


def warm_up(catalogue: Catalogue) -> None:
    """Load what the lexical steps use (language detector, keyword and sentence models, BM25 indexes)."""
    text = "Warm-up: we need invoices read by March 2027 in Prague."
    language = detect_language(text)
    keywords(text, language)
    requirements(text)
    find_facts(text, language)
    catalogue.strongest(text, language)


@contextmanager
def _timed(durations: dict[str, float], step: str):
    """Record how long the block took, in milliseconds, under `step`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        durations[step] = round((time.perf_counter() - started) * 1000, 1)
