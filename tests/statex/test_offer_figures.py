"""The offer pipeline's figures (statex/offers/figures.py): by state, and one month's conversion and speed."""

import datetime as dt
from decimal import Decimal

from statex import offers
from statex.analysis import catalogue_for
from statex.models.base import utcnow
from statex.offers import Acceptance, figures
from statex.storage import storage_for
from tests.offers_helpers import analysed_request, new_client


def test_the_month_counts_requests_sends_acceptances_value_and_the_median_wait(db, settings):
    owner, today = new_client(db), utcnow().date()
    sent = []
    for seconds in (10, 20, 40):  # minutes would cross into last month in a month's first minutes
        submission = analysed_request(db, owner)
        submission.created_at = utcnow() - dt.timedelta(seconds=seconds)
        offer = offers.create_draft(db, settings, submission, catalogue_for(settings))
        sent.append(offers.send(db, settings, storage_for(settings), offer, today=today))
    analysed_request(db, owner)  # a request with no offer yet
    offers.create_draft(db, settings, analysed_request(db, owner), catalogue_for(settings))
    offers.accept(db, sent[0], Acceptance("Jana", "192.0.2.1", "pytest", sent[0].pdf_sha256), today=today)
    db.flush()
    month = figures.month(db, today.replace(day=1))
    assert (month.received, month.sent, month.accepted) == (5, 3, 1)
    assert round(month.conversion, 3) == 0.333 and month.value_accepted == {"EUR": sent[0].total}
    assert dt.timedelta(seconds=20) <= month.median_to_sent < dt.timedelta(seconds=40)
    assert figures.by_state(db) == {"draft": 1, "sent": 2, "accepted": 1, "declined": 0, "expired": 0,
                                    "superseded": 0}
    assert figures.month(db, dt.date(2001, 1, 1)).conversion is None and isinstance(sent[0].total, Decimal)
