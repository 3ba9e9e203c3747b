"""Jobs are written to the database with the change that needs them; Redis only carries them.

`schedule` adds a job to the outbox (the `queued_jobs` table) in the caller's transaction. A session
that `relay_after_commit` was called on hands Redis exactly the jobs its transaction scheduled, once
that transaction has committed; whatever it cannot hand over (Redis down) the scheduler relays
later (`dispatch_pending`), and the reconciler re-enqueues what Redis lost. Nothing is lost.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session, SessionTransaction

from statex.config import Settings
from statex.db import session_scope
from statex.models import QueuedJob
from statex.models.base import utcnow
from statex.telemetry import request_id

log = logging.getLogger(__name__)
AI = "ai"
NOTIFICATIONS = "notifications"
QUEUES = (AI, NOTIFICATIONS)
# Redis keeps a finished job's record this long, a failed one's a week (for the staff's queue page).
RESULT_TTL = 3600
FAILURE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class Job:
    """A job, named once: the function a worker runs (with ids), its queue, and how long it may run.

    Every job is retried by one policy, JOB_RETRY_INTERVALS (`retry_delay`): RQ runs a job that raised
    again (`retry_policy`), and a delivery that failed is scheduled again through the outbox, `not_before`
    its next attempt.
    """

    func: str
    queue: str
    timeout: int = 120  # seconds before RQ stops it


EXTRACT_FILE = Job("jobs.extract.extract_file", AI, timeout=900)  # a long recording takes longest
ANALYSE_RUN = Job("jobs.analyse.analyse_run", AI, timeout=300)
NOTIFY_EVENT = Job("jobs.deliver.notify_event", NOTIFICATIONS)
SEND_MESSAGE = Job("jobs.deliver.send_message", NOTIFICATIONS)
SEND_STAFF_MESSAGE = Job("jobs.deliver.send_staff_message", NOTIFICATIONS)
SEND_DELIVERY = Job("jobs.deliver.send_delivery", NOTIFICATIONS, timeout=300)
ANSWER_REQUEST = Job("jobs.accounts.answer_request", NOTIFICATIONS)
# Every job by its function's path, as the outbox and RQ name it.
JOBS = {job.func: job for job in (EXTRACT_FILE, ANALYSE_RUN, NOTIFY_EVENT, SEND_MESSAGE, SEND_STAFF_MESSAGE,
                                  SEND_DELIVERY, ANSWER_REQUEST)}


def schedule(session: Session, job: Job, *args: str, not_before: datetime | None = None) -> QueuedJob:
    """Add `job` to the outbox; it is enqueued once the surrounding transaction commits (and `not_before`)."""
    args = [str(arg) for arg in args]
    row = QueuedJob(id=uuid.uuid4(), queue=job.queue, func=job.func, args=args, ref=args[0] if args else "",
                    request_id=request_id.get(), not_before=not_before)
    session.add(row)
    # The session remembers what it scheduled, so that exactly those are handed to Redis after commit.
    session.info.setdefault("scheduled_jobs", []).append(row.id)
    return row


def retry_delay(settings: Settings, failures: int) -> timedelta | None:
    """How long a job waits after its `failures`-th failure (JOB_RETRY_INTERVALS); None: it has failed for good."""
    intervals = settings.job_retry_intervals
    return timedelta(seconds=intervals[failures - 1]) if failures <= len(intervals) else None


def retry_policy(settings: Settings) -> Retry:
    """The same policy as RQ applies it to a job that raised."""
    return Retry(max=len(settings.job_retry_intervals), interval=list(settings.job_retry_intervals))


def relay_after_commit(session: Session, settings: Settings, redis: Redis | None = None) -> Session:
    """Have `session` hand Redis (`redis`, else settings.redis_url) the jobs of each transaction it commits."""
    session.info["relay"] = (settings, redis)
    return session


@event.listens_for(Session, "after_commit")
def _note_committed(session: Session) -> None:
    """Keep the committed transaction's jobs for the hand-over; a savepoint's wait for its transaction."""
    if not session.in_nested_transaction():
        session.info["committed_jobs"] = session.info.pop("scheduled_jobs", [])


@event.listens_for(Session, "after_transaction_end")
def _hand_over_committed(session: Session, transaction: SessionTransaction) -> None:
    """Once a transaction has ended, hand over what it committed (jobs of a rolled-back one are dropped)."""
    if transaction.parent is not None:
        return
    # Here, unlike in after_commit, the session has given its connection back: the relay reuses it.
    committed = session.info.pop("committed_jobs", None)
    session.info.pop("scheduled_jobs", None)
    relay = session.info.get("relay")
    if not committed or relay is None:
        return
    settings, redis = relay
    try:
        dispatch_pending(settings, redis or connect(settings.redis_url), only=committed)
    except Exception:  # noqa: BLE001  (the outbox keeps the jobs; nothing is lost)
        log.warning("could not hand %d job(s) to Redis now; the scheduler will", len(committed), exc_info=True)


def dispatch_pending(settings: Settings, redis: Redis, only: list | None = None) -> int:
    """Enqueue committed jobs not yet enqueued (`only` these ids, if given); the job id is the row id."""
    if only is not None and not only:
        return 0
    with session_scope(settings.database_url) as session:
        return hand_over(session, settings, redis, only)


def hand_over(session: Session, settings: Settings, redis: Redis, only: list | None = None) -> int:
    """Mark pending jobs (`only` these ids) and enqueue them in one Redis round trip; the caller commits.

    The rows stay locked until that commit, so two relays never hand over the same job.
    """
    jobs = take_pending(session, only)
    if not jobs:
        return 0
    retry = retry_policy(settings)
    by_queue: dict[str, list] = {}
    for row in jobs:
        by_queue.setdefault(row.queue, []).append(Queue.prepare_data(
            row.func, row.args, job_id=str(row.id), retry=retry, timeout=_job_of(row).timeout,
            result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL, meta={"request_id": row.request_id}))
    with redis.pipeline() as pipe:
        for name, prepared in by_queue.items():
            Queue(name, connection=redis).enqueue_many(prepared, pipeline=pipe)
        pipe.execute()
    log.info("dispatched %d queued job(s)", len(jobs))
    return len(jobs)


def _job_of(row: QueuedJob) -> Job:
    """The registry's entry for an outbox row; one it does not know (renamed since) still goes, to fail in view."""
    return JOBS.get(row.func) or Job(row.func, row.queue)


