"""Creating submissions and finding them: every lookup for a person goes through here."""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from typing import BinaryIO, Iterable, Iterator

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from statex import audio, events, pipeline
from statex.analysis.sources import added_block
from statex.conversation.service_level import Calendar
from statex.models import Message, Submission, SubmissionFile, User
from statex.models.base import utcnow
from statex.storage import Storage
from statex.uploads import Accepted, Draft

MAX_DESCRIPTION = 20_000
log = logging.getLogger(__name__)


class StorageUnavailable(RuntimeError):
    """The file storage could not take a file; nothing of the change was kept."""


def create(session: Session, owner: User, description: str, language: str | None = None, *,
           draft: Draft | None = None, idempotency_key: str | None = None, process: bool = True,
           calendar: Calendar | None = None) -> Submission:
    """Record a new submission and (unless told not to) schedule its processing, in the caller's transaction.

    Its first reply falls due by the company's `calendar` (statex.conversation.service_level).
    """
    draft = draft or Draft(description=description, language=language)
    received = utcnow()
    # Its (empty) list of files is given, so that reading it does not ask the database.
    submission = Submission(owner=owner, description=draft.description.strip(), given_title=draft.title,
                            language=draft.language,
                            category=draft.category, contact_channel=draft.contact_channel,
                            contact=draft.contact, idempotency_key=idempotency_key, files=[],
                            created_at=received, updated_at=received, waiting_on="us",
                            first_reply_due_at=(calendar or Calendar()).first_reply_due(received))
    session.add(submission)
    session.flush()
    events.record(session, submission, "submission.created")
    if process:
        schedule_processing(session, submission, new=True)
    return submission


def schedule_processing(session: Session, submission: Submission, new: bool = False) -> None:
    """Queue whatever processes a `new` or updated submission (the one place that decides it)."""
    pipeline.request_run(session, submission, new=new)


