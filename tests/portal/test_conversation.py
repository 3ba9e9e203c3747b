"""The thread on a request's pages: client and staff write, notes stay internal, polls bring news, files travel."""

import io
import re

import pytest
from sqlalchemy import select

from statex.db import session_scope
from statex.models import AuditEvent, Message, Submission
from tests import samples
from tests.conftest import Auth

HTMX = {"HX-Request": "true"}


def _csrf(client, path):
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def scene(app, make_user):
    """A client with a fresh request and a staff member, each signed in in a browser of their own."""
    ann, sam = app.test_client(), app.test_client()
    email, password, _ = make_user(name="Ann")
    staff_email, staff_password, staff_id = make_user("staff", name="Sam")
    Auth(ann).login(email, password)
    Auth(sam).login(staff_email, staff_password)
    sent = ann.post("/portal/submissions/new", data={"description": "Read our invoices, please.",
                                                     "csrf_token": _csrf(ann, "/portal/submissions/new")},
                    content_type="multipart/form-data")
    submission_id = sent.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    return ann, sam, submission_id, staff_id


def _client_post(ann, submission_id, **fields):
    page = f"/portal/submissions/{submission_id}"
    return ann.post(f"{page}/messages", data={"csrf_token": _csrf(ann, page), **fields},
                    content_type="multipart/form-data")


def _staff_post(sam, submission_id, **fields):
    page = f"/portal/staff/submissions/{submission_id}"
    return sam.post(f"{page}/messages", data={"csrf_token": _csrf(sam, page), **fields},
                    content_type="multipart/form-data")


def test_client_and_staff_talk_and_a_note_stays_with_staff(scene):
    ann, sam, submission_id, _ = scene
    page, staff_page = f"/portal/submissions/{submission_id}", f"/portal/staff/submissions/{submission_id}"
    assert _client_post(ann, submission_id, body="Is **PDF** fine?").status_code == 303
    assert "Is <strong>PDF</strong> fine?" in sam.get(staff_page).text
    reply = _staff_post(sam, submission_id, body="Yes, see the sample.",
                        files=[(io.BytesIO(samples.pdf()), "sample.pdf")])
    assert reply.status_code == 303
    assert _staff_post(sam, submission_id, body="Client has 800 invoices a month", internal="y").status_code == 303
    shown = ann.get(page).text
    assert "Yes, see the sample." in shown and "sample.pdf" in shown
    assert "800 invoices" not in shown and "Internal note" not in shown
    staff_shown = sam.get(staff_page).text
    assert "800 invoices" in staff_shown and "Internal note" in staff_shown
    # Ann has read Sam's reply; Sam's page says so.
    assert re.search(r"Yes, see the sample\..*?Read <time", staff_shown, re.S)


def test_the_poll_brings_a_new_reply_and_never_a_note(scene):
    ann, sam, submission_id, _ = scene
    fragment_url = f"/portal/submissions/{submission_id}/thread"
    first = ann.get(fragment_url, headers=HTMX)
    assert first.status_code == 200 and "<html" not in first.text and "No messages yet." in first.text
    shown = re.search(r"shown=([0-9a-f]+)", first.text).group(1)
    assert ann.get(f"{fragment_url}?shown={shown}", headers=HTMX).status_code == 204
    _staff_post(sam, submission_id, body="A note for us", internal="y")
    assert ann.get(f"{fragment_url}?shown={shown}", headers=HTMX).status_code == 204
    _staff_post(sam, submission_id, body="Hello Ann")
    polled = ann.get(f"{fragment_url}?shown={shown}", headers=HTMX)
    assert polled.status_code == 200 and "Hello Ann" in polled.text and "A note for us" not in polled.text
    # Without JavaScript the fragment's address leads to the whole page.
    assert ann.get(fragment_url).status_code == 303


def test_a_notes_file_is_not_the_clients_to_download(scene, settings):
    ann, sam, submission_id, _ = scene
    _staff_post(sam, submission_id, body="Our calculation", internal="y",
                files=[(io.BytesIO(samples.pdf()), "calc.pdf")])
    with session_scope(settings.database_url) as session:
        note = session.scalar(select(Message).where(Message.internal.is_(True)))
        file_id = note.files[0].id
    url = f"/portal/submissions/{submission_id}/files/{file_id}"
    assert ann.get(url).status_code == 404
    assert sam.get(url).status_code == 200


def test_what_a_message_cannot_be_is_said_on_the_form(scene):
    ann, _sam, submission_id, _ = scene
    empty = _client_post(ann, submission_id, body="  ")
    assert empty.status_code == 422 and "Write a message or attach a file." in empty.text
    exe = _client_post(ann, submission_id, body="x", files=[(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "a.exe")])
    assert exe.status_code == 422 and "a.exe" in exe.text


def test_what_a_client_types_is_text_not_markup(scene):
    ann, sam, submission_id, _ = scene
    _client_post(ann, submission_id, body="<script>alert(1)</script> [x](javascript:alert(1))")
    shown = sam.get(f"/portal/staff/submissions/{submission_id}").text
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;" in shown
    assert 'href="javascript:' not in shown


def test_staff_assign_a_request_audited_and_filter_their_queue(scene, settings):
    _ann, sam, submission_id, staff_id = scene
    staff_page = f"/portal/staff/submissions/{submission_id}"
    assigned = sam.post(f"{staff_page}/assign", data={"csrf_token": _csrf(sam, staff_page), "assignee": str(staff_id)})
    assert assigned.status_code == 303
    with session_scope(settings.database_url) as session:
        assert session.get(Submission, submission_id).assignee_id == staff_id
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "submission.assigned")) is not None
    assert "Read our invoices" in sam.get("/portal/staff/submissions?queue=mine").text
    assert "Read our invoices" not in sam.get("/portal/staff/submissions?queue=unassigned").text
    assert "Read our invoices" in sam.get("/portal/staff/submissions?queue=us").text
    _staff_post(sam, submission_id, body="Which ERP do you use?")
    assert "Read our invoices" in sam.get("/portal/staff/submissions?queue=client").text
    assert "Read our invoices" not in sam.get("/portal/staff/submissions?queue=us").text


def test_an_overdue_request_stands_out_in_the_queue(scene, settings):
    _ann, sam, submission_id, _ = scene
    from datetime import timedelta

    from statex.models.base import utcnow

    with session_scope(settings.database_url) as session:
        session.get(Submission, submission_id).first_reply_due_at = utcnow() - timedelta(hours=1)
    listing = sam.get("/portal/staff/submissions").text
    assert 'class="overdue"' in listing and "Overdue" in listing


def test_a_client_cannot_write_on_anothers_request(scene, app, make_user):
    _ann, _sam, submission_id, _ = scene
    bob = app.test_client()
    email, password, _ = make_user()
    Auth(bob).login(email, password)
    response = bob.post(f"/portal/submissions/{submission_id}/messages",
                        data={"csrf_token": _csrf(bob, "/portal/"), "body": "hi"}, content_type="multipart/form-data")
    assert response.status_code == 404
    assert bob.get(f"/portal/submissions/{submission_id}/thread", headers=HTMX).status_code == 404
