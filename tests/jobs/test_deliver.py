"""Notification jobs through real peers: an SMTP server and a webhook receiver on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from jobs.deliver import notify_event, send_delivery
from statex import accounts, events, pipeline, submissions
from statex.db import session_scope
from statex.messages import destinations, preferences
from statex.messages.schedule import notify_user
from statex.models import AnalysisResult, Delivery, Destination, Notification, OutboxMessage, QueuedJob, SubmissionEvent, User
from statex.models.base import utcnow
from statex.queue import SEND_DELIVERY, dispatch_pending
from tests.fakes import SmtpPeer, WebhookPeer

SUMMARY = "Two people retype hundreds of invoices a month; reading them automatically saves that work."
TEXT = ("We run a small accounting office. Every month hundreds of invoices arrive by email and two "
        "people retype them into our accounting system. We want the invoices read automatically.")



@pytest.fixture
def webhook():
    peer = WebhookPeer().start()
    yield peer
    peer.stop()


def make_client(settings, email="eva@example.com", language=None) -> str:
    with session_scope(settings.database_url) as session:
        user = accounts.create_user(session, email, "x" * 12, name="Eva")
        user.email_verified_at = utcnow()  # a destination needs a confirmed account
        if language:
            preferences.save(session, user, None, language)
        return str(user.id)


def completed_event(settings, user_id: str, text: str = TEXT, summary: str = SUMMARY) -> str:
    """A submission with its result, completed by the pipeline's own transition (the analysis does not run)."""
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, user_id), text, process=False)
        session.add(AnalysisResult(submission=submission, provider="test", data={"summary": summary}))
        pipeline.complete(session, submission)
        return event_of(session, submission, "submission.completed")


def event_of(session, submission, kind: str) -> str:
    """The id of the submission's event of this kind, as the pipeline recorded it."""
    session.flush()
    return str(session.scalars(select(SubmissionEvent.id).where(
        SubmissionEvent.submission_id == submission.id, SubmissionEvent.kind == kind)).one())


def add_verified(settings, run_jobs, peer: WebhookPeer, user_id: str, url: str) -> str:
    """Add a destination, read the code the peer received, verify it: as a client would."""
    with session_scope(settings.database_url) as session:
        destination = destinations.add(session, settings, session.get(User, user_id), "apprise", url)
        destination_id = str(destination.id)
    run_jobs()
    code = re.search(r"\b(\d{6})\b", peer.requests[-1]["json"]["message"]).group(1)
    with session_scope(settings.database_url) as session:
        user = session.get(User, user_id)
        destinations.verify(session, settings, destinations.get_for(session, user, destination_id), code)
    return destination_id


def choose(settings, user_id: str, **topics):
    with session_scope(settings.database_url) as session:
        preferences.save(session, session.get(User, user_id), topics, None)


def test_results_email_goes_through_smtp_with_text_html_and_links(settings, smtp, db):
    user_id = make_client(settings)
    event_id = completed_event(settings, user_id)
    assert notify_event(event_id) == "sent"

    [message] = smtp.messages
    assert message["To"] == "eva@example.com"
    assert message["From"] == "Statex <hello@statex.test>"
    assert message["Subject"].startswith("Your results are ready: We run a small accounting office")
    assert message["Message-ID"] and message["Date"]
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/portal/account/notifications>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    submission_link = re.search(r"http://127\.0\.0\.1:8000/portal/submissions/[0-9a-f-]{36}", text).group()
    assert f'href="{submission_link}"' in html
    assert "invoices" in text and "Read the results" in html
    delivery = db.scalar(select(Delivery))
    assert (delivery.status, delivery.attempts, delivery.channel) == ("sent", 1, "email")
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0, "nothing in the dev outbox"


def test_the_same_job_run_twice_sends_once(settings, smtp):
    event_id = completed_event(settings, make_client(settings))
    assert notify_event(event_id) == "sent"
    assert notify_event(event_id) == "already sent"
    assert len(smtp.messages) == 1


def test_smtp_down_then_back_ends_in_exactly_one_delivery(settings, monkeypatch, redis, db):
    peer = SmtpPeer()  # its port is chosen, but nothing listens there yet
    monkeypatch.setenv("SMTP_URL", peer.url)
    event_id = completed_event(settings, make_client(settings))

    assert notify_event(event_id) == "retrying"
    delivery = db.scalar(select(Delivery))
    assert delivery.status == "retrying" and delivery.attempts == 1
    assert "unreachable" in delivery.last_error and delivery.next_attempt_at > delivery.created_at
    [retry] = db.scalars(select(QueuedJob).where(QueuedJob.func == SEND_DELIVERY.func)).all()
    assert (retry.args, retry.not_before) == ([str(delivery.id)], delivery.next_attempt_at)
    assert dispatch_pending(settings, redis, only=[retry.id]) == 0, "the retry waits in the outbox for its time"

    assert notify_event(event_id) == "retrying", "a rerun of the event leaves the retry to its job"
    peer.start()
    try:
        assert send_delivery(str(delivery.id)) == "sent"
        assert send_delivery(str(delivery.id)) == "already sent"
        assert notify_event(event_id) == "already sent"
    finally:
        peer.stop()
    assert len(peer.messages) == 1
    db.refresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")


