"""Database engines and sessions; one engine per process and URL, created on first use."""

from __future__ import annotations

import os
import select
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

from sqlalchemy import create_engine, event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


@lru_cache(maxsize=None)
def engine_for(url: str, autocommit: bool = False) -> Engine:
    """The process-wide engine for `url`; SQLite gets WAL and foreign keys, PostgreSQL a pool.

    With `autocommit`, the process's second engine, for reading without transactions (reader_factory):
    its connections run each statement on its own from the start, so that a checkout sets nothing and
    a checkin resets nothing (there is no transaction to roll back).
    """
    options = {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None} if autocommit else {}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _tune_sqlite)
    else:
        engine = create_engine(url, pool_size=5, max_overflow=10, **options)
        _replace_dead_connections(engine)
    # A forked child (an RQ work horse, a gunicorn worker) must not share its parent's sockets.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    return engine


def dispose(url: str) -> None:
    """Close the pooled connections of both engines for `url` (before its database is dropped)."""
    for autocommit in (False, True):
        engine_for(url, autocommit).dispose()


def _replace_dead_connections(engine: Engine) -> None:
    """Before a pooled connection is used, replace it if the server has hung up on it.

    An idle PostgreSQL connection hears nothing from its server unless the server is going away
    (a restart, an administrator's kill), so a socket with something to read is a dead connection.
    Checking that costs one poll() call, where pool_pre_ping costs a round trip on every checkout.
    """

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection, _record, _proxy) -> None:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        if poller.poll(0):
            raise exc.DisconnectionError("the database closed this connection")


def _tune_sqlite(dbapi_connection, _record) -> None:
    """Several processes share the file: WAL lets readers run beside one writer."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def warm_up(url: str) -> None:
    """Configure the mappers and meet the database once, so forked job processes start ready."""
    from sqlalchemy import text
    from sqlalchemy.orm import configure_mappers

    import statex.models  # noqa: F401  (every model, so their mappers are configured here)

    configure_mappers()
    with engine_for(url).connect() as connection:
        connection.execute(text("SELECT 1"))


def insert_for(session: Session, model):
    """An INSERT of `model` in the dialect of the session's database, with its ON CONFLICT clauses."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


@lru_cache(maxsize=None)
def session_factory(url: str) -> sessionmaker[Session]:
    """The process's session factory for `url` (one, as its engine); its commits bump the change stamps they must.

    One per URL because a sessionmaker makes a Session subclass of its own: a new one per web request cost
    SQLAlchemy's event set-up for a new class every time.
    """
    from statex.changes import StampingSession

    return sessionmaker(engine_for(url), class_=StampingSession, expire_on_commit=False)


class ReadingSession(Session):
    """A session that only reads, on a connection in autocommit mode (reader_factory)."""


@event.listens_for(ReadingSession, "before_flush")
def _refuse_writes(session: Session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        raise exc.InvalidRequestError("a reading session writes nothing: use the request's session")


@lru_cache(maxsize=None)
def reader_factory(url: str) -> sessionmaker[Session]:
    """The process's factory of sessions that only read, each statement on its own (autocommit mode).

    Reading without a transaction spares the BEGIN and ROLLBACK round trips; under PostgreSQL's READ
    COMMITTED each statement sees the data as committed when it starts, with or without one. A flush
    with anything to write raises: its statements would each commit alone.
    """
    return sessionmaker(engine_for(url, autocommit=True), class_=ReadingSession, autoflush=False,
                        expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
