"""Staff's edits of a draft: lines (added, removed, reordered), quantities, discounts, currency, VAT, validity."""

from __future__ import annotations

from decimal import Decimal

from statex.i18n import alternatives
from statex.i18n import lazy_gettext as _l

from statex.models import Offer, OfferLine
from statex.models.base import utcnow
from statex.models.offers import CURRENCIES
from statex.offers.money import BadAmount, amount, line_total, totals

MAX_LINES = 50
MAX_PRICE = Decimal("100000000")


class NotADraft(RuntimeError):
    """Only a draft is edited; a sent version is frozen."""


def recompute(offer: Offer) -> None:
    """Each line's total, then the offer's subtotal, VAT and total."""
    for position, line in enumerate(offer.lines):
        line.position = position
        line.total = line_total(line.quantity, line.unit_price, line.discount)
    figures = totals([line.total for line in offer.lines], offer.vat_rate)
    offer.subtotal, offer.vat, offer.total = figures.subtotal, figures.vat, figures.total


def check(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Clean values from `data` (currency, vat_rate, valid_days, cover_text, lines), and per-field errors."""
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    if "currency" in data:
        if data["currency"] in CURRENCIES:
            clean["currency"] = data["currency"]
        else:
            errors["currency"] = [str(_l("Choose %(choices)s.", choices=alternatives(CURRENCIES)))]
    _number(data, "vat_rate", clean, errors, Decimal("100"), str(_l("A percentage from 0 to 100, e.g. 21.")))
    if "valid_days" in data:
        days = str(data["valid_days"]).strip()
        if days.isdigit() and 1 <= int(days) <= 365:
            clean["valid_days"] = int(days)
        else:
            errors["valid_days"] = [str(_l("A whole number of days from 1 to 365."))]
    if "cover_text" in data:
        clean["cover_text"] = str(data["cover_text"] or "")[:5000]
    if "lines" in data:
        clean["lines"] = _lines(data["lines"], errors)
    return clean, errors


def apply(offer: Offer, clean: dict) -> None:
    """Apply checked values (from `check`) to a draft and recompute its figures."""
    if offer.state != "draft":
        raise NotADraft(offer.state)
    for name in ("currency", "vat_rate", "valid_days", "cover_text"):
        if name in clean:
            setattr(offer, name, clean[name])
    if "lines" in clean:
        offer.lines = [OfferLine(**line) for line in clean["lines"]]
    offer.updated_at = utcnow()
    recompute(offer)


def _lines(raw, errors: dict) -> list[dict]:
    """Lines in the order given; each needs a title, a quantity above 0, a price and a discount of 0–100 %."""
    if not isinstance(raw, list) or len(raw) > MAX_LINES:
        errors["lines"] = [str(_l("A list of at most %(count)d lines.", count=MAX_LINES))]
        return []
    lines = []
    for index, given in enumerate(raw):
        item = given if isinstance(given, dict) else {}
        prefix = f"lines[{index}]"
        title = str(item.get("title") or "").strip()[:255]
        if not title:
            errors[f"{prefix}.title"] = [str(_l("Give the line a title."))]
        line = {"title": title, "description": str(item.get("description") or "")[:5000],
                "timeline": str(item.get("timeline") or "")[:64], "slug": item.get("slug") or None}
        for name, low, high, default, message in (
                ("quantity", Decimal("0.01"), Decimal("100000"), "1", _l("A quantity above 0, e.g. 1 or 2.5.")),
                ("unit_price", Decimal("0"), MAX_PRICE, None, _l("A price of 0 or more, e.g. 1500.00.")),
                ("discount", Decimal("0"), Decimal("100"), "0", _l("A discount in percent from 0 to 100."))):
            value = item.get(name, default)
            try:
                line[name] = amount(value, low=low, high=high).quantize(Decimal("0.01"))
            except (BadAmount, TypeError):
                errors[f"{prefix}.{name}"] = [str(message)]
        lines.append(line)
    return lines


def _number(data: dict, name: str, clean: dict, errors: dict, high: Decimal, message: str) -> None:
    if name in data:
        try:
            clean[name] = amount(data[name], high=high).quantize(Decimal("0.01"))
        except (BadAmount, TypeError):
            errors[name] = [message]
