"""Deadlines in free text ("by March 2027", "within 6 weeks", "do konce června", "15. 3. 2027"), resolved to dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from statex.analysis.schema import Deadline

# Month names in English, Czech (all cases in use), German and French → month number.
MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "August": 8,
    "September": 9, "October": 10, "November": 11, "December": 12, "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4,
    "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
    "leden": 1, "ledna": 1, "lednu": 1, "únor": 2, "února": 2, "únoru": 2, "březen": 3, "března": 3,
    "březnu": 3, "duben": 4, "dubna": 4, "dubnu": 4, "květen": 5, "května": 5, "květnu": 5,
    "červen": 6, "června": 6, "červnu": 6, "červenec": 7, "července": 7, "červenci": 7, "srpen": 8,
    "srpna": 8, "srpnu": 8, "září": 9, "říjen": 10, "října": 10, "říjnu": 10, "listopad": 11,
    "listopadu": 11, "prosinec": 12, "prosince": 12, "prosinci": 12,
    "Januar": 1, "Februar": 2, "März": 3, "Mai": 5, "Juni": 6, "Juli": 7, "Oktober": 10, "Dezember": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}
MONTH_NUMBER = {name.lower(): number for name, number in MONTHS.items()}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "jeden": 1, "jednoho": 1, "jedné": 1, "jednu": 1, "dva": 2, "dvou": 2,
    "dvě": 2, "tři": 3, "tří": 3, "čtyři": 4, "čtyř": 4, "pět": 5, "pěti": 5, "šest": 6, "šesti": 6,
    "sedm": 7, "sedmi": 7, "osm": 8, "osmi": 8, "deset": 10, "deseti": 10, "zwei": 2, "drei": 3, "vier": 4,
    "sechs": 6, "acht": 8, "zehn": 10, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "huit": 8, "dix": 10,
}
# Unit word → (days, months) of one unit, by the word's start.
UNITS = (("d", 1, 0), ("tag", 1, 0), ("jour", 1, 0), ("w", 7, 0), ("týd", 7, 0), ("semaine", 7, 0),
         ("month", 0, 1), ("měsí", 0, 1), ("monat", 0, 1), ("mois", 0, 1),
         ("y", 0, 12), ("rok", 0, 12), ("let", 0, 12), ("jahr", 0, 12), ("an", 0, 12))
BEFORE = {"before", "před", "vor", "avant"}


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH = rf"(?:{_alternatives(MONTHS)})"
_YEAR = r"\d{4}"
_UNIT = (r"days?|weeks?|months?|years?|dn[yůíu]|dnech|den|týdn[yůue]|týdnech|týden|měsíc[eůi]?|měsících"
         r"|roky?|let|Tage?n?|Wochen?|Monate?n?|Jahre?n?|jours?|semaines?|mois|ans")
_WHEN = "|".join([
    r"(?P<asap>as soon as possible|asap|co nejdřív(?:e)?|so schnell wie möglich|dès que possible)",
    rf"(?:the\s|la\s)?(?:end|konce|konec|ende|fin)\s(?:of\s(?:the\s)?|de\s(?:la\s|l')?|des\s)?"
    rf"(?:(?P<em>{_MONTH})(?:\s(?P<ey>{_YEAR}))?|(?P<ep>year|roku|jahres|année|month|měsíce|monats|mois"
    rf"|quarter|čtvrtletí|quartals)(?:\s(?P<epy>{_YEAR}))?)",
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})",
    r"(?P<nd>[0-3]?\d)\.\s?(?P<nm>[01]?\d)\.(?:\s?(?P<ny>\d{4}))?|(?P<sd>[0-3]?\d)/(?P<sm>[01]?\d)/(?P<sy>\d{4})",
    rf"(?P<td>[0-3]?\d)(?:st|nd|rd|th|\.)?\s(?:of\s)?(?P<tm>{_MONTH})(?:,?\s(?P<ty>{_YEAR}))?",
    rf"(?P<um>{_MONTH})\s(?P<ud>[0-3]?\d)(?:st|nd|rd|th)?(?:,\s?(?P<uy>{_YEAR}))?(?!\d)",
    rf"Q(?P<q>[1-4])(?:\s?(?P<qy>{_YEAR}))?",
    rf"(?:(?P<n>\d{{1,3}}|{_alternatives(NUMBERS)})\s)?(?P<unit>{_UNIT})(?!\s\d{{4}})",
    rf"(?P<mm>{_MONTH})(?:\s(?P<my>{_YEAR}))?",
])
_CUE = (r"by|before|until|till|no later than|not later than|deadline(?: is| of)?|due(?: by| on| in)?|within|in"
        r"|do|nejpozději(?: do)?|termín(?: je)?|před|během|za|v|ve|k|"
        r"bis(?: spätestens| Ende)?|spätestens(?: bis| am)?|innerhalb(?: von)?|vor|d'ici(?: à| au)?|avant|"
        r"au plus tard(?: le)?|dans")
DEADLINE = re.compile(rf"(?<!\w)(?:(?P<cue>{_CUE})[:\s]\s*)(?:{_WHEN})(?!\w)|(?<!\w)(?P<asap_only>asap|"
                      r"as soon as possible|co nejdřív(?:e)?|urgent(?:ly)?|urgentně)(?!\w)", re.IGNORECASE)


def find_deadline(text: str, today: dt.date | None = None) -> Deadline | None:
    """The first deadline the text states, with its date when it can be resolved against `today`."""
    today = today or dt.date.today()
    for match in DEADLINE.finditer(text):
        if (match["mm"] or match["um"] or "") == "may":  # the verb, not the month
            continue
        if match["unit"] and not match["n"] and match["unit"].lower() not in ("týdne", "měsíce"):
            continue  # "in years", "by month": a unit alone is no deadline, except Czech "do týdne"
        try:
            date = _resolve(match, today)
        except ValueError:  # 31. 2. or month 13: not a date
            continue
        if date is not None and match["cue"] and match["cue"].lower() in BEFORE:
            date -= dt.timedelta(days=1)
        return Deadline(date=date, text=match.group().strip())
    return None


def _resolve(m: re.Match, today: dt.date) -> dt.date | None:
    """The date a deadline match stands for, or None when it names no date (ASAP)."""
    if m["asap"] or m["asap_only"]:
        return None
    if m["em"]:
        return _month_end(_upcoming(_month(m["em"]), m["ey"], today), _month(m["em"]))
    if m["ep"]:
        period = m["ep"].lower()
        year = int(m["epy"]) if m["epy"] else today.year
        if period in ("year", "roku", "jahres", "année"):
            return dt.date(year, 12, 31)
        if period.startswith(("quart", "čtvrt")):
            return _month_end(year, (today.month - 1) // 3 * 3 + 3)
        return _month_end(today.year, today.month)
    if m["iy"]:
        return dt.date(int(m["iy"]), int(m["im"]), int(m["id"]))
    if m["nd"]:
        return _day(int(m["nd"]), int(m["nm"]), m["ny"], today)
    if m["sd"]:
        return dt.date(int(m["sy"]), int(m["sm"]), int(m["sd"]))
    if m["tm"]:
        return _day(int(m["td"]), _month(m["tm"]), m["ty"], today)
    if m["um"]:
        return _day(int(m["ud"]), _month(m["um"]), m["uy"], today)
    if m["q"]:
        return _month_end(int(m["qy"]) if m["qy"] else today.year, int(m["q"]) * 3)
    if m["unit"]:
        count = int(m["n"]) if (m["n"] or "").isdigit() else NUMBERS.get((m["n"] or "").lower(), 1)
        return _after(today, count, m["unit"].lower())
    if m["mm"]:
        month = _month(m["mm"])
        year = _upcoming(month, m["my"], today)
        if m["cue"].lower() in BEFORE:
            return dt.date(year, month, 1)
        return _month_end(year, month)
    return None


def _month(name: str) -> int:
    return MONTH_NUMBER[name.lower()]


def _upcoming(month: int, year: str | None, today: dt.date) -> int:
    """The year given, or the year in which `month` comes next (this month counts as coming)."""
    if year:
        return int(year)
    return today.year if month >= today.month else today.year + 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(day: int, month: int, year: str | None, today: dt.date) -> dt.date:
    """A day of a month; without a year, its next occurrence from today."""
    if year:
        return dt.date(int(year), month, day)
    date = dt.date(today.year, month, day)
    return date if date >= today else dt.date(today.year + 1, month, day)


def _after(today: dt.date, count: int, unit: str) -> dt.date:
    """`count` units after today; months and years end on the same day of the month, or the month's last."""
    days, months = next((d, mo) for prefix, d, mo in UNITS if unit.startswith(prefix))
    if not months:
        return today + dt.timedelta(days=count * days)
    total = today.month - 1 + count * months
    year, month = today.year + total // 12, total % 12 + 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
