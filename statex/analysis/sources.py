"""A request as the analysers read it: its sources (the description, each added text, each file), in order."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["description", "added", "file", "voice"]
# How "add information" marks each text it appends to the description; the analysers split on it again.
# To the second, so that what was added sorts after the files sent with the request (older marks: minutes).
ADDED_STAMP = "%d %b %Y, %H:%M:%S UTC"
ADDED = re.compile(r"(?:^|\n\n)Added on (\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}(?::\d{2})? UTC):\n")
# How a source is named to the client, per language of the request; other languages read English.
LABELS = {
    "en": {"description": "your description", "voice": "your voice recording", "added": "what you added on {date}"},
    "cs": {"description": "váš popis", "voice": "vaše hlasová nahrávka", "added": "vaše doplnění z {date}"},
    "de": {"description": "Ihre Beschreibung", "voice": "Ihre Sprachaufnahme", "added": "Ihre Ergänzung vom {date}"},
    "fr": {"description": "votre description", "voice": "votre enregistrement vocal",
           "added": "votre ajout du {date}"},
}


@dataclass(frozen=True)
class Source:
    """One thing the client gave: its kind, its file name if any, its text and when it was given.

    `confidence` (0 to 1) is how sure the reader (speech recognition, OCR) was of the text, when it says;
    `caveat` is a note for the reader of the analysis about a text to take with care.
    """

    kind: Kind
    text: str
    given_at: dt.datetime | None = None
    name: str = ""
    confidence: float | None = None
    caveat: str | None = None

    def label(self, language: str = "en") -> str:
        """How the client would name this source: "your description", "brief.docx", "your voice recording"."""
        if self.kind == "file":
            return self.name
        words = LABELS.get(language, LABELS["en"])[self.kind]
        return words.format(date=format_day(self.given_at, language)) if self.kind == "added" else words


def format_day(when: dt.datetime | None, language: str) -> str:
    """The day, as the request's language writes it (Babel's CLDR data): "1 Dec 2026", "1. 12. 2026"."""
    from babel.dates import format_date

    return format_date(when.date(), "medium", locale=language) if when else "?"


def added_block(text: str, when: dt.datetime) -> str:
    """The paragraph "add information" appends to the description for `text`, given `when` (UTC)."""
    return f"\n\nAdded on {when.strftime(ADDED_STAMP)}:\n{text}"


def described(description: str, created_at: dt.datetime | None = None) -> list[Source]:
    """The description's own text and each text added to it later, as separate sources."""
    parts = ADDED.split(description)
    sources = [Source("description", parts[0].strip(), created_at)] if parts[0].strip() else []
    previous = created_at
    for stamp, text in zip(parts[1::2], parts[2::2]):
        when = _stamped(stamp)
        when = max(when, previous) if previous else when  # a mark to the minute can read as before the request
        if text.strip():
            sources.append(Source("added", text.strip(), when))
        previous = when
    return sources


def _stamped(stamp: str) -> dt.datetime:
    """The moment an "Added on" mark names, in UTC."""
    written = ADDED_STAMP if stamp.count(":") == 2 else ADDED_STAMP.replace(":%S", "")
    return dt.datetime.strptime(stamp, written).replace(tzinfo=dt.UTC)


def in_order(sources: list[Source]) -> list[Source]:
    """The sources by when they were given; those without a time keep their place before the rest."""
    untimed = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(sources, key=lambda s: s.given_at or untimed)


def joined(sources: list[Source]) -> str:
    """All the texts, one after the other, without labels: for steps that read the request as one text."""
    return "\n\n".join(s.text for s in sources if s.text.strip())
