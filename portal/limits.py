"""Abuse limits (flask-limiter on Redis): per IP and per account on sign-in, sign-up, links, submissions.

Other blueprints apply `@limits.submission_creation` to the view that creates a submission, and
`@limits.information_addition` to the one that adds to it.
Each limit is a flask-limiter string; `app.config["STATEX_LIMITS"]` overrides any of them.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, g, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from portal.db import get_db
from statex import accounts
from statex.accounts import normalise_email

DEFAULTS = {
    "signin_ip": "30 per minute; 300 per hour",
    "signin_account": "10 per minute; 100 per hour",
    "signup_ip": "10 per hour; 50 per day",
    "link_ip": "10 per hour",
    "link_account": "5 per hour",
    "submission_ip": "120 per hour",
    "submission_account": "60 per hour; 500 per day",
    "addition_ip": "120 per hour",
    "addition_account": "10 per minute; 60 per hour",
    "message_ip": "300 per hour",
    "message_account": "30 per minute; 300 per hour",
}
MESSAGE = _l("Too many requests. Wait a little and try again.")



def _breached(request_limit) -> Response:
    """A 429 page (or problem+json) that says when to come back, in Retry-After too."""
    from portal.api.problems import problem, title

    wait = max(1, math.ceil(request_limit.reset_at - time.time()))
    if request.path.startswith("/api/"):
        response = problem(429, "Too Many Requests", MESSAGE)
    else:
        response = make_response(render_template("error.html", error=TooManyRequests(str(MESSAGE)),
                                                      title=title(429), description=str(MESSAGE)), 429)
    response.headers["Retry-After"] = str(wait)
    return response


# Headers stay off: flask-limiter would put its own Retry-After on every limited response.
# With Redis down, limits fall back to this process's memory instead of failing the request.
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, key_prefix="statex", on_breach=_breached,
                  swallow_errors=True, in_memory_fallback_enabled=True)


def limit(name: str):
    """The limit string called `name`, read when the request is checked."""
    return lambda: current_app.config.get("STATEX_LIMITS", {}).get(name, DEFAULTS[name])


def ip_key() -> str:
    return "ip:" + (get_remote_address() or "unknown")


def email_key() -> str:
    """The account a sign-in, sign-up or link form names (its email), else the address."""
    email = normalise_email(request.form.get("email", ""))
    return "email:" + email if email else ip_key()


def user_key() -> str:
    """The signed-in or API user; falls back to the address."""
    if request.blueprint == "api":
        # Limits are checked before the API authenticates the request, so name the token's owner here,
        # once per request however many limits ask.
        if "limit_key" not in g:
            _scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            owner = accounts.token_owner_id(get_db(), token.strip()) if token.strip() else None
            g.limit_key = f"user:{owner}" if owner else ip_key()
        return g.limit_key
    return f"user:{current_user.id}" if current_user.is_authenticated else ip_key()


def by_ip_and_email(ip_limit: str, account_limit: str):
    """Limit a form's POST per address and per the account it names."""

    def decorate(view):
        view = limiter.limit(limit(account_limit), key_func=email_key, error_message=MESSAGE)(view)
        return limiter.limit(limit(ip_limit), key_func=ip_key, error_message=MESSAGE)(view)

    return decorate


def submission_creation(view):
    """Limit creating submissions per address and per account (portal form and API)."""

    # Shared limits: the portal form and the API draw on one allowance.
    view = limiter.shared_limit(limit("submission_account"), scope="submission-account", key_func=user_key,
                                error_message=MESSAGE)(view)
    return limiter.shared_limit(limit("submission_ip"), scope="submission-ip", key_func=ip_key,
                                error_message=MESSAGE)(view)


def information_addition(view):
    """Limit adding information to submissions per address and per account: each add reprocesses one."""
    view = limiter.limit(limit("addition_account"), key_func=user_key, error_message=MESSAGE)(view)
    return limiter.limit(limit("addition_ip"), key_func=ip_key, error_message=MESSAGE)(view)


def message_posting(view):
    """Limit writing on threads per address and per account (portal pages and API draw on one allowance)."""
    view = limiter.shared_limit(limit("message_account"), scope="message-account", key_func=user_key,
                                error_message=MESSAGE)(view)
    return limiter.shared_limit(limit("message_ip"), scope="message-ip", key_func=ip_key,
                                error_message=MESSAGE)(view)


def storage_uri(redis_url: str) -> str:
    """flask-limiter's name for our Redis: unix sockets are spelt redis+unix://."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app.config["STATEX"].redis_url))
    limiter.init_app(app)
    # Every limit here is a route's own, checked by its decorator. flask-limiter also checks each request
    # before its view for default and application limits: with none set, that check finds nothing, and goes.
    if not (limiter.limit_manager.default_limits or limiter.limit_manager.application_limits):
        app.before_request_funcs[None].remove(limiter._check_request_limit)
    # The response _breached made travels in the exception; the generic error page would drop it.
    app.register_error_handler(RateLimitExceeded, lambda error: error.get_response())
