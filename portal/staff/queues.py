"""The queues as staff see them: lengths, running and failed jobs; retry or discard the failed."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job

from portal.auth import staff_required
from portal.staff import bp
from statex.queue import QUEUES, connect

SHOWN = 50


@bp.get("/queues")
@staff_required
def queues():
    redis = connect(current_app.config["STATEX"].redis_url)
    overview = []
    for name in QUEUES:
        queue = Queue(name, connection=redis)
        failed_ids = queue.failed_job_registry.get_job_ids(0, SHOWN - 1)
        overview.append({
            "name": name,
            "queued": queue.count,
            "running": queue.started_job_registry.count,
            "scheduled": queue.scheduled_job_registry.count,
            "failed": queue.failed_job_registry.count,
            "running_jobs": _jobs(redis, queue.started_job_registry.get_job_ids(0, SHOWN - 1)),
            "failed_jobs": _jobs(redis, failed_ids),
        })
    return render_template("staff/queues.html", queues=overview)


@bp.post("/queues/<queue_name>/failed/<job_id>/retry")
@staff_required
def failed_retry_POST(queue_name: str, job_id: str):
    _failed_registry(queue_name, job_id).requeue(job_id)
    flash(_("The job is queued again."), "success")
    return redirect(url_for("staff.queues"), code=303)


@bp.post("/queues/<queue_name>/failed/<job_id>/discard")
@staff_required
def failed_discard_POST(queue_name: str, job_id: str):
    _failed_registry(queue_name, job_id).remove(job_id, delete_job=True)
    flash(_("The failed job is discarded."), "success")
    return redirect(url_for("staff.queues"), code=303)


def _queue(name: str) -> Queue:
    if name not in QUEUES:
        abort(404)
    return Queue(name, connection=connect(current_app.config["STATEX"].redis_url))


def _failed_registry(queue_name: str, job_id: str):
    """The queue's failed-job registry, if `job_id` is in it; 404 otherwise."""
    registry = _queue(queue_name).failed_job_registry
    if job_id not in registry:
        abort(404)
    return registry


def _jobs(redis, job_ids: list[str]) -> list[dict]:
    jobs = []
    for job_id in job_ids:
        try:
            job = Job.fetch(job_id, connection=redis)
        except NoSuchJobError:
            continue
        latest = job.latest_result()
        error = (latest.exc_string if latest else "") or ""
        jobs.append({"id": job.id, "func": job.func_name, "args": job.args, "started_at": job.started_at,
                     "ended_at": job.ended_at, "error": error.strip().splitlines()[-1] if error.strip() else "",
                     "traceback": error[-3000:]})
    return jobs
