"""Change stamps: each commit that changes what a user can see bumps that user's counter, in the same transaction.

A page cached for a user is valid exactly while their counter (and the EVERYONE counter, which bulk
statements bump) stands still; `statex.sessions.user_for` reads both with the signed-in user. The portal and the workers change data only
through `StampingSession`s (statex.db makes every session one), so no writer can forget to bump.
"""

from __future__ import annotations

import uuid
from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from statex.db import insert_for
from statex.models import (AnalysisResult, Extraction, Message, Notification, PipelineRun, ReviewEdit,
                           Submission, SubmissionEvent, SubmissionFile, User)
from statex.models.changes import EVERYONE, ChangeStamp

# What a client's pages show, and how each row finds its way to the client.
OWNED = {User: "id", Submission: "owner_id", Notification: "user_id"}
PART_OF_SUBMISSION = (SubmissionEvent, AnalysisResult, SubmissionFile, PipelineRun, ReviewEdit, Message)
TRACKED = (*OWNED, *PART_OF_SUBMISSION, Extraction)


class StampingSession(Session):
    """A session whose commits bump the change stamps of the users whose data they touched."""


@event.listens_for(StampingSession, "after_flush")
def _note_changes(session: Session, _context) -> None:
    """Note, by id, whose data this flush wrote; the stamps are bumped once, at commit."""
    touched = _touched(session)
    for row in chain(session.new, session.dirty, session.deleted):
        if type(row) in OWNED:
            touched["owners"].add(getattr(row, OWNED[type(row)]))
        elif isinstance(row, PART_OF_SUBMISSION):
            # Known now, while the submission is in the session; by commit time it may have left it.
            owner = _loaded_owner(session, row.submission_id)
            if owner:
                touched["owners"].add(owner)
            else:
                touched["submissions"].add(row.submission_id)
        elif isinstance(row, Extraction):
            touched["files"].add(row.file_id)


@event.listens_for(StampingSession, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    """A bulk UPDATE or DELETE names no rows one by one: everyone's pages are invalidated."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ in TRACKED:
        _touched(state.session)["owners"].add(EVERYONE)


def _touched(session: Session) -> dict[str, set]:
    """What this transaction has touched so far, by kind of id."""
    return session.info.setdefault("touched", {"owners": set(), "submissions": set(), "files": set()})


@event.listens_for(StampingSession, "before_commit")
def _bump_stamps(session: Session) -> None:
    """Bump the stamps of everyone touched, last thing before commit and in id order (no deadlocks)."""
    session.flush()
    touched = session.info.pop("touched", None)
    if touched:
        bump(session, owners_of(session, touched))


@event.listens_for(StampingSession, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop("touched", None)


def owners_of(session: Session, touched: dict) -> set[uuid.UUID]:
    """The users whose data was touched: directly, through a submission, or through a submission's file."""
    owners, submissions = set(touched["owners"]), set()
    for submission_id in touched["submissions"]:
        owner = _loaded_owner(session, submission_id)
        if owner:
            owners.add(owner)
        else:
            submissions.add(submission_id)
    if submissions:
        owners.update(session.scalars(select(Submission.owner_id).where(Submission.id.in_(submissions))))
    if touched["files"]:
        owners.update(session.scalars(select(Submission.owner_id).join(SubmissionFile)
                                      .where(SubmissionFile.id.in_(touched["files"]))))
    owners.discard(None)
    return owners


def _loaded_owner(session: Session, submission_id: uuid.UUID) -> uuid.UUID | None:
    """The owner of a submission this session holds, without asking the database; else None."""
    loaded = session.identity_map.get(identity_key(Submission, submission_id))
    return loaded.__dict__.get("owner_id") if loaded is not None else None


def bump(session: Session, owners: set[uuid.UUID]) -> None:
    """Add one to each owner's stamp, creating it at 1, in one statement."""
    if not owners:
        return
    statement = insert_for(session, ChangeStamp).values([{"owner_id": owner, "stamp": 1} for owner in sorted(owners)])
    session.execute(statement.on_conflict_do_update(index_elements=[ChangeStamp.owner_id],
                                                    set_={"stamp": ChangeStamp.stamp + 1}))

