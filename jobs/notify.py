"""Tell people about events, once per (occasion, recipient, channel).

Every delivery is claimed (written with its unique key) before it is sent and committed right
after, so a job run twice sends once and one channel's trouble never holds back the others.
A transient failure schedules `send_delivery` again after a growing delay.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta

from rq import Queue
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from statex.config import Settings
from statex.messages import channels, inbox
from statex.messages.compose import Message as Composed, compose
from statex.messages.deliver import attempt, claim, staff_label
from statex.messages.preferences import EVENT_TOPICS, Target, language_for, settings_of, targets_for
from statex.models import Delivery, Message, NotificationSettings, Submission, SubmissionEvent, User
from statex.models.base import utcnow
from statex.queue import NOTIFICATIONS, connect

from jobs.runtime import job_redis, job_session

log = logging.getLogger(__name__)
# Submission events staff hear about, and the template each uses.
STAFF_EVENTS = {"review.requested": ("staff.review.requested", "/staff/review/{id}"),
                "submission.failed": ("staff.submission.failed", "/staff/submissions/{id}"),
                "message.from_client": ("staff.message.received", "/staff/submissions/{id}")}


def notify_event(event_id: str) -> str:
    """Tell the submission's owner (and staff, for some events); a repeat run sends nothing."""
    retries: list[tuple[str, int, datetime]] = []
    with job_session() as (settings, session):
        outcome = tell(session, settings, int(event_id), retries)
    _schedule_retries(settings, retries)
    return outcome


def tell(session: Session, settings: Settings, event_id: int, retries: list) -> str:
    """Deliver the event's messages in `session`, noting deliveries to retry in `retries`."""
    event = session.get(SubmissionEvent, event_id, options=[joinedload(SubmissionEvent.submission).options(
        joinedload(Submission.owner), joinedload(Submission.result))])
    if event is None:
        return "skipped"
    submission = event.submission
    context = dict(submission=submission, result=submission.result, data=event.data or {},
                   owner=submission.owner, link=f"{settings.portal_url}/submissions/{submission.id}",
                   settings_link=f"{settings.portal_url}/account/notifications",
                   message=_message_of(session, event))
    outcome = "skipped"
    key = f"{event.kind}:{event.id}"
    if event.kind in EVENT_TOPICS and submission.owner.is_active:
        chosen = settings_of(session, submission.owner)
        message = compose(event.kind, language_for(chosen, submission.language), user=submission.owner, **context)
        inbox.add(session, submission.owner, key, event.kind, message.subject, message.short, context["link"])
        outcome = _to_user(session, settings, submission.owner, chosen, event.kind, key, message, retries)
    if event.kind in STAFF_EVENTS:
        template, path = STAFF_EVENTS[event.kind]
        staff_link = settings.portal_url + path.format(id=submission.id)
        _to_staff(session, settings, template, key, {**context, "link": staff_link}, retries)
    return outcome


def _message_of(session: Session, event: SubmissionEvent) -> Message | None:
    """The thread message an event announces (statex.conversation); never a staff note."""
    message_id = (event.data or {}).get("message_id")
    if not message_id:
        return None
    message = session.get(Message, uuid.UUID(message_id))
    return None if message is None or message.internal else message


def send_message(user_id: str, event: str, key: str, context: str) -> str:
    """Send `event`'s message, rendered with the JSON `context`, to the user; once per `key`."""
    retries: list[tuple[str, int, datetime]] = []
    with job_session() as (settings, session):
        user = session.get(User, uuid.UUID(user_id))
        if user is None:
            return "skipped"
        values = {"settings_link": f"{settings.portal_url}/account/notifications", **json.loads(context)}
        chosen = settings_of(session, user)
        message = compose(event, language_for(chosen), user=user, **values)
        outcome = _to_user(session, settings, user, chosen, event, key, message, retries)
    _schedule_retries(settings, retries)
    return outcome


def send_staff_message(event: str, key: str, context: str) -> str:
    """Send a staff message to NOTIFY_URLS (or the outbox) and every staff member's bell; once per `key`."""
    retries: list[tuple[str, int, datetime]] = []
    with job_session() as (settings, session):
        outcome = _to_staff(session, settings, event, key, json.loads(context), retries)
    _schedule_retries(settings, retries)
    return outcome


