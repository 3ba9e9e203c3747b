"""Words the domain says to a person, kept translatable without a request: the message id and its values.

The domain cannot call Flask-Babel (it runs in workers and commands too), so it returns a `Text`:
a str of the English words, as every caller and test reads them, that also keeps its message id
and values, so the portal can say it in the reader's language (portal/texts.py).
"""

from __future__ import annotations


class Text(str):
    """English words made from a gettext message id and its values; `msgid` and `values` travel along."""

    msgid: str
    values: dict[str, str]

    def __new__(cls, msgid: str, **values: str) -> "Text":
        text = super().__new__(cls, msgid % values if values else msgid)
        text.msgid, text.values = msgid, values
        return text
