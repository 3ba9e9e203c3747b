"""The domain's words (statex.wording.Text) in the reader's language, through Flask-Babel."""

from __future__ import annotations

from flask_babel import gettext, ngettext

from statex.wording import Text


def say(text: str) -> str:
    """A domain Text translated by its message id (and plural form); any other string as it is."""
    if not isinstance(text, Text):
        return text
    if text.plural is not None:
        return ngettext(text.msgid, text.plural, text.n, **text.values)
    return gettext(text.msgid, **text.values)


def translated(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Per-field messages, each in the reader's language."""
    return {name: [say(message) for message in messages] for name, messages in errors.items()}
