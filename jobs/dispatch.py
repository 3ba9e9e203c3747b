"""The outbox relay: hand committed QueuedJob rows to their RQ queues."""

from __future__ import annotations

import logging

from redis import Redis
from rq import Queue, Retry

from statex import queue as outbox
from statex.config import Settings
from statex.db import session_scope
from statex.models.base import utcnow

log = logging.getLogger(__name__)
# Seconds a job may run before RQ stops it; reading a long recording takes longest.
TIMEOUTS = {"jobs.extract.extract_file": 900, "jobs.analyse.analyse_run": 300}
DEFAULT_TIMEOUT = 120
RESULT_TTL = 3600


def dispatch_pending(settings: Settings, redis: Redis, only: list | None = None) -> int:
    """Enqueue committed jobs not yet enqueued (`only` these ids, if given); the job id is the row id."""
    if only is not None and not only:
        return 0
    intervals = list(settings.job_retry_intervals)
    count = 0
    with session_scope(settings.database_url) as session:
        for job in outbox.pending(session, only):
            Queue(job.queue, connection=redis).enqueue(
                job.func, *job.args, job_id=str(job.id), retry=Retry(max=len(intervals), interval=intervals),
                job_timeout=TIMEOUTS.get(job.func, DEFAULT_TIMEOUT), result_ttl=RESULT_TTL,
                failure_ttl=7 * 24 * 3600, meta={"request_id": job.request_id},
            )
            job.enqueued_at = utcnow()
            count += 1
    if count:
        log.info("dispatched %d queued job(s)", count)
    return count
