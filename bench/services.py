"""What the portal and pipeline benchmarks run against: their own PostgreSQL database and Redis, and processes.

Each bench makes a database `statex_bench_<name>_<pid>` and a `redis-server` on a free loopback port, so it
never disturbs the test suite or another bench, and drops or stops both at the end.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres")
SECRET_KEY = "bench-secret-key-" + "x" * 32
SAMPLE_REQUESTS = [
    "We are a logistics company in Brno and need our supplier invoices read automatically by March 2027. "
    "About 1,000 PDF invoices arrive every month; our budget is 450 000 Kč.",
    "Please build us a chatbot that answers customer questions from our product manuals, in Czech and English.",
    "We would like to forecast demand for our 300 products so that we order the right stock each week.",
    "Our support team reads 200 emails a day. We need them sorted by topic and urgency before anyone opens them.",
    "We need a new website with a search over our catalogue, and a form that reads the files customers send.",
]


def sample_request(number: int) -> str:
    """A realistic client request; numbered so that no two are the same."""
    return f"{SAMPLE_REQUESTS[number % len(SAMPLE_REQUESTS)]} (Request {number + 1}.)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database built by the Alembic migrations; dropped afterwards."""
    import psycopg

    from statex import migrate
    from statex.db import dispose

    db_name = f"statex_bench_{name}_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    url = ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0] + f"/{db_name}"
    try:
        migrate.upgrade(url)
        yield url
    finally:
        dispose(url)
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A redis-server of our own on a free loopback port, without persistence."""
    from redis import Redis

    port = free_port()
    server = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                               "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                              stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait(lambda: Redis.from_url(url).ping(), f"Redis on port {port}")
        yield url
    finally:
        server.terminate()
        server.wait(10)


def environment(var_dir: Path, database_url: str, redis_url: str, port: int) -> dict:
    """The environment every process of a bench reads (development mode, warnings only in the logs)."""
    site_dir = var_dir / "site"
    site_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("S3_BUCKET", "S3_ENDPOINT_URL", "SMTP_URL", "NOTIFY_URLS", "SITE_URL", "PORTAL_URL",
                        "LLM_BASE_URL", "ANALYSER", "PROMETHEUS_MULTIPROC_DIR")}
    return env | {"STATEX_ENV": "development", "STATEX_VAR_DIR": str(var_dir), "DATABASE_URL": database_url,
                  "REDIS_URL": redis_url, "SECRET_KEY": SECRET_KEY, "SITE_OUTPUT_DIR": str(site_dir),
                  "PORT": str(port), "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"}


class Processes:
    """Subprocesses started by a bench, each logging to its own file; all stopped on exit."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.running = env, log_dir, []

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running.append((name, process))
        return process

    def statex(self, name: str, *args: str) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-m", "cli", *args])

    def run(self, name: str, *args: str) -> None:
        """Run a `statex` command to its end (not kept as a running process); raise if it fails."""
        with (self.log_dir / f"{name}.log").open("wb") as log:
            done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, env=self.env, stdout=log,
                                  stderr=subprocess.STDOUT, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"statex {' '.join(args)} failed:\n{self.log(name)[-3000:]}")

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def check_alive(self) -> None:
        for name, process in self.running:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")

    def __enter__(self) -> "Processes":
        return self

    def __exit__(self, *_exc) -> None:
        for _name, process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
        for _name, process in self.running:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_http(url: str, processes: Processes, timeout: float = 120) -> None:
    """Wait until `url` answers 200 (a web process importing everything takes a while on a busy machine)."""

    def answered() -> bool:
        processes.check_alive()
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200

    _wait(answered, url, timeout)


def _wait(check, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except RuntimeError:
            raise
        except Exception:  # noqa: BLE001  (not up yet)
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")
        time.sleep(0.1)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` from 0 to 1) of `values`."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def machine() -> str:
    """Cores and load averages now, to read the figures beside."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f}"


def print_result(figures: dict) -> None:
    """The final line bench/run.py collects: `RESULT {json}`."""
    print("RESULT " + json.dumps(figures, sort_keys=True), flush=True)