def submit(session: Session, storage: Storage, owner: User, draft: Draft, files: Iterable[Accepted],
           idempotency_key: str | None = None, calendar: Calendar | None = None) -> tuple[Submission, bool]:
    """Store the files, commit the submission with its job, and say whether it is new.

    A key seen before returns the first submission (False); stored files are removed whenever
    the transaction does not commit, so no object outlives a submission that never existed.
    """
    if idempotency_key and (earlier := find_by_key(session, owner, idempotency_key)):
        return earlier, False
    stored: list[str] = []
    try:
        submission = create(session, owner, draft.description, draft=draft, idempotency_key=idempotency_key,
                            process=False, calendar=calendar)
        stored += _store(session, storage, submission, files)
        schedule_processing(session, submission, new=True)
        session.commit()
    except IntegrityError:
        session.rollback()
        _discard(storage, stored)
        earlier = find_by_key(session, owner, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return earlier, False
    except BaseException:
        session.rollback()
        _discard(storage, stored)
        raise
    return submission, True


def add_information(session: Session, storage: Storage, submission: Submission, text: str,
                    files: Iterable[Accepted]) -> None:
    """Add text or files to an open submission, commit, and have it processed again."""
    stored: list[str] = []
    try:
        text = text.strip()
        if text:
            submission.description = (submission.description + added_block(text, utcnow())).strip()
        added = _store(session, storage, submission, files)
        stored += added
        _reopen(session, submission)
        events.record(session, submission, "submission.updated", text=text, files=len(added))
        schedule_processing(session, submission)
        session.commit()
    except BaseException:
        session.rollback()
        _discard(storage, stored)
        raise


def _reopen(session: Session, submission: Submission) -> None:
    """Forget the previous result so the new information is processed from the start."""
    if submission.result is not None:
        session.delete(submission.result)
        submission.result = None
    submission.status = "received"
    submission.status_message = ""
    submission.completed_at = None
    submission.updated_at = utcnow()


def cancel(session: Session, submission: Submission) -> bool:
    """Withdraw a submission nobody has processed yet; False when it is too late."""
    session.refresh(submission, with_for_update=True)
    if not submission.is_cancellable:
        return False
    submission.status = "cancelled"
    submission.updated_at = submission.completed_at = utcnow()
    events.record(session, submission, "submission.cancelled")
    session.commit()
    return True


def _store(session: Session, storage: Storage, submission: Submission, files: Iterable[Accepted]) -> list[str]:
    """Stream each file to storage under a key of our own and record it; returns the keys."""
    return [stored.storage_key for stored in store_files(session, storage, submission, files)]


def store_files(session: Session, storage: Storage, submission: Submission, files: Iterable[Accepted],
                message=None) -> list[SubmissionFile]:
    """Stream each file to storage and record it on the submission (or on its thread's `message`)."""
    keys: list[str] = []
    rows: list[SubmissionFile] = []
    try:
        for accepted in files:
            file_id = uuid.uuid4()
            key = f"submissions/{submission.id}/{file_id}"
            try:
                stored = storage.put(key, accepted.stream, accepted.content_type)
            except Exception as error:
                if _unreachable(error):
                    raise StorageUnavailable("the file storage cannot be reached") from error
                raise
            keys.append(key)
            row = SubmissionFile(id=file_id, submission_id=submission.id, kind=accepted.kind, name=accepted.name,
                                 storage_key=key, content_type=accepted.content_type, size=stored.size,
                                 sha256=stored.sha256, audio_seconds=accepted.seconds, created_at=utcnow())
            # A thread's file belongs to its message, not to the request's own list.
            (message.files if message is not None else submission.files).append(row)
            rows.append(row)
        session.flush()
    except BaseException:
        _discard(storage, keys)
        raise
    return rows


def _discard(storage: Storage, keys: list[str]) -> None:
    """Delete what was stored for a change that did not commit; statex.orphans collects what it cannot."""
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001  (storage is down: keep the first error, leave this to orphan collection)
            log.warning("could not delete %s; orphan collection will", key, exc_info=True)
    keys.clear()


def _unreachable(error: Exception) -> bool:
    """Whether a storage error means it is down or refusing writes, rather than a bug of ours."""
    from boto3.exceptions import S3UploadFailedError
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(error, (OSError, BotoCoreError, ClientError, S3UploadFailedError))


def find_by_key(session: Session, owner: User, idempotency_key: str) -> Submission | None:
    """The owner's submission made with this idempotency key, if any."""
    return session.scalar(owned_by(owner).where(Submission.idempotency_key == idempotency_key))


def visible_to(user: User) -> Select[tuple[Submission]]:
    """Submissions this user may see: their own, or all of them for staff."""
    query = select(Submission).options(selectinload(Submission.result))
    if not user.is_staff:
        query = query.where(Submission.owner_id == user.id)
    return query


def client_result(submission: Submission) -> dict | None:
    """The result its client may see (page, API, export): none until completed, so none while in review."""
    if submission.status != "completed" or submission.result is None:
        return None
    return dict(submission.result.data)


def owned_by(owner: User, with_results: bool = True) -> Select[tuple[Submission]]:
    """The owner's own submissions, whatever their role; their results (a large JSON each) unless told not to."""
    query = select(Submission).where(Submission.owner_id == owner.id)
    return query.options(selectinload(Submission.result)) if with_results else query


def get_for(session: Session, user: User, submission_id: str | uuid.UUID, parts: bool = True) -> Submission | None:
    """The submission with this id if `user` may see it (with its files and events unless `parts` is False)."""
    key = _uuid(submission_id)
    if key is None:
        return None
    query = visible_to(user)
    if parts:
        query = query.options(selectinload(Submission.files), selectinload(Submission.events))
    return session.scalar(query.where(Submission.id == key))


def own(session: Session, owner: User, submission_id: str | uuid.UUID, parts: bool = True) -> Submission | None:
    """The owner's own submission with this id, else None: write routes use it, so staff get 404 there too.

    Its files and events are loaded with it unless `parts` is False (a thread's message needs neither).
    """
    key = _uuid(submission_id)
    if key is None:
        return None
    query = owned_by(owner, with_results=parts)
    if parts:
        query = query.options(selectinload(Submission.files), selectinload(Submission.events))
    return session.scalar(query.where(Submission.id == key))


def file_for(session: Session, user: User, submission_id: str | uuid.UUID,
             file_id: str | uuid.UUID) -> SubmissionFile | None:
    """One file of a submission `user` may see, else None (callers answer 404)."""
    submission_key, file_key = _uuid(submission_id), _uuid(file_id)
    if submission_key is None or file_key is None:
        return None
    visible = visible_to(user).where(Submission.id == submission_key).with_only_columns(Submission.id)
    query = select(SubmissionFile).where(SubmissionFile.id == file_key, SubmissionFile.submission_id.in_(visible))
    if not user.is_staff:
        # Files of staff's internal notes are never the client's to fetch.
        notes = select(Message.id).where(Message.internal.is_(True))
        query = query.where(or_(SubmissionFile.message_id.is_(None), SubmissionFile.message_id.not_in(notes)))
    return session.scalar(query)


@contextmanager
def open_file(storage: Storage, submission_file: SubmissionFile) -> Iterator[BinaryIO]:
    """A readable stream of a stored file's bytes, closed when the block ends."""
    stream = storage.reader(submission_file.storage_key)
    try:
        yield stream
    finally:
        stream.close()


def audio_seconds(storage: Storage, submission: Submission) -> float:
    """How many seconds of audio the submission's files hold, as measured at upload.

    A recording stored before lengths were kept is measured once from storage, and its row remembers it.
    """
    for item in submission.files:
        if item.is_audio and item.audio_seconds is None:
            with open_file(storage, item) as stream, tempfile.SpooledTemporaryFile(8 * 1024 * 1024) as copy:
                shutil.copyfileobj(stream, copy, 1024 * 1024)
                item.audio_seconds = audio.duration(copy) or 0.0
    return sum(item.audio_seconds or 0.0 for item in submission.files if item.is_audio)


def audio_over_limit(submission_file: SubmissionFile, max_seconds: float) -> bool:
    """Whether this recording, with those sent before it in its submission, passes the per-request limit."""
    earlier = [item for item in submission_file.submission.files
               if item.is_audio and (item.created_at, str(item.id)) <= (submission_file.created_at,
                                                                      str(submission_file.id))]
    return sum(item.audio_seconds or 0.0 for item in earlier) > max_seconds


def page_for(session: Session, owner: User, status: str | None = None, page: int = 1,
             per_page: int = 20, search: str | None = None,
             with_results: bool = False) -> tuple[list[Submission], int]:
    """One page of the owner's submissions, newest first, with their files, and how many there are in all."""
    query = owned_by(owner, with_results).options(selectinload(Submission.files))
    if status:
        query = query.where(Submission.status == status)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in
                                  (Submission.description, Submission.given_title, Submission.made_title))))
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.order_by(Submission.created_at.desc(), Submission.id)
                           .limit(per_page).offset((page - 1) * per_page))
    return list(rows), total or 0


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
