"""Tell people about events, once per (occasion, recipient, channel).

Every delivery is claimed (written with its unique key) before it is sent and committed right
after, so a job run twice sends once and one channel's trouble never holds back the others.
A transient failure schedules `send_delivery` again through the outbox (statex.messages.deliver).
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from statex.config import Settings
from statex.messages import channels, inbox
from statex.messages.compose import Message as Composed, compose
from statex.messages.deliver import attempt, claim, staff_label
from statex.messages.preferences import Target, language_for, settings_of, targets_for
from statex.models import Delivery, Message, NotificationSettings, Submission, SubmissionEvent, User
from statex.vocabulary import EVENT_TOPICS, STAFF_EVENTS

from jobs.runtime import job_session



def notify_event(event_id: str) -> str:
    """Tell the submission's owner (and staff, for some events); a repeat run sends nothing."""
    with job_session() as (settings, session):
        return tell(session, settings, int(event_id))


def tell(session: Session, settings: Settings, event_id: int) -> str:
    """Deliver the event's messages in `session`."""
    event = session.get(SubmissionEvent, event_id, options=[joinedload(SubmissionEvent.submission).options(
        joinedload(Submission.owner), joinedload(Submission.result))])
    if event is None:
        return "skipped"
    submission = event.submission
    context = dict(submission=submission, result=submission.result, data=event.data or {},
                   owner=submission.owner, link=f"{settings.portal_url}/submissions/{submission.id}",
                   settings_link=f"{settings.portal_url}/account/notifications",
                   offer_link=f"{settings.portal_url}/offers/{(event.data or {}).get('offer', '')}",
                   message=_message_of(session, event))
    outcome = "skipped"
    key = f"{event.kind}:{event.id}"
    if event.kind in EVENT_TOPICS and submission.owner.is_active:
        chosen = settings_of(session, submission.owner)
        language = language_for(chosen, submission.owner.language, submission.language)
        message = compose(event.kind, language, user=submission.owner, **context)
        inbox.add(session, submission.owner, key, event.kind, message.subject, message.short, context["link"])
        outcome = _to_user(session, settings, submission.owner, chosen, event.kind, key, message)
    if event.kind in STAFF_EVENTS:
        template, path = STAFF_EVENTS[event.kind]
        staff_link = settings.portal_url + path.format(id=submission.id)
        _to_staff(session, settings, template, key, {**context, "link": staff_link})
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
    with job_session() as (settings, session):
        user = session.get(User, uuid.UUID(user_id))
        if user is None:
            return "skipped"
        values = {"settings_link": f"{settings.portal_url}/account/notifications", **json.loads(context)}
        chosen = settings_of(session, user)
        message = compose(event, language_for(chosen, user.language), user=user, **values)
        return _to_user(session, settings, user, chosen, event, key, message)


def send_staff_message(event: str, key: str, context: str) -> str:
    """Send a staff message to NOTIFY_URLS (or the outbox) and every staff member's bell; once per `key`."""
    with job_session() as (settings, session):
        return _to_staff(session, settings, event, key, json.loads(context))


def send_delivery(delivery_id: str) -> str:
    """One more attempt at a delivery that is pending or waiting for its retry."""
    with job_session() as (settings, session):
        delivery = session.scalar(select(Delivery).where(Delivery.id == uuid.UUID(delivery_id))
                                  .with_for_update())
        if delivery is None:
            return "skipped"
        if delivery.status in ("sent", "failed"):
            return "already sent" if delivery.status == "sent" else "failed"
        return attempt(session, settings, delivery)


def _to_user(session: Session, settings: Settings, user: User, chosen: NotificationSettings | None, event: str,
             key: str, message: Composed) -> str:
    outcomes = [_deliver(session, settings, user, event, f"{key}:{user.id}:{target.channel}:{target.name}",
                         target, message)
                for target in targets_for(session, user, chosen, event)]
    return _summary(outcomes)


def _to_staff(session: Session, settings: Settings, event: str, key: str, context: dict) -> str:
    message = compose(event, "en", **context)
    for member in session.scalars(select(User).where(User.role.in_(("staff", "admin")), User.is_active)):
        inbox.add(session, member, f"{key}:{member.id}", event, message.subject, message.short,
                  context.get("link", ""))
    targets = [Target("staff", staff_label(url), address=url) for url in settings.notify_urls]
    outcomes = [_deliver(session, settings, None, event, f"{key}:staff:{target.recipient[-8:]}", target,
                         message)
                for target in targets or [Target("staff", "staff")]]
    return _summary(outcomes)


def _deliver(session: Session, settings: Settings, user: User | None, event: str, key: str,
             target: Target, message: Composed) -> str:
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
    session.commit()
    return outcome


def _summary(outcomes: list[str]) -> str:
    """One word for a job's result: "sent", "already sent", or the outcomes that differ."""
    distinct = set(outcomes) or {"skipped"}
    if distinct <= {"sent", "already sent"}:
        return "already sent" if distinct == {"already sent"} else "sent"
    return ", ".join(sorted(distinct))

