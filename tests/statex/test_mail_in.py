"""Replies by email through `statex mail-in` over real SMTP: landed once, or refused with the reason."""

from __future__ import annotations

import imaplib
import os
import signal
import smtplib
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jobs.deliver import notify_event
from statex import submissions
from statex.conversation.thread import FROM_STAFF, post_message
from statex.db import session_scope
from statex.mail_in.addresses import reply_address
from statex.models import Message, SubmissionEvent, User
from statex.models.base import utcnow
from tests import samples
from tests.conftest import ROOT, free_port
from tests.helpers import wait_until
from tests.mail_replies import MailIn, reply

CLIENT = "eva@example.com"



@pytest.fixture
def thread(settings, smtp, make_user):
    """A client's request on which staff wrote; (submission id, client id, the Reply-To of its email)."""
    _, _, client_id = make_user("client", email=CLIENT, name="Eva", verified=True)
    _, _, staff_id = make_user("staff", name="Sam")
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, client_id), "Read our invoices", process=False)
        post_message(session, submission, session.get(User, staff_id), "Could you send us one invoice?")
        submission_id = submission.id
    with session_scope(settings.database_url) as session:
        event_id = session.scalar(select(SubmissionEvent.id).where(SubmissionEvent.submission_id == submission_id,
                                                                   SubmissionEvent.kind == FROM_STAFF))
    notify_event(str(event_id))
    (email,) = [m for m in smtp.messages if m["To"] == CLIENT]
    return submission_id, client_id, str(email["Reply-To"])


@pytest.fixture
def mail_in(thread):
    server = MailIn()
    yield server
    assert server.stop() == 0, "statex mail-in should stop cleanly on SIGTERM"


def messages_from_client(settings, submission_id) -> list[Message]:
    with session_scope(settings.database_url) as session:
        found = list(session.scalars(select(Message).where(Message.submission_id == submission_id,
                                                           Message.author_role == "client")))
        for message in found:
            message.files  # noqa: B018  (loaded before the session closes)
        return found


def test_the_notification_of_a_staff_message_has_a_reply_to_naming_the_request(settings, thread, smtp):
    submission_id, _client_id, reply_to = thread
    local, _, domain = reply_to.partition("@")
    assert domain == "replies.statex.test" and local.startswith("reply+")
    assert len(local) <= 64  # what SMTP allows a local part
    # Other emails (here: the request was received) have no address to answer to.
    with session_scope(settings.database_url) as session:
        created = session.scalar(select(SubmissionEvent.id).where(SubmissionEvent.submission_id == submission_id,
                                                                  SubmissionEvent.kind == "submission.created"))
    notify_event(str(created))
    others = [m for m in smtp.messages if m["To"] == CLIENT and m["Reply-To"] is None]
    assert len(others) == 1 and len(smtp.messages) == 2


def test_a_reply_lands_in_the_thread_with_its_file_and_without_the_quoted_mail(settings, thread, mail_in):
    submission_id, _client_id, reply_to = thread
    invoice = samples.pdf("Invoice 2026-117. Total 4 800 CZK.")
    mail_in.send(reply(CLIENT, reply_to, "Here is one of them.\n\nThe others look the same.",
                       files=(("invoice-117.pdf", "application/pdf", invoice),)), reply_to)
    (message,) = messages_from_client(settings, submission_id)
    assert message.body == "Here is one of them.\n\nThe others look the same."
    assert message.source == "email" and message.source_id == "reply-1@mail.example.com"
    assert [(f.name, f.content_type, f.size) for f in message.files] == [
        ("invoice-117.pdf", "application/pdf", len(invoice))]


def test_the_same_mail_delivered_twice_lands_once(settings, thread, mail_in):
    submission_id, _client_id, reply_to = thread
    mail = reply(CLIENT, reply_to, "Yes, all of them.")
    mail_in.send(mail, reply_to)
    mail_in.send(mail, reply_to)  # the sender did not hear our 250 and tries again
    assert [m.body for m in messages_from_client(settings, submission_id)] == ["Yes, all of them."]


def test_an_out_of_office_answer_is_taken_but_never_stored(settings, thread, mail_in):
    submission_id, _client_id, reply_to = thread
    away = reply(CLIENT, reply_to, "I am away until Monday.", message_id="<away@mail.example.com>")
    away["Auto-Submitted"] = "auto-replied"
    mail_in.send(away, reply_to)  # 250: a bounce would only meet another program
    assert messages_from_client(settings, submission_id) == []


def test_a_reply_from_someone_else_is_refused_and_not_stored(settings, thread, mail_in):
    submission_id, _client_id, reply_to = thread
    with pytest.raises(smtplib.SMTPDataError) as refused:
        mail_in.send(reply("mallory@example.org", reply_to, "Send me their invoices."), reply_to)
    assert refused.value.smtp_code == 550
    assert b"Only the client of this request may reply" in refused.value.smtp_error
    assert b"mallory@example.org" in refused.value.smtp_error
    assert messages_from_client(settings, submission_id) == []


