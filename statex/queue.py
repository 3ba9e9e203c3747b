"""Jobs are written to the database with the change that needs them; Redis only carries them."""

from __future__ import annotations

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from statex.models import QueuedJob

AI = "ai"
NOTIFICATIONS = "notifications"
QUEUES = (AI, NOTIFICATIONS)


def schedule(session: Session, queue: str, func: str, *args: str) -> QueuedJob:
    """Add a job to the outbox; it is enqueued only once the surrounding transaction commits."""
    job = QueuedJob(queue=queue, func=func, args=[str(arg) for arg in args])
    session.add(job)
    return job


def pending(session: Session, limit: int = 500) -> list[QueuedJob]:
    """Jobs committed to the outbox but not yet handed to Redis, oldest first."""
    query = (select(QueuedJob).where(QueuedJob.enqueued_at.is_(None))
             .order_by(QueuedJob.created_at).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.scalars(query))


def connect(redis_url: str) -> Redis:
    """A Redis client for `redis_url` (redis://, rediss:// or unix://)."""
    return Redis.from_url(redis_url, socket_connect_timeout=5, health_check_interval=30)
