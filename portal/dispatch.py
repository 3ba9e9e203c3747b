"""After a request commits jobs to the outbox, hand them to Redis at once."""

from __future__ import annotations

from flask import current_app

from jobs.dispatch import dispatch_pending
from portal.db import get_db
from statex import queue


def dispatch_committed_jobs() -> None:
    """Enqueue the jobs this request committed now; if Redis is down the scheduler relays them later.

    Only this request's own: relaying a backlog left by others is the scheduler's work, not a request's.
    """
    settings = current_app.config["STATEX"]
    scheduled = [job.id for job in get_db().info.pop("scheduled_jobs", [])]
    try:
        dispatch_pending(settings, queue.connect(settings.redis_url), only=scheduled)
    except Exception:  # noqa: BLE001  (the outbox keeps the job; nothing is lost)
        current_app.logger.warning("could not dispatch queued jobs now; the scheduler will", exc_info=True)
