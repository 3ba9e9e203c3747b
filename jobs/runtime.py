"""What a job needs at run time, built when it runs, never at import."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session

from statex.config import Settings, load_settings
from statex.db import session_scope
from statex.queue import connect

from jobs.dispatch import dispatch_pending


@contextmanager
def job_session() -> Iterator[tuple[Settings, Session]]:
    """Settings and a committing session for one job; queued follow-ups are dispatched after commit."""
    settings = load_settings()
    with session_scope(settings.database_url) as session:
        yield settings, session
        session.flush()
        # Only the jobs this session wrote: scanning the whole outbox is the scheduler's work.
        scheduled = [job.id for job in session.info.get("scheduled_jobs", [])]
    dispatch_pending(settings, connect(settings.redis_url), only=scheduled)


def retries_left(settings: Settings, attempt: int) -> bool:
    """Whether RQ will run a job again after its `attempt`-th failure (see jobs.dispatch)."""
    return attempt <= len(settings.job_retry_intervals)
