"""Offer money (statex/offers/money.py): Decimal only, lines rounded to the cent, then VAT once."""

from decimal import Decimal

import pytest

from statex.offers.money import BadAmount, amount, as_text, line_total, totals


def test_each_line_is_rounded_to_the_cent_before_the_sum():
    lines = [line_total(Decimal("3"), Decimal("0.335")), line_total(Decimal("1"), Decimal("0.335"))]
    assert lines == [Decimal("1.01"), Decimal("0.34")]  # 1.005 rounds half up, then 0.335 → 0.34
    figures = totals(lines, Decimal("21"))
    assert (figures.subtotal, figures.vat, figures.total) == (Decimal("1.35"), Decimal("0.28"), Decimal("1.63"))


def test_a_discount_is_taken_off_the_line_in_percent():
    assert line_total(Decimal("2"), Decimal("4999.99"), Decimal("12.5")) == Decimal("8749.98")


def test_amounts_are_read_from_text_in_english_or_czech_style_but_never_from_floats():
    assert amount("1 500,50") == Decimal("1500.50")
    assert amount(Decimal("7")) == Decimal("7")
    with pytest.raises(BadAmount):
        amount(0.1)
    with pytest.raises(BadAmount):
        amount("NaN")
    with pytest.raises(BadAmount):
        amount("101", high=Decimal("100"))


def test_the_api_writes_amounts_as_strings_with_two_decimals():
    assert as_text(Decimal("1500")) == "1500.00" and as_text(Decimal("0.005")) == "0.01"