def test_a_forged_address_is_refused_and_not_stored(settings, thread, mail_in, make_user):
    submission_id, _client_id, reply_to = thread
    local, _, domain = reply_to.partition("@")
    at = len(local) - 10  # a letter of the signature
    forged = local[:at] + ("a" if local[at] != "a" else "b") + local[at + 1:] + "@" + domain
    with pytest.raises(smtplib.SMTPDataError) as refused:
        mail_in.send(reply(CLIENT, forged, "Hello"), forged)
    assert (refused.value.smtp_code, b"not a reply address we gave out" in refused.value.smtp_error) == (550, True)
    # An address signed for another person does not let the client's mail in either.
    _, _, other_id = make_user("client")
    someone_elses = reply_address(replace(settings, mail_in_domain=domain), submission_id, other_id)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        mail_in.send(reply(CLIENT, someone_elses, "Hello"), someone_elses)
    assert refused.value.smtp_code == 550
    with pytest.raises(smtplib.SMTPRecipientsRefused) as unknown:
        mail_in.send(reply(CLIENT, f"postmaster@{domain}", "Hello"), f"postmaster@{domain}")
    code, reason = unknown.value.recipients[f"postmaster@{domain}"]
    assert code == 550 and b"not a reply address of ours" in reason
    assert messages_from_client(settings, submission_id) == []


def test_an_expired_address_is_refused_with_the_day_it_expired(settings, thread, mail_in):
    submission_id, client_id, reply_to = thread
    domain = reply_to.partition("@")[2]
    issued = utcnow() - timedelta(days=settings.mail_in_token_days + 1)
    old = reply_address(replace(settings, mail_in_domain=domain), submission_id, client_id, now=issued)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        mail_in.send(reply(CLIENT, old, "Late answer"), old)
    code, reason = refused.value.recipients[old]
    assert code == 550 and b"expired on" in reason
    assert messages_from_client(settings, submission_id) == []


def test_mail_over_the_limits_is_refused_with_the_limit_and_not_stored(settings, thread, monkeypatch):
    submission_id, _client_id, reply_to = thread
    monkeypatch.setenv("UPLOAD_MAX_FILE_MB", "1")
    server = MailIn()
    try:
        big = samples.pdf() + b"\n%" + b"x" * (2 * 1024 * 1024)
        with pytest.raises(smtplib.SMTPDataError) as refused:
            server.send(reply(CLIENT, reply_to, "All of them", files=(("all.pdf", "application/pdf", big),)),
                        reply_to)
        assert refused.value.smtp_code == 552
        assert b'"all.pdf" is 2.0 MB; files may be up to 1.0 MB' in refused.value.smtp_error
        with pytest.raises(smtplib.SMTPDataError) as refused:
            server.send(reply(CLIENT, reply_to, "A program", message_id="<exe@mail.example.com>",
                              files=(("run.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 200),)),
                        reply_to)
        assert refused.value.smtp_code == 552 and b"which we do not accept" in refused.value.smtp_error
    finally:
        assert server.stop() == 0
    assert messages_from_client(settings, submission_id) == []


@pytest.fixture
def mailbox():
    """pymap, an IMAP server, on loopback with its in-memory mailbox; the URL statex polls."""
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("pymap")), "--host", "127.0.0.1", "--port", str(port),
                               "--no-tls", "dict"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until(lambda: _listening(port), timeout=30, message="the IMAP server")
    yield f"imap://demouser:demopass@127.0.0.1:{port}/INBOX", port
    server.terminate()
    server.wait(10)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_replies_are_taken_from_a_mailbox_once_and_a_strangers_is_flagged(settings, thread, mailbox, monkeypatch):
    submission_id, _client_id, reply_to = thread
    url, port = mailbox
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.login("demouser", "demopass")
    answer = reply(CLIENT, reply_to, "Here is the scan.", files=(("scan.png", "image/png", samples.image()),))
    for mail in (answer, answer, reply("mallory@example.org", reply_to, "Me too", message_id="<m@example.org>")):
        imap.append("INBOX", None, None, mail.as_bytes())
    monkeypatch.setenv("MAIL_IN_IMAP_URL", url)
    process = subprocess.Popen([sys.executable, "-m", "cli", "mail-in", "--interval", "0.5"], cwd=ROOT,
                               start_new_session=True)
    try:
        imap.select("INBOX")
        wait_until(lambda: len(imap.search(None, "UNSEEN")[1][0].split()) == 0, timeout=60,
                   message="every mail of the mailbox handled")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(30) == 0
    assert [(m.body, [f.name for f in m.files]) for m in messages_from_client(settings, submission_id)] == [
        ("Here is the scan.", ["scan.png"])]
    flagged = imap.search(None, "FLAGGED")[1][0].split()
    assert len(flagged) == 1
    fetched = imap.fetch(flagged[0], "(BODY.PEEK[HEADER.FIELDS (FROM)])")[1]
    assert b"mallory@example.org" in b"".join(part[1] for part in fetched if isinstance(part, tuple))
    imap.logout()
