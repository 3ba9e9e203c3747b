"""The AI pipeline end to end on real Redis, PostgreSQL and files: extraction, analysis, review."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from redis import Redis
from sqlalchemy import select

from jobs.analyse import analyse_run
from jobs.reconcile import reconcile
from statex import pipeline, review
from statex.db import session_scope
from statex.models import Delivery, OutboxMessage, QueuedJob, Submission, User
from statex.models.base import utcnow
from statex.models.pipeline import Extraction, PipelineRun
from statex.queue import connect
from tests.helpers import count
from tests.statex import extraction_samples as samples

DESCRIPTION = ("We are a distribution company in Brno. We receive orders as PDF files and scans by email "
               "and retype them into our ERP. We need the orders read automatically.")


def _submit(client, headers, description=DESCRIPTION, files=(), voice=None):
    data = {"description": description, "files": [(io.BytesIO(body), name) for name, body in files]}
    if voice is not None:
        data["voice"] = (io.BytesIO(voice), "voice.wav")
    response = client.post("/api/v1/submissions", data=data, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _read(client, headers, submission_id):
    return client.get(f"/api/v1/submissions/{submission_id}", headers=headers).get_json()


def test_text_request_runs_through_every_step(client, client_token, run_jobs, db):
    headers, _user = client_token
    submission_id = _submit(client, headers)
    run_jobs()
    body = _read(client, headers, submission_id)
    assert body["status"] == "completed"
    assert body["result"]["language"] == "en"
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == ["submission.created", "processing.started", "analysis.started", "analysis.completed",
                     "submission.completed"]
    assert db.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("results are ready")))


def test_every_attachment_is_read_and_the_unreadable_one_named(client, client_token, run_jobs, db):
    headers, _user = client_token
    files = [("order.pdf", samples.text_pdf(["Order 1234: forty pallets of mineral water"])),
             ("scan.png", samples.text_png(("Invoice number 4711", "Please automate our orders"))),
             ("broken.pdf", b"%PDF-1.7\n this is not really a PDF at all \n%%EOF")]
    submission_id = _submit(client, headers, files=files)
    run_jobs()
    body = _read(client, headers, submission_id)
    assert body["status"] == "completed"
    extractions = {e.file.name: e for e in db.scalars(select(Extraction))}
    assert "forty pallets" in extractions["order.pdf"].text
    assert extractions["order.pdf"].method == "pypdf"
    assert "Invoice number 4711" in extractions["scan.png"].text
    assert extractions["scan.png"].machine_made
    assert extractions["broken.pdf"].state == "failed" and extractions["broken.pdf"].error
    assert any("broken.pdf" in note for note in body["result"]["notes"])
    shown = {f["name"]: f["extraction"] for f in body["files"]}
    assert shown["order.pdf"]["status"] == "completed" and "forty pallets" in shown["order.pdf"]["text"]
    assert shown["scan.png"]["machine_made"] is True
    assert shown["broken.pdf"]["status"] == "failed" and shown["broken.pdf"]["error"]
    kinds = [e["kind"] for e in body["events"]]
    assert kinds.count("extraction.completed") == 2 and kinds.count("extraction.failed") == 1


def test_browser_recording_is_transcribed_offline_by_the_extraction_job(client, client_token, run_jobs, db,
                                                                       tmp_path):
    headers, _user = client_token
    webm = samples.reencode(samples.speech_wav(tmp_path), "webm", "libopus")  # as MediaRecorder sends it
    submission_id = _submit(client, headers, description="", voice=webm)
    run_jobs()  # a real RQ worker: the model loads in the forked work horse
    extraction = db.scalar(select(Extraction))
    assert (extraction.state, extraction.method, extraction.language) == ("completed", "faster-whisper", "en")
    heard = samples.SPEECH_WORDS & set(samples.words(extraction.text.replace(".", " ")))
    assert len(heard) >= 0.75 * len(samples.SPEECH_WORDS), extraction.text
    body = _read(client, headers, submission_id)
    shown = body["files"][0]["extraction"]
    assert shown["confidence"] == extraction.confidence > 0.5 and shown["low_confidence"] is False
    assert body["status"] == "completed"
    assert not any("hard to understand" in note for note in body["result"]["notes"])


def test_a_recording_hard_to_understand_is_marked_and_not_taken_as_fact(client, auth, make_user, make_token,
                                                                      run_jobs, db, tmp_path):
    email, password, _user = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    submission_id = _submit(client, headers, voice=samples.mumble_in_noise_wav(tmp_path))
    run_jobs()
    body = _read(client, headers, submission_id)
    shown = next(f["extraction"] for f in body["files"] if f["kind"] == "voice")
    assert shown["text"] and shown["low_confidence"] is True and shown["confidence"] < 0.5
    caveat = next(note for note in body["result"]["notes"] if note.startswith("The voice recording was hard"))
    assert "not taken as fact" in caveat
    auth.login(email, password)
    page = client.get(f"/portal/submissions/{submission_id}").get_data(as_text=True)
    assert "hard to understand: please check</span>" in page
    auth.logout()
    staff_email, staff_password, _staff_id = make_user(role="staff")
    auth.login(staff_email, staff_password)
    page = client.get(f"/portal/staff/submissions/{submission_id}").get_data(as_text=True)
    assert f"confidence {shown['confidence'] * 100:.0f} %" in page
    assert "hard to understand: please check</span>" in page


def test_steps_run_twice_change_nothing(client, client_token, run_jobs, db):
    headers, _user = client_token
    submission_id = _submit(client, headers)
    run_jobs()
    run = db.scalar(select(PipelineRun))
    assert analyse_run(str(run.id)) == "skipped"
    run_jobs()
    body = _read(client, headers, submission_id)
    assert [e["kind"] for e in body["events"]].count("submission.completed") == 1
    assert db.scalar(select(Delivery).where(Delivery.event == "submission.completed")).attempts == 1


def test_transient_transcription_failure_is_retried(whisper, client, client_token, run_jobs, db, tmp_path):
    headers, _user = client_token
    whisper.answers = [(503, {"error": "overloaded"}),
                       (200, {"text": "please send the price", "language": "english", "segments": []})]
    submission_id = _submit(client, headers, files=[("note.wav", samples.speech_wav(tmp_path))])
    run_jobs()
    extraction = db.scalar(select(Extraction))
    assert extraction.state == "completed" and extraction.attempts == 2
    assert extraction.text == "please send the price"
    assert _read(client, headers, submission_id)["status"] == "completed"


def test_permanent_failure_after_the_last_retry_is_told_to_the_client(whisper, client, client_token, run_jobs, db,
                                                                         tmp_path):
    headers, _user = client_token
    whisper.answers = [(503, {"error": "overloaded"})] * 4
    submission_id = _submit(client, headers, description="", voice=samples.speech_wav(tmp_path))
    run_jobs()
    body = _read(client, headers, submission_id)
    assert body["status"] == "failed"
    assert "could not read anything" in body["status_message"]
    assert db.scalar(select(Extraction)).attempts == 4


def test_review_holds_the_result_until_staff_approve(client, client_token, run_jobs, db, make_user, settings):
    headers, _user = client_token
    with_policy(settings, review_all=True)
    submission_id = _submit(client, headers)
    run_jobs()
    assert _read(client, headers, submission_id)["status"] == "in_review"
    assert _read(client, headers, submission_id)["result"] is None
    reviewer = _staff(make_user, settings)
    with session_scope(settings.database_url) as session:
        submission = session.get(Submission, uuid.UUID(submission_id))
        assert pipeline.edit_result(session, submission, reviewer(session), {"summary": "Read PDF orders."})
        assert pipeline.approve(session, submission, reviewer(session))
    run_jobs()
    body = _read(client, headers, submission_id)
    assert body["status"] == "completed" and body["result"]["summary"] == "Read PDF orders."
    assert "review.approved" in [e["kind"] for e in body["events"]]


def test_rejected_review_goes_back_to_the_client_and_more_information_reprocesses(
        client, client_token, run_jobs, make_user, settings):
    headers, _user = client_token
    with_policy(settings, review_all=True)
    submission_id = _submit(client, headers)
    run_jobs()
    reviewer = _staff(make_user, settings)
    with session_scope(settings.database_url) as session:
        submission = session.get(Submission, uuid.UUID(submission_id))
        assert pipeline.reject(session, submission, reviewer(session), "How many orders a day?")
    body = _read(client, headers, submission_id)
    assert body["status"] == "needs_info" and body["status_message"] == "How many orders a day?"

    with_policy(settings, review_all=False)
    with session_scope(settings.database_url) as session:
        submission = session.get(Submission, uuid.UUID(submission_id))
        pipeline.request_run(session, submission)
    run_jobs()
    assert _read(client, headers, submission_id)["status"] == "completed"


def test_reconciler_recovers_work_lost_with_redis(client, client_token, run_jobs, settings, db):
    headers, _user = client_token
    submission_id = _submit(client, headers)
    Redis.from_url(settings.redis_url).flushdb()  # Redis restarted empty: the queued job is gone
    with session_scope(settings.database_url) as session:
        long_ago = utcnow() - timedelta(seconds=settings.reconcile_interval)
        session.execute(PipelineRun.__table__.update().values(updated_at=long_ago))
    lost = count(db, QueuedJob)
    assert lost >= 1
    assert reconcile(settings, connect(settings.redis_url)) == lost
    run_jobs()
    assert _read(client, headers, submission_id)["status"] == "completed"
    assert reconcile(settings, connect(settings.redis_url)) == 0


def with_policy(settings, review_all: bool) -> None:
    with session_scope(settings.database_url) as session:
        review.set_policy(session, review_all, [])


def _staff(make_user, settings):
    """A staff member, as a function giving their row in a session."""
    _email, _password, user_id = make_user(role="staff")
    return lambda session: session.get(User, user_id)


def test_a_voice_only_request_is_named_from_its_transcript_in_its_language(whisper, client, client_token,
                                                                             run_jobs, db, tmp_path):
    headers, _user = client_token
    whisper.answers = [(200, {"text": "Dobrý den, jsme malá pekárna v Brně. Potřebujeme nový e-shop pro "
                                      "objednávky chleba."})]
    submission_id = _submit(client, headers, description="", voice=samples.speech_wav(tmp_path))
    assert _read(client, headers, submission_id)["title"].startswith("Voice message of ")
    run_jobs()
    body = _read(client, headers, submission_id)
    assert body["status"] == "completed"
    assert body["title"] == "Potřebujeme nový e-shop pro objednávky chleba"
    subject = db.scalar(select(OutboxMessage.subject).where(OutboxMessage.subject.contains("results")))
    assert subject.endswith(": Potřebujeme nový e-shop pro objednávky chleba")


def test_the_clients_own_title_stays_through_the_analysis(client, client_token, run_jobs):
    headers, _user = client_token
    response = client.post("/api/v1/submissions", headers=headers,
                           json={"description": DESCRIPTION, "title": "  Orders  into the ERP "})
    assert response.status_code == 201 and response.get_json()["title"] == "Orders into the ERP"
    run_jobs()
    assert _read(client, headers, response.get_json()["id"])["title"] == "Orders into the ERP"
