"""Jobs are written to the database with the change that needs them; Redis only carries them."""

from __future__ import annotations

from functools import lru_cache

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from statex.models import QueuedJob
from statex.models.base import utcnow
from statex.telemetry import request_id

AI = "ai"
NOTIFICATIONS = "notifications"
QUEUES = (AI, NOTIFICATIONS)


def schedule(session: Session, queue: str, func: str, *args: str) -> QueuedJob:
    """Add a job to the outbox; it is enqueued only once the surrounding transaction commits."""
    args = [str(arg) for arg in args]
    job = QueuedJob(queue=queue, func=func, args=args, ref=args[0] if args else "", request_id=request_id.get())
    session.add(job)
    # The session remembers what it scheduled, so its owner can hand exactly those to Redis.
    session.info.setdefault("scheduled_jobs", []).append(job)
    return job


def take_pending(session: Session, only: list | None = None, limit: int = 500) -> list[QueuedJob]:
    """Mark committed jobs not yet handed to Redis (`only` these ids, if given) as handed, oldest first.

    The caller hands them to Redis, then commits: until then the rows stay locked (another relay skips
    them), and a rollback leaves them pending.
    """
    pending = select(QueuedJob.id).where(QueuedJob.enqueued_at.is_(None))
    if only is not None:
        pending = pending.where(QueuedJob.id.in_(only))
    pending = pending.order_by(QueuedJob.created_at).limit(limit).with_for_update(skip_locked=True)
    taken = session.scalars(update(QueuedJob).where(QueuedJob.id.in_(pending)).values(enqueued_at=utcnow())
                            .returning(QueuedJob))
    return sorted(taken, key=lambda job: job.created_at)


def latest(session: Session, func: str, ref: str) -> QueuedJob | None:
    """The most recent outbox row for `func` working on `ref`."""
    query = (select(QueuedJob).where(QueuedJob.func == func, QueuedJob.ref == ref)
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
                          retry=Retry(NoBackoff(), 1))
