"""`statex up` on embedded defaults: SQLite, embedded Redis, local files, real processes."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.helpers import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class Up:
    """A running `statex up` whose output is collected line by line."""

    def __init__(self, env: dict):
        self.env = env
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "cli", "up"], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 60, after: int = 0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if match := re.search(pattern, line):
                    return match
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.lines[-40:])}")

    def statex(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout


@pytest.fixture
def embedded_env(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "STATEX_ENV", "SECRET_KEY", "METRICS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    return dict(os.environ, STATEX_VAR_DIR=str(tmp_path / "var"), PORT=str(port), MAIL_IN_PORT=str(free_port()),
                SITE_OUTPUT_DIR=str(tmp_path / "site"), PYTHONUNBUFFERED="1")


def test_up_runs_a_submission_end_to_end_and_stops_cleanly(embedded_env):
    up = Up(embedded_env)
    base = f"http://127.0.0.1:{embedded_env['PORT']}"
    try:
        up.wait_for(r"staff login: admin@statex\.local / \S+")
        wait_ready(base)
        up.statex("users", "create", "--email", "client@example.com", "--password", "long enough password")
        token = up.statex("tokens", "create", "--email", "client@example.com").strip().splitlines()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        created = requests.post(f"{base}/api/v1/submissions", headers=headers, timeout=10,
                                json={"description": "We need a chatbot that answers customer emails about orders."})
        assert created.status_code == 201, "".join(up.lines[-60:])
        result = _wait_completed(f"{base}{created.headers['Location']}", headers)
        assert result["result"]["language"] == "en"

        # A worker that dies is started again.
        pid = int(up.wait_for(r"worker:ai \|.*started with PID (\d+)").group(1))
        mark = len(up.lines)
        os.kill(pid, signal.SIGKILL)
        up.wait_for(r"worker:ai exited", after=mark)
        up.wait_for(r"worker:ai \|.*started with PID", after=mark, timeout=30)
    finally:
        up.process.send_signal(signal.SIGINT)
        up.process.wait(30)
    assert up.process.returncode == 0
    assert _processes_using(embedded_env["STATEX_VAR_DIR"]) == []


def test_second_up_reuses_the_data_of_the_first(embedded_env):
    first = Up(embedded_env)
    first.wait_for(r"staff login: admin@statex\.local / \S+")
    token = first.wait_for(r"metrics \S+/metrics with Authorization: Bearer (\S+)").group(1)
    assert (Path(embedded_env["STATEX_VAR_DIR"]) / "metrics_token").read_text() == token
    first.process.send_signal(signal.SIGTERM)
    first.process.wait(30)
    second = Up(embedded_env)
    try:
        second.wait_for(r"staff login: as created on the first run")
        assert second.wait_for(r"Authorization: Bearer (\S+)").group(1) == token
    finally:
        second.process.send_signal(signal.SIGTERM)
        second.process.wait(30)


def test_production_without_settings_refuses_to_start(embedded_env):
    env = dict(embedded_env, STATEX_ENV="production")
    done = subprocess.run([sys.executable, "-m", "cli", "web"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr and "DATABASE_URL" in done.stderr


def wait_ready(base: str) -> None:
    """Wait until the platform at `base` answers /readyz (refused or slow connections mean: not yet)."""
    wait_until(lambda: requests.get(f"{base}/readyz", timeout=10).status_code == 200, timeout=60,
               message=f"{base} to become ready", ignoring=(requests.ConnectionError, requests.Timeout))


def _wait_completed(url: str, headers: dict) -> dict:
    """The submission at `url` as the API shows it, once it is completed."""

    def completed() -> dict | None:
        body = requests.get(url, headers=headers, timeout=5).json()
        return body if body["status"] == "completed" else None

    return wait_until(completed, timeout=60, every=0.3, message=f"the submission at {url} to complete")


def _processes_using(var_dir: str) -> list[str]:
    """Processes still running with our var dir in their environment or arguments."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if var_dir.encode() in environ or var_dir.encode() in cmdline:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def test_ctrl_c_stops_everything_before_redis_and_the_console_shows_one_line_per_event(embedded_env):
    up = Up(embedded_env)
    base = f"http://127.0.0.1:{embedded_env['PORT']}"
    try:
        up.wait_for(r"staff login: admin@statex\.local / \S+")
        wait_ready(base)
        up.wait_for(r"worker:ai \|.*Listening on ai")
        up.wait_for(rf"mail-in \|.*listening on 127\.0\.0\.1:{embedded_env['MAIL_IN_PORT']}")
        with socket.create_connection(("127.0.0.1", int(embedded_env["MAIL_IN_PORT"])), timeout=10) as smtp:
            assert smtp.recv(512).startswith(b"220 "), "mail-in greets like an SMTP server"
        up.statex("users", "create", "--email", "client@example.com", "--password", "long enough password")
        token = up.statex("tokens", "create", "--email", "client@example.com").strip().splitlines()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        mark = len(up.lines)
        created = requests.post(f"{base}/api/v1/submissions", headers=headers, timeout=10,
                                json={"description": "We need a chatbot that answers customer emails about orders."})
        _wait_completed(f"{base}{created.headers['Location']}", headers)
        up.wait_for(r"worker:notifications \|.*notify_event\('\d+'\) finished in \d+\.\d\ds", after=mark)
    finally:
        up.process.send_signal(signal.SIGINT)
        up.process.wait(60)
    during = "".join(up.lines[mark:])
    # One line per job, the request and its jobs; none of RQ's bookkeeping, none of the polling.
    assert re.search(r"worker:ai \|.*jobs\.analyse\.analyse_run\('[0-9a-f-]+'\) finished in", during), during
    assert '"POST /api/v1/submissions HTTP/1.1" 201' in during
    for chatter in ("Job OK", "result is kept", "Successfully completed", "subscribing to channel",
                    "cleaning registries", "GET /readyz"):
        assert chatter not in during, chatter

    output = "".join(up.lines)
    assert up.process.returncode == 0
    assert "Traceback" not in output and "ConnectionError" not in output, output[-4000:]
    redis_stops = next(i for i, line in enumerate(up.lines) if re.match(r"\s*redis \|.*SIGTERM", line))
    others = [i for i, line in enumerate(up.lines) if re.match(r"\s*(web|worker:\w+|scheduler|mail-in) \|", line)]
    assert max(others) < redis_stops, "".join(up.lines[-20:])
    assert up.lines[-1].strip().endswith("statex | stopped")
    assert _processes_using(embedded_env["STATEX_VAR_DIR"]) == []