def send_delivery(delivery_id: str) -> str:
    """One more attempt at a delivery that is pending or waiting for its retry."""
    retries: list[tuple[str, int, datetime]] = []
    with job_session() as (settings, session):
        delivery = session.scalar(select(Delivery).where(Delivery.id == uuid.UUID(delivery_id))
                                  .with_for_update())
        if delivery is None:
            return "skipped"
        if delivery.status in ("sent", "failed"):
            return "already sent" if delivery.status == "sent" else "failed"
        outcome = attempt(session, settings, delivery)
        if outcome == "retrying":
            retries.append((str(delivery.id), delivery.attempts, delivery.next_attempt_at))
    _schedule_retries(settings, retries)
    return outcome


def resume_retries(grace: timedelta = timedelta(minutes=1)) -> int:
    """Queue again every delivery whose attempt is overdue (its RQ job lost with Redis); safe to repeat."""
    with job_session() as (settings, session):
        overdue = utcnow() - grace
        rows = session.execute(select(Delivery.id, Delivery.attempts).where(or_(
            and_(Delivery.status == "retrying", Delivery.next_attempt_at < overdue),
            and_(Delivery.status == "pending", Delivery.created_at < overdue)))).all()
    queue = Queue(NOTIFICATIONS, connection=connect(settings.redis_url))
    for delivery_id, attempts in rows:
        queue.enqueue("jobs.notify.send_delivery", str(delivery_id), job_timeout=300,
                      job_id=f"delivery-{delivery_id}-{attempts}-resumed")
    if rows:
        log.info("resumed %d overdue deliveries", len(rows))
    return len(rows)


def _to_user(session: Session, settings: Settings, user: User, chosen: NotificationSettings | None, event: str,
             key: str, message: Composed, retries: list) -> str:
    outcomes = [_deliver(session, settings, user, event, f"{key}:{user.id}:{target.channel}:{target.name}",
                         target, message, retries)
                for target in targets_for(session, user, chosen, event)]
    return _summary(outcomes)


def _to_staff(session: Session, settings: Settings, event: str, key: str, context: dict,
              retries: list) -> str:
    message = compose(event, "en", **context)
    for member in session.scalars(select(User).where(User.role.in_(("staff", "admin")), User.is_active)):
        inbox.add(session, member, f"{key}:{member.id}", event, message.subject, message.short,
                  context.get("link", ""))
    targets = [Target("staff", staff_label(url), address=url) for url in settings.notify_urls]
    outcomes = [_deliver(session, settings, None, event, f"{key}:staff:{target.recipient[-8:]}", target,
                         message, retries)
                for target in targets or [Target("staff", "staff")]]
    return _summary(outcomes)


def _deliver(session: Session, settings: Settings, user: User | None, event: str, key: str,
             target: Target, message: Composed, retries: list) -> str:
    """Claim and try one delivery, then commit, so its outcome stands whatever comes next."""
    shaped = channels.shaped(message, target.channel, target.address)
    delivery = claim(session, key[:255], user, event, target.channel,
                     target.recipient, shaped, destination_id=target.destination_id)
    if delivery is None:
        outcome = "already sent"
    elif delivery.status != "pending":
        outcome = delivery.status  # a scheduled retry or staff's resend owns it now
    else:
        outcome = attempt(session, settings, delivery)
        if outcome == "retrying":
            retries.append((str(delivery.id), delivery.attempts, delivery.next_attempt_at))
    session.commit()
    return outcome


def _summary(outcomes: list[str]) -> str:
    """One word for a job's result: "sent", "already sent", or the outcomes that differ."""
    distinct = set(outcomes) or {"skipped"}
    if distinct <= {"sent", "already sent"}:
        return "already sent" if distinct == {"already sent"} else "sent"
    return ", ".join(sorted(distinct))


def _schedule_retries(settings: Settings, retries: list[tuple[str, int, datetime]]) -> None:
    """Hand each retry to RQ's scheduler for its time; the row keeps that time if Redis loses it."""
    if not retries:
        return
    queue = Queue(NOTIFICATIONS, connection=job_redis(settings))
    for delivery_id, attempts, when in retries:
        queue.enqueue_at(when, "jobs.notify.send_delivery", delivery_id,
                         job_id=f"delivery-{delivery_id}-{attempts}", job_timeout=300)
    log.info("scheduled %d delivery retries", len(retries))
