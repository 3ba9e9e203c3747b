"""Cancelling a submission, and adding information that has it processed again."""

import io

import pytest
from sqlalchemy import select

from statex.models import QueuedJob, Submission, SubmissionFile
from statex.queue import ANALYSE_RUN
from tests import samples
from tests.conftest import Auth
from tests.helpers import count

DESCRIPTION = "We want the invoices we receive by email read automatically and checked before import."


@pytest.fixture
def page(client, auth, make_user):
    """The detail page of a fresh submission by a signed-in client."""
    email, password, _id = make_user()
    auth.login(email, password)
    response = client.post("/portal/submissions/new", data={
        "description": DESCRIPTION, "csrf_token": Auth(client).csrf("/portal/submissions/new")})
    return response.headers["Location"]


def test_a_received_submission_can_be_cancelled(client, page, db, run_jobs):
    response = client.post(f"{page}/cancel", data={"csrf_token": Auth(client).csrf(page)})
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "Your request is cancelled." in html and "badge--cancelled" in html
    assert "Cancel this request" not in html and "Add information" not in html
    run_jobs()
    submission = db.scalars(select(Submission)).one()
    assert submission.status == "cancelled" and submission.result is None
    assert [e.kind for e in submission.events] == ["submission.created", "submission.cancelled"]


def test_a_completed_submission_cannot_be_cancelled(client, page, db, run_jobs):
    run_jobs()
    assert "Cancel this request" not in client.get(page).get_data(as_text=True)
    client.post(f"{page}/cancel", data={"csrf_token": Auth(client).csrf(page)})
    assert "can no longer be cancelled" in client.get(page).get_data(as_text=True)
    assert db.scalars(select(Submission)).one().status == "completed"


def test_cancel_needs_csrf_and_the_owner(client, page, app, make_user):
    assert client.post(f"{page}/cancel").status_code == 400
    other = app.test_client()
    email, password, _id = make_user()
    Auth(other).login(email, password)
    assert other.post(f"{page}/cancel", data={"csrf_token": Auth(other).csrf("/portal/")}).status_code == 404


def test_adding_information_reprocesses_the_submission(client, page, db, run_jobs):
    run_jobs()
    response = client.post(f"{page}/add", data={
        "text": "We also get delivery notes that should be matched to the invoices.",
        "files": [(io.BytesIO(samples.docx()), "notes.docx")], "csrf_token": Auth(client).csrf(page)},
        content_type="multipart/form-data")
    assert response.status_code == 303
    db.expire_all()
    submission = db.scalars(select(Submission)).one()
    assert submission.status == "received" and submission.result is None
    assert "delivery notes" in submission.description and DESCRIPTION in submission.description
    assert db.scalars(select(SubmissionFile)).one().name == "notes.docx"
    run_jobs()
    db.expire_all()
    submission = db.scalars(select(Submission)).one()
    assert submission.status == "completed"
    kinds = [e.kind for e in submission.events]
    assert kinds.count("submission.updated") == 1 and kinds.count("submission.completed") == 2
    assert count(db, QueuedJob, QueuedJob.func == ANALYSE_RUN.func) == 2


def test_adding_nothing_or_bad_files_is_refused(client, page, db):
    empty = client.post(f"{page}/add", data={"text": " ", "csrf_token": Auth(client).csrf(page)})
    assert empty.status_code == 422 and "Write something or attach a file" in empty.get_data(as_text=True)
    bad = client.post(f"{page}/add", data={"files": [(io.BytesIO(b"\x7fELF" + bytes(300)), "tool")],
                                           "csrf_token": Auth(client).csrf(page)}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "“tool” looks like" in bad.get_data(as_text=True)
    assert count(db, SubmissionFile) == 0


def test_a_cancelled_submission_takes_no_more_information(client, page):
    client.post(f"{page}/cancel", data={"csrf_token": Auth(client).csrf(page)})
    response = client.post(f"{page}/add", data={"text": "more", "csrf_token": Auth(client).csrf(page)})
    assert response.status_code == 409


def test_added_audio_counts_with_the_audio_already_sent(monkeypatch, make_user):
    from portal import create_app
    from statex.config import load_settings

    monkeypatch.setenv("UPLOAD_MAX_AUDIO_SECONDS", "60")
    client = create_app(test_config={"TESTING": True}, settings=load_settings()).test_client()
    email, password, _id = make_user()
    Auth(client).login(email, password)
    page = client.post("/portal/submissions/new", content_type="multipart/form-data", data={
        "description": DESCRIPTION, "voice": (io.BytesIO(samples.silence_wav(40)), "first.wav"),
        "csrf_token": Auth(client).csrf("/portal/submissions/new")}).headers["Location"]
    refused = client.post(f"{page}/add", content_type="multipart/form-data", data={
        "files": [(io.BytesIO(samples.silence_wav(30)), "second.wav")], "csrf_token": Auth(client).csrf(page)})
    assert refused.status_code == 422
    assert "The audio lasts longer than the 0:20 min we take per request." in refused.get_data(as_text=True)
    accepted = client.post(f"{page}/add", content_type="multipart/form-data", data={
        "files": [(io.BytesIO(samples.silence_wav(15)), "third.wav")], "csrf_token": Auth(client).csrf(page)})
    assert accepted.status_code == 303


def test_adding_information_counts_the_stored_seconds_without_reading_the_recordings(monkeypatch, make_user):
    """Each file's audio seconds are kept on its row at upload: with the stored recording gone from
    storage, adding more still knows how much audio the request holds."""
    import shutil

    from portal import create_app
    from statex.config import load_settings

    monkeypatch.setenv("UPLOAD_MAX_AUDIO_SECONDS", "60")
    settings = load_settings()
    client = create_app(test_config={"TESTING": True}, settings=settings).test_client()
    email, password, _id = make_user()
    Auth(client).login(email, password)
    page = client.post("/portal/submissions/new", content_type="multipart/form-data", data={
        "description": DESCRIPTION, "voice": (io.BytesIO(samples.silence_wav(40)), "first.wav"),
        "csrf_token": Auth(client).csrf("/portal/submissions/new")}).headers["Location"]
    shutil.rmtree(settings.storage_dir)
    refused = client.post(f"{page}/add", content_type="multipart/form-data", data={
        "files": [(io.BytesIO(samples.silence_wav(30)), "second.wav")], "csrf_token": Auth(client).csrf(page)})
    assert refused.status_code == 422
    assert "The audio lasts longer than the 0:20 min we take per request." in refused.get_data(as_text=True)
