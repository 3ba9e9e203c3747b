"""The reconciler: the database says what is unfinished; make sure Redis holds a job for each."""

from __future__ import annotations

import logging
from datetime import timedelta

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select

from statex import pipeline
from statex.config import Settings
from statex.db import session_scope
from statex.models.base import utcnow
from statex.models.pipeline import PipelineRun
from statex.queue import AI, latest, schedule

from jobs.dispatch import dispatch_pending

log = logging.getLogger(__name__)
ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
# Work younger than this is still on its normal way; leave it alone.
GRACE = timedelta(seconds=30)


def reconcile(settings: Settings, redis: Redis) -> int:
    """Re-enqueue every pipeline step the database says is due but Redis has no live job for."""
    due = []
    with session_scope(settings.database_url) as session:
        cutoff = utcnow() - GRACE
        runs = session.scalars(select(PipelineRun).where(
            PipelineRun.state.in_(("queued", "extracting", "analysing")), PipelineRun.updated_at < cutoff))
        for run in runs:
            if run.state == "queued":
                due.append(("jobs.pipeline.begin_run", str(run.id)))
            elif run.state == "analysing":
                due.append(("jobs.analyse.analyse_run", str(run.id)))
            else:
                for extraction in pipeline.extractions_of(session, run.submission):
                    if not extraction.final:
                        due.append(("jobs.extract.extract_file", str(extraction.id)))
                pipeline.advance(session, run.submission)
        missing = [(func, ref) for func, ref in due if not _alive(session, redis, func, ref)]
        for func, ref in missing:
            schedule(session, AI, func, ref)
    if missing:
        log.warning("reconciler re-enqueued %d job(s): %s", len(missing), missing)
    dispatch_pending(settings, redis)
    return len(missing)


def _alive(session, redis: Redis, func: str, ref: str) -> bool:
    """Whether the newest job for (func, ref) still waits in the outbox or lives in Redis."""
    row = latest(session, func, ref)
    if row is None:
        return False
    if row.enqueued_at is None:
        return True
    try:
        return Job.fetch(str(row.id), connection=redis).get_status() in ALIVE
    except NoSuchJobError:
        return False
