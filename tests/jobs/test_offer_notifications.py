"""Offer notifications through the event → delivery path (jobs/deliver.py): the client on send, staff on decisions."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from jobs.deliver import notify_event
from statex import accounts, offers
from statex.analysis import catalogue_for
from statex.db import session_scope
from statex.models import Delivery, SubmissionEvent
from statex.offers import Acceptance
from statex.storage import storage_for
from tests.offers_helpers import analysed_request



def _event_ids(session, kind):
    return [str(i) for i in session.scalars(select(SubmissionEvent.id).where(SubmissionEvent.kind == kind))]


def test_the_client_hears_of_the_offer_once_and_staff_of_the_acceptance(smtp, settings, make_user):
    from statex.config import load_settings

    settings = load_settings()  # with SMTP_URL
    email, _password, _ = make_user(name="Jana")
    make_user(role="staff", email="staff@example.com")
    with session_scope(settings.database_url) as session:
        submission = analysed_request(session, accounts.find_user(session, email), language="cs")
        offer = offers.create_draft(session, settings, submission, catalogue_for(settings))
        offers.send(session, settings, storage_for(settings), offer)
        number, offer_id = offer.number, str(offer.id)
    with session_scope(settings.database_url) as session:
        [sent] = _event_ids(session, "offer.sent")
    assert notify_event(sent) == "sent"
    assert notify_event(sent) == "already sent"
    [message] = smtp.messages
    assert message["To"] == email and number in message["Subject"] and "nabídka" in message["Subject"].lower()
    assert f"/portal/offers/{offer_id}" in message.get_body(("plain",)).get_content()

    with session_scope(settings.database_url) as session:
        found = session.get(type(offer), offer.id)
        offers.accept(session, found, Acceptance("Jana Nováková", "192.0.2.9", "pytest", found.pdf_sha256))
    with session_scope(settings.database_url) as session:
        [accepted] = _event_ids(session, "offer.accepted")
    notify_event(accepted)
    notify_event(accepted)
    with session_scope(settings.database_url) as session:
        events = sorted(d.event for d in session.scalars(select(Delivery)))
    assert events == ["offer.accepted", "offer.sent", "staff.offer.accepted"]
    # The confirmation carries the very PDF the client was shown: its sha256 is the one recorded.
    [confirmation] = [m for m in smtp.messages if m["To"] == email and m is not message]
    [pdf] = list(confirmation.iter_attachments())
    assert pdf.get_content_type() == "application/pdf" and pdf.get_filename() == f"offer-{number}-v1.pdf"
    assert hashlib.sha256(pdf.get_content()).hexdigest() == found.pdf_sha256
