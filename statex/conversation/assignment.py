"""Who handles a request, staff's queue by whose turn it is, and the warning before a first reply is late."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from statex import audit
from statex.messages.notify import notify_staff
from statex.models import Submission, User
from statex.models.base import utcnow

# Staff's queue filters (portal/staff): each a condition on the submissions it keeps.
FILTERS = ("mine", "unassigned", "us", "client")


def assign(session: Session, submission: Submission, assignee: User | None, by: User,
           origin: audit.Origin = audit.Origin()) -> bool:
    """Give the request to a staff member (None: to nobody), audited; False if nothing changed."""
    if assignee is not None and not assignee.is_staff:
        raise ValueError("only staff handle requests")
    new_id = assignee.id if assignee else None
    if submission.assignee_id == new_id:
        return False
    before = submission.assignee.email if submission.assignee else ""
    submission.assignee_id, submission.assignee = new_id, assignee
    audit.record(session, "submission.assigned", by, origin, target=assignee, submission=str(submission.id),
                 before=before, after=assignee.email if assignee else "")
    return True


def queue_filter(query: Select, name: str | None, viewer: User) -> Select:
    """`query` (of submissions) narrowed to one of FILTERS; an unknown name leaves it as it is."""
    if name == "mine":
        return query.where(Submission.assignee_id == viewer.id)
    if name == "unassigned":
        return query.where(Submission.assignee_id.is_(None))
    if name in ("us", "client"):
        return query.where(Submission.waiting_on == name)
    return query


def by_due_time(query: Select) -> Select:
    """Soonest first reply due first; those answered (or with no promise) after, newest first."""
    return query.order_by(Submission.first_replied_at.is_not(None), Submission.first_reply_due_at.is_(None),
                          Submission.first_reply_due_at, Submission.created_at.desc())


def is_overdue(submission: Submission, now: datetime | None = None) -> bool:
    """Whether the first reply is late: due and not given, on a request still open."""
    due = submission.first_reply_due_at
    return (due is not None and submission.first_replied_at is None and submission.status != "cancelled"
            and due <= (now or utcnow()))


def warn_due(session: Session, portal_url: str, within: timedelta, now: datetime | None = None) -> int:
    """Tell staff once about each request whose first reply falls due within `within`; how many."""
    now = now or utcnow()
    soon = session.scalars(select(Submission).where(
        Submission.first_replied_at.is_(None), Submission.due_warned_at.is_(None),
        Submission.status != "cancelled", Submission.first_reply_due_at <= now + within)
        .with_for_update(skip_locked=True))
    warned = 0
    for submission in soon:
        submission.due_warned_at = now
        notify_staff(session, "staff.reply.due", f"due:{submission.id}", title=submission.title,
                     client=submission.owner.email, due=f"{submission.first_reply_due_at:%Y-%m-%d %H:%M} UTC",
                     link=f"{portal_url}/staff/submissions/{submission.id}")
        warned += 1
    return warned
