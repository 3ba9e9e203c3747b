"""The reconciler: the database says what is unfinished; make sure Redis holds a job for each."""

from __future__ import annotations

import logging
from datetime import timedelta

from redis import Redis
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select

from statex import offers, pipeline
from statex.conversation import assignment
from statex.config import Settings
from statex.db import session_scope
from statex.models.base import utcnow
from statex.models import QueuedJob
from statex.models.pipeline import ACTIVE_RUN_STATES, PipelineRun
from statex.queue import ANALYSE_RUN, EXTRACT_FILE, QUEUES, RESULT_TTL, Job as Step, dispatch_pending, latest, schedule


log = logging.getLogger(__name__)
ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
# Redis keeps a finished job this long (statex.queue RESULT_TTL); a younger job it has
# forgotten was lost with Redis, and is sent again under its own id.
REPLAY_WINDOW = timedelta(seconds=RESULT_TTL) - timedelta(minutes=5)
# RQ's scheduler moves a retry to its queue within a second; one this late lost its scheduler.
OVERDUE = timedelta(seconds=10)


def reconcile(settings: Settings, redis: Redis) -> int:
    """Make Redis hold a job for all the database says is unfinished; returns how many were sent again."""
    _release_abandoned(redis)
    due = []
    with session_scope(settings.database_url) as session:
        replayed = _replay_forgotten(session, redis)
        session.flush()
        # Work younger than half a round is still on its normal way; leave it alone.
        cutoff = utcnow() - timedelta(seconds=settings.reconcile_interval / 2)
        runs = session.scalars(select(PipelineRun).where(
            PipelineRun.state.in_(ACTIVE_RUN_STATES), PipelineRun.updated_at < cutoff))
        for run in runs:
            if run.state == "analysing":
                due.append((ANALYSE_RUN, str(run.id)))
            else:
                for extraction in pipeline.extractions_of(session, run.submission):
                    if not extraction.final:
                        due.append((EXTRACT_FILE, str(extraction.id)))
                pipeline.advance(session, run.submission)
        missing = [(step, ref) for step, ref in due if not _alive(session, redis, step, ref)]
        for step, ref in missing:
            schedule(session, step, ref)
    if missing or replayed:
        log.warning("reconciler re-enqueued %d due step(s) and %d forgotten job(s)", len(missing), replayed)
    with session_scope(settings.database_url) as session:
        # Each round also warns staff, once per request, of a first reply about to be late.
        assignment.warn_due(session, settings.portal_url, timedelta(hours=settings.due_warning_hours))
        # And marks sent offers past their validity expired (they are refused from that day anyway).
        offers.expire_due(session)
    dispatch_pending(settings, redis)
    return len(missing) + replayed


def _replay_forgotten(session, redis: Redis) -> int:
    """Hand recent jobs that Redis no longer knows (it restarted empty) to the relay again.

    Every job is safe to run twice, so one that had already finished does nothing new.
    """
    recent = list(session.scalars(select(QueuedJob).where(
        QueuedJob.enqueued_at.is_not(None), QueuedJob.created_at > utcnow() - REPLAY_WINDOW)))
    with redis.pipeline(transaction=False) as pipe:
        for job in recent:
            pipe.exists(Job.key_for(str(job.id)))
        known = pipe.execute()
    forgotten = [job for job, exists in zip(recent, known) if not exists]
    for job in forgotten:
        job.enqueued_at = None
    return len(forgotten)


def _release_abandoned(redis: Redis) -> None:
    """Jobs whose worker died stop reporting: RQ retries them (or fails them, and we re-enqueue).

    A retry is scheduled by the RQ scheduler that runs inside one worker; when that worker was
    the one killed, its lock outlives it for a while, so overdue retries are enqueued from here.
    """
    cutoff = (utcnow() - OVERDUE).timestamp()
    for name in QUEUES:
        queue = Queue(name, connection=redis)
        queue.started_job_registry.cleanup()
        registry = queue.scheduled_job_registry
        for job_id in registry.get_jobs_to_schedule(int(cutoff)):
            try:
                job = Job.fetch(job_id, connection=redis)
            except NoSuchJobError:
                registry.remove(job_id)
                continue
            registry.remove(job)
            queue.enqueue_job(job)


def _alive(session, redis: Redis, step: Step, ref: str) -> bool:
    """Whether the newest job for (step, ref) still waits in the outbox, or is really held by Redis."""
    row = latest(session, step, ref)
    if row is None:
        return False
    if row.enqueued_at is None:
        return True
    try:
        job = Job.fetch(str(row.id), connection=redis)
    except NoSuchJobError:
        return False
    status = job.get_status()
    queue = Queue(job.origin, connection=redis)
    if status == JobStatus.QUEUED:
        # A worker killed right after taking the job leaves it "queued" but in no queue.
        return redis.lpos(queue.key, job.id) is not None
    if status == JobStatus.SCHEDULED:
        return redis.zscore(queue.scheduled_job_registry.key, job.id) is not None
    return status in ALIVE