def take_pending(session: Session, only: list | None = None, limit: int = 500) -> list[QueuedJob]:
    """Mark committed jobs due and not yet handed to Redis (`only` these ids, if given) as handed, oldest first.

    The caller hands them to Redis, then commits: until then the rows stay locked (another relay skips
    them), and a rollback leaves them pending.
    """
    pending = select(QueuedJob.id).where(QueuedJob.enqueued_at.is_(None),
                                         or_(QueuedJob.not_before.is_(None), QueuedJob.not_before <= utcnow()))
    if only is not None:
        pending = pending.where(QueuedJob.id.in_(only))
    pending = pending.order_by(QueuedJob.created_at).limit(limit).with_for_update(skip_locked=True)
    taken = session.scalars(update(QueuedJob).where(QueuedJob.id.in_(pending)).values(enqueued_at=utcnow())
                            .returning(QueuedJob))
    return sorted(taken, key=lambda job: job.created_at)


def latest(session: Session, job: Job, ref: str) -> QueuedJob | None:
    """The most recent outbox row for `job` working on `ref`."""
    query = (select(QueuedJob).where(QueuedJob.func == job.func, QueuedJob.ref == ref)
             .order_by(QueuedJob.created_at.desc()).limit(1))
    return session.scalar(query)


@lru_cache(maxsize=None)
def connect(redis_url: str) -> Redis:
    """The process's Redis client for `redis_url` (redis://, rediss:// or unix://), made on first use.

    Its connections are pooled, so a request or a relay round does not open one of its own (about 2 ms);
    a forked child starts with an empty pool (redis-py checks the pid). A pooled connection that Redis
    dropped (a restart) is replaced once at once rather than failing the command.
    """
    return Redis.from_url(redis_url, socket_connect_timeout=5, health_check_interval=30,
                          retry=RedisRetry(NoBackoff(), 1))
