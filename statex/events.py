"""Events in a submission's life; those that concern the client schedule a notification."""

from __future__ import annotations

from sqlalchemy.orm import Session

from statex.models import Submission, SubmissionEvent
from statex.models.base import utcnow
from statex.queue import NOTIFY_EVENT, schedule
from statex.vocabulary import NOTIFYING


def record(session: Session, submission: Submission, kind: str, **data) -> SubmissionEvent:
    """Add an event to the submission's timeline, in the caller's transaction."""
    event = SubmissionEvent(submission=submission, kind=kind, data=data, created_at=utcnow())
    session.add(event)
    if kind in NOTIFYING:
        # Its notification job needs its id now; other events are written with the caller's next flush.
        session.flush()
        schedule(session, NOTIFY_EVENT, event.id)
    return event


def told_by(session: Session, delivery_key: str) -> SubmissionEvent | None:
    """The event a delivery tells of: a submission event's deliveries are keyed "<kind>:<event id>:..."."""
    parts = delivery_key.split(":")
    return session.get(SubmissionEvent, int(parts[1])) if len(parts) > 1 and parts[1].isdigit() else None
