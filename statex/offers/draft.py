"""A draft offer made from a request's analysis and the service catalogue; staff edit it before sending."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from statex.analysis.catalogue import Catalogue, Service
from statex.config import Settings
from statex.models import Offer, OfferLine, Submission
from statex.models.base import utcnow
from statex.models.offers import CURRENCIES
from statex.offers import wording
from statex.offers.editing import recompute
from statex.offers.money import line_total

# Why a draft starts empty, as a key the staff page words (portal/staff/offers.py).
NOTHING_FITS = "nothing_fits"
# The heading of the payment section of content/pages/terms in each language.
PAYMENT_HEADING = re.compile(r"^##\s*\d*\.?\s*(payment|platby)\b.*$", re.IGNORECASE | re.MULTILINE)


def draft(submission: Submission, settings: Settings, catalogue: Catalogue, version_of: Offer | None = None) -> Offer:
    """A new draft for `submission` (not yet added to a session): one line per recommended service."""
    result = submission.result.data if submission.result else {}
    language = wording.language_of(result.get("language"), submission.language)
    budget = (result.get("facts") or {}).get("budget")
    currency = _currency(budget, language)
    services = _services(result, catalogue, language)
    offer = Offer(submission=submission, owner_id=submission.owner_id, language=language, currency=currency,
                  vat_rate=settings.offer_vat_rate, valid_days=settings.offer_valid_days,
                  payment_terms=payment_terms(settings.content_dir, language),
                  client_name=_client_name(submission, result), note="" if services else NOTHING_FITS,
                  created_at=utcnow(), updated_at=utcnow(), lines=[])
    prices = _prices(services, _budget_in(budget, currency, settings), currency, settings)
    for position, (service, price) in enumerate(zip(services, prices)):
        offer.lines.append(OfferLine(position=position, slug=service.slug, title=service.title,
                                     description="\n".join(service.deliverables), timeline=service.timeline,
                                     quantity=Decimal("1"), unit_price=price, discount=Decimal("0"),
                                     total=line_total(Decimal("1"), price)))
    offer.cover_text = wording.cover(language, title=submission.title, services=[s.title for s in services],
                                     deadline=((result.get("facts") or {}).get("deadline") or {}).get("text"))
    recompute(offer)
    return offer


def _services(result: dict, catalogue: Catalogue, language: str) -> list[Service]:
    """The catalogue pages of the services the analysis recommends, in its order, in the offer's language."""
    if result.get("no_service_fits"):
        return []
    pages = {service.slug: service for service in catalogue.in_language(language)}
    slugs = [item.get("slug") for item in result.get("recommended_services") or []]
    return [pages[slug] for slug in dict.fromkeys(slugs) if slug in pages]


def _currency(budget: dict | None, language: str) -> str:
    """The budget's currency when we offer in it, else the language's usual one."""
    if budget and budget.get("currency") in CURRENCIES:
        return budget["currency"]
    return "CZK" if language == "cs" else "EUR"


def _budget_in(budget: dict | None, currency: str, settings: Settings) -> Decimal | None:
    """The client's budget (the middle of a range) in the offer's currency; None if unstated or foreign."""
    if not budget or budget.get("currency") not in CURRENCIES or not budget.get("amount"):
        return None
    low = Decimal(str(budget["amount"]))
    high = Decimal(str(budget["amount_max"])) if budget.get("amount_max") else low
    return _convert((low + high) / 2, budget["currency"], currency, settings)


def _prices(services: list[Service], budget: Decimal | None, currency: str, settings: Settings) -> list[Decimal]:
    """Each service's price within its range: the middle, or its share of the budget held to the range."""
    ranges = [_range(service, currency, settings) for service in services]
    middles = [(low + high) / 2 for low, high in ranges]
    if budget is None or not sum(middles):
        chosen = middles
    else:
        # The budget is split in proportion to the services' usual prices, then held to each range.
        chosen = [min(max(budget * middle / sum(middles), low), high)
                  for middle, (low, high) in zip(middles, ranges)]
    return [price.quantize(Decimal("1"), rounding=ROUND_HALF_UP) for price in chosen]


def _range(service: Service, currency: str, settings: Settings) -> tuple[Decimal, Decimal]:
    low = service.price_min or service.price_max or Decimal("0")
    high = service.price_max or low
    return (_convert(low, service.currency, currency, settings), _convert(high, service.currency, currency, settings))


def _convert(value: Decimal, source: str, target: str, settings: Settings) -> Decimal:
    """EUR and CZK into each other at OFFER_CZK_PER_EUR; anything else is taken as is."""
    if source == "EUR" and target == "CZK":
        return value * settings.offer_czk_per_eur
    if source == "CZK" and target == "EUR":
        return value / settings.offer_czk_per_eur
    return value


def _client_name(submission: Submission, result: dict) -> str:
    company = (result.get("facts") or {}).get("company")
    return company or submission.owner.name or submission.owner.email


def payment_terms(content_dir: Path, language: str) -> str:
    """The payment section of the site's terms page in `language` (English if untranslated), as plain text."""
    names = [f"terms.{language}.md", "terms.md"] if language != "en" else ["terms.md"]
    for name in names:
        path = Path(content_dir) / "pages" / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            heading = PAYMENT_HEADING.search(text)
            if heading:
                rest = text[heading.end():]
                end = re.search(r"^##\s", rest, re.MULTILINE)
                return (rest[:end.start()] if end else rest).strip()
    return ""
