"""Stop words of our languages, from the lists YAKE ships (its Czech list is named "cz")."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from statex.vocabulary import LANGUAGES

YAKE_NAMES = {code: language.yake for code, language in LANGUAGES.items()}


@lru_cache(maxsize=8)
def stopwords(language: str | None = None) -> frozenset[str]:
    """The stop words of `language`, or of all our languages together when None."""
    if language is None:
        return frozenset().union(*(stopwords(code) for code in YAKE_NAMES))
    name = f"stopwords_{YAKE_NAMES.get(language, 'noLang')}.txt"
    text = resources.files("yake").joinpath("core", "StopwordsList", name).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())
