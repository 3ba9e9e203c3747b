"""deploy/probes/worker_alive.py, the workers' liveness probe, against a real RQ worker and Redis."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.deploy.conftest import DEPLOY, ROOT
from tests.helpers import free_port, wait_until

PROBE = DEPLOY / "probes" / "worker_alive.py"


def probe(*queues: str, redis_url: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, REDIS_URL=redis_url or os.environ["REDIS_URL"])
    return subprocess.run([sys.executable, str(PROBE), *queues], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60, check=False)


@pytest.fixture
def ai_worker():
    """A real `statex worker ai` process, registered in the test's Redis."""
    process = subprocess.Popen([sys.executable, "-m", "cli", "worker", "ai"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    if process.poll() is None:
        process.terminate()
        process.wait(30)


def test_fails_when_no_worker_of_this_host_is_registered():
    result = probe("ai")
    assert result.returncode == 1
    assert "no RQ worker of host" in result.stderr


def test_passes_while_the_worker_runs_and_fails_once_it_stopped(ai_worker):
    wait_until(lambda: probe("ai").returncode == 0, message="the probe to find the worker")
    assert probe().returncode == 0, "no queue named: any worker of this host counts"
    assert probe("notifications").returncode == 1, "the worker does not serve that queue"
    ai_worker.terminate()
    ai_worker.wait(30)
    # A warm shutdown removes the registration; a crash leaves it to expire with the heartbeat.
    wait_until(lambda: probe("ai").returncode == 1, message="the probe to miss the stopped worker")


def test_passes_when_redis_is_unreachable_so_workers_are_not_restarted_for_it():
    result = probe("ai", redis_url=f"redis://127.0.0.1:{free_port()}/0")
    assert result.returncode == 0
    assert "Redis unreachable" in result.stderr
