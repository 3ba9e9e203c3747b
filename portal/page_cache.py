"""Pages a client reloads or htmx polls, served from memory while nothing they show has changed.

An entry is one browser session's answer to one exact request (path, query, htmx headers). It is
valid while the client's change stamps (statex.changes, read with the signed-in user at no extra
cost) are those it was rendered under: any change to the client's data, by a worker finishing a
step or by staff approving a result, bumps them in the same transaction, so the next request
renders afresh. Staff, pages with flashed messages and anything but a 200 are never cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from threading import Lock

from cachetools import TTLCache
from flask import Flask, current_app, get_flashed_messages, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from sqlalchemy import inspect

from portal.db import get_db

MAX_BYTES = 16 * 1024 * 1024  # of HTML, per process
MAX_PAGE_BYTES = 256 * 1024
# A safety net, not the means of freshness: a change made outside the application (an operator's SQL)
# shows after at most this many seconds.
MAX_AGE = 60
KEPT_HEADERS = ("Content-Type", "Vary", "Cache-Control")


@dataclass(frozen=True)
class Page:
    stamp: tuple[int, int]
    body: bytes
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """A thread-safe map from request keys to rendered pages, bounded in bytes, least recently used out."""

    def __init__(self) -> None:
        self.pages: TTLCache = TTLCache(MAX_BYTES, MAX_AGE, getsizeof=lambda page: len(page.body))
        self.lock = Lock()

    def get(self, key: tuple) -> Page | None:
        with self.lock:
            return self.pages.get(key)

    def put(self, key: tuple, page: Page) -> None:
        with self.lock:
            self.pages[key] = page


def cached_page(view):
    """Answer from the cache while the client's stamps stand still; otherwise render and keep the page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        stamp = getattr(current_user, "change_stamp", None)
        if stamp is None or current_user.is_staff or "_flashes" in session:
            return _render(view, *args, **kwargs)
        cache: PageCache = current_app.extensions["statex.page_cache"]
        page = cache.get(_key())
        if page is not None and page.stamp == stamp:
            return current_app.response_class(page.body, 200, page.headers)
        response = current_app.make_response(_render(view, *args, **kwargs))
        if response.status_code == 200 and not response.is_streamed and not _shows_flashes():
            body = response.get_data()
            if len(body) <= MAX_PAGE_BYTES:
                headers = tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers)
                # Keyed anew: rendering may have given the session its CSRF secret.
                cache.put(_key(), Page(stamp, body, headers))
        return response

    # Tells the user loader (portal.auth) that a database session may not be needed at all.
    wrapped.page_cached = True
    return wrapped


def _render(view, *args, **kwargs):
    """Run the view, its signed-in user part of the request's database session as it expects."""
    if current_user.is_authenticated and inspect(current_user._get_current_object()).detached:
        get_db().add(current_user._get_current_object())
    return view(*args, **kwargs)


def _shows_flashes() -> bool:
    """Whether the page has messages flashed for this one answer (without taking any still unshown)."""
    return "_flashes" in session or bool(get_flashed_messages())


def _key() -> tuple:
    """The session (and its CSRF secret, which the page embeds), its language and zone, and the request a view reads."""
    return (current_user.session_id, session.get("csrf_token"), request.full_path, str(get_locale()),
            str(get_timezone()), request.headers.get("HX-Request"), request.headers.get("HX-History-Restore-Request"))


def init_app(app: Flask) -> None:
    app.extensions["statex.page_cache"] = PageCache()
