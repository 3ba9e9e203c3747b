"""PostgreSQL or the storage away while a reply arrives: `statex mail-in` answers 451, the sender retries,
the reply lands once."""

from __future__ import annotations

import smtplib
from pathlib import Path

import pytest
from sqlalchemy import select

from statex import submissions
from statex.conversation.thread import post_message
from statex.db import session_scope
from statex.mail_in.addresses import reply_address
from statex.models import Message, User
from tests import samples
from tests.faults.test_database_outage import postgres  # noqa: F401  (the fixture: a cluster of the test's own)
from tests.faults.test_storage_outage import gate, s3_server  # noqa: F401  (S3 of the test's own, behind a gate)
from tests.mail_replies import MailIn, reply
from tests.fakes import s3_keys

CLIENT = "eva@example.com"


@pytest.fixture
def reply_to(postgres, settings, make_user):  # noqa: F811
    """The Reply-To of a request on the test's own PostgreSQL, on which staff asked the client something."""
    _, _, client_id = make_user("client", email=CLIENT, verified=True)
    _, _, staff_id = make_user("staff")
    with session_scope(postgres.url) as session:
        submission = submissions.create(session, session.get(User, client_id), "Read our invoices", process=False)
        post_message(session, submission, session.get(User, staff_id), "Could you send us one invoice?")
        return submission.id, reply_address(settings, submission.id, client_id)


def test_a_reply_while_the_database_is_down_is_deferred_then_lands_once(postgres, settings, reply_to):  # noqa: F811
    submission_id, address = reply_to
    mail = reply(CLIENT, address, "Here it is.", files=(("invoice.pdf", "application/pdf", samples.pdf()),))
    server = MailIn()
    try:
        postgres.stop()
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            server.send(mail, address)
        assert deferred.value.smtp_code == 451, "a 4xx makes the sending server keep the mail and retry"
        assert b"try again" in deferred.value.smtp_error
        assert not [p for p in Path(settings.storage_dir).rglob("*") if p.is_file()], "nothing half-stored"

        postgres.start()
        server.send(mail, address)  # the sending server's retry
        server.send(mail, address)  # and one more, as if our 250 had been lost on the way
    finally:
        assert server.stop() == 0
    assert _client_messages(postgres.url, submission_id) == [("Here it is.", ["invoice.pdf"])]
    assert len([p for p in Path(settings.storage_dir).rglob("*") if p.is_file()]) == 1


def test_a_reply_while_the_storage_is_down_is_deferred_then_lands_once(settings, gate, s3_server, make_user):  # noqa: F811
    _, _, client_id = make_user("client", email=CLIENT, verified=True)
    _, _, staff_id = make_user("staff")
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, client_id), "Read our invoices", process=False)
        post_message(session, submission, session.get(User, staff_id), "Could you send us one invoice?")
        submission_id, address = submission.id, reply_address(settings, submission.id, client_id)
    mail = reply(CLIENT, address, "Here it is.", files=(("invoice.pdf", "application/pdf", samples.pdf()),))
    server = MailIn()
    try:
        gate.down()
        with pytest.raises(smtplib.SMTPDataError) as deferred:
            server.send(mail, address)
        assert deferred.value.smtp_code == 451
        assert _client_messages(settings.database_url, submission_id) == [], "no message without its file"
        gate.up()
        server.send(mail, address)  # the sending server's retry
    finally:
        assert server.stop() == 0
    assert _client_messages(settings.database_url, submission_id) == [("Here it is.", ["invoice.pdf"])]
    assert len(s3_keys(s3_server.endpoint, s3_server.bucket)) == 1


def _client_messages(database_url: str, submission_id) -> list[tuple[str, list[str]]]:
    with session_scope(database_url) as session:
        return [(m.body, [f.name for f in m.files]) for m in session.scalars(
            select(Message).where(Message.submission_id == submission_id, Message.author_role == "client"))]
