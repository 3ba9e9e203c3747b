"""Tell people about events, once per (occasion, recipient, channel)."""

from __future__ import annotations

import json
import logging
import uuid

from statex.messages.compose import compose
from statex.messages.deliver import claim, send_to_outbox
from statex.models import SubmissionEvent, User

from jobs.runtime import job_session

log = logging.getLogger(__name__)


def notify_event(event_id: str) -> str:
    """Send a submission event's message to the submission's owner; a repeat run sends nothing."""
    with job_session() as (settings, session):
        event = session.get(SubmissionEvent, int(event_id))
        if event is None:
            return "skipped"
        submission = event.submission
        message = compose(event.kind, user=submission.owner, submission=submission,
                          result=submission.result,
                          link=f"{settings.portal_url}/submissions/{submission.id}")
        return _deliver(session, submission.owner, event.kind, f"{event.kind}:{event.id}", message)


def send_message(user_id: str, event: str, key: str, context: str) -> str:
    """Send `event`'s message, rendered with the JSON `context`, to the user; once per `key`."""
    with job_session() as (_settings, session):
        user = session.get(User, uuid.UUID(user_id))
        if user is None:
            return "skipped"
        message = compose(event, user=user, **json.loads(context))
        return _deliver(session, user, event, key, message)


def _deliver(session, user: User, event: str, key: str, message) -> str:
    delivery = claim(session, f"{key}:{user.id}:email", user, event, "email", user.email, message)
    if delivery is None:
        return "already sent"
    send_to_outbox(session, delivery)
    log.info("sent %s to user %s", event, user.id)
    return "sent"
