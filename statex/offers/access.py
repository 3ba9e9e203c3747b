"""Finding offers: every client lookup goes through its owner's submissions, and never shows a draft."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from statex.models import Offer, Submission, User
from statex.models.offers import CLIENT_STATES
from statex.submissions import owned_by


def owned(owner: User) -> Select[tuple[Offer]]:
    """The sent versions of offers on the owner's own submissions, whatever their role."""
    mine = owned_by(owner, with_results=False).with_only_columns(Submission.id)
    return (select(Offer).options(selectinload(Offer.lines))
            .where(Offer.submission_id.in_(mine), Offer.state.in_(CLIENT_STATES)))


def visible_to(user: User) -> Select[tuple[Offer]]:
    """Offers `user` may read: every version for staff, the owner's sent ones for a client."""
    if user.is_staff:
        return select(Offer).options(selectinload(Offer.lines))
    return owned(user)


def get_for(session: Session, user: User, offer_id: str | uuid.UUID) -> Offer | None:
    """The offer with this id if `user` may read it, else None (callers answer 404)."""
    key = _uuid(offer_id)
    return None if key is None else session.scalar(visible_to(user).where(Offer.id == key))


def own(session: Session, owner: User, offer_id: str | uuid.UUID) -> Offer | None:
    """The owner's own sent offer with this id, else None: the client's decisions use it, so staff get 404."""
    key = _uuid(offer_id)
    return None if key is None else session.scalar(owned(owner).where(Offer.id == key))


def staff_get(session: Session, user: User, offer_id: str | uuid.UUID) -> Offer | None:
    """Any offer for a staff member, else None: staff's edits and sends use it."""
    return get_for(session, user, offer_id) if user.is_staff else None


def of_submission(session: Session, user: User, submission: Submission) -> list[Offer]:
    """The offers of a submission `user` may read, newest series first, each version in order."""
    query = visible_to(user).where(Offer.submission_id == submission.id)
    return list(session.scalars(query.order_by(Offer.created_at.desc(), Offer.version.desc())))


def sent_of_submission(session: Session, owner: User, submission: Submission) -> list[Offer]:
    """The versions of the submission's offers sent to its owner, newest first; none for anyone else."""
    if submission.offers_sent is False:  # its loader asked already (statex.submissions.get_for): none at all
        return []
    query = owned(owner).where(Offer.submission_id == submission.id)
    return list(session.scalars(query.order_by(Offer.sent_at.desc(), Offer.version.desc())))


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
