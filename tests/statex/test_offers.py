"""The offer domain (statex/offers): drafted from the analysis, sent once as a frozen PDF, decided once."""

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from statex import offers
from statex.analysis import catalogue_for
from statex.i18n import translate
from statex.models import Offer, SubmissionEvent
from statex.offers import Acceptance, WrongState, editing
from statex.storage import storage_for
from tests.offers_helpers import analysed_request, new_client

TODAY = dt.date(2026, 12, 2)


def _draft(db, settings, **request):
    submission = analysed_request(db, new_client(db), **request)
    return offers.create_draft(db, settings, submission, catalogue_for(settings))


def _sent(db, settings, **request):
    offer = _draft(db, settings, **request)
    return offers.send(db, settings, storage_for(settings), offer, today=TODAY)


def _accept(offer, sha=None):
    return Acceptance(name="Jana Nováková", ip="192.0.2.7", user_agent="pytest", pdf_sha256=sha or offer.pdf_sha256)


def test_a_draft_has_a_line_per_recommended_service_priced_in_its_range(db, settings):
    offer = _draft(db, settings)
    assert [line.slug for line in offer.lines] == ["document-extraction", "support-assistant"]
    extraction = offer.lines[0]
    assert extraction.timeline and "\n" in extraction.description  # deliverables, one a line
    page = catalogue_for(settings).in_language("en")
    service = next(s for s in page if s.slug == "document-extraction")
    assert extraction.unit_price == (service.price_min + service.price_max) / 2  # no budget: the middle
    assert offer.currency == "EUR" and offer.vat_rate == Decimal("21") and offer.valid_days == 30
    assert "payable within 14 days" in offer.payment_terms
    assert offer.subtotal == sum(line.total for line in offer.lines)
    assert offer.total == offer.subtotal + offer.vat and offer.vat == (offer.subtotal * Decimal("0.21")).quantize(
        Decimal("0.01"))


def test_prices_move_toward_a_small_budget_but_stay_in_the_range(db, settings):
    offer = _draft(db, settings, budget={"amount": 100.0, "currency": "EUR", "text": "100 EUR"})
    services = {s.slug: s for s in catalogue_for(settings).in_language("en")}
    assert [line.unit_price for line in offer.lines] == [services[line.slug].price_min for line in offer.lines]


def test_a_czech_request_gets_czech_words_and_crowns(db, settings):
    offer = _draft(db, settings, language="cs", budget={"amount": 400000.0, "currency": "CZK", "text": "400 000 Kč"})
    assert offer.currency == "CZK" and offer.cover_text.startswith("Děkujeme za vaši poptávku")
    assert "Splatnost faktur je 14 dní" in offer.payment_terms
    assert offer.lines[0].title == "Vytěžování dat z dokumentů"
    low = next(s for s in catalogue_for(settings).in_language("cs") if s.slug == "document-extraction").price_min
    assert offer.lines[0].unit_price >= low * settings.offer_czk_per_eur


def test_when_nothing_fits_the_draft_starts_empty_and_says_so(db, settings):
    offer = _draft(db, settings, services=[])
    assert offer.lines == [] and offer.note == "nothing_fits" and offer.total == 0
    with pytest.raises(WrongState):
        offers.send(db, settings, storage_for(settings), offer, today=TODAY)


def test_sending_numbers_freezes_and_stores_the_pdf_with_its_sha256(db, settings):
    offer = _sent(db, settings)
    assert (offer.state, offer.number, offer.valid_until) == ("sent", "2026-0001", TODAY + dt.timedelta(days=30))
    stored = b"".join(storage_for(settings).open(offer.pdf_key))
    assert hashlib.sha256(stored).hexdigest() == offer.pdf_sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages)
    assert "2026-0001" in text and "Document data extraction" in text and "Total" in text
    with pytest.raises(editing.NotADraft):
        editing.apply(offer, {"vat_rate": Decimal("0")})
    with pytest.raises(WrongState):
        offers.send(db, settings, storage_for(settings), offer, today=TODAY)
    assert db.query(SubmissionEvent).filter_by(kind="offer.sent").count() == 1


def test_the_pdf_keeps_czech_letters_and_the_total_in_the_czech_format(db, settings):
    offer = _sent(db, settings, language="cs")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(
        storage_for(settings).open(offer.pdf_key)))).pages)
    assert "Vytěžování dat z dokumentů" in text and "Pekárna Novák s.r.o." in text and "Celkem" in text
    whole = f"{int(offer.total):,}".replace(",", "\u00a0")
    assert whole in text and "Kč" in text


def test_only_the_latest_unexpired_version_is_accepted_once(db, settings):
    first = _sent(db, settings)
    second = offers.revise(db, first)
    assert (second.version, second.number, second.state) == (2, first.number, "draft")
    clean, errors = editing.check({"lines": [{"title": "Pilot", "quantity": "1", "unit_price": "1000"}]})
    editing.apply(second, clean)
    assert not errors and second.total == Decimal("1210.00")
    offers.send(db, settings, storage_for(settings), second, today=TODAY)
    db.refresh(first)
    assert first.state == "superseded" and second.number == "2026-0001"
    with pytest.raises(WrongState):
        offers.accept(db, first, _accept(first), today=TODAY)
    with pytest.raises(WrongState):
        offers.accept(db, second, _accept(second, sha="0" * 64), today=TODAY)  # not the PDF shown
    offers.accept(db, second, _accept(second), today=TODAY)
    assert (second.state, second.accepted_name, second.accepted_ip) == ("accepted", "Jana Nováková", "192.0.2.7")
    with pytest.raises(WrongState):
        offers.accept(db, second, _accept(second), today=TODAY)


def test_an_expired_offer_cannot_be_accepted_or_declined(db, settings):
    offer = _sent(db, settings)
    db.commit()
    later = TODAY + dt.timedelta(days=31)
    assert offer.shown_state(later) == "expired"
    with pytest.raises(WrongState):
        offers.accept(db, offer, _accept(offer), today=later)
    db.rollback()
    assert offers.expire_due(db, later) == 1 and db.get(Offer, offer.id).state == "expired"


def test_a_decline_keeps_its_reason_and_a_draft_cannot_be_declined(db, settings):
    draft = _draft(db, settings)
    with pytest.raises(WrongState):
        offers.decline(db, draft, "too dear", today=TODAY)
    offer = _sent(db, settings)
    offers.decline(db, offer, "  Too dear for now. ", today=TODAY)
    assert (offer.state, offer.decline_reason) == ("declined", "Too dear for now.")


def test_edits_are_checked_field_by_field(db, settings):
    clean, errors = editing.check({"currency": "USD", "vat_rate": "abc", "valid_days": "0",
                                   "lines": [{"title": "", "quantity": "-1", "unit_price": "1,5", "discount": "101"}]})
    assert set(errors) == {"currency", "vat_rate", "valid_days", "lines[0].title", "lines[0].quantity",
                           "lines[0].discount"}
    assert clean["lines"][0]["unit_price"] == Decimal("1.50")


@pytest.mark.parametrize(("language", "words"), [("en", "Choose EUR or CZK."), ("cs", "EUR nebo CZK")])
def test_a_wrong_currency_names_the_choices_in_the_readers_words(language, words):
    with translate(language):
        _, errors = editing.check({"currency": "USD"})
    assert words in errors["currency"][0]
