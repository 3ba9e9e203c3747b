"""The outbox relay: hand committed QueuedJob rows to their RQ queues."""

from __future__ import annotations

import logging

from redis import Redis
from rq import Queue, Retry

from statex import queue as outbox
from statex.db import session_scope
from statex.models.base import utcnow

log = logging.getLogger(__name__)
# Transient failures (a busy database, a peer that is down) get three more tries, backing off.
RETRY = Retry(max=3, interval=[5, 30, 120])
TIMEOUT = 600


def dispatch_pending(database_url: str, redis: Redis) -> int:
    """Enqueue every committed job not yet enqueued; the job id is the row id, so a repeat is harmless."""
    count = 0
    with session_scope(database_url) as session:
        for job in outbox.pending(session):
            Queue(job.queue, connection=redis).enqueue(
                job.func, *job.args, job_id=str(job.id), retry=RETRY, job_timeout=TIMEOUT,
                result_ttl=3600, failure_ttl=7 * 24 * 3600,
            )
            job.enqueued_at = utcnow()
            count += 1
    if count:
        log.info("dispatched %d queued job(s)", count)
    return count
