"""Where a person goes after signing in: a safe `next` target, else their role's start page."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import request, url_for

from statex.models import User


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path under /portal/ on this site, else None.

    Browsers drop tabs and newlines from a Location and read a backslash as a slash, so
    `/%09/evil.example` would go to another host: any such character refuses the target,
    as given and once more decoded (a double-encoded one would be decoded by the next hop).
    """
    if not target:
        return None
    for text in (target, unquote(target)):
        if "\\" in text or any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text):
            return None
        parts = urlsplit(text)
        if parts.scheme or parts.netloc or not parts.path.startswith("/portal/"):
            return None
    return target


def landing(user: User) -> str:
    """The start page of `user`'s role: the staff's, or the client's requests."""
    return url_for("staff.home") if user.is_staff else url_for("submissions.dashboard")


def after_signin(user: User) -> str:
    """Where to send `user` now: the `next` they were sent to sign in for, else their start page."""
    return safe_next(request.args.get("next")) or landing(user)
