"""Who is signed in: Flask-Login on server-side session rows, timeouts, role guards, the audit helper.

The routes live beside this module: `signup`, `signin` (password, lockout, sign-out) and `links`
(email verification, magic sign-in, password reset).
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import Blueprint, Flask, abort, current_app, flash, g, request, session
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_user, logout_user

from portal.db import get_db, get_reader, writing
from statex import audit, sessions
from statex.lockout import Lockout, Policy
from statex.models import User
from statex.queue import connect

bp = Blueprint("auth", __name__, url_prefix="/portal")
login_manager = LoginManager()
login_manager.login_view = "auth.login_GET"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy message, in the language of the request that needs it

DEFAULTS = {
    "STATEX_SESSION_IDLE": timedelta(minutes=30),
    "STATEX_SESSION_LIFETIME": timedelta(hours=12),
    "STATEX_LOCKOUT": Policy(),
}


class Anonymous(AnonymousUserMixin):
    is_staff = False
    is_admin = False


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in user, with the change stamps portal.freshness tags pages with.

    Read on the reading session, unless the request's transaction has begun (it may have changed the
    user); it joins the writing session when the request opens one (portal.db.get_db).
    """
    if writing():
        return sessions.user_for(get_db(), session_id)
    return sessions.user_for(get_reader(), session_id, join=False)


def origin() -> audit.Origin:
    """The address and browser of the current request, for the audit log and session list."""
    return audit.Origin(ip=request.remote_addr or "", user_agent=request.user_agent.string or "")


def record(action: str, actor: User | None = None, target: User | None = None, actor_label: str = "",
           **data) -> None:
    """Add an audit entry for this request to the request's transaction (the caller commits)."""
    audit.record(get_db(), action, actor, origin(), target=target, actor_label=actor_label, **data)


def record_download(file) -> None:
    """Audit a file download by the signed-in or API user; committed now, as the body streams later."""
    user = g.get("api_user") or (current_user._get_current_object() if current_user.is_authenticated else None)
    record("file.downloaded", user, target=file.submission.owner, file=str(file.id),
           submission=str(file.submission_id), name=file.name)
    get_db().commit()


def lockout() -> Lockout:
    return Lockout(connect(current_app.config["STATEX"].redis_url), current_app.config["STATEX_LOCKOUT"])


def start_session(user: User) -> None:
    """Sign `user` in on a brand-new session (nothing of the previous cookie survives but its language)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    sessions.start(get_db(), user, origin(), current_app.config["STATEX_SESSION_LIFETIME"])
    login_user(user)
    session["_seen"] = time.time()


def end_session() -> None:
    """Sign this browser out: its session row goes, so a copy of the cookie is worthless too."""
    sessions.end(get_db(), getattr(current_user, "session_id", None))
    logout_user()
    session.clear()


# Bearer-token API calls and probes carry no browser session, and must not load one.
NO_SESSION_BLUEPRINTS = ("api", "health", "telemetry", "theme")


def check_idle() -> None:
    """End a session left idle too long; otherwise note this request as activity."""
    if request.blueprint in NO_SESSION_BLUEPRINTS or request.endpoint in (None, "static") \
            or not current_user.is_authenticated:
        return
    now, seen = time.time(), session.get("_seen", 0)
    if now - seen > current_app.config["STATEX_SESSION_IDLE"].total_seconds():
        end_session()
        get_db().commit()
        flash(_("You were signed out after a while without activity. Please sign in again."), "info")
    elif now - seen > 30 and request.endpoint != "inbox.bell":  # the bell's polling is no activity
        session["_seen"] = now  # a coarse mark keeps the cookie from changing on every request


def staff_required(view):
    """Staff pages answer 404 to everyone else, so their existence does not leak."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_staff:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Admin pages answer 404 to everyone else, staff included."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if app.config["STATEX"].production:
        # __Host- cookies are only sent over HTTPS, for this host, on every path: no subdomain sees them.
        app.config["SESSION_COOKIE_NAME"] = "__Host-statex"
    login_manager.init_app(app)
    app.before_request(check_idle)


from portal.auth import links, signin, signup  # noqa: E402,F401  (registers the routes on bp)
