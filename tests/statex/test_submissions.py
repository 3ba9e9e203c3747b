"""The submission domain: durable before 'received', one per idempotency key, no stray files."""

import io
import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import DataError

from statex import submissions
from statex.accounts import create_user
from statex.db import session_scope
from statex.models import PipelineRun, QueuedJob, Submission
from statex.queue import EXTRACT_FILE
from statex.storage import LocalStorage
from statex.uploads import Accepted, Draft
from tests import samples
from tests.helpers import count


@pytest.fixture
def owner_email(settings):
    with session_scope(settings.database_url) as session:
        create_user(session, "ann@example.com", "correct horse battery staple")
    return "ann@example.com"


def _files(name="a.pdf"):
    data = samples.pdf()
    return [Accepted(kind="attachment", name=name, content_type="application/pdf", size=len(data),
                     stream=io.BytesIO(data))]


def _owner(session, email):
    from statex.accounts import find_user

    return find_user(session, email)


def _stored(storage: LocalStorage) -> list[Path]:
    return [p for p in storage.root.rglob("*") if p.is_file()] if storage.root.exists() else []


def test_submit_commits_the_submission_its_files_and_its_job(settings, owner_email, tmp_path):
    storage = LocalStorage(tmp_path)
    with session_scope(settings.database_url) as session:
        submission, created = submissions.submit(session, storage, _owner(session, owner_email),
                                                 Draft(description="Read invoices"), _files())
    assert created
    with session_scope(settings.database_url) as session:
        stored = session.get(Submission, submission.id)
        assert [f.name for f in stored.files] == ["a.pdf"]
        assert count(session, PipelineRun, PipelineRun.submission_id == submission.id) == 1
        assert count(session, QueuedJob, QueuedJob.func == EXTRACT_FILE.func) == 1
        with submissions.open_file(storage, stored.files[0]) as stream:
            assert stream.read()[:5] == b"%PDF-"
    assert len(_stored(storage)) == 1


def test_files_of_a_submission_that_fails_to_commit_are_removed(settings, owner_email, tmp_path):
    storage = LocalStorage(tmp_path)
    with pytest.raises(DataError), session_scope(settings.database_url) as session:
        # A name longer than the column takes: PostgreSQL refuses the row after the file is stored.
        submissions.submit(session, storage, _owner(session, owner_email), Draft(description="x"),
                           _files("n" * 300 + ".pdf"))
    assert _stored(storage) == []
    with session_scope(settings.database_url) as session:
        assert count(session, Submission) == 0


def test_the_same_idempotency_key_gives_one_submission_even_at_once(settings, owner_email, tmp_path):
    storage = LocalStorage(tmp_path)
    results, barrier = [], threading.Barrier(4)

    def post():
        with session_scope(settings.database_url) as session:
            barrier.wait()
            submission, created = submissions.submit(session, storage, _owner(session, owner_email),
                                                     Draft(description="Same"), _files(), "key-1")
            results.append((submission.id, created))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({submission_id for submission_id, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert len(_stored(storage)) == 1, "the losers' files are removed"
    with session_scope(settings.database_url) as session:
        assert count(session, Submission) == 1
