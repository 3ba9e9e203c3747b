"""Template filters that turn stored names into the words people read (statex/vocabulary.py, categories)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Blueprint
from jinja2 import pass_context
from markupsafe import Markup, escape

from statex import categories, i18n, vocabulary

bp = Blueprint("words", __name__)
# A web address in a sentence; the trailing punctuation belongs to the sentence.
URL = re.compile(r"https?://[^\s<>()\"']*[^\s<>()\"'.,;:!?]")


def in_page_language(words):
    """A vocabulary function for templates: in the page's language, each answer worked out once per
    language (a list asks for the same few words on every row, and a lazy word costs a lookup each time)."""

    @lru_cache(maxsize=1024)
    def worked_out(language: str, *values):
        with i18n.translate(language):
            return words(*values)

    @pass_context
    def in_language(context, *values):
        return worked_out(context.get("page_language") or i18n.current_language(), *values)

    return in_language


def status_badge(status: str) -> Markup:
    """A request's status as its badge: the word, coloured by the status's class."""
    return Markup('<span class="badge badge--{}">{}</span>').format(status, vocabulary.status_label(status))


for words in (vocabulary.event_label, vocabulary.status_label, vocabulary.file_type, vocabulary.language_name,
              vocabulary.contact_channel, vocabulary.fit_label, vocabulary.role_label, status_badge):
    bp.add_app_template_filter(in_page_language(words), words.__name__)


@bp.app_template_filter("category_label")
def category_label(value: str | None, language: str | None = None) -> str:
    """A category in `language`, by default the reader's."""
    return categories.label(value, language or i18n.current_language())


@bp.app_template_filter("money")
def money(budget: dict) -> str:
    """A budget once, as the amount (or range) and its currency: "15,000 EUR", "10,000–20,000 CZK".

    The digits are grouped as the reader's language does it ("15 000 EUR" in Czech).
    """
    amount = i18n.number(budget["amount"])
    if budget.get("amount_max"):
        amount += f"–{i18n.number(budget['amount_max'])}"
    if budget.get("currency"):
        return f"{amount} {budget['currency']}"
    return i18n.gettext("%(amount)s (currency not stated)", amount=amount)


@bp.app_template_filter("linked")
def linked(text: str, services: list[dict] | None = None) -> Markup:
    """`text` with each web address made a link named by its service's title (or its site and path).

    "Read about Demand forecasting: https://…/demand-forecasting/ (…)" reads "Read about
    <a>Demand forecasting</a> (…)": the title already in the sentence becomes the link.
    """
    titles = {service.get("url"): service.get("title") for service in services or []}
    parts, start = [], 0
    for found in URL.finditer(text):
        url, before = found.group(), text[start:found.start()]
        title = titles.get(url)
        lead = before.rstrip().removesuffix(":")
        if title and lead.endswith(title):
            parts += [escape(lead[:-len(title)]), _link(url, title)]
        else:
            parts += [escape(before), _link(url, title or _short(url))]
        start = found.end()
    parts.append(escape(text[start:]))
    return Markup("").join(parts)


def _link(url: str, words: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, words)


def _short(url: str) -> str:
    """An address as people say it: its host and path, without the scheme or a trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")
