"""Creating submissions and finding them: every lookup for a person goes through here."""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import BinaryIO, Iterable, Iterator

from sqlalchemy import Integer, Select, bindparam, case, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload, with_expression

from statex import audio, events, orphans, pipeline
from statex.analysis.sources import added_block
from statex.conversation.service_level import Calendar
from statex.models import Message, Offer, Submission, SubmissionEvent, SubmissionFile, User
from statex.models.offers import CLIENT_STATES
from statex.models.submissions import provisional_title
from statex.models.base import utcnow
from statex.storage import Storage
from statex.uploads import Accepted, Draft

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
    """Add the submission, its files and its job to the caller's transaction; say whether it is new.

    A key seen before returns the first submission (False); stored files are removed unless the
    transaction commits, so no object outlives a submission that never existed.
    """
    if idempotency_key and (earlier := find_by_key(session, owner, idempotency_key)):
        return earlier, False
    try:
        # A savepoint only where a key may be taken meanwhile (the same request sent twice at once).
        with session.begin_nested() if idempotency_key else nullcontext():
            submission = create(session, owner, draft.description, draft=draft,
                                idempotency_key=idempotency_key, process=False, calendar=calendar)
    except IntegrityError:
        if idempotency_key and (earlier := find_by_key(session, owner, idempotency_key)):
            return earlier, False
        raise
    _store(session, storage, submission, files)
    schedule_processing(session, submission, new=True)
    return submission, True


def add_information(session: Session, storage: Storage, submission: Submission, text: str,
                    files: Iterable[Accepted]) -> None:
    """Add text or files to an open submission and have it processed again, in the caller's transaction."""
    text = text.strip()
    if text:
        submission.description = (submission.description + added_block(text, utcnow())).strip()
    added = _store(session, storage, submission, files)
    _reopen(session, submission)
    events.record(session, submission, "submission.updated", text=text, files=len(added))
    schedule_processing(session, submission)


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
    # Only its own row is locked: it may have been loaded with its result outer-joined (get_for).
    session.refresh(submission, with_for_update={"of": Submission})
    if not submission.is_cancellable:
        return False
    submission.status = "cancelled"
    submission.updated_at = submission.completed_at = utcnow()
    events.record(session, submission, "submission.cancelled")
    return True


def _store(session: Session, storage: Storage, submission: Submission, files: Iterable[Accepted]) -> list[str]:
    """Stream each file to storage under a key of our own and record it; returns the keys."""
    return [stored.storage_key for stored in store_files(session, storage, submission, files)]


def store_files(session: Session, storage: Storage, submission: Submission, files: Iterable[Accepted],
                message=None) -> list[SubmissionFile]:
    """Stream each file to storage and record it on the submission (or on its thread's `message`).

    The files are deleted again unless the caller's transaction commits (statex.orphans).
    """
    keys = orphans.discard_unless_committed(session, storage)
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
        orphans.discard(storage, keys)
        raise
    return rows


def _unreachable(error: Exception) -> bool:
    """Whether a storage error means it is down or refusing writes, rather than a bug of ours."""
    from boto3.exceptions import S3UploadFailedError
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(error, (OSError, BotoCoreError, ClientError, S3UploadFailedError))


def find_by_key(session: Session, owner: User, idempotency_key: str) -> Submission | None:
    """The owner's submission made with this idempotency key, if any."""
    return session.scalar(owned_by(owner).where(Submission.idempotency_key == idempotency_key))


def visible_to(user: User, with_results: bool = True) -> Select[tuple[Submission]]:
    """Submissions this user may see: their own, or all of them for staff; their results unless told not to."""
    query = select(Submission).options(selectinload(Submission.result)) if with_results else select(Submission)
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
    """The submission with this id if `user` may see it (with its result and files unless `parts` is False)."""
    key = _uuid(submission_id)
    if key is None:
        return None
    return _first(session, _one(owned=not user.is_staff, parts=parts), key, user)


def own(session: Session, owner: User, submission_id: str | uuid.UUID, parts: bool = True) -> Submission | None:
    """The owner's own submission with this id, else None: write routes use it, so staff get 404 there too.

    Its result and files are loaded with it unless `parts` is False (a thread's message needs neither).
    """
    key = _uuid(submission_id)
    if key is None:
        return None
    return _first(session, _one(owned=True, parts=parts), key, owner)


@lru_cache(maxsize=None)
def _one(owned: bool, parts: bool) -> Select[tuple[Submission]]:
    """One submission by its id (and its owner's, if `owned`), built once: every request page asks for one.

    Its result and files come joined in the same statement, with whether any offer was sent to its
    client (the page then asks for none when there is none). Its events are not loaded: the page
    reads its timeline as plain rows (timeline()), and whoever needs the events whole loads them.
    """
    query = select(Submission).where(Submission.id == bindparam("key")).options(joinedload(Submission.result))
    if owned:
        query = query.where(Submission.owner_id == bindparam("owner"))
    if not parts:
        return query
    # The states as plain equalities: an IN list would be expanded anew at every execution.
    offers = exists().where(Offer.submission_id == Submission.id, or_(*(Offer.state == state for state in CLIENT_STATES)))
    return query.options(with_expression(Submission.offers_sent, offers),
                         joinedload(Submission.files).joinedload(SubmissionFile.extraction))


def _first(session: Session, query: Select[tuple[Submission]], key: uuid.UUID, user: User) -> Submission | None:
    # Every row of the join read (one per file), so that its files are all there.
    return session.execute(query, {"key": key, "owner": user.id}).unique().scalar_one_or_none()


