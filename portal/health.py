"""Liveness and readiness probes."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app
from sqlalchemy import text

from statex import queue
from statex.db import engine_for
from statex.storage import storage_for

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Check each dependency; answer 503 naming the ones that failed (the reason goes to the log only)."""
    settings = current_app.config["STATEX"]
    checks = {"database": _database, "redis": _redis, "storage": _storage}
    failed = []
    for name, check in checks.items():
        try:
            check(settings)
        except Exception:  # noqa: BLE001  (any failure means not ready)
            log.warning("readiness: %s is unavailable", name, exc_info=True)
            failed.append(name)
    if failed:
        return {"status": "unavailable", "failed": failed}, 503
    return {"status": "ready", "checked": list(checks)}


def _database(settings) -> None:
    with engine_for(settings.database_url).connect() as connection:
        connection.execute(text("SELECT 1"))


def _redis(settings) -> None:
    queue.connect(settings.redis_url).ping()


def _storage(settings) -> None:
    storage_for(settings).check()
