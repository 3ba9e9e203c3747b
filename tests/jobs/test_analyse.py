"""The analysis and notification jobs: real RQ, real PostgreSQL, safe to run twice."""

from sqlalchemy import func, select

from jobs.analyse import analyse_submission
from jobs.notify import notify_event
from statex import accounts, submissions
from statex.db import session_scope
from statex.models import Delivery, OutboxMessage, Submission, SubmissionEvent

TEXT = ("Provozujeme malou účetní kancelář v Brně. Každý měsíc dostáváme stovky faktur e-mailem "
        "a dva lidé je ručně přepisují do účetního systému. Chceme faktury číst automaticky.")


def _submission(settings, text=TEXT) -> str:
    with session_scope(settings.database_url) as session:
        user = accounts.create_user(session, "eva@example.com", "x" * 12)
        return str(submissions.create(session, user, text).id)


def test_analysis_detects_czech_and_completes(settings, db):
    submission_id = _submission(settings)
    assert analyse_submission(submission_id) == "completed"
    submission = db.get(Submission, submission_id)
    assert submission.status == "completed"
    assert submission.result.data["language"] == "cs"
    assert submission.result.data["summary"].startswith("Provozujeme")
    kinds = [e.kind for e in submission.events]
    assert kinds == ["submission.created", "analysis.started", "submission.completed"]


def test_running_the_analysis_twice_changes_nothing(settings, db):
    submission_id = _submission(settings)
    analyse_submission(submission_id)
    assert analyse_submission(submission_id) == "skipped"
    assert db.scalar(select(func.count()).select_from(SubmissionEvent)) == 3


def test_the_results_message_is_sent_once(settings, db):
    submission_id = _submission(settings)
    analyse_submission(submission_id)
    event = db.scalar(select(SubmissionEvent).where(SubmissionEvent.kind == "submission.completed"))
    assert notify_event(str(event.id)) == "sent"
    assert notify_event(str(event.id)) == "already sent"
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    delivery = db.scalar(select(Delivery))
    assert delivery.status == "sent" and delivery.attempts == 1


def test_worker_runs_the_whole_chain(settings, db, run_jobs):
    submission_id = _submission(settings)
    run_jobs()
    assert db.get(Submission, submission_id).status == "completed"
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1
