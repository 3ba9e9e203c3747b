"""Run RQ workers and the scheduler loop that relays the outbox."""

from __future__ import annotations

import logging
import signal
import time

from rq import Queue, Worker

from statex.config import Settings
from statex.queue import QUEUES, connect

from jobs.dispatch import dispatch_pending

log = logging.getLogger(__name__)


def run_worker(settings: Settings, queues: tuple[str, ...] = QUEUES, burst: bool = False) -> bool:
    """Work on the named queues; the RQ scheduler runs inside for retries with backoff."""
    redis = connect(settings.redis_url)
    worker = Worker([Queue(name, connection=redis) for name in queues], connection=redis)
    return worker.work(with_scheduler=True, burst=burst, logging_level="INFO")


def run_scheduler(settings: Settings, interval: float = 2.0) -> None:
    """Relay committed jobs the web process could not hand to Redis itself, until told to stop."""
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler relaying the outbox every %.1fs", interval)
    while not stopping:
        try:
            dispatch_pending(settings.database_url, connect(settings.redis_url))
        except Exception:  # noqa: BLE001  (a dependency being down must not stop the loop)
            log.warning("outbox relay failed; retrying", exc_info=True)
        time.sleep(interval)
