"""Which of our services a request asks for, or that none does: meaning first, the catalogue's words second.

Each service is represented by what its pages say (title, summary, keywords, deliverables, paragraphs) and by
the requests its pages list in clients' own words (`Requests:`), in every language the site has. A request is
scored against each service by the mean cosine similarity of its embedding to those texts, and against the
kinds of work we don't sell (`not_offered`). It is recommended a service only when that service is closer
than anything we don't sell, or when the catalogue's own words (BM25) point at the same service strongly.

The constants were calibrated with `bench/matching.py` on the odd lines of its labelled set (120+ requests in
EN, CS, DE and FR); the even lines are the held-out check. e5's similarities are compressed (0.78–0.90), so
the margins are small numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from statex.analysis import meaning, not_offered
from statex.analysis.catalogue import Catalogue, Service

DESCRIPTION_WEIGHT = 0.25  # the pages' own texts, beside the requests they list
MARGIN = -0.03  # how much closer to a service than to work we don't sell a request must be, at least
STRONG_WORDS = 8.0  # a BM25 score this high naming the same service is evidence enough on its own
WORDS_WEIGHT = 0.02  # the catalogue's words (BM25 shares, 0 to 1) break the embeddings' near ties in the ranking
SCORE_SPAN = 0.06  # the margin above MARGIN at which a fit is shown as complete (score 1.0)
TOP = 3
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Fit:
    """A service and how well a request fits it: `score` from 0 to 1, 0.5 at the line where we would abstain."""

    service: Service
    score: float


def match(text: str, catalogue: Catalogue, language: str, cache_dir: Path | None = None) -> list[Fit]:
    """The services that fit `text`, best first (at most three); [] when it asks for work we don't sell."""
    slugs = sorted({service.slug for service in catalogue.services})
    if not slugs or not text.strip():
        return []
    vectors = _Vectors.of(catalogue, cache_dir)
    query = meaning.queries([text])[0]
    described = _means(vectors.pieces @ query, vectors.piece_slugs, slugs)
    asked = _means(vectors.requests @ query, vectors.request_slugs, slugs)
    fit = np.where(np.isnan(asked), described, asked) + DESCRIPTION_WEIGHT * described  # pages without Requests
    nearest_elsewhere = max(float((vectors.outside_passages @ query).max()),
                            float((vectors.outside_queries @ query).max()))
    shares = {service.slug: share for service, share in catalogue.fit(text, language)}
    words = np.array([shares.get(slug, 0.0) for slug in slugs])
    margins = fit / (1 + DESCRIPTION_WEIGHT) - nearest_elsewhere
    nearest = int(np.argmax(margins))
    if margins[nearest] <= MARGIN and not _words_agree(catalogue, text, language, slugs[nearest]):
        return []
    order = [int(i) for i in np.argsort(-(margins + WORDS_WEIGHT * words))]  # the words rank, never admit
    best = order[0]
    pages = {service.slug: service for service in catalogue.in_language(language)}
    kept = [i for i in order[:TOP] if i == best or margins[i] > MARGIN]
    return [Fit(pages[slugs[i]], _score(margins[i])) for i in kept]


def prepare(catalogue: Catalogue, cache_dir: Path | None) -> None:
    """Encode the catalogue now (or read it from the cache), so that no request waits for it."""
    if catalogue.services:
        _Vectors.of(catalogue, cache_dir)


def _score(margin: float) -> float:
    """The margin as a fit from 0 to 1: 0.5 at the abstention line, 1 at SCORE_SPAN above it."""
    return round(float(np.clip(0.5 + (margin - MARGIN) / (2 * SCORE_SPAN), 0.0, 1.0)), 3)


def _means(similarities: np.ndarray, owners: tuple[str, ...], slugs: list[str]) -> np.ndarray:
    """The mean similarity per slug, in `slugs` order; NaN for a slug with no rows."""
    owners_array = np.array(owners)
    return np.array([similarities[owners_array == slug].mean() if slug in owners else np.nan for slug in slugs])


def _words_agree(catalogue: Catalogue, text: str, language: str, slug: str) -> bool:
    """Whether the catalogue's own words point strongly at the same service."""
    service, strength = catalogue.strongest(text, language)
    return service is not None and service.slug == slug and strength >= STRONG_WORDS


def pieces(service: Service) -> list[str]:
    """What a service page says, one text per thought: the pitch, the keywords, each deliverable, each paragraph."""
    texts = [f"{service.title}. {service.summary}", ", ".join(service.keywords), *service.deliverables]
    texts += [part.strip() for part in _PARAGRAPH.split(service.body) if len(part.strip()) > 60]
    return [text for text in texts if text.strip()]


@dataclass(frozen=True)
class _Vectors:
    """The catalogue's and the not-offered texts' embeddings, each row labelled with its service's slug."""

    pieces: np.ndarray
    piece_slugs: tuple[str, ...]
    requests: np.ndarray
    request_slugs: tuple[str, ...]
    outside_passages: np.ndarray
    outside_queries: np.ndarray

    @classmethod
    def of(cls, catalogue: Catalogue, cache_dir: Path | None) -> "_Vectors":
        cache = catalogue.memo
        if "vectors" not in cache:
            described = [(s.slug, text) for s in catalogue.services for text in pieces(s)]
            asked = [(s.slug, text) for s in catalogue.services for text in s.requests]
            cache["vectors"] = cls(
                pieces=meaning.cached("passage", tuple(t for _, t in described), cache_dir),
                piece_slugs=tuple(slug for slug, _ in described),
                requests=meaning.cached("query", tuple(t for _, t in asked), cache_dir),
                request_slugs=tuple(slug for slug, _ in asked),
                outside_passages=meaning.cached("passage", not_offered.DESCRIPTIONS, cache_dir),
                outside_queries=meaning.cached("query", not_offered.REQUESTS, cache_dir),
            )
        return cache["vectors"]
