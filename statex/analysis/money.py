"""Budgets in free text: amounts with a currency in English and Czech styles, single or as a range."""

from __future__ import annotations

import re
from collections.abc import Iterator

from statex.analysis.schema import Budget

# Currency as written (lower-cased) → ISO 4217. Words only count after the amount.
CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "eura": "EUR", "euros": "EUR", "eur.": "EUR",
    "$": "USD", "usd": "USD", "us$": "USD", "dollars": "USD", "dolarů": "USD", "dolary": "USD",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP", "liber": "GBP",
    "kč": "CZK", "kc": "CZK", "czk": "CZK", ",-": "CZK", "korun": "CZK", "koruny": "CZK", "korun českých": "CZK",
    "chf": "CHF", "pln": "PLN", "zł": "PLN",
}
SCALES = {
    "k": 1e3, "tis": 1e3, "tis.": 1e3, "tisíc": 1e3, "tisíce": 1e3, "thousand": 1e3, "tsd.": 1e3,
    "m": 1e6, "mil": 1e6, "mil.": 1e6, "mio": 1e6, "mio.": 1e6, "million": 1e6, "millions": 1e6,
    "milion": 1e6, "miliony": 1e6, "milionů": 1e6, "mln": 1e6, "mln.": 1e6,
}
BUDGET_WORDS = re.compile(
    r"\b(budget\w*|rozpo[čc]\w*|spend|invest\w*|max(?:imum|imáln\w*)?|up to|do výše|budżet)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?]\s")

_PREFIX = r"(?P<pre>€|\$|£|US\$|EUR|USD|CZK|GBP|CHF)\s?"
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
_SCALE = "|".join(sorted((re.escape(s) for s in SCALES), key=len, reverse=True))
_SUFFIX = "|".join(sorted((re.escape(c) for c in CURRENCIES if not c.isascii() or c.isalpha() or c == ",-"),
                          key=len, reverse=True))
_AMOUNT = (rf"(?:{_PREFIX})?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE})(?![\w]))?"
           rf"(?:\s?(?P<suf>{_SUFFIX})(?![\w]))?")
AMOUNT = re.compile(rf"(?<![\w.,]){_AMOUNT}", re.IGNORECASE)
RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|až|and|a|bis)\s*", re.IGNORECASE)


def parse_number(raw: str) -> float:
    """A number written with English (1,500.50) or Czech/German (1 500,50 or 1.500,50) separators."""
    raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    if "," in raw and "." in raw:
        thousands = "," if raw.rfind(",") < raw.rfind(".") else "."
        decimal = "." if thousands == "," else ","
        return float(raw.replace(thousands, "").replace(decimal, "."))
    for separator in ",.":
        if separator in raw:
            head, _sep, tail = raw.rpartition(separator)
            if raw.count(separator) > 1 or len(tail) == 3:
                return float(raw.replace(separator, ""))
            return float(f"{head}.{tail}")
    return float(raw)


def _amount(match: re.Match) -> tuple[float, str | None, bool]:
    """(value, ISO currency or None, whether a scale word such as 'k' was given) of one amount."""
    value = parse_number(match["num"])
    scale = match["scale"]
    if scale:
        value *= SCALES[scale.lower()]
    mark = (match["pre"] or match["suf"] or "").lower()
    return value, CURRENCIES.get(mark), bool(scale)


def _span(text: str, match: re.Match) -> tuple[float, float | None, str | None, bool, int]:
    """(low, high or None, currency, scaled, end) of an amount, extended over a range that follows it."""
    low, currency, scaled = _amount(match)
    single = (low, None, currency, scaled, match.end())
    join = RANGE_JOIN.match(text, match.end())
    second = AMOUNT.match(text, join.end()) if join else None
    if second is None:
        return single
    high, currency_high, scaled_high = _amount(second)
    if second["scale"] and not match["scale"]:  # "10–20k": the scale belongs to both ends
        low *= SCALES[second["scale"].lower()]
    if high <= low or (currency and currency_high and currency_high != currency):
        return single
    return low, high, currency or currency_high, scaled or scaled_high, second.end()


def _sentence_before(text: str, position: int) -> str:
    """Up to 80 characters before `position`, from the start of its sentence."""
    before = text[max(0, position - 80):position]
    ends = list(SENTENCE_END.finditer(before))
    return before[ends[-1].end():] if ends else before


def find_budget(text: str) -> Budget | None:
    """The budget the text states: an amount with a currency, or a scaled amount ('200k') near 'budget'."""
    fallback = None
    for found, near_budget in budgets(text):
        if near_budget:
            return found
        fallback = fallback or found
    return fallback


def find_stated_budget(text: str) -> Budget | None:
    """The first amount the text calls a budget ("budget", "up to", "rozpočet"): not a price in a list."""
    return next((found for found, near_budget in budgets(text) if near_budget), None)


def budgets(text: str) -> Iterator[tuple[Budget, bool]]:
    """Each amount that can be a budget, in order, and whether a word such as 'budget' stands near it."""
    for match in AMOUNT.finditer(text):
        low, high, currency, scaled, end = _span(text, match)
        after = SENTENCE_END.split(text[match.start():end + 20], 1)[0]
        near_budget = bool(BUDGET_WORDS.search(_sentence_before(text, match.start()) + after))
        if low == 0 or (currency is None and not (scaled and near_budget)):
            continue
        yield Budget(amount=low, amount_max=high, currency=currency, text=text[match.start():end].strip()), near_budget
