"""jobs.rehearsal: the worker's rehearsal keeps nothing, and horses forked after it compile nothing."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine.interfaces import CacheStats

from jobs.analyse import analyse_run
from jobs.deliver import notify_event
from jobs.rehearsal import rehearse
from statex import accounts, migrate, submissions
from statex.config import load_settings
from statex.db import engine_for, session_scope
from statex.models import Base, SubmissionEvent
from statex.models.pipeline import PipelineRun


def _counts(settings) -> dict[str, int]:
    with session_scope(settings.database_url) as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}


def test_the_rehearsal_keeps_nothing_and_enqueues_nothing(settings, make_user, redis):
    make_user()
    before = _counts(settings)
    rehearse(settings)
    assert _counts(settings) == before
    assert redis.dbsize() == 0


@pytest.fixture
def fresh_engine(settings, monkeypatch):
    """Settings whose database URL names an engine of its own, so no earlier test has compiled anything in it."""
    monkeypatch.setenv("DATABASE_URL", f"{settings.database_url}?application_name=test-{uuid.uuid4().hex[:8]}")
    return load_settings()


def _text_request(settings) -> uuid.UUID:
    """A committed text submission, its analysis scheduled."""
    with session_scope(settings.database_url) as session:
        owner = accounts.create_user(session, "rehearsed@example.com", None)
        return submissions.create(session, owner, "We need our invoices read automatically.").id


def _misses_in_a_fork(settings, submission_id: uuid.UUID) -> int:
    """Run the request's jobs in a forked child, as work horses do: how many statements they compiled."""
    with session_scope(settings.database_url) as session:
        run_id = session.scalar(select(PipelineRun.id).where(PipelineRun.submission_id == submission_id))
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        misses = []
        counting = event.listens_for(engine_for(settings.database_url), "before_cursor_execute")
        counting(lambda *_args: misses.append(_args[4].cache_hit is CacheStats.CACHE_MISS))
        analyse_run(str(run_id))
        events = _notifying_events(settings, submission_id)
        notified = len(misses)
        for event_id in events:
            notify_event(str(event_id))
        os.write(write, f"{sum(misses)} {len(events)} {len(misses) - notified}".encode())
        os._exit(0)
    os.close(write)
    _pid, status = os.waitpid(child, 0)
    misses, events, notify_statements = map(int, os.read(read, 100).split())
    os.close(read)
    assert os.waitstatus_to_exitcode(status) == 0
    assert events == 2 and notify_statements > 0, "both notifications ran"
    return misses


def _notifying_events(settings, submission_id: uuid.UUID) -> list[int]:
    with session_scope(settings.database_url) as session:
        return list(session.scalars(select(SubmissionEvent.id).where(
            SubmissionEvent.submission_id == submission_id,
            SubmissionEvent.kind.in_(("submission.created", "submission.completed")))))


def test_a_job_forked_after_the_rehearsal_compiles_nothing(fresh_engine):
    submission_id = _text_request(fresh_engine)
    rehearse(fresh_engine)
    assert _misses_in_a_fork(fresh_engine, submission_id) == 0


def test_without_the_rehearsal_a_forked_job_compiles_its_statements(fresh_engine):
    assert _misses_in_a_fork(fresh_engine, _text_request(fresh_engine)) > 5


def test_the_embedded_database_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'statex.db'}")
    settings = load_settings()
    migrate.upgrade(settings.database_url)
    rehearse(settings)
    assert sum(_counts(settings).values()) == 0
