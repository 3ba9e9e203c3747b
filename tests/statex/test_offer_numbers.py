"""Offer numbers (statex/offers/numbering.py) on real PostgreSQL: no gaps, no duplicates, sends at once."""

import datetime as dt
import threading

from sqlalchemy import select

from statex import offers
from statex.db import session_scope
from statex.models import Offer
from statex.offers import numbering
from statex.storage import storage_for
from tests.offers_helpers import drafted_offer

TODAY = dt.date(2026, 12, 2)


def _send(settings, offer_id, barrier, failures):
    try:
        barrier.wait(timeout=30)
        with session_scope(settings.database_url) as session:
            offers.send(session, settings, storage_for(settings), session.get(Offer, offer_id), today=TODAY)
    except Exception as error:  # noqa: BLE001  (reported by the test below)
        failures.append(error)


def test_concurrent_sends_take_consecutive_numbers_without_gaps_or_duplicates(settings, make_user):
    email, _password, _id = make_user()
    ids = [drafted_offer(settings, email)[1] for _ in range(6)]
    barrier, failures = threading.Barrier(len(ids)), []
    threads = [threading.Thread(target=_send, args=(settings, offer_id, barrier, failures)) for offer_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    with session_scope(settings.database_url) as session:
        numbers = sorted(session.scalars(select(Offer.number).where(Offer.state == "sent")))
    assert numbers == [f"2026-{n:04d}" for n in range(1, 7)]


def test_a_send_that_rolls_back_gives_its_number_back(settings):
    with session_scope(settings.database_url) as session:
        assert numbering.next_number(session, 2026) == "2026-0001"
        session.rollback()
        assert numbering.next_number(session, 2026) == "2026-0001"
        assert numbering.next_number(session, 2026) == "2026-0002"
        assert numbering.next_number(session, 2027) == "2027-0001"
