"""statex.queue: the outbox hands Redis what a transaction scheduled, once it has committed."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from rq.job import Job
from rq.utils import import_attribute
from sqlalchemy import select

from statex import queue
from statex.db import session_factory, session_scope
from statex.models import QueuedJob


def _relaying_session(settings):
    return queue.relay_after_commit(session_factory(settings.database_url)(), settings)


def test_a_relaying_session_hands_over_exactly_what_it_committed(settings, redis):
    with session_scope(settings.database_url) as other:  # someone else's backlog: the scheduler's work
        backlog = queue.schedule(other, queue.ANALYSE_RUN, "backlog")
    session = _relaying_session(settings)
    try:
        mine = queue.schedule(session, queue.ANALYSE_RUN, "mine")
        session.flush()
        assert not redis.exists(Job.key_for(str(mine.id))), "nothing reaches Redis before the commit"
        session.commit()
    finally:
        session.close()
    assert redis.exists(Job.key_for(str(mine.id)))
    assert not redis.exists(Job.key_for(str(backlog.id)))
    with session_scope(settings.database_url) as check:
        assert check.get(QueuedJob, backlog.id).enqueued_at is None


def test_a_rolled_back_transaction_hands_over_nothing_and_the_next_commit_only_its_own(settings, redis):
    session = _relaying_session(settings)
    try:
        dropped = queue.schedule(session, queue.ANALYSE_RUN, "dropped")
        session.rollback()
        kept = queue.schedule(session, queue.ANALYSE_RUN, "kept")
        session.commit()
    finally:
        session.close()
    assert redis.exists(Job.key_for(str(kept.id))) and not redis.exists(Job.key_for(str(dropped.id)))
    with session_scope(settings.database_url) as check:
        assert check.scalars(select(QueuedJob.ref)).all() == ["kept"]


def test_with_redis_down_the_commit_stands_and_the_job_waits_for_the_scheduler(settings, redis, caplog):
    down = replace(settings, redis_url="redis://127.0.0.1:1/0")
    session = queue.relay_after_commit(session_factory(settings.database_url)(), down)
    try:
        job = queue.schedule(session, queue.ANALYSE_RUN, "later")
        with caplog.at_level(logging.WARNING, logger="statex.queue"):
            session.commit()
    finally:
        session.close()
    assert "the scheduler will" in caplog.text
    with session_scope(settings.database_url) as check:
        assert check.get(QueuedJob, job.id).enqueued_at is None
    assert queue.dispatch_pending(settings, redis) == 1
    assert redis.exists(Job.key_for(str(job.id)))


@pytest.mark.parametrize("job", queue.JOBS.values(), ids=lambda job: job.func)
def test_every_job_in_the_registry_is_a_function_a_worker_can_import(job):
    assert callable(import_attribute(job.func))
    assert job.queue in queue.QUEUES and job.timeout > 0
