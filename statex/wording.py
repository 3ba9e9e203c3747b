"""Words the domain says to a person, kept translatable without a request: the message id and its values.

The domain cannot call Flask-Babel (it runs in workers and commands too), so it returns a `Text`:
a str of the English words, as every caller and test reads them, that also keeps its message id
(and plural form) and values, so the portal can say it in the reader's language (portal/texts.py).
"""

from __future__ import annotations


class Text(str):
    """English words made from a gettext message id and its values; `msgid`, `plural`, `n`, `values` travel along."""

    msgid: str
    plural: str | None
    n: int | None
    values: dict[str, str]

    def __new__(cls, msgid: str, plural: str | None = None, n: int | None = None, **values: str) -> "Text":
        """`plural` with its count `n` makes an ngettext message: English takes `msgid` only when n is 1."""
        words = plural if plural is not None and n != 1 else msgid
        text = super().__new__(cls, words % values if values else words)
        text.msgid, text.plural, text.n, text.values = msgid, plural, n, values
        return text
