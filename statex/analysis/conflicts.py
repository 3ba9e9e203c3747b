"""Budgets and deadlines read from each source of a request: the one stated last, and any disagreement."""

from __future__ import annotations

import datetime as dt

from statex.analysis.deadlines import find_deadline
from statex.analysis.money import find_budget, find_stated_budget
from statex.analysis.schema import Budget, Conflict, Deadline, Statement
from statex.analysis.sources import Source, joined

# The note on a disagreement, per language of the request; other languages read English.
NOTES = {
    "en": {"budget": "budgets", "deadline": "deadlines",
           "note": "Your request gives different {what}: {values}. The one you gave last is {latest}, so that is "
                   "the one we work with."},
    "cs": {"budget": "rozpočty", "deadline": "termíny",
           "note": "Váš požadavek uvádí různé {what}: {values}. Naposledy jste uvedli {latest}, a s tím "
                   "počítáme."},
    "de": {"budget": "Budgets", "deadline": "Termine",
           "note": "Ihre Anfrage nennt verschiedene {what}: {values}. Zuletzt haben Sie {latest} angegeben; "
                   "davon gehen wir aus."},
    "fr": {"budget": "budgets", "deadline": "délais",
           "note": "Votre demande indique des {what} différents : {values}. Le dernier que vous avez donné est "
                   "{latest} ; c’est celui que nous retenons."},
}


def _budget_key(budget: Budget) -> tuple:
    return budget.amount, budget.amount_max, budget.currency


def _deadline_key(deadline: Deadline) -> tuple:
    return (deadline.date,) if deadline.date else (deadline.text.lower(),)


def stated(sources: list[Source], language: str, today: dt.date | None = None
           ) -> tuple[Budget | None, Deadline | None, list[Conflict]]:
    """The budget and deadline the client stated last, and a conflict for each the sources disagree on.

    Across sources only an amount called a budget counts: a file's price list states no budget. When
    no source calls an amount a budget, the first amount with a currency is the budget, as in one text.
    """
    budgets = [(s, b) for s in sources if (b := find_stated_budget(s.text))]
    deadlines = [(s, d) for s in sources if (d := find_deadline(s.text, today))]
    budget, budget_conflict = (_latest("budget", budgets, _budget_key, language) if budgets
                               else (find_budget(joined(sources)), None))
    deadline, deadline_conflict = _latest("deadline", deadlines, _deadline_key, language)
    return budget, deadline, [c for c in (budget_conflict, deadline_conflict) if c]


def _latest(field: str, found: list[tuple[Source, Budget | Deadline]], key, language: str):
    """The value stated last (sources come in the order given) and, if others differ from it, the conflict."""
    if not found:
        return None, None
    distinct: dict[tuple, int] = {}
    for index, (_source, value) in enumerate(found):
        distinct[key(value)] = index  # a value repeated counts where it was stated last
    if len(distinct) == 1:
        return found[-1][1], None
    kept = [found[i] for i in sorted(distinct.values())]
    values = [Statement(text=value.text, source=source.label(language), given_at=source.given_at)
              for source, value in kept]
    return kept[-1][1], Conflict(field=field, values=values, latest=len(values) - 1,
                                 note=_note(field, values, language))


def _note(field: str, values: list[Statement], language: str) -> str:
    say = NOTES.get(language, NOTES["en"])
    listed = "; ".join(f"{v.text} ({v.source})" for v in values)
    latest = values[-1]
    return say["note"].format(what=say[field], values=listed, latest=f"{latest.text} ({latest.source})")
