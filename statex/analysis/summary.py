"""The summary of a whole request: what it asks and what came with it, then its most central sentences."""

from __future__ import annotations

import re
from functools import lru_cache

from statex.analysis.money import CURRENCIES
from statex.analysis.sources import Source, format_day

# The lead sentence, per language of the request; other languages read English.
LEADS = {
    "en": {"about": "Your request is about {title}.", "about_with": "Your request is about {title} and comes "
           "with {things}.", "with": "Your request comes with {things}.", "and": " and ",
           "file": "the file {name}", "voice": "a voice recording", "added": "what you added on {date}"},
    "cs": {"about": "Váš požadavek se týká služby {title}.", "about_with": "Váš požadavek se týká služby "
           "{title}; přikládáte k němu {things}.", "with": "K požadavku přikládáte {things}.", "and": " a ",
           "file": "soubor {name}", "voice": "hlasovou nahrávku", "added": "doplnění z {date}"},
    "de": {"about": "Ihre Anfrage betrifft {title}.", "about_with": "Ihre Anfrage betrifft {title} und umfasst "
           "{things}.", "with": "Ihre Anfrage umfasst {things}.", "and": " und ",
           "file": "die Datei {name}", "voice": "eine Sprachaufnahme", "added": "eine Ergänzung vom {date}"},
    "fr": {"about": "Votre demande porte sur {title}.", "about_with": "Votre demande porte sur {title} et "
           "comprend {things}.", "with": "Votre demande comprend {things}.", "and": " et ",
           "file": "le fichier {name}", "voice": "un enregistrement vocal", "added": "un ajout du {date}"},
}
# Words that name a source rather than say something about the request.
LABEL_WORDS = {"file", "files", "voice", "recording", "added", "attachment", "soubor", "nahrávka", "datei",
               "fichier", "docx", "pdf", "xlsx", "png", "jpg", "jpeg", "wav", "mp3", "webm", "ogg", "txt"}
_WORD = re.compile(r"\w+", re.UNICODE)
_END = ".!?…"
_CODE_BY_NUMBER = re.compile(r"(?<=\d)\s?([A-Z]{3})\b|\b([A-Z]{3})\s?(?=\d)")
MOST_SENTENCES = 6  # one per source at most this many, so that a request with many files stays short


def lead(sources: list[Source], title: str | None, language: str) -> str:
    """What the request asks (the best service's title, if one fits) and what came with it; "" for plain text."""
    if len(sources) <= 1 and all(s.kind == "description" for s in sources):
        return ""
    say = LEADS.get(language, LEADS["en"])
    things = [say[s.kind].format(name=s.name, date=format_day(s.given_at, language) if s.kind == "added" else "")
              for s in sources if s.kind != "description"]
    listed = say["and"].join([", ".join(things[:-1]), things[-1]] if len(things) > 1 else things)
    if title:
        return say["about_with" if things else "about"].format(title=title, things=listed)
    return say["with"].format(things=listed) if things else ""


def is_lead(sentence: str) -> bool:
    """Whether `sentence` is a lead sentence of ours (about the request), not the client's own words."""
    return sentence.strip().startswith(_lead_openings())


@lru_cache(maxsize=1)
def _lead_openings() -> tuple[str, ...]:
    return tuple({say[kind].split("{", 1)[0] for say in LEADS.values() for kind in ("about", "about_with", "with")})


def as_sentence(text: str) -> str:
    """One line, starting with a capital and ending with a full stop (transcripts and headings often lack them)."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in _END or text[-1] in "\"'”»)" else text + "."


def is_prose(sentence: str) -> bool:
    """A sentence worth summarising: words, not a table row, a heading or a line of figures."""
    words = _WORD.findall(sentence)
    return " | " not in sentence and len(words) >= 4 and sum(w.isalpha() for w in words) * 2 > len(words)


def pick(parts: list[list[str]], scores: dict[int, float], needs: set[int], limit: int,
         most: int = MOST_SENTENCES) -> list[int]:
    """Indices (into the flattened parts) of the summary: each source's best, needs first, then the best overall."""
    chosen: list[int] = []
    start = 0
    for part in parts:
        if len(parts) > 1 and part and len(chosen) < most:  # every source has its say; one text alone: TextRank
            chosen.append(max(range(start, start + len(part)), key=lambda i: (i in needs, scores.get(i, 0.0))))
        start += len(part)
    for index in sorted(scores, key=scores.get, reverse=True):
        if len(chosen) >= limit:
            break
        if index not in chosen:
            chosen.append(index)
    return sorted(chosen)


def keyword_allowed(phrase: str, names: set[str], codes: frozenset[str]) -> bool:
    """False for a phrase with a file's name, a label word or a currency (as written, or a code in `codes`)."""
    for word in phrase.split():
        bare = word.strip(".,:;()")
        lower = bare.lower()
        if lower in names or lower in LABEL_WORDS or lower in CURRENCIES or bare in codes:
            return False
    return True


def money_codes(text: str) -> frozenset[str]:
    """The ISO 4217 codes (Babel's CLDR list) the text writes next to a number, and the usual ones always.

    Not every code everywhere: "CAD" or "ALL" can be words of a request too.
    """
    beside_numbers = {a or b for a, b in _CODE_BY_NUMBER.findall(text)}
    return frozenset((beside_numbers & currency_codes()) | set(CURRENCIES.values()))


def file_words(sources: list[Source]) -> set[str]:
    """Each file's name, and its stem and extension, lower-cased: none of them is a keyword of the request."""
    words: set[str] = set()
    for source in sources:
        if source.name:
            name = source.name.lower()
            words |= {name, *re.split(r"[\W_]+", name)} - {""}
    return words


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 code Babel's CLDR data knows, current and historic."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())
