"""Change stamps: every commit that changes what a client sees bumps their counter, and nothing else does."""

import pytest
from sqlalchemy import select, update

from statex import accounts, submissions
from statex.db import session_scope
from statex.models import (AuditEvent, ChangeStamp, Extraction, Notification, Submission, SubmissionEvent,
                           SubmissionFile)
from statex.models.changes import EVERYONE


def _stamp(url, owner_id) -> int:
    with session_scope(url) as session:
        return session.scalar(select(ChangeStamp.stamp).where(ChangeStamp.owner_id == owner_id)) or 0


@pytest.fixture
def two_clients(settings):
    with session_scope(settings.database_url) as session:
        ann = accounts.create_user(session, "ann@example.com", "correct horse battery staple")
        bob = accounts.create_user(session, "bob@example.com", "correct horse battery staple")
        submission = submissions.create(session, ann, "Read our invoices")
        submission.files.append(SubmissionFile(name="a.pdf", storage_key="k", content_type="application/pdf",
                                               size=1, sha256="0" * 64))
    return ann.id, bob.id, submission.id


def test_each_kind_of_change_bumps_its_owner_and_no_one_else(settings, two_clients):
    url = settings.database_url
    ann, bob, submission_id = two_clients
    steps = []

    def change(step):
        before = _stamp(url, ann), _stamp(url, bob)
        with session_scope(url) as session:  # a fresh session, as a worker has: nothing loaded yet
            step(session)
        steps.append((_stamp(url, ann) - before[0], _stamp(url, bob) - before[1]))

    change(lambda s: s.add(SubmissionEvent(submission_id=submission_id, kind="analysis.completed")))
    change(lambda s: setattr(s.get(Submission, submission_id), "status", "processing"))
    change(lambda s: s.add(Extraction(file_id=s.scalar(select(SubmissionFile.id)), state="completed")))
    change(lambda s: s.add(Notification(key="test:1", user_id=ann, event="submission.completed", title="Ready")))
    change(lambda s: setattr(accounts.find_user(s, "ann@example.com"), "name", "Ann"))
    change(lambda s: s.add(AuditEvent(action="user.signed_in", actor="bob@example.com")))
    assert steps == [(1, 0)] * 5 + [(0, 0)]


def test_a_rolled_back_change_bumps_nothing(settings, two_clients):
    url, (ann, _bob, submission_id) = settings.database_url, two_clients
    before = _stamp(url, ann)
    with pytest.raises(RuntimeError), session_scope(url) as session:
        session.get(Submission, submission_id).status = "failed"
        session.flush()
        raise RuntimeError("the job died")
    assert _stamp(url, ann) == before


def test_a_bulk_statement_bumps_everyone(settings, two_clients):
    url, ann = settings.database_url, two_clients[0]
    before = _stamp(url, EVERYONE)
    with session_scope(url) as session:
        session.execute(update(Notification).where(Notification.user_id == ann).values(read_at=None))
    assert _stamp(url, EVERYONE) == before + 1
