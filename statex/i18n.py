"""The languages we speak and the catalogue every process translates from, in a request or not.

The portal translates through Flask-Babel (portal/i18n.py), which reads the same catalogue from
TRANSLATIONS, and tells this module which language the request it answers is in (`answer_requests_in`:
no Flask here). Code that runs outside a request (emails, Telegram texts rendered by workers) wraps
its work in `translate(the recipient's language)`; the lazy strings of statex/vocabulary.py read
whichever of the two is active when they are turned into text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale, support
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import LazyProxy

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
# Adding a language: its name here, then `make translations` and the new catalogue translated.
LANGUAGES = {"en": "English", "cs": "Čeština"}
DEFAULT_LANGUAGE = "en"
DEFAULT_TIMEZONE = "Europe/Prague"

# The language a translate() block speaks; None outside one.
_active: ContextVar[str | None] = ContextVar("statex_language", default=None)
# Where the language of the request being answered comes from: the portal names it (answer_requests_in);
# a worker or mail-in has none.
_request_language: list[Callable[[], str | None]] = []


def answer_requests_in(source: Callable[[], str | None]) -> None:
    """Outside a translate() block, speak the language `source` gives (the portal's request's; None: English)."""
    _request_language[:] = [source]


def language_of(*choices: str | None) -> str:
    """The first of `choices` (codes such as "cs" or "cs-CZ") we speak, else English."""
    for choice in choices:
        code = (choice or "")[:2].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def translations_for(language: str) -> support.NullTranslations:
    """The compiled catalogue for `language`; English (the msgids themselves) needs none."""
    if language == DEFAULT_LANGUAGE:
        return support.NullTranslations()
    return support.Translations.load(TRANSLATIONS, [language], DOMAIN)


def locale_for(language: str | None) -> Locale:
    """Babel's locale for one of our languages, for dates and numbers outside a request."""
    return Locale.parse(language_of(language))


@contextmanager
def translate(language: str | None) -> Iterator[str]:
    """Within the block, gettext (and the vocabulary's lazy words) speak `language`; yields its code."""
    code = language_of(language)
    token = _active.set(code)
    try:
        yield code
    finally:
        _active.reset(token)


def _translations() -> support.NullTranslations:
    """The translate() block's catalogue, else the current request's, else English (translations_for keeps
    each: a page asks hundreds of times, for every word and every label of a status or event)."""
    return translations_for(current_language())


def gettext(message: str, **variables) -> str:
    """`message` in the active language, with %(name)s variables filled in."""
    text = _translations().ugettext(message)
    return text % variables if variables else text


def pgettext(context: str, message: str, **variables) -> str:
    """`message` as meant in `context` (a word with two meanings, e.g. "Timeline"), in the active language."""
    text = _translations().upgettext(context, message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The plural form for `num` in the active language (Czech has three); %(num)d is `num`."""
    text = _translations().ungettext(singular, plural, num)
    return text % {"num": num, **variables}


def lazy_gettext(message: str, **variables) -> LazyProxy:
    """A string translated only when it is read, for tables defined at import (vocabulary, forms)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)


def current_language() -> str:
    """The code of the language gettext speaks right now."""
    chosen = _active.get()
    if chosen is not None:
        return chosen
    return language_of(*(source() for source in _request_language))



def number(value: float, digits: int = 0) -> str:
    """A number as the active language writes it: "12,345" in English, "12 345" in Czech."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=current_language())


def alternatives(words) -> str:
    """Choices as the active language lists them: "EUR or CZK" in English, "EUR nebo CZK" in Czech."""
    return format_list(list(words), style="or", locale=current_language())
