"""PostgreSQL stopped: clear 503s, /readyz says why, workers pause and resume, nothing half-written."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from statex import migrate
from statex.db import session_scope
from statex.models import Submission, SubmissionFile
from tests.conftest import PASSWORD
from tests.helpers import csrf_in, free_port, wait_until


class PostgresServer:
    """A PostgreSQL cluster of this test's own, which it may stop and start at will."""

    def __init__(self, root: Path):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
        if not versions:
            pytest.skip("PostgreSQL server binaries are not installed")
        self.bin = versions[-1].parent
        self.port, self.data, self.sockets = free_port(), root / "data", root / "sockets"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        for folder in (self.data, self.sockets):
            folder.mkdir(parents=True)
        root.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.data / "log"), "-o",
                  f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture
def postgres(monkeypatch):
    # Not under pytest's private tmp folder: the postgres user must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="statex-pg-"))
    server = PostgresServer(root)
    server.start()
    migrate.upgrade(server.url)
    monkeypatch.setenv("DATABASE_URL", server.url)
    yield server
    if server.running():
        server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def live(postgres, monkeypatch, tmp_path):
    """`statex web` on the test's own PostgreSQL, as a separate process."""
    port = free_port()
    env = dict(os.environ, PORT=str(port), SITE_OUTPUT_DIR=str(tmp_path / "site"))
    web = subprocess.Popen([os.sys.executable, "-m", "cli", "web", "--workers", "1"], env=env,
                           cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _get(f"{base}/healthz"), timeout=60, message="the web process")
    yield base
    web.terminate()
    web.wait(15)


def _get(url):
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def test_outage_is_told_clearly_and_work_resumes_when_the_database_returns(postgres, live, make_user,
                                                                           make_token, processes, settings):
    email, _password, _user = make_user(password=PASSWORD)
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    portal = requests.Session()
    page = portal.get(f"{live}/portal/login").text
    token = csrf_in(page)
    portal.post(f"{live}/portal/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    first = requests.post(f"{live}/api/v1/submissions", headers=headers, timeout=10,
                          json={"description": "We need our invoices read automatically."})
    assert first.status_code == 201
    processes.start("worker", "worker")
    processes.start("scheduler", "scheduler", "--interval", "0.5")
    worker_pid = processes.running["worker"].pid

    postgres.stop()
    ready = requests.get(f"{live}/readyz", timeout=10)
    assert ready.status_code == 503 and list(ready.json()["failed"]) == ["database"]
    api = requests.post(f"{live}/api/v1/submissions", headers=headers, timeout=10,
                        files={"files": ("notes.txt", io.BytesIO(b"Forty orders a day."), "text/plain")},
                        data={"description": "Written while the database was down."})
    assert api.status_code == 503
    assert api.headers["Content-Type"] == "application/problem+json"
    assert "cannot reach its database" in api.json()["detail"] and api.headers["Retry-After"]
    html = portal.get(f"{live}/portal/", timeout=10)
    assert html.status_code == 503 and "cannot reach its database" in html.text

    postgres.start()
    wait_until(lambda: _get(f"{live}/readyz"), timeout=60, message="/readyz to recover")
    with session_scope(postgres.url) as session:
        def done():
            session.expire_all()
            return session.scalar(select(Submission.status)) == "completed"
        wait_until(done, timeout=120, message="the waiting submission to complete")
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        assert session.scalar(select(func.count()).select_from(SubmissionFile)) == 0
    assert processes.running["worker"].pid == worker_pid and processes.running["worker"].poll() is None
    stored = [p for p in Path(settings.storage_dir).rglob("*") if p.is_file()]
    assert stored == [], "a file of the refused upload was left in storage"
