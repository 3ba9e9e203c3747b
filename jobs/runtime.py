"""What a job needs at run time, built when it runs, never at import."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from redis import Redis
from rq import get_current_job
from sqlalchemy.orm import Session

from statex.config import Settings, load_settings
from statex.db import session_scope
from statex.queue import connect, relay_after_commit, retry_delay


@contextmanager
def job_session(settings: Settings | None = None) -> Iterator[tuple[Settings, Session]]:
    """Settings (read now, unless given) and a committing session; the jobs it commits go to Redis after."""
    settings = settings or load_settings()
    with session_scope(settings.database_url) as session:
        yield settings, relay_after_commit(session, settings, job_redis(settings))


def job_redis(settings: Settings) -> Redis:
    """The connection RQ ran this job over (already open in the work horse), else a new one."""
    job = get_current_job()
    return job.connection if job is not None else connect(settings.redis_url)


def retries_left(settings: Settings, attempt: int) -> bool:
    """Whether RQ will run a job again after its `attempt`-th failure (statex.queue's one retry policy)."""
    return retry_delay(settings, attempt) is not None