@dataclass(frozen=True)
class Moment:
    """One line of a request's timeline as its client sees it: what happened and when."""

    id: int
    kind: str
    created_at: datetime


# On the table, not the mapped class: a plain statement, which the ORM need not look at.
_EVENTS = SubmissionEvent.__table__.c
TIMELINE = (select(_EVENTS.id, _EVENTS.kind, _EVENTS.created_at)
            .where(_EVENTS.submission_id == bindparam("key")).order_by(_EVENTS.id))


def timeline(session: Session, submission: Submission) -> list[Moment]:
    """The submission's events in the order they happened, as plain rows: what its page lists."""
    return [Moment(*row) for row in session.connection().execute(TIMELINE, {"key": submission.id})]


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


@dataclass(frozen=True)
class Listed:
    """What a list of submissions shows of one (the dashboard), read as plain columns rather than ORM objects."""

    id: uuid.UUID
    title: str
    status: str
    created_at: datetime
    file_count: int


def listed_page(session: Session, owner: User, status: str | None = None, page: int = 1, per_page: int = 20,
                search: str | None = None) -> tuple[list[Listed], int]:
    """One page of the owner's submissions as a list shows them, newest first, and how many match in all.

    One statement, built once for each kind of filter: its file count comes as a correlated count. A row
    without a title of its own or words to make one from (rare) reads its files' names in one more. The
    statement selects columns, not objects, so it runs on the session's connection, without the ORM's
    layer (nor its autoflush: what the session holds unflushed is not listed).
    """
    rows = session.connection().execute(_listed(bool(status), bool(search)),
                                        {"owner": owner.id, "status": status, "pattern": _pattern(search),
                                         "limit": per_page, "offset": (page - 1) * per_page}).all()
    if rows or page == 1:
        total = rows[0].total if rows else 0
    else:  # past the last page: no row to carry the total
        total = _count(session, _matching(owned_by(owner, False), status, search))
    untitled = [row.id for row in rows if not (row.given_title or row.made_title or (row.description or "").strip())]
    named = _files_of(session, untitled) if untitled else {}
    return [Listed(row.id, _title(row, named), row.status, row.created_at, row.file_count) for row in rows], total


@lru_cache(maxsize=None)
def _listed(by_status: bool, by_search: bool) -> Select:
    """The statement of listed_page, with the owner, status, pattern, limit and offset as parameters."""
    files = (select(func.count()).where(SubmissionFile.submission_id == Submission.id,
                                        SubmissionFile.message_id.is_(None)).scalar_subquery().label("file_count"))
    # The description (up to 20,000 characters) only where it has to make the title.
    untitled = func.coalesce(func.nullif(Submission.given_title, ""), func.nullif(Submission.made_title, "")).is_(None)
    description = case((untitled, Submission.description)).label("description")
    query = (select(Submission.id, Submission.given_title, Submission.made_title, description, Submission.status,
                    Submission.created_at, files, func.count().over().label("total"))
             .where(Submission.owner_id == bindparam("owner")))
    if by_status:
        query = query.where(Submission.status == bindparam("status"))
    if by_search:
        query = query.where(_searched(bindparam("pattern")))
    return (query.order_by(Submission.created_at.desc(), Submission.id)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


def _title(row, named: dict) -> str:
    return row.given_title or row.made_title or provisional_title(row.description, row.created_at,
                                                                    lambda: named.get(row.id, []))


def _files_of(session: Session, submission_ids: list[uuid.UUID]) -> dict[uuid.UUID, list]:
    """The kind and name of each listed submission's own files, in the order they came."""
    found: dict[uuid.UUID, list] = {}
    for row in session.execute(select(SubmissionFile.submission_id, SubmissionFile.kind, SubmissionFile.name)
                               .where(SubmissionFile.submission_id.in_(submission_ids),
                                      SubmissionFile.message_id.is_(None))
                               .order_by(SubmissionFile.created_at)):
        found.setdefault(row.submission_id, []).append(row)
    return found


def page_for(session: Session, owner: User, status: str | None = None, page: int = 1,
             per_page: int = 20, search: str | None = None) -> tuple[list[Submission], int]:
    """One page of the owner's submissions, newest first, whole, with their results and files (the API)."""
    query = owned_by(owner).options(selectinload(Submission.files))
    rows, total = _page(session, _matching(query, status, search), page, per_page)
    return [row[0] for row in rows], total


def _matching(query: Select, status: str | None, search: str | None) -> Select:
    """`query` narrowed to a status and to a text in the description or titles."""
    if status:
        query = query.where(Submission.status == status)
    if search:
        query = query.where(_searched(_pattern(search)))
    return query


def _pattern(search: str | None) -> str | None:
    """A LIKE pattern for `search` anywhere in a text, its own %, _ and \\ taken literally."""
    if not search:
        return None
    return "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _searched(pattern):
    """The condition that the description or a title holds `pattern` (a LIKE pattern or its parameter)."""
    return or_(*(column.ilike(pattern, escape="\\") for column in
                 (Submission.description, Submission.given_title, Submission.made_title)))


def _page(session: Session, query: Select, page: int, per_page: int) -> tuple[list, int]:
    """The rows of one page of `query`, newest first, and how many match in all."""
    # The total comes with the rows (a window over all that match), so one statement serves both.
    rows = session.execute(query.add_columns(func.count().over())
                           .order_by(Submission.created_at.desc(), Submission.id)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    if rows or page == 1:
        return rows, rows[0][-1] if rows else 0
    # Past the last page: no row to carry the total.
    return [], _count(session, query)


def _count(session: Session, query: Select) -> int:
    """How many rows `query` matches."""
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
