"""The offline analyser: language, keywords and an extractive summary from well-kept libraries."""

from __future__ import annotations

import re
import time
from functools import lru_cache

import networkx
import yake
from lingua import Language, LanguageDetectorBuilder
from segtok.segmenter import split_multi

# The site's languages and the portal's: a small set keeps the detector small in memory.
LANGUAGES = {Language.ENGLISH: "en", Language.CZECH: "cs", Language.GERMAN: "de", Language.FRENCH: "fr"}
SUMMARY_SENTENCES = 3
KEYWORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language among ours, English when unsure."""
    language = _detector().detect_language_of(text)
    return LANGUAGES.get(language, "en")


def keywords(text: str, language: str, top: int = KEYWORDS) -> list[str]:
    """Key phrases by YAKE, most relevant first, without near-duplicates."""
    extractor = yake.KeywordExtractor(lan=language, n=2, top=top, dedupLim=0.7)
    return [phrase for phrase, _score in extractor.extract_keywords(text)]


def sentences(text: str) -> list[str]:
    """Sentences of the text, by segtok's rule-based splitter."""
    return [s.strip() for s in split_multi(text) if _WORD.search(s)]


def summarise(text: str, limit: int = SUMMARY_SENTENCES) -> str:
    """TextRank: the sentences most similar to the others, kept in their original order."""
    found = sentences(text)
    if len(found) <= limit:
        return " ".join(found)
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


def analyse(text: str) -> dict:
    """The result of analysing `text`, with how long it took."""
    started = time.perf_counter()
    language = detect_language(text)
    result = {
        "summary": summarise(text),
        "language": language,
        "keywords": keywords(text, language),
    }
    result["provenance"] = {"provider": "local", "model": None,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
    return result
