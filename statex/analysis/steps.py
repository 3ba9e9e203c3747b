"""Next steps for the client, composed from the services that matched and the facts still missing."""

from __future__ import annotations

from statex.analysis.catalogue import Service
from statex.analysis.schema import Facts

# One table per language the site speaks; other languages read the English one.
PHRASES = {
    "en": {
        "read": "Read about {title}: {url} (typical timeline {timeline}, typical price {price_range}).",
        "combine": "Your request also touches on {titles}; one pilot can cover them together.",
        "pilot": "Start with a short paid pilot on a sample of your own data. What you get: {deliverable}.",
        "assess": "Ask for a free first assessment: we reply within two working days.",
        "budget": "Tell us your budget range, so that we can fit the pilot to it.",
        "deadline": "Tell us by when you need the first version.",
        "unclear": "Describe the problem in a few more sentences (what data you have, what should happen): "
                   "nothing in our service catalogue matched it clearly.",
        "and": " and ",
    },
    "cs": {
        "read": "Přečtěte si o službě {title}: {url} (obvyklá doba {timeline}, obvyklá cena {price_range}).",
        "combine": "Váš požadavek se týká také: {titles}; jeden pilot může pokrýt obojí.",
        "pilot": "Začněte krátkým placeným pilotem na vzorku vašich dat. Co dostanete: {deliverable}.",
        "assess": "Požádejte o bezplatné první posouzení: odpovíme do dvou pracovních dnů.",
        "budget": "Napište nám svůj rozpočet, abychom mu pilot přizpůsobili.",
        "deadline": "Napište nám, do kdy potřebujete první verzi.",
        "unclear": "Popište problém v několika dalších větách (jaká data máte a co se má stát): "
                   "v našem katalogu služeb jsme nenašli jasnou shodu.",
        "and": " a ",
    },
}


def next_steps(services: list[Service], facts: Facts, language: str) -> list[str]:
    """What the client can do next, in their language, best service first."""
    say = PHRASES.get(language, PHRASES["en"])
    steps = []
    if services:
        best = services[0]
        steps.append(say["read"].format(title=best.title, url=best.url, timeline=best.timeline or "?",
                                        price_range=best.price_range or "?"))
        if len(services) > 1:
            steps.append(say["combine"].format(titles=say["and"].join(s.title for s in services[1:])))
        if best.deliverables:
            steps.append(say["pilot"].format(deliverable=best.deliverables[0].rstrip(".")))
    else:
        steps.append(say["unclear"])
    steps.append(say["assess"])
    if facts.budget is None:
        steps.append(say["budget"])
    if facts.deadline is None:
        steps.append(say["deadline"])
    return steps
