"""The portal's language and time zone: Flask-Babel on statex's catalogue, the switcher, date filters.

The language is, in order: `?lang=` (the site's links and the switcher; kept in the session and on
the signed-in account), the session's earlier choice, the account's saved language, the browser's
Accept-Language, English. The time zone is the account's, else Europe/Prague.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, g, has_request_context, request, session
from babel import dates
from flask_babel import Babel, format_date, get_locale, get_timezone
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from portal.auth import NO_SESSION_BLUEPRINTS
from portal.db import get_db
from statex import accounts, i18n

SESSION_KEY = "lang"
babel = Babel()


def select_locale() -> str:
    """The language this request is answered in."""
    chosen = request.args.get("lang") or session.get(SESSION_KEY)
    if chosen in i18n.LANGUAGES:
        return chosen
    saved = getattr(_signed_in(), "language", None)
    if saved in i18n.LANGUAGES:
        return saved
    return request.accept_languages.best_match(list(i18n.LANGUAGES)) or i18n.DEFAULT_LANGUAGE


def select_timezone() -> str:
    """The signed-in person's time zone, else the company's."""
    return getattr(_signed_in(), "timezone", None) or i18n.DEFAULT_TIMEZONE


def _signed_in():
    """The user Flask-Login has loaded for this request, if it has: choosing a language never loads one
    (an error page for a database outage must render without the database)."""
    return g.get("_login_user")


def keep_choice() -> None:
    """A `?lang=` choice stays for the session and, when someone is signed in, on their account."""
    chosen = request.args.get("lang")
    if chosen not in i18n.LANGUAGES or request.blueprint in NO_SESSION_BLUEPRINTS:
        return
    if session.get(SESSION_KEY) != chosen:
        session[SESSION_KEY] = chosen
    if current_user.is_authenticated and current_user.language != chosen:
        db = get_db()  # the signed-in user joins it
        accounts.set_language(current_user, chosen)
        db.commit()


def switch_url(language: str) -> str:
    """This page again, in `language`: the same path and query, `lang` replaced."""
    args = {**request.args.to_dict(flat=False), "lang": [language]}
    return f"{request.path}?{urlencode(args, doseq=True)}"


def when(moment: datetime | None, format: str = "medium") -> str:
    """A moment in the reader's language and time zone ("2. 12. 2026 3:04" in Czech).

    Flask-Babel's format_datetime, less its lookups; a list shows a moment per row.
    """
    return _formatted(moment, format, get_timezone(), str(get_locale())) if moment else ""


@pass_context
def _page_when(context, moment: datetime | None, format: str = "medium") -> str:
    """`when` for templates, in the zone and language their page's context was given (template_context)."""
    if not moment:
        return ""
    return _formatted(moment, format, *_zone_and_language(context))


@pass_context
def _page_moment(context, moment: datetime | None, format: str = "medium") -> Markup:
    """A moment as a page shows it: `<time datetime="2026-12-02T15:04:00+00:00">2. 12. 2026 15:04</time>`,
    readable by machines and in the reader's words (as `when`)."""
    if not moment:
        return Markup()
    return _time_element(moment, format, *_zone_and_language(context))


def _zone_and_language(context) -> tuple:
    """The page's zone and language (template_context), or the request's for a template rendered without them.

    The language as its code, not its babel Locale: the caches below compare their keys, and a Locale (a new
    one each request) compares in Python, a code as a string.
    """
    return context.get("page_zone") or get_timezone(), context.get("page_language") or str(get_locale())


@lru_cache(maxsize=4096)
def _time_element(moment: datetime, format: str, tzinfo, language: str) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), _formatted(moment, format, tzinfo, language))


@lru_cache(maxsize=4096)
def _formatted(moment: datetime, format: str, tzinfo, language: str) -> str:
    # Babel takes ~20 µs a moment, and the same moments come back on every page of a list and poll of a timeline.
    return dates.format_datetime(moment, format, tzinfo=tzinfo, locale=language)


def day(moment: datetime | None, format: str = "medium") -> str:
    """A date in the reader's language and time zone."""
    return format_date(moment, format) if moment else ""


def iso_day(text: str | None) -> str:
    """A stored ISO date ("2027-06-30") as the reader writes dates; anything else as it is."""
    try:
        return format_date(date.fromisoformat(text or ""), "long")
    except ValueError:
        return text or ""


def iso_moment(text: str | None) -> str:
    """A stored ISO moment (UTC unless it says otherwise) in the reader's language and zone."""
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return text or ""
    return when(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc), "short")


def template_context() -> dict:
    """What base.html and the switcher read: the page's language and the others to switch to; and the
    page's catalogue and zone, looked up once for its hundred words and dates."""
    return {"page_language": str(get_locale()), "languages": i18n.LANGUAGES, "switch_url": switch_url,
            "number": i18n.number, "catalogue": request_translations(), "page_zone": get_timezone()}


def _catalogue(context):
    """The catalogue a template's words are read in: its page's, or (a macro imported without the page's
    context) the request's."""
    return context.get("catalogue") or request_translations()


@pass_context
def _gettext(context, message: str, **variables) -> str:
    """The templates' _() and gettext(): as Jinja's newstyle gettext (escaped, then %-formatted), in one call
    instead of three, since a page asks for a hundred words."""
    text = _catalogue(context).ugettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    # Without variables or a "%" (a "%%" still becomes "%"), formatting would give the same text back.
    return text % variables if variables or "%" in text else text


def request_translations():
    """The catalogue of the request's language (Flask-Babel's locale, force_locale included): statex.i18n's
    copy, kept per language, which Flask-Babel reads from the same files at ~12 µs a lookup."""
    return i18n.translations_for(i18n.language_of(str(get_locale() or "")))


def _request_language() -> str | None:
    """What statex.i18n speaks outside a translate() block: the language of the request being answered."""
    return str(get_locale() or "") if has_request_context() else None


def init_app(app: Flask) -> None:
    i18n.answer_requests_in(_request_language)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(i18n.TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", i18n.DEFAULT_TIMEZONE)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    # The templates' _(), ngettext() and {% trans %} read the catalogue the page's context was given
    # (template_context) instead of through Flask-Babel's lookup each time: the same words, a tenth of the cost.
    app.jinja_env.install_gettext_callables(
        gettext=_gettext,
        ngettext=pass_context(lambda c, s, p, n: _catalogue(c).ungettext(s, p, n)),
        pgettext=pass_context(lambda c, ctx, s: _catalogue(c).upgettext(ctx, s)),
        npgettext=pass_context(lambda c, ctx, s, p, n: _catalogue(c).unpgettext(ctx, s, p, n)), newstyle=True)
    app.jinja_env.globals.update(_=_gettext, gettext=_gettext)  # newstyle already: not wrapped again
    app.before_request(keep_choice)
    app.context_processor(template_context)
    app.add_template_filter(_page_when, "when")
    app.add_template_filter(_page_moment, "moment")
    app.add_template_filter(day, "day")
    app.add_template_filter(iso_day, "iso_day")
    app.add_template_filter(iso_moment, "iso_moment")
