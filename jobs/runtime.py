"""What a job needs at run time, built when it runs, never at import."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from redis import Redis
from rq import get_current_job
from sqlalchemy.orm import Session

from statex.config import Settings, load_settings
from statex.db import session_scope
from statex.queue import connect

from jobs.dispatch import hand_over


@contextmanager
def job_session(settings: Settings | None = None) -> Iterator[tuple[Settings, Session]]:
    """Settings (read now, unless given) and a committing session; queued follow-ups are dispatched after commit."""
    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        yield settings, session
        session.commit()
        # Only the jobs this session wrote: scanning the whole outbox is the scheduler's work.
        scheduled = [job.id for job in session.info.pop("scheduled_jobs", [])]
        if scheduled:
            hand_over(session, settings, job_redis(settings), only=scheduled)


def job_redis(settings: Settings) -> Redis:
    """The connection RQ ran this job over (already open in the work horse), else a new one."""
    job = get_current_job()
    return job.connection if job is not None else connect(settings.redis_url)


def retries_left(settings: Settings, attempt: int) -> bool:
    """Whether RQ will run a job again after its `attempt`-th failure (see jobs.dispatch)."""
    return attempt <= len(settings.job_retry_intervals)
