"""`statex scheduler`: relays the outbox and does its maintenance, as a real process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from statex import accounts, submissions
from statex.db import session_scope
from statex.models import QueuedJob
from tests.helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_scheduler_relays_jobs_and_collects_orphaned_files(settings):
    with session_scope(settings.database_url) as session:
        owner = accounts.create_user(session, "ola@example.com", "x" * 12)
        submissions.create(session, owner, "A request whose job Redis never received.")
    orphan = Path(settings.storage_dir) / "submissions" / "gone" / "left-behind"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"an upload whose submission never committed")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))

    scheduler = subprocess.Popen([sys.executable, "-m", "cli", "scheduler", "--interval", "0.2"], cwd=ROOT,
                                 env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with session_scope(settings.database_url) as session:
            def relayed():
                session.expire_all()
                return all(job.enqueued_at for job in session.scalars(select(QueuedJob)))
            wait_until(relayed, timeout=60, message="the outbox to be relayed")
        wait_until(lambda: not orphan.exists(), timeout=60, message="the orphaned file to be collected")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(15)
    assert scheduler.returncode == 0
