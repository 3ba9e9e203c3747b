"""A dress rehearsal of the jobs' database work, run by a worker before it forks, and rolled back.

SQLAlchemy compiles a statement the first time a process runs it and keeps the result in the
engine. RQ forks a fresh work horse for every job, so a horse forked from a worker that never ran
the jobs' statements compiles all of them again, every time: for the short jobs of a text request
that is most of their own work. The worker runs the steps of one made-up text request here,
through the jobs' own functions, inside a transaction that it then rolls back: each horse starts
with the statements compiled, and nothing is kept, sent or enqueued.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from typing import Iterator

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from statex import accounts, pipeline, submissions
from statex import queue as outbox
from statex.config import Settings
from statex.db import engine_for, session_factory
from statex.vocabulary import NOTIFYING
from statex.models import SubmissionEvent

from jobs import deliver

REQUEST = "Rehearsal: we need our supplier invoices read automatically by March, for about 450 000 Kč."
RESULT = {"summary": "Read supplier invoices automatically.", "category": None, "keywords": []}


def rehearse(settings: Settings) -> None:
    """Take one text request through analysis and its notifications, then roll all of it back."""
    engine = engine_for(settings.database_url)
    if engine.dialect.name != "postgresql":
        # pysqlite starts its transaction at the first write, so there the first savepoint's release
        # would commit for good: the embedded database does without the rehearsal.
        return
    # Without SMTP_URL and NOTIFY_URLS, messages only reach the outbox table: nothing leaves the machine.
    quiet = replace(settings, smtp_url=None, notify_urls=())
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _text_request(partial(_step, session_factory(settings.database_url), connection), quiet)
        finally:
            transaction.rollback()


def _text_request(step, settings: Settings) -> None:
    """The steps of a text request, each in a session of its own, as the jobs take them."""
    with step() as session:
        owner = accounts.create_user(session, f"rehearsal-{uuid.uuid4().hex}@rehearsal.statex.test", None)
        submission = submissions.create(session, owner, REQUEST)
        run_id, submission_id = pipeline.latest_run(session, submission.id).id, submission.id
    with step() as session:
        pipeline.begin_analysis(session, run_id)
    with step() as session:
        pipeline.store_result(session, run_id, dict(RESULT), "local", [])
        scheduled = list(session.info.get("scheduled_jobs", []))
        session.commit()
        # What statex.queue.hand_over does in the database once a job's transaction has committed.
        outbox.take_pending(session, scheduled)
    with step() as session:
        events = session.scalars(select(SubmissionEvent.id).where(
            SubmissionEvent.submission_id == submission_id, SubmissionEvent.kind.in_(NOTIFYING))).all()
    for event_id in events:
        with step() as session:
            deliver.tell(session, settings, event_id)


@contextmanager
def _step(factory: sessionmaker[Session], connection: Connection) -> Iterator[Session]:
    """A session like a job's own, whose commit only releases a savepoint of the rehearsal's transaction."""
    session = factory(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
        session.commit()
    finally:
        session.close()
