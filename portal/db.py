"""The request's database sessions, on `g`, closed at teardown: one to read and write, one that only reads."""

from __future__ import annotations

import uuid

from flask import Flask, abort, current_app, g
from sqlalchemy.orm import Session

from statex import queue
from statex.db import reader_factory, session_factory


def get_db() -> Session:
    """The request's session, opened on first use; the jobs it commits go to Redis right after."""
    if "db" not in g:
        settings = current_app.config["STATEX"]
        g.db = queue.relay_after_commit(session_factory(settings.database_url)(), settings)
    return g.db


def get_reader() -> Session:
    """The request's session for reads that need no transaction (who is signed in, a polled page).

    Its statements run in autocommit mode, without BEGIN or ROLLBACK; it writes nothing.
    """
    if "reader" not in g:
        g.reader = reader_factory(current_app.config["STATEX"].database_url)()
    return g.reader


def get_or_404(model, key: str):
    """The row of `model` with this UUID for staff pages; a malformed id is as unknown as a missing one."""
    try:
        row = get_db().get(model, uuid.UUID(key))
    except ValueError:
        row = None
    if row is None:
        abort(404)
    return row


def close_db(_error: BaseException | None = None) -> None:
    for name in ("db", "reader"):
        session = g.pop(name, None)
        if session is not None:
            session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
