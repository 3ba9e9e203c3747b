"""A real `statex web` (gunicorn) on loopback, for tests that speak HTTP to the production server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from tests.helpers import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent


class WebProcess:
    """`statex web` in a process group of its own, at `url` once it answers /healthz."""

    def __init__(self, env: dict | None = None, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ if env is None else env)
        if "STATEX_VAR_DIR" in env:  # the test's own folder, not the worktree's var/site
            env.setdefault("SITE_OUTPUT_DIR", str(Path(env["STATEX_VAR_DIR"]) / "site"))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "web", "--port", str(self.port), "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        self._wait()

    def _wait(self) -> None:
        try:
            # Refused or reset: not listening yet, or its worker still loading the app.
            wait_until(self._healthy, timeout=60, message=f"statex web to answer on {self.url}",
                       ignoring=(requests.RequestException,))
        except AssertionError:
            self.stop()
            raise

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"statex web exited with {self.process.returncode}")
        return requests.get(f"{self.url}/healthz", timeout=5).status_code == 200

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
