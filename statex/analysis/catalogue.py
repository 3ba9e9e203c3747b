"""The site's own service catalogue (content/services/), read once per process and matched against requests."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from statex.analysis.stopwords import stopwords

# Mirrors site/pelicanconf.py: DEFAULT_LANG, LANGUAGES[lang]["prefix"], URL_PATTERNS["services"] and
# PATH_METADATA (`slug.cs.md` is the Czech page). tests/statex/test_analysis_catalogue.py checks they agree.
DEFAULT_LANGUAGE = "en"
URL_PREFIXES = {"en": "", "cs": "cs/"}
SERVICE_URL = "services/{slug}/"
FILE_LANGUAGE = re.compile(r"\.(?P<lang>[a-z]{2})\.md$")
# Title and keywords say most about a service, so they count several times in its text.
WEIGHTS = {"title": 3, "keywords": 3, "summary": 2, "category": 1, "deliverables": 1, "body": 1}
MIN_SCORE = 5.0  # below this BM25 score (summed over the request's words) nothing in the catalogue fits
IGNORED = {"README.md"}
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Service:
    """One service page in one language."""

    slug: str
    language: str
    title: str
    summary: str
    category: str
    timeline: str
    price_range: str
    url: str
    order: int = 99
    keywords: tuple[str, ...] = ()
    deliverables: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()  # what clients say when they need it, in their own words
    body: str = ""
    # Price_min/Price_max/Currency: the range offers price within (statex/offers/draft.py); None if unstated.
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    currency: str = "EUR"

    def text(self) -> str:
        """Everything the page says, the title and keywords weighted up."""
        parts = {"title": self.title, "keywords": " ".join(self.keywords), "summary": self.summary,
                 "category": self.category, "deliverables": " ".join(self.deliverables), "body": self.body}
        return " ".join(" ".join([parts[name]] * weight) for name, weight in WEIGHTS.items())


@dataclass(frozen=True)
class Catalogue:
    """The services found, or the reason there are none."""

    services: tuple[Service, ...]
    problem: str | None = None
    _indexes: dict = field(default_factory=dict, compare=False, repr=False)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # what matchers derive from it, once

    def in_language(self, language: str) -> list[Service]:
        """Services in `language`, each falling back to the default language's page where untranslated."""
        chosen = {s.slug: s for s in self.services if s.language == DEFAULT_LANGUAGE}
        chosen.update({s.slug: s for s in self.services if s.language == language})
        return sorted(chosen.values(), key=lambda s: (s.order, s.slug))

    def fit(self, text: str, language: str) -> list[tuple[Service, float]]:
        """Every service with its share (0–1) of the catalogue's BM25 fit to `text`, best first; [] if none fits."""
        services, index = self._index(language)
        if not services:
            return []
        query = [token for token in tokens(text) if token in index.idf]
        scores = [float(s) for s in index.get_scores(query)] if query else [0.0] * len(services)
        total = sum(scores)
        if max(scores) < MIN_SCORE or total <= 0:
            return []
        return sorted(((s, round(score / total, 3)) for s, score in zip(services, scores)), key=lambda p: -p[1])

    def match(self, text: str, language: str, top: int = 3) -> list[tuple[Service, float]]:
        """The few services that fit `text` best: at most `top`, each at least half as good as the best."""
        ranked = self.fit(text, language)
        return [(service, share) for service, share in ranked[:top] if share >= ranked[0][1] / 2]

    def strongest(self, text: str, language: str) -> tuple[Service | None, float]:
        """The service whose words fit `text` best by BM25, with its raw score (0 when no word is shared)."""
        services, index = self._index(language)
        query = [token for token in tokens(text) if token in index.idf] if services else []
        if not query:
            return None, 0.0
        scores = index.get_scores(query)
        best = int(scores.argmax())
        return services[best], float(scores[best])

    def _index(self, language: str):
        """A BM25 index over the language's services, built on first use."""
        if language not in self._indexes:
            from rank_bm25 import BM25L

            services = self.in_language(language)
            index = BM25L([tokens(s.text()) for s in services]) if services else None
            self._indexes[language] = (services, index)
        return self._indexes[language]


def tokens(text: str) -> list[str]:
    """Words without stop words or accents, cut to six letters: a crude stemmer fit for Czech and English."""
    common = stopwords()
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return [word[:6] for word in _WORD.findall(folded) if len(word) > 2 and word not in common]


def load(content_dir: Path, site_url: str) -> Catalogue:
    """The catalogue under `content_dir`/services, re-read only when a file there changes."""
    folder = Path(content_dir) / "services"
    try:
        signature = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.md")
                                 if p.name not in IGNORED))
    except OSError:
        signature = ()
    return _read(folder, site_url.rstrip("/"), signature)


@lru_cache(maxsize=4)
def _read(folder: Path, site_url: str, signature: tuple) -> Catalogue:
    if not folder.is_dir():
        return Catalogue((), problem=f"The service catalogue folder {folder} does not exist.")
    services, skipped = [], []
    for name, _mtime in signature:
        service = read_service(folder / name, site_url)
        (services if service else skipped).append(service or name)
    if not services:
        return Catalogue((), problem=f"The service catalogue folder {folder} has no service pages.")
    problem = (f"Service pages without a title or slug, or not published, were left out: {', '.join(skipped)}."
               if skipped else None)
    return Catalogue(tuple(services), problem=problem)


def read_service(path: Path, site_url: str) -> Service | None:
    """One service page: its front-matter (Pelican's markdown metadata) and its body as plain text."""
    import markdown

    reader = markdown.Markdown(extensions=["meta"])
    body = reader.convert(path.read_text(encoding="utf-8"))
    meta = {key: [line.strip() for line in lines] for key, lines in reader.Meta.items()}
    first = {key: lines[0] if lines else "" for key, lines in meta.items()}
    if not first.get("title") or not first.get("slug") or first.get("status") in ("draft", "hidden"):
        return None
    found = FILE_LANGUAGE.search(path.name)
    language = first.get("lang") or (found["lang"] if found else DEFAULT_LANGUAGE)
    prefix = URL_PREFIXES.get(language, f"{language}/")
    order = first.get("order", "")
    return Service(
        slug=first["slug"], language=language, title=first["title"], summary=first.get("summary", ""),
        category=first.get("category", ""), timeline=first.get("timeline", ""),
        price_range=first.get("price_range", ""), order=int(order) if order.isdigit() else 99,
        url=f"{site_url}/{prefix}{SERVICE_URL.format(slug=first['slug'])}",
        keywords=tuple(k.strip() for k in first.get("keywords", "").split(",") if k.strip()),
        deliverables=tuple(line for line in meta.get("deliverables", []) if line),
        requests=tuple(line for line in meta.get("requests", []) if line),
        body=html.unescape(_TAG.sub(" ", body)),
        price_min=_price(first.get("price_min")), price_max=_price(first.get("price_max")),
        currency=(first.get("currency") or "EUR").upper(),
    )


def _price(raw: str | None) -> Decimal | None:
    """A page's Price_min or Price_max as a Decimal, None when missing or not a number."""
    try:
        return Decimal(raw.replace(" ", "").replace(",", "")) if raw else None
    except InvalidOperation:
        return None
