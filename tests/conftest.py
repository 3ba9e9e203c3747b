"""Fixtures on real services: PostgreSQL (schema by Alembic), Redis (a server per test run), S3 (moto)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import boto3
import psycopg
import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import event, text

from statex import accounts, migrate
from statex.config import load_settings
from statex.db import dispose, engine_for, session_scope
from statex.models import Base
from statex.models.base import utcnow
from tests.fakes import S3_CREDENTIALS, SmtpPeer
from tests.helpers import csrf_in, free_port, wait_until

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def database_url() -> str:
    """A PostgreSQL database of this run's own, built once with the Alembic migrations."""
    name = f"statex_test_{os.getpid()}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    yield url
    dispose(url)
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    """A Redis server of this run's own on loopback (the fault tests stop and restart it)."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                               "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for_redis(url)
    yield url
    server.terminate()
    server.wait(10)


def wait_for_redis(url: str, timeout: float = 10) -> None:
    """Wait until a Redis server answers at `url` (refused connections mean: not up yet)."""
    wait_until(lambda: Redis.from_url(url).ping(), timeout, every=0.05, message=f"Redis at {url}",
               ignoring=(RedisConnectionError,))


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a moto S3 server running for the whole test run (started only if a test asks for it)."""
    from moto.server import ThreadedMotoServer  # moto is slow to import; most runs never need it

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, monkeypatch) -> str:
    """A new bucket, with the environment pointing Statex at it (S3_BUCKET, S3_ENDPOINT_URL)."""
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = f"statex-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=bucket)
    monkeypatch.setenv("S3_BUCKET", bucket)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_endpoint)
    return bucket


@pytest.fixture
def smtp(monkeypatch):
    """Our outgoing mail server on loopback (SMTP_URL), set before a worker or app reads the settings."""
    peer = SmtpPeer().start()
    monkeypatch.setenv("SMTP_URL", peer.url)
    monkeypatch.setenv("MAIL_FROM", "Statex <hello@statex.test>")
    monkeypatch.setenv("MAIL_IN_DOMAIN", "replies.statex.test")
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """One cache of speech models for the whole run: the shipped model is assembled once, not per test."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One cache folder for the run: the catalogue's embeddings are encoded once, before any test needs them."""
    path = tmp_path_factory.mktemp("cache")
    # In a process of its own, as a worker's warm-up does it: the tests' processes then only read the file.
    code = ("from statex.analysis import catalogue_for, matching; from statex.config import load_settings; "
            "s = load_settings(); matching.prepare(catalogue_for(s), s.cache_dir)")
    env = {**os.environ, "CACHE_DIR": str(path), "STATEX_ENV": "test", "STATEX_VAR_DIR": str(path)}
    env.pop("CONTENT_DIR", None)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=600)
    return path


@pytest.fixture(autouse=True)
def environment(database_url, redis_url, tmp_path_factory, monkeypatch, model_cache, cache_dir):
    """Point every process of the test (jobs, CLI, forked workers) at the test services."""
    var_dir = tmp_path_factory.mktemp("var")
    # A developer's shell settings must not change what the tests see.
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "SMTP_URL", "NOTIFY_URLS", "PORT", "SITE_URL", "PORTAL_URL",
                 "ANALYSER", "LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "CONTENT_DIR", "TRANSCRIBE_URL",
                 "OCR_ENGINE", "JOB_RETRY_INTERVALS", "WORKER_HEARTBEAT", "RECONCILE_INTERVAL",
                 "OTEL_EXPORTER_OTLP_ENDPOINT", "PROMETHEUS_MULTIPROC_DIR", "LOG_FORMAT", "LOG_LEVEL",
                 "FORWARDED_ALLOW_IPS", "METRICS_TOKEN",
                 "WHISPER_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WHISPER_CACHE_DIR", str(model_cache))
    monkeypatch.setenv("STATEX_ENV", "test")
    monkeypatch.setenv("STATEX_VAR_DIR", str(var_dir))
    monkeypatch.setenv("CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-" + "x" * 32)
    Redis.from_url(redis_url).flushdb()
    accounts.use_hashing(load_settings().password_hashing)  # cheap hashing, as a test process's settings say
    yield
    _truncate(database_url)


def _truncate(database_url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine_for(database_url).begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def settings(environment):
    return load_settings()


@pytest.fixture
def redis(settings) -> Redis:
    return Redis.from_url(settings.redis_url)


@pytest.fixture
def db(settings):
    """A session for arranging and checking data; commit what the app or a job must see."""
    with session_scope(settings.database_url) as session:
        yield session


@pytest.fixture
def app(settings):
    from portal import create_app

    return create_app(test_config={"TESTING": True}, settings=settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(settings):
    """Create a user through the product's own function; returns (email, password, id)."""

    def make(role: str = "client", email: str | None = None, password: str = PASSWORD, name: str = "Test",
             verified: bool = False):
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        with session_scope(settings.database_url) as session:
            user = accounts.create_user(session, email, password, name=name, role=role)
            if verified:  # as when the link of the sign-up email was followed
                user.email_verified_at = utcnow()
            user_id = user.id
        return email, password, user_id

    return make


@pytest.fixture
def make_token(settings):
    """An API token for the user with this email, made by the product's own function."""

    def make(email: str, expires_at=None) -> str:
        with session_scope(settings.database_url) as session:
            _token, plain = accounts.create_token(session, accounts.find_user(session, email), "test", expires_at)
        return plain

    return make


@contextmanager
def statements_run(database_url: str):
    """The SQL statements run inside the block (in this process, on either engine), counted with an engine event."""
    statements: list[str] = []
    engines = engine_for(database_url), engine_for(database_url, autocommit=True)
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)


class Auth:
    """Sign in and out through the real forms, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/portal/login") -> str:
        return csrf_in(self.client.get(path).get_data(as_text=True))

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post("/portal/login", data={"email": email, "password": password,
                                                        "csrf_token": self.csrf()})

    def logout(self):
        return self.client.post("/portal/logout", data={"csrf_token": self.csrf("/portal/")})


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def run_jobs(settings):
    """Run every queued job to the end with a real RQ burst worker, as production workers do."""
    from jobs.worker import run_worker
    from statex.queue import connect, dispatch_pending

    def run() -> None:
        dispatch_pending(settings, connect(settings.redis_url))
        run_worker(settings, burst=True)

    return run


ROOT = Path(__file__).resolve().parent.parent
