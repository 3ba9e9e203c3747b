"""The scheduler's reconcile round marks a sent offer past its validity as expired (jobs/reconcile.py)."""

from __future__ import annotations

import datetime as dt

from jobs.reconcile import reconcile
from statex import offers
from statex.analysis import catalogue_for
from statex.db import session_scope
from statex.models import Offer
from statex.queue import connect
from statex.storage import storage_for
from tests.offers_helpers import analysed_request, new_client


def test_a_round_of_the_scheduler_expires_what_is_past_its_date_and_leaves_the_rest(settings):
    long_ago = dt.date.today() - dt.timedelta(days=settings.offer_valid_days + 5)
    with session_scope(settings.database_url) as session:
        made = []
        for sent_on in (long_ago, dt.date.today()):
            submission = analysed_request(session, new_client(session))
            offer = offers.create_draft(session, settings, submission, catalogue_for(settings))
            made.append(offers.send(session, settings, storage_for(settings), offer, today=sent_on).id)

    reconcile(settings, connect(settings.redis_url))

    with session_scope(settings.database_url) as session:
        assert [session.get(Offer, key).state for key in made] == ["expired", "sent"]
