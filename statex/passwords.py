"""The password policy: 12 to 128 characters, not common or predictable, no composition rules."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn matches against the common-password, name and word lists it ships with, keyboard walks,
# repeats and sequences; fewer than a million guesses means an attacker's list would hold it.
MIN_GUESSES = 1_000_000


def problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why this password is not acceptable, in words for the person choosing it; None if it is."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a phrase of several words works well."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    personal = [part for part in (email.strip().lower(), email.split("@")[0].lower(), name.strip().lower()) if part]
    if password.strip().lower() in personal:
        return "Do not use your email address or name as your password."
    if zxcvbn(password, user_inputs=personal)["guesses"] < MIN_GUESSES:
        return "This password is among the most common or predictable ones; choose one that is harder to guess."
    return None
