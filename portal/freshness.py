"""Freshness by HTTP's own means: a client's page carries an ETag, and an unchanged page is a 304.

How it works. Every commit that changes what a client can see bumps their change stamp in the same
transaction (statex.changes); the user loader reads the stamps with the signed-in user, in the one
query every signed-in request makes anyway. `version()` is a digest of those stamps and of who asks
(user, browser session, and the CSRF secret the page embeds). A page's ETag adds the request (path,
query, htmx headers, language). A GET whose If-None-Match holds the current ETag is answered 304
before the view runs: an unchanged page costs the session lookup and nothing else.

`Cache-Control: private, no-cache` lets the browser keep the page but ask every time, and forbids
shared caches; the ETag names the user and session, and `Vary: Cookie` keys the browser's copy on
them too, so one person's page is never another's. Staff (who see others' data under their own
stamps) and answers that show flashed messages get no ETag (and keep `no-store`).

htmx polls: a browser revalidates an XHR on its own and hands htmx the kept 200, which htmx would
swap in again. The request page's live part therefore names what it shows in its poll URL instead
(`?shown=`, built on `version()`), and an unchanged poll is answered 204 (portal.submissions.detail).
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from flask import current_app, get_flashed_messages, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

CACHE_CONTROL = "private, no-cache"
# A safety net, not the means of freshness: a change made outside the application (an operator's
# SQL, which bumps no stamp) shows after at most this many seconds.
MAX_AGE = 60


def version() -> str | None:
    """What the signed-in client's data and session are at, as 16 hex digits; None where it cannot tell."""
    stamp = getattr(current_user, "change_stamp", None)
    if stamp is None or current_user.is_staff or "_flashes" in session:
        return None
    facts = (current_user.id, current_user.session_id, session.get("csrf_token"), stamp, int(time.time() // MAX_AGE))
    return _digest(facts)


def etag() -> str | None:
    """The ETag of this request's answer as things stand, or None if it must not have one."""
    current = version()
    if current is None:
        return None
    headers = request.headers
    # The page's language and time zone: chosen by the account, a ?lang= link or the browser.
    return _digest((current, request.full_path, headers.get("HX-Request"), headers.get("HX-History-Restore-Request"),
                    str(get_locale()), str(get_timezone())))


def conditional(view):
    """Answer 304 to a GET for a page that has not changed; give a rendered page its ETag."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        tag, secret = etag(), session.get("csrf_token")
        if tag is not None and request.if_none_match.contains_weak(tag):
            return _mark(current_app.response_class(status=304), tag)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200:
            if session.get("csrf_token") != secret or "_flashes" in session:
                tag = etag()  # rendering gave the session its CSRF secret, or a message to show
            if tag is not None and not get_flashed_messages():  # a message shown once is not kept
                _mark(response, tag)
        return response

    return wrapped


def _mark(response, tag: str):
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.update(("Cookie", "HX-Request"))
    return response


def _digest(facts: tuple) -> str:
    return hashlib.blake2b(repr(facts).encode(), digest_size=8).hexdigest()
