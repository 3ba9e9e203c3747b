"""An offer version as a PDF: WeasyPrint from an HTML template in the theme's look, fonts embedded."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from statex.config import ROOT, Settings
from statex.models import Offer
from statex.offers import wording

# The theme's colours and type sizes (its dark scheme does not apply to paper).
TOKENS = ROOT / "themes" / "statex" / "static" / "css" / "tokens.css"


@lru_cache(maxsize=1)
def theme_tokens() -> str:
    """The theme's design tokens, light scheme only."""
    text = TOKENS.read_text(encoding="utf-8") if TOKENS.exists() else ""
    return text.split("@media (prefers-color-scheme: dark)")[0]


def html(offer: Offer, settings: Settings) -> str:
    """The offer's document as HTML, in the offer's language and its locale's number format."""
    locale = wording.LOCALES[wording.language_of(offer.language)]
    return wording.render("offer.html", offer.language, offer=offer, tokens=theme_tokens(),
                          company=settings.company_details, labels=wording.labels(offer.language),
                          money=lambda value: format_currency(value, offer.currency, locale=locale),
                          number=lambda value: format_decimal(value.normalize() if value == value.to_integral()
                                                              else value, locale=locale),
                          day=lambda value: format_date(value, "long", locale=locale) if value else "",
                          percent=_percent)


def render(offer: Offer, settings: Settings) -> bytes:
    """The PDF of `offer`: selectable text, DejaVu Sans embedded (Czech diacritics), A4."""
    from weasyprint import HTML

    return HTML(string=html(offer, settings), base_url=str(ROOT)).write_pdf()


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"
