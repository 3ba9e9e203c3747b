"""The request's database sessions, on `g`, closed at teardown: one to read and write, one that only reads."""

from __future__ import annotations

import uuid

from flask import Flask, abort, current_app, g
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from statex import queue
from statex.db import reader_factory, session_factory
from statex.models import User


def get_db() -> Session:
    """The request's session, opened on first use; the jobs it commits go to Redis right after.

    The signed-in user, read on the reading session (portal.auth.load_user), joins it when it opens,
    so that a view may change the user and commit; a request that only reads never opens it.
    """
    if "db" not in g:
        settings = current_app.config["STATEX"]
        g.db = queue.relay_after_commit(session_factory(settings.database_url)(), settings)
        user = g.get("_login_user")  # Flask-Login's user for this request, if it has loaded one
        if isinstance(user, User) and inspect(user).detached:
            g.db.add(user)
    return g.db


def writing() -> bool:
    """Whether the request's session is in a transaction (what it reads may differ from what is committed)."""
    return "db" in g and g.db.in_transaction()


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
