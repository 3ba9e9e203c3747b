"""The password policy: 12 to 128 characters, not common or predictable, no composition rules."""

from __future__ import annotations

from statex.i18n import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn matches against the common-password, name and word lists it ships with, keyboard walks,
# repeats and sequences; fewer than a million guesses means an attacker's list would hold it.
MIN_GUESSES = 1_000_000


def problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why this password is not acceptable, in words for the person choosing it; None if it is."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(min)d characters; a phrase of several words works well.", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(max)d characters.", max=MAX_LENGTH)
    personal = [part for part in (email.strip().lower(), email.split("@")[0].lower(), name.strip().lower()) if part]
    if password.strip().lower() in personal:
        return _("Do not use your email address or name as your password.")
    if zxcvbn(password, user_inputs=personal)["guesses"] < MIN_GUESSES:
        return _("This password is among the most common or predictable ones; choose one that is harder to guess.")
    return None
