"""The offer's own words, in the request's language (EN or CS), whoever reads it: cover text and the PDF."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

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


LABELS = {
    "en": {"offer": "Offer", "number": "Number", "version": "version", "date": "Date", "valid_until": "Valid until",
           "for": "For", "from": "From", "item": "Item", "timeline": "Timeline", "quantity": "Qty",
           "unit_price": "Unit price", "discount": "Discount", "amount": "Amount", "subtotal": "Subtotal",
           "vat": "VAT", "total": "Total", "payment": "Payment terms",
           "acceptance": "Accept this offer online in your Statex client portal before it expires."},
    "cs": {"offer": "Nabídka", "number": "Číslo", "version": "verze", "date": "Datum", "valid_until": "Platnost do",
           "for": "Pro", "from": "Od", "item": "Položka", "timeline": "Termín", "quantity": "Množství",
           "unit_price": "Cena za jednotku", "discount": "Sleva", "amount": "Částka", "subtotal": "Mezisoučet",
           "vat": "DPH", "total": "Celkem", "payment": "Platební podmínky",
           "acceptance": "Nabídku přijměte online ve svém klientském portálu Statex před koncem její platnosti."},
}


def labels(language: str) -> dict[str, str]:
    """The PDF's headings in the offer's language."""
    return LABELS[language_of(language)]
