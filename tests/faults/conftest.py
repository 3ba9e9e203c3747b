"""Real worker and scheduler processes that the fault tests kill, stop and start again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Processes:
    """`statex worker` and `statex scheduler` processes, each in a process group of its own."""

    def __init__(self, env: dict):
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> None:
        self.running[name] = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=ROOT, env=self.env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                              start_new_session=True)

    def kill(self, name: str) -> None:
        """SIGKILL the process and its work horse: nothing gets to clean up."""
        process = self.running.pop(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def stop_all(self) -> None:
        for process in self.running.values():
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in self.running.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.running.clear()


@pytest.fixture
def processes(monkeypatch):
    """Workers report often and retry soon, so faults are noticed within seconds."""
    monkeypatch.setenv("WORKER_HEARTBEAT", "1")
    monkeypatch.setenv("JOB_RETRY_INTERVALS", "1,1,1")
    monkeypatch.setenv("RECONCILE_INTERVAL", "2")
    group = Processes(dict(os.environ))
    yield group
    group.stop_all()
