"""The domain's words (statex.wording.Text) in the reader's language, through Flask-Babel."""

from __future__ import annotations

from flask_babel import gettext

from statex.wording import Text


def say(text: str) -> str:
    """A domain Text translated by its message id; any other string as it is."""
    return gettext(text.msgid, **text.values) if isinstance(text, Text) else text


def translated(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per-field messages, each in the reader's language."""
    return {name: [say(message) for message in messages] for name, messages in errors.items()}