def test_last_failed_attempt_marks_failed_and_tells_staff(settings, monkeypatch, run_jobs, make_user, db):
    _email, _password, staff_id = make_user(role="staff")
    monkeypatch.setenv("SMTP_URL", SmtpPeer().url)  # never comes up
    event_id = completed_event(settings, make_client(settings))
    notify_event(event_id)
    delivery_id = str(db.scalar(select(Delivery.id)))
    retries = len(settings.job_retry_intervals)  # the one policy of every job
    for _ in range(retries):
        send_delivery(delivery_id)
    delivery = db.get(Delivery, delivery_id)
    assert (delivery.status, delivery.attempts) == ("failed", retries + 1)
    assert send_delivery(delivery_id) == "failed", "only staff's resend tries again"

    run_jobs()  # the staff alert, with no NOTIFY_URLS, goes to the outbox and the staff bell
    alert = db.scalar(select(OutboxMessage).where(OutboxMessage.channel == "staff"))
    assert "submission.completed" in alert.subject and "unreachable" in alert.body_text
    assert db.scalar(select(Notification).where(Notification.user_id == staff_id)).event == "delivery.failed"


def test_json_webhook_destination_gets_the_results_when_chosen(settings, smtp, webhook, run_jobs, db):
    user_id = make_client(settings)
    destination_id = add_verified(settings, run_jobs, webhook, user_id, webhook.url("json"))
    choose(settings, user_id, results=[destination_id], received=["account"])
    event_id = completed_event(settings, user_id)
    assert notify_event(event_id) == "sent"

    payload = webhook.requests[-1]["json"]
    assert payload["title"].startswith("Your results are ready")
    assert re.search(r"/portal/submissions/[0-9a-f-]{36}$", payload["message"])
    results = [m for m in smtp.messages if "results" in m["Subject"]]
    assert results == [], "the account email was not chosen for results"
    delivery = db.scalar(select(Delivery).where(Delivery.event == "submission.completed"))
    assert delivery.channel == "apprise" and "hook" in delivery.recipient


def test_an_unverified_destination_gets_nothing(settings, smtp, webhook, run_jobs, db):
    user_id = make_client(settings)
    with session_scope(settings.database_url) as session:
        destination = destinations.add(session, settings, session.get(User, user_id), "apprise",
                                       webhook.url("json"))
        destination_id = str(destination.id)
    run_jobs()
    assert len(webhook.requests) == 1, "only the verification code"
    choose(settings, user_id, results=[destination_id, "account"])
    run_jobs()
    notify_event(completed_event(settings, user_id))
    assert len(webhook.requests) == 1
    assert [m["Subject"][:22] for m in smtp.messages][-1] == "Your results are ready"


def test_a_rejecting_channel_does_not_block_the_others(settings, smtp, run_jobs, db):
    failing = WebhookPeer(status=500).start()
    try:
        user_id = make_client(settings)
        destination_id = add_verified(settings, run_jobs, failing, user_id, failing.url("json"))
        choose(settings, user_id, results=[destination_id, "account"])
        event_id = completed_event(settings, user_id)
        assert notify_event(event_id) == "retrying, sent"
    finally:
        failing.stop()
    assert [m["Subject"][:22] for m in smtp.messages] == ["Your results are ready"]
    webhook_delivery = db.scalar(select(Delivery).where(Delivery.channel == "apprise",
                                                        Delivery.event == "submission.completed"))
    assert webhook_delivery.status == "retrying" and "500" in webhook_delivery.last_error


def test_czech_client_gets_czech_messages_and_the_bell_entry(settings, smtp, db):
    user_id = make_client(settings, language="cs")
    notify_event(completed_event(settings, user_id))
    [message] = smtp.messages
    assert message["Subject"].startswith("Vaše výsledky jsou hotové")
    assert 'lang="cs"' in message.get_body(("html",)).get_content()
    assert "Celé si je přečtěte zde" in message.get_body(("plain",)).get_content()
    notification = db.scalar(select(Notification).where(Notification.user_id == user_id))
    assert notification.title.split() == message["Subject"].split() and notification.read_at is None


