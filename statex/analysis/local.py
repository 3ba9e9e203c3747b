"""The offline analyser: well-kept libraries and the site's own catalogue, no network, small in memory."""

from __future__ import annotations

import datetime as dt
import re
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from statex import categories
from statex.analysis import matching, summary
from statex.analysis.catalogue import Catalogue
from statex.analysis.conflicts import stated
from statex.analysis.facts import find_facts
from statex.analysis.schema import AnalysisResult, Findings, Provenance, RecommendedService
from statex.analysis.sources import Source, joined
from statex.analysis.steps import next_steps
from statex.analysis.stopwords import stopwords
from statex.vocabulary import LANGUAGES

# lingua's name → our code, for our languages only: a small set keeps the detector small in memory.
LANGUAGE_NAMES = {language.english.upper(): code for code, language in LANGUAGES.items()}
SUMMARY_SENTENCES = 3
KEYWORDS = 8
REQUIREMENTS = 10
# TextRank compares every pair of sentences: past this many its time and memory grow too fast, so the
# summary and keywords come from each source's start, the number shared among the sources.
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
    """Sentences of the text, by segtok's rule-based splitter, paragraph by paragraph."""
    from segtok.segmenter import split_multi

    return [s.strip() for paragraph in paragraphs(text) for s in split_multi(paragraph) if _WORD.search(s)]


def paragraphs(text: str) -> list[str]:
    """The text's lines, a line that goes on in lower case joined to the one before (PDFs wrap lines).

    Documents often have paragraphs, headings and table rows with no full stop: each is its own line.
    """
    found: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if found and line[0].islower() and found[-1][-1] not in ".!?:;":
            found[-1] += " " + line
        else:
            found.append(line)
    return found


def summarise(text: str, limit: int = SUMMARY_SENTENCES, found: list[str] | None = None) -> str:
    """TextRank: the sentences most similar to the others, kept in their original order."""
    found = sentences(text) if found is None else found
    if len(found) <= limit:
        return " ".join(found)
    scores = rank(found)
    best = sorted(sorted(scores, key=scores.get, reverse=True)[:limit])
    return " ".join(found[i] for i in best)


def rank(found: list[str]) -> dict[int, float]:
    """TextRank's score of each sentence (by index): PageRank over the words they share."""
    import networkx

    words = [set(w.lower() for w in _WORD.findall(s) if len(w) > 2) for s in found]
    graph = networkx.Graph()
    graph.add_nodes_from(range(len(found)))
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            overlap = len(words[i] & words[j])
            if overlap:
                graph.add_edge(i, j, weight=overlap / (1 + len(words[i]) + len(words[j])))
    return networkx.pagerank(graph, weight="weight")


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
    """Everything the offline analyser finds in `text`, a request of one source (see `analyse_sources`)."""
    return analyse_sources([Source("description", text)], catalogue, language_hint, today, cache_dir)


def analyse_sources(sources: list[Source], catalogue: Catalogue, language_hint: str | None = None,
                    today: dt.date | None = None, cache_dir: Path | None = None) -> AnalysisResult:
    """Everything the offline analyser finds in a request's sources (in the order given), with each step's time.

    `cache_dir` keeps the catalogue's embeddings between processes (see statex.analysis.meaning).
    """
    durations: dict[str, float] = {}
    text = joined(sources)
    with _timed(durations, "total"):
        with _timed(durations, "language"):
            language = detect_language(text, language_hint)
        with _timed(durations, "services"):
            fits = matching.match(text, catalogue, language, cache_dir)
        with _timed(durations, "summary"):
            parts = [sentences(s.text) for s in sources]
            found = [sentence for part in parts for sentence in part]
            ranked = _ranked(sources, parts)
            written = _summary(sources, ranked, fits[0].service.title if fits else None, language)
        with _timed(durations, "keywords"):
            found_keywords = _keywords(ranked, sources, text, language)
        with _timed(durations, "requirements"):
            needs = _requirements(parts)
        with _timed(durations, "facts"):
            facts = find_facts(text, language, today)
            facts.budget, facts.deadline, conflicts = stated(sources, language, today)
        findings = Findings(
            summary=written, language=language, requirements=needs, facts=facts, keywords=found_keywords,
            conflicts=conflicts,
            recommended_services=[RecommendedService(slug=f.service.slug, title=f.service.title, url=f.service.url,
                                                     score=f.score) for f in fits],
            no_service_fits=bool(catalogue.services and text.strip() and not fits),
            next_steps=next_steps([f.service for f in fits], facts, language),
            category=categories.key_for(fits[0].service.category) if fits else None,
            category_confidence=fits[0].score if fits else 0.0,
        )
    return AnalysisResult(**findings.model_dump(), notes=_notes(catalogue, sources, text, len(found), findings),
                          provenance=Provenance(provider="local", durations_ms=durations))


