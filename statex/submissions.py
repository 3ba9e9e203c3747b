"""Creating submissions and finding them: every lookup for a person goes through here."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from statex import events
from statex.models import Submission, User
from statex.models.base import utcnow
from statex.queue import AI, schedule

MAX_DESCRIPTION = 20_000


def create(session: Session, owner: User, description: str, language: str | None = None) -> Submission:
    """Record a new submission and schedule its analysis, in the caller's transaction."""
    submission = Submission(owner=owner, description=description.strip(), language=language,
                            created_at=utcnow(), updated_at=utcnow())
    session.add(submission)
    session.flush()
    events.record(session, submission, "submission.created")
    schedule(session, AI, "jobs.analyse.analyse_submission", submission.id)
    return submission


def visible_to(user: User) -> Select[tuple[Submission]]:
    """Submissions this user may see: their own, or all of them for staff."""
    query = select(Submission).options(selectinload(Submission.result))
    if not user.is_staff:
        query = query.where(Submission.owner_id == user.id)
    return query


def owned_by(owner: User) -> Select[tuple[Submission]]:
    """The owner's own submissions, whatever their role."""
    return select(Submission).options(selectinload(Submission.result)).where(Submission.owner_id == owner.id)


def get_for(session: Session, user: User, submission_id: str | uuid.UUID) -> Submission | None:
    """The submission with this id if `user` may see it, else None (callers answer 404)."""
    try:
        key = submission_id if isinstance(submission_id, uuid.UUID) else uuid.UUID(str(submission_id))
    except ValueError:
        return None
    return session.scalar(visible_to(user).where(Submission.id == key))


def page_for(session: Session, owner: User, status: str | None = None, page: int = 1,
             per_page: int = 20) -> tuple[list[Submission], int]:
    """One page of the owner's submissions, newest first, and how many there are in all."""
    query = owned_by(owner)
    if status:
        query = query.where(Submission.status == status)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.order_by(Submission.created_at.desc())
                           .limit(per_page).offset((page - 1) * per_page))
    return list(rows), total or 0
