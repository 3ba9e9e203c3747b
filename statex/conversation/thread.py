"""Messages on a request's thread: posting one (from the portal, the API or email), reading them."""

from __future__ import annotations

import uuid
from typing import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from statex import audit, events, submissions
from statex.i18n import gettext as _
from statex.models import Extraction, Message, Submission, SubmissionFile, User
from statex.models.base import utcnow
from statex.queue import EXTRACT_FILE, schedule
from statex.storage import Storage
from statex.uploads import Accepted

# Where a change came from when the caller does not say (a job, a command).
NOWHERE = audit.Origin()

# The submission events a message records (events.NOTIFYING): each tells the other side.
FROM_CLIENT = "message.from_client"
FROM_STAFF = "message.from_staff"
MAX_BODY = 20_000


class NotAllowed(PermissionError):
    """The author may not write this message on this request (not its client, not staff)."""


def post_message(session: Session, submission: Submission, author: User, body: str, *,
                 files: Iterable[Accepted] = (), internal: bool = False, source: str = "portal",
                 source_id: str | None = None, storage: Storage | None = None,
                 origin: audit.Origin = NOWHERE) -> Message:
    """Add a message (or, for staff, an `internal` note) to the thread, in the caller's transaction.

    A `source_id` seen before on this request (an inbound mail's Message-ID, an API Idempotency-Key)
    returns the message it made. Files (checked by statex.uploads) need `storage`; they are read
    like the request's own. The other side is told of a message, never of a note.
    """
    role = _role_of(submission, author)
    if internal and role != "staff":
        raise NotAllowed(_("Only staff write internal notes."))
    if source_id and (earlier := by_source(session, submission, source_id)):
        return earlier
    message = Message(id=uuid.uuid4(), submission_id=submission.id, author_id=author.id, author_role=role,
                      author_name=author.name or author.email, body=body.strip()[:MAX_BODY], internal=internal,
                      source=source, source_id=source_id, created_at=utcnow(), files=[])
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        # The same source_id landed meanwhile through another process: that one stands.
        return by_source(session, submission, source_id)
    _attach(session, storage, submission, message, files)
    _advance_turn(session, submission, message, author, origin)
    return message


def _role_of(submission: Submission, author: User) -> str:
    """The side `author` writes for on this request: its client, or staff."""
    if author.id == submission.owner_id:
        return "client"
    if author.is_staff:
        return "staff"
    raise NotAllowed(_("Only the request's client and staff write on its thread."))


def by_source(session: Session, submission: Submission, source_id: str) -> Message | None:
    return session.scalar(select(Message).where(Message.submission_id == submission.id,
                                                Message.source_id == source_id))


def _attach(session: Session, storage: Storage | None, submission: Submission, message: Message,
            files: Iterable[Accepted]) -> None:
    """Store the message's files under the request, and schedule each to be read."""
    files = list(files)
    if not files:
        return
    if storage is None:
        raise ValueError("files need a storage")
    for stored in submissions.store_files(session, storage, submission, files, message=message):
        extraction = Extraction(id=uuid.uuid4(), file=stored)
        session.add(extraction)
        schedule(session, EXTRACT_FILE, extraction.id)


def _advance_turn(session: Session, submission: Submission, message: Message, author: User,
                  origin: audit.Origin) -> None:
    """Whose turn it is now, the first reply's time, and who hears of it (the event, or the audit log)."""
    if message.internal:
        audit.record(session, "note.added", author, origin, submission=str(submission.id),
                     message=str(message.id))
        return
    if message.from_client:
        submission.waiting_on = "us"
        events.record(session, submission, FROM_CLIENT, message_id=str(message.id))
        return
    submission.waiting_on = "client"
    if submission.first_replied_at is None:
        submission.first_replied_at = message.created_at
    events.record(session, submission, FROM_STAFF, message_id=str(message.id))


def thread_query(submission_id: uuid.UUID, viewer: User, owner_id: uuid.UUID) -> Select[tuple[Message]]:
    """The thread as `viewer` may read it, oldest first: a client never gets staff's notes."""
    query = (select(Message).where(Message.submission_id == submission_id)
             .options(selectinload(Message.files)).order_by(Message.created_at, Message.id))
    if not viewer.is_staff or viewer.id == owner_id:
        query = query.where(Message.internal.is_(False))
    return query


def thread_for(session: Session, submission: Submission, viewer: User) -> list[Message]:
    """Every message of the thread `viewer` may read, oldest first."""
    return list(session.scalars(thread_query(submission.id, viewer, submission.owner_id)))


def page_of(session: Session, submission: Submission, viewer: User, page: int = 1,
            per_page: int = 50) -> tuple[list[Message], int]:
    """One page of the thread `viewer` may read, oldest first, and how many messages it has in all."""
    query = thread_query(submission.id, viewer, submission.owner_id)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return list(session.scalars(query.limit(per_page).offset((page - 1) * per_page))), total


def mark_read(session: Session, submission: Submission, reader: User) -> int:
    """The other side's messages count as read now that `reader` has seen the thread; how many were new."""
    theirs = "staff" if reader.id == submission.owner_id else "client"
    if theirs == "client" and not reader.is_staff:
        return 0
    unread = list(session.scalars(select(Message).where(
        Message.submission_id == submission.id, Message.author_role == theirs,
        Message.internal.is_(False), Message.read_at.is_(None))))
    now = utcnow()
    for message in unread:
        message.read_at = now
    return len(unread)


def file_in_thread(session: Session, viewer: User, submission: Submission,
                   file_id: uuid.UUID) -> SubmissionFile | None:
    """A file of a message `viewer` may read on this request; a note's files only for staff."""
    visible = thread_query(submission.id, viewer, submission.owner_id).with_only_columns(Message.id)
    return session.scalar(select(SubmissionFile).where(SubmissionFile.id == file_id,
                                                       SubmissionFile.message_id.in_(visible.order_by(None))))
