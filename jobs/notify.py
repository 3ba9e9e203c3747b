"""Tell the client about an event in their submission's life, once."""

from __future__ import annotations

import logging

from statex.messages.compose import compose
from statex.messages.deliver import claim, send_to_outbox
from statex.models import SubmissionEvent

from jobs.runtime import job_session

log = logging.getLogger(__name__)


def notify_event(event_id: str) -> str:
    """Send the event's message to the submission's owner by email; a repeat run sends nothing."""
    with job_session() as (settings, session):
        event = session.get(SubmissionEvent, int(event_id))
        if event is None:
            return "skipped"
        submission = event.submission
        user = submission.owner
        message = compose(event.kind, user=user, submission=submission, result=submission.result,
                          link=f"{settings.portal_url}/submissions/{submission.id}")
        key = f"{event.kind}:{event.id}:{user.id}:email"
        delivery = claim(session, key, user, event.kind, "email", user.email, message)
        if delivery is None:
            return "already sent"
        send_to_outbox(session, delivery)
    log.info("notified %s of %s", user.id, event.kind)
    return "sent"
