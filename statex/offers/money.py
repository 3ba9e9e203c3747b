"""Money for offers: Decimal only, each line rounded to the cent, then subtotal, VAT and total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


class BadAmount(ValueError):
    """A quantity, price, rate or discount that is not a number we can take."""


def amount(value: object, *, low: Decimal = Decimal("0"), high: Decimal | None = None) -> Decimal:
    """`value` (a Decimal, int or text such as "1 500,50") as a Decimal within [low, high]; never via float."""
    if isinstance(value, float):
        raise BadAmount("amounts are never floats")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Czech decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadAmount(f"{value!r} is not a number") from None
    if not number.is_finite() or number < low or (high is not None and number > high):
        raise BadAmount(f"{value!r} is out of range")
    return number


def cents(value: Decimal) -> Decimal:
    """`value` rounded to the cent, halves away from zero as invoices do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(quantity: Decimal, unit_price: Decimal, discount: Decimal = Decimal("0")) -> Decimal:
    """One line's amount: quantity × unit price less its discount (percent), rounded to the cent."""
    return cents(quantity * unit_price * (HUNDRED - discount) / HUNDRED)


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    vat: Decimal
    total: Decimal


def totals(line_totals: list[Decimal], vat_rate: Decimal) -> Totals:
    """The sum of rounded lines, the VAT on it (rounded once) and the total."""
    subtotal = cents(sum(line_totals, Decimal("0")))
    vat = cents(subtotal * vat_rate / HUNDRED)
    return Totals(subtotal, vat, subtotal + vat)


def as_text(value: Decimal) -> str:
    """The API's form of an amount: a string with two decimals, e.g. "1500.00"."""
    return f"{cents(value):.2f}"
