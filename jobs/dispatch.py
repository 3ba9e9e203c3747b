"""The outbox relay: hand committed QueuedJob rows to their RQ queues."""

from __future__ import annotations

import logging

from redis import Redis
from rq import Queue, Retry
from sqlalchemy.orm import Session

from statex import queue as outbox
from statex.config import Settings
from statex.db import session_scope

log = logging.getLogger(__name__)
# Seconds a job may run before RQ stops it; reading a long recording takes longest.
TIMEOUTS = {"jobs.extract.extract_file": 900, "jobs.analyse.analyse_run": 300}
DEFAULT_TIMEOUT = 120
RESULT_TTL = 3600


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
    jobs = outbox.take_pending(session, only)
    if not jobs:
        return 0
    intervals = list(settings.job_retry_intervals)
    retry = Retry(max=len(intervals), interval=intervals)
    by_queue: dict[str, list] = {}
    for job in jobs:
        by_queue.setdefault(job.queue, []).append(Queue.prepare_data(
            job.func, job.args, job_id=str(job.id), retry=retry, timeout=TIMEOUTS.get(job.func, DEFAULT_TIMEOUT),
            result_ttl=RESULT_TTL, failure_ttl=7 * 24 * 3600, meta={"request_id": job.request_id}))
    with redis.pipeline() as pipe:
        for name, prepared in by_queue.items():
            Queue(name, connection=redis).enqueue_many(prepared, pipeline=pipe)
        pipe.execute()
    log.info("dispatched %d queued job(s)", len(jobs))
    return len(jobs)