def _ranked(sources: list[Source], parts: list[list[str]]) -> list[list[str]]:
    """Each source's prose sentences, the whole cut to RANKED_SENTENCES shared fairly among the sources.

    What the client wrote or said counts even when it is short ("Need a chatbot."); a file's table does not.
    """
    prose = [[s for s in part if summary.is_prose(s)] or (part if source.kind != "file" else [])
             for source, part in zip(sources, parts)]
    shares, left = [0] * len(prose), RANKED_SENTENCES
    for done, index in enumerate(sorted(range(len(prose)), key=lambda i: len(prose[i]))):
        shares[index] = min(len(prose[index]), left // (len(prose) - done))
        left -= shares[index]
    return [part[:share] for part, share in zip(prose, shares)]


def _summary(sources: list[Source], ranked: list[list[str]], title: str | None, language: str) -> str:
    """The lead sentence on the whole request, then its most central sentences from across its sources.

    A description alone is summarised by its own sentences, as written.
    """
    plain = len(sources) <= 1 and all(s.kind == "description" for s in sources)
    flat = [sentence for part in ranked for sentence in part]
    if len(flat) <= SUMMARY_SENTENCES and len(ranked) <= 1:
        chosen = list(range(len(flat)))
    else:
        needs = {i for i, sentence in enumerate(flat) if NEED.search(sentence)}
        scores = rank(flat) if len(flat) > 1 else {i: 1.0 for i in range(len(flat))}
        chosen = summary.pick(ranked, scores, needs, SUMMARY_SENTENCES)
    picked = [flat[i] if plain else summary.as_sentence(flat[i]) for i in chosen]
    return " ".join(filter(None, [summary.lead(sources, title, language), *picked]))


def _keywords(ranked: list[list[str]], sources: list[Source], text: str, language: str) -> list[str]:
    """Key phrases of the request's prose: none a file's name, a label or a currency."""
    names, codes = summary.file_words(sources), summary.money_codes(text)
    # Full stops between sentences: a heading or table cell without one is no phrase with the next line.
    prose = " ".join(summary.as_sentence(s) for part in ranked for s in part)
    phrases = keywords(prose, language, top=KEYWORDS * 2)
    return [p for p in phrases if summary.keyword_allowed(p, names, codes)][:KEYWORDS]


def _requirements(parts: list[list[str]]) -> list[str]:
    """The needs each source states, every source's first ones kept when there are more than REQUIREMENTS."""
    stated = [requirements("", limit=REQUIREMENTS, found=part) for part in parts]
    kept: list[set[int]] = [set() for _ in stated]
    for turn in range(REQUIREMENTS):  # one from each source in turn, so no source's needs are crowded out
        for index, needs in enumerate(stated):
            if turn < len(needs) and sum(map(len, kept)) < REQUIREMENTS:
                kept[index].add(turn)
    found: list[str] = []
    for index, needs in enumerate(stated):
        found += [need for turn, need in enumerate(needs) if turn in kept[index] and need not in found]
    return found


def _notes(catalogue: Catalogue, sources: list[Source], text: str, sentence_count: int,
           findings: Findings) -> list[str]:
    """What the reader should know about how the analysis was made."""
    notes = [catalogue.problem] if catalogue.problem else []
    if sentence_count > RANKED_SENTENCES:
        share = (f"its first {RANKED_SENTENCES} sentences" if len(sources) == 1 else
                 f"{RANKED_SENTENCES} of them, taken from the start of each of its parts")
        notes.append(f"The text is long ({sentence_count:,} sentences): the summary and keywords were made from "
                     f"{share}.")
    notes += [s.caveat for s in sources if s.caveat]
    if not text.strip():
        notes.append("The request has no text to analyse.")
    elif findings.no_service_fits:
        notes.append(NOTHING_FITS)
    return notes


def warm_up(catalogue: Catalogue) -> None:
    """Load what the lexical steps use (language detector, keyword and sentence models, BM25 indexes, CLDR)."""
    text = "Warm-up: we need invoices read by March 2027 in Prague."
    language = detect_language(text)
    keywords(text, language)
    requirements(text)
    find_facts(text, language)
    catalogue.strongest(text, language)
    summary.currency_codes()
    summary.lead([Source("description", text), Source("voice", text, dt.datetime.now(dt.UTC))], None, language)


@contextmanager
def _timed(durations: dict[str, float], step: str):
    """Record how long the block took, in milliseconds, under `step`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        durations[step] = round((time.perf_counter() - started) * 1000, 1)
