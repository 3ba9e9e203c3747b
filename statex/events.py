"""Events in a submission's life; those that concern the client schedule a notification."""

from __future__ import annotations

from sqlalchemy.orm import Session

from statex.models import Submission, SubmissionEvent
from statex.models.base import utcnow
from statex.queue import NOTIFICATIONS, schedule

# Events the client hears about; the notification job decides how and where.
NOTIFYING = frozenset({"submission.created", "submission.completed", "submission.failed",
                       "review.requested", "review.rejected", "message.from_staff", "message.from_client"})


def record(session: Session, submission: Submission, kind: str, **data) -> SubmissionEvent:
    """Add an event to the submission's timeline, in the caller's transaction."""
    event = SubmissionEvent(submission=submission, kind=kind, data=data, created_at=utcnow())
    session.add(event)
    if kind in NOTIFYING:
        # Its notification job needs its id now; other events are written with the caller's next flush.
        session.flush()
        schedule(session, NOTIFICATIONS, "jobs.notify.notify_event", event.id)
    return event
