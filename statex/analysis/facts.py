"""Facts a request states: budget, deadline, location, company name and contact details."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from statex.analysis import places
from statex.analysis.deadlines import find_deadline
from statex.analysis.money import find_budget
from statex.analysis.schema import Contact, Facts
from statex.vocabulary import LANGUAGES

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
_LEGAL_FORM = (r"spol\.\s?s\s?r\.\s?o\.|s\.\s?r\.\s?o\.|a\.\s?s\.|v\.\s?o\.\s?s\.|k\.\s?s\.|z\.\s?s\.|GmbH"
               r"|AG|Ltd\.?|Limited|Inc\.?|LLC|plc|PLC|Corp\.?|S\.A\.|SAS|SARL|B\.V\.|N\.V\.|Sp\.\s?z\s?o\.\s?o\.")
COMPANY_FORM = re.compile(rf"(?<=[\w.]),?\s(?P<form>{_LEGAL_FORM})(?!\w)")
# Lower-case words that belong inside a name ("Novák a syn"), and words that come before one.
CONNECTORS = {"a", "and", "&", "und", "et", "syn", "synové", "spol.", "of", "de", "von", "van"}
LEAD_WORDS = {"we", "our", "the", "my", "i", "at", "from", "for", "with", "company", "firm", "client",
              "contact", "jsme", "naše", "náš", "firma", "firmu", "společnost", "společnosti", "pro", "wir",
              "unsere", "die", "der", "nous", "notre", "la", "le", "hello", "dobrý", "den", "kontaktujte"}
PHONE_REGIONS = {code: language.phone_region for code, language in LANGUAGES.items()}
_WORD = re.compile(r"[\w-]+")


def find_facts(text: str, language: str = "en", today: dt.date | None = None) -> Facts:
    """Every fact the text states; None (or an empty contact) for what it does not."""
    return Facts(
        budget=find_budget(text),
        deadline=find_deadline(text, today),
        location=find_location(text),
        company=find_company(text),
        contact=Contact(email=find_email(text), phone=find_phone(text, PHONE_REGIONS.get(language, "CZ"))),
    )


def find_email(text: str) -> str | None:
    match = EMAIL.search(text)
    return match.group().rstrip(".") if match else None


def find_phone(text: str, region: str = "CZ") -> str | None:
    """The first valid phone number, in international format (libphonenumber's rules for `region`)."""
    import phonenumbers  # its metadata is loaded on first use; keep it out of processes that never need it

    if not re.search(r"\d[\d\s().-]{6,}\d", text):
        return None
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return None


def find_company(text: str) -> str | None:
    """A company name followed by its legal form (s.r.o., a.s., GmbH, Ltd, Inc, ...)."""
    for match in COMPANY_FORM.finditer(text):
        name = _name_before(text[max(0, match.start() - 120):match.start()])
        if name:
            return f"{name} {match['form']}"
    return None


def _name_before(text: str) -> str:
    """The capitalised words (with connectors such as "a syn") that end `text`, lead words dropped."""
    words: list[str] = []
    for word in reversed(text.split()):
        ends_a_clause = bool(words) and word[-1] in ".!?:;,)"
        if ends_a_clause or not (word[0].isupper() or word[0].isdigit() or word in CONNECTORS):
            break
        words.insert(0, word)
    while words and (words[0].lower() in LEAD_WORDS or words[0] in CONNECTORS):
        words.pop(0)
    return " ".join(words)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    return places.forms()


def find_location(text: str) -> str | None:
    """The first city the text names, or else the first country: where a client writes from comes early."""
    gazetteer = _gazetteer()
    words = _WORD.findall(text)
    country = None
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        for size in range(places.LONGEST, 0, -1):
            place = gazetteer.get(" ".join(words[i:i + size]))
            if place and place not in places.COUNTRIES:
                return place
            if place:
                country = country or place
                break
    return country
