"""After a request commits jobs to the outbox, hand them to Redis at once."""

from __future__ import annotations

from flask import current_app

from jobs.dispatch import dispatch_pending
from statex import queue


def dispatch_committed_jobs() -> None:
    """Enqueue now; if Redis is down the rows stay in the outbox and the scheduler relays them."""
    settings = current_app.config["STATEX"]
    try:
        dispatch_pending(settings, queue.connect(settings.redis_url))
    except Exception:  # noqa: BLE001  (the outbox keeps the job; nothing is lost)
        current_app.logger.warning("could not dispatch queued jobs now; the scheduler will", exc_info=True)
