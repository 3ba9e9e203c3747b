"""Run RQ workers, and the scheduler loop that relays the outbox and reconciles."""

from __future__ import annotations

import logging
import signal
import time
from importlib import import_module

from prometheus_client import Counter, Histogram, start_http_server
from rq import Queue, Worker

from statex import links, queue, sessions
from statex.config import Settings
from statex.db import session_scope
from statex.orphans import collect_orphans
from statex.queue import AI, QUEUES, connect, dispatch_pending
from statex.telemetry import keep_only, request_id

from jobs.reconcile import reconcile
from jobs.rehearsal import rehearse

log = logging.getLogger(__name__)
# Hourly: files no submission refers to (an upload cut off, a failed commit), dead sessions and links.
COLLECT_ORPHANS_EVERY = 3600.0

JOB_SECONDS = Histogram("statex_job_duration_seconds", "Time a job took, by step and outcome.",
                        ["step", "outcome"], buckets=(.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900))
JOBS = Counter("statex_jobs_total", "Jobs finished, by step and outcome.", ["step", "outcome"])


# RQ's lines a person reads (its start, its queues, its shutdown); StatexWorker says one line per job.
RQ_LINES = ("Worker %s: started with PID %d, version %s", "*** Listening on %s...",
            "Worker %s [PID %d]: warm shut down requested", "Worker %s: killed horse pid %s")


class StatexWorker(Worker):
    """An RQ worker that carries the request id into each job and measures every job it runs.

    Its work horse reports every `job_monitoring_interval` seconds; a job whose reports stop for
    two more intervals is abandoned (its worker was killed) and the reconciler hands it on.
    """

    log_result_lifespan = False

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        if job.timeout and job.timeout > 0:
            return int(min(job.timeout - working_time, self.job_monitoring_interval)) + 2 * self.job_monitoring_interval
        return super().get_heartbeat_ttl(job, working_time)

    def perform_job(self, job, queue, execution) -> bool:
        # Runs in the forked work horse: its logs carry the id of the request that caused the job.
        request_id.set((job.meta or {}).get("request_id", ""))
        return super().perform_job(job, queue, execution)

    def execute_job(self, job, queue) -> None:
        # Runs in the long-lived parent, which outlives each horse: the figures stay here.
        started = time.perf_counter()
        super().execute_job(job, queue)
        step = job.func_name.rsplit(".", 1)[-1]
        outcome = str(job.get_status(refresh=True) or "unknown")
        seconds = time.perf_counter() - started
        JOB_SECONDS.labels(step, outcome).observe(seconds)
        JOBS.labels(step, outcome).inc()
        token = request_id.set((job.meta or {}).get("request_id", ""))
        log.info("%s %s in %.2fs", job.description, getattr(job.get_status(), "value", outcome), seconds)
        request_id.reset(token)


def run_worker(settings: Settings, queues: tuple[str, ...] = QUEUES, burst: bool = False,
               metrics_port: int | None = None) -> bool:
    """Work on the named queues; the RQ scheduler runs inside for retries with backoff."""
    _warm_up(settings, queues)
    if metrics_port:
        start_http_server(metrics_port, addr="127.0.0.1" if not settings.production else "0.0.0.0")
    keep_only("rq.worker", *RQ_LINES)
    keep_only("rq.scheduler")
    redis = connect(settings.redis_url)
    worker = StatexWorker([Queue(name, connection=redis) for name in queues], connection=redis,
                          job_monitoring_interval=settings.worker_heartbeat)
    return worker.work(with_scheduler=True, burst=burst, logging_level="INFO")


def _warm_up(settings: Settings, queues: tuple[str, ...]) -> None:
    """Load here, once, what every job needs: each forked job process then starts with it ready."""
    for job in queue.JOBS.values():
        import_module(job.func.rsplit(".", 1)[0])
    from statex.db import warm_up as warm_up_database
    from statex.messages.compose import warm_up as warm_up_messages

    warm_up_database(settings.database_url)
    warm_up_messages()
    if AI in queues:
        from statex import analysis

        analysis.warm_up(settings)
        from statex.extraction import speech

        speech.prepare(settings)  # not the model itself: loaded here, every forked horse would hang
    try:
        rehearse(settings)
    except Exception:  # noqa: BLE001  (without it jobs only start slower)
        log.warning("the jobs' rehearsal failed; work horses will compile their statements", exc_info=True)


def _purge_expired(settings: Settings) -> None:
    """Ended sessions and spent or expired sign-in links are of no use to anyone: drop them."""
    with session_scope(settings.database_url) as session:
        sessions.purge_expired(session)
        links.purge_stale(session)


def run_scheduler(settings: Settings, interval: float = 2.0) -> None:
    """Relay committed jobs every `interval`, reconcile and collect orphaned files now and then, until stopped."""
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler relaying the outbox every %.1fs", interval)
    next_reconcile = next_collection = time.monotonic()
    while not stopping:
        try:
            redis = connect(settings.redis_url)
            dispatch_pending(settings, redis)
            if time.monotonic() >= next_reconcile:
                reconcile(settings, redis)
                next_reconcile = time.monotonic() + settings.reconcile_interval
            if time.monotonic() >= next_collection:
                collect_orphans(settings)
                _purge_expired(settings)
                next_collection = time.monotonic() + COLLECT_ORPHANS_EVERY
        except Exception:  # noqa: BLE001  (a dependency being down must not stop the loop)
            log.warning("scheduler round failed; retrying", exc_info=True)
        time.sleep(interval)