def test_staff_messages_go_to_notify_urls(settings, monkeypatch, webhook, make_user, db):
    monkeypatch.setenv("NOTIFY_URLS", webhook.url("json", "staff"))
    user_id = make_client(settings)
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, user_id), TEXT)
        pipeline.fail(session, pipeline.latest_run(session, submission.id), "The analyser crashed.", "Traceback")
        event_id = event_of(session, submission, "submission.failed")
    notify_event(event_id)
    [staff] = [r["json"] for r in webhook.requests if r["path"] == "/staff"]
    assert staff["title"].startswith("Submission failed") and "The analyser crashed." in staff["message"]
    assert re.search(r"/portal/staff/submissions/[0-9a-f-]{36}$", staff["message"])
    delivery = db.scalar(select(Delivery).where(Delivery.channel == "staff"))
    assert delivery.status == "sent" and "staff" in delivery.recipient


def test_account_messages_always_go_by_email_to_the_account_address(settings, smtp, webhook, run_jobs):
    user_id = make_client(settings)
    destination_id = add_verified(settings, run_jobs, webhook, user_id, webhook.url("json"))
    choose(settings, user_id, received=[destination_id], results=[destination_id], more_info=[destination_id])
    codes = len(webhook.requests)
    with session_scope(settings.database_url) as session:
        notify_user(session, session.get(User, user_id), "account.verify_email", "verify:test",
                    link="https://statex.example/portal/verify/abc", expires="26 Nov 2026 10:00 UTC")
    run_jobs()
    run_jobs()
    assert len(webhook.requests) == codes
    [message] = [m for m in smtp.messages if "Confirm" in m["Subject"]]
    assert message["To"] == "eva@example.com"
    assert "https://statex.example/portal/verify/abc" in message.get_body(("plain",)).get_content()


def test_more_information_needed_carries_the_reviewers_note(settings, smtp):
    user_id = make_client(settings)
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, user_id), TEXT)
        event_id = str(events.record(session, submission, "review.rejected", note="Which accounting system?").id)
    assert notify_event(event_id) == "sent"
    [message] = smtp.messages
    assert message["Subject"].startswith("We need more information")
    assert "Which accounting system?" in message.get_body(("plain",)).get_content()
    assert "Which accounting system?" in message.get_body(("html",)).get_content()


def test_a_retry_outlives_redis_in_the_outbox_and_is_sent_once_when_due(settings, monkeypatch, redis, run_jobs, db):
    peer = SmtpPeer()
    monkeypatch.setenv("SMTP_URL", peer.url)
    event_id = completed_event(settings, make_client(settings))
    assert notify_event(event_id) == "retrying"
    redis.flushdb()  # Redis restarted empty: the retry was never in it, its outbox row waits for its time
    delivery = db.scalar(select(Delivery))
    db.execute(update(QueuedJob).where(QueuedJob.func == SEND_DELIVERY.func)
               .values(not_before=utcnow() - timedelta(seconds=1)))  # its time has come
    db.commit()
    peer.start()
    try:
        run_jobs()
        assert notify_event(event_id) == "already sent"
    finally:
        peer.stop()
    # The submission's "received" message goes out too once its job runs; the results one, once.
    assert [m["Subject"] for m in peer.messages].count(delivery.subject) == 1
    db.refresh(delivery)
    assert delivery.status == "sent"


def test_a_removed_destination_gets_nothing_more(settings, smtp, run_jobs, db):
    failing = WebhookPeer(status=503).start()
    try:
        user_id = make_client(settings)
        destination_id = add_verified(settings, run_jobs, failing, user_id, failing.url("json"))
        choose(settings, user_id, results=[destination_id])
        assert notify_event(completed_event(settings, user_id)) == "retrying"
        db.delete(db.get(Destination, destination_id))
        db.commit()
        delivery = db.scalar(select(Delivery).where(Delivery.event == "submission.completed"))
        calls = len(failing.requests)
        assert send_delivery(str(delivery.id)) == "failed"
    finally:
        failing.stop()
    assert len(failing.requests) == calls
    db.refresh(delivery)
    assert "removed" in delivery.last_error


def test_staff_messages_without_notify_urls_log_no_apprise_error(settings, make_user, caplog, db):
    """With NOTIFY_URLS unset, a staff message goes to the bell and the outbox, and apprise is never asked."""
    import json

    from jobs.deliver import send_staff_message

    make_user("staff")
    context = {"delivery_id": "1", "about": "submission.created", "channel": "email", "recipient": "a@b.example",
               "error": "SMTP 550", "link": "https://statex.example/portal/staff/deliveries"}
    with caplog.at_level("DEBUG"):
        assert send_staff_message("delivery.failed", "delivery.failed:1:5", json.dumps(context)) == "sent"
    assert [r.getMessage() for r in caplog.records if r.name.startswith("apprise")] == []
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1
