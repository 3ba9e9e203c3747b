"""The one vocabulary of request categories: a stable key each, its words in English and Czech.

The client form, the analysers' output, the staff review settings and filters all store the key;
pages show `label(key, language)`. Older rows hold the site's category names ("Analytics",
"Analytika", ...): `key_for` reads them as their key, so they still display and still match.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Category:
    """One category: its key, its words per language, and the other names it has gone by."""

    key: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()


VOCABULARY = (
    Category("documents", {"en": "Documents and data entry", "cs": "Dokumenty a přepis dat"}),
    Category("customer_support", {"en": "Customer support", "cs": "Zákaznická podpora"}),
    Category("automation", {"en": "Process automation", "cs": "Automatizace procesů"},
             aliases=("Automation", "Automatizace")),
    Category("analytics", {"en": "Data analysis and reports", "cs": "Analýza dat a reporty"},
             aliases=("Analytics", "Analytika")),
    Category("language", {"en": "Text and language", "cs": "Text a jazyk"}, aliases=("Language", "Jazyk")),
    Category("consulting", {"en": "Consulting", "cs": "Poradenství"}, aliases=("Poradenstvi",)),
    Category("other", {"en": "Something else", "cs": "Něco jiného"}),
)
BY_KEY = {category.key: category for category in VOCABULARY}
KEYS = tuple(BY_KEY)
# Every name a category has had (its key, its labels, its aliases), folded to lower case.
_NAMES = {name.casefold(): category.key for category in VOCABULARY
          for name in (category.key, *category.labels.values(), *category.aliases)}


def key_for(value: str | None) -> str | None:
    """The key a stored or typed category stands for (a key, a label, an old name); None if none."""
    if not value:
        return None
    return _NAMES.get(value.strip().casefold())


def label(value: str | None, language: str | None = None) -> str:
    """The category's words in `language` (English where untranslated); an unknown value as it is."""
    key = key_for(value)
    if key is None:
        return value or ""
    labels = BY_KEY[key].labels
    return labels.get(language or DEFAULT_LANGUAGE, labels[DEFAULT_LANGUAGE])


def choices(language: str | None = None) -> dict[str, str]:
    """Every category's key and words, in the vocabulary's order, for a form's select."""
    return {key: label(key, language) for key in KEYS}
