"""The offer's own words, in the request's language (EN or CS), whoever reads it: cover text and the PDF."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from statex.i18n import lazy_gettext as _l
from statex.i18n import pgettext, translate

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("en", "cs")
# The offer is a document in its client's language, not the reader's: its templates exist per language.
LOCALES = {"en": "en_GB", "cs": "cs_CZ"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def language_of(*choices: str | None) -> str:
    """The first of `choices` we write offers in, else English."""
    return next((c[:2].lower() for c in choices if c and c[:2].lower() in LANGUAGES), "en")


def cover(language: str, **context) -> str:
    """The short cover text of a drafted offer, in `language`."""
    return environment().get_template(f"cover.{language_of(language)}.txt").render(**context).strip()


def render(name: str, language: str, **context) -> str:
    """The template `name` (e.g. "offer.html") in `language`'s version (offer.cs.html), English if missing."""
    language = language_of(language)
    stem, _, suffix = name.rpartition(".")
    names = [f"{stem}.{language}.{suffix}", name] if language != "en" else [name]
    return environment().select_template(names).render(lang=language, locale=LOCALES[language], **context)


# The PDF's headings, read in the offer's language through the catalogue (see labels()).
LABELS = {"offer": _l("Offer"), "number": _l("Number"), "version": _l("version"), "date": _l("Date"),
          "valid_until": _l("Valid until"), "for": _l("For"), "from": _l("From"), "item": _l("Item"),
          "quantity": _l("Qty"), "unit_price": _l("Unit price"),
          "discount": _l("Discount"), "amount": _l("Amount"), "subtotal": _l("Subtotal"), "vat": _l("VAT"),
          "total": _l("Total"), "payment": _l("Payment terms"),
          "acceptance": _l("Accept this offer online in your Statex client portal before it expires.")}


def labels(language: str) -> dict[str, str]:
    """The PDF's headings in the offer's language."""
    with translate(language_of(language)):
        # An offer line's timeline is its time frame, not a request's history ("Timeline" elsewhere).
        return {name: str(words) for name, words in LABELS.items()} | {"timeline": pgettext("offer line", "Timeline")}
