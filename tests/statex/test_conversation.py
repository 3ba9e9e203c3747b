"""The thread's domain: messages, notes that stay internal, dedup by source, whose turn it is, files read."""

import io

import pytest
from sqlalchemy import select

from statex import submissions
from statex.conversation.thread import FROM_CLIENT, FROM_STAFF, NotAllowed, mark_read, post_message, thread_for
from statex.db import session_scope
from statex.models import AuditEvent, Extraction, Message, QueuedJob, Submission, SubmissionEvent, User
from statex.storage import LocalStorage, storage_for
from statex.uploads import Accepted
from tests import samples


@pytest.fixture
def people(settings, make_user):
    """A client with one request, and a staff member."""
    _, _, client_id = make_user("client", name="Ann")
    _, _, staff_id = make_user("staff", name="Sam")
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, client_id), "Read our invoices")
        return client_id, staff_id, submission.id


def _load(session, people):
    client_id, staff_id, submission_id = people
    return session.get(User, client_id), session.get(User, staff_id), session.get(Submission, submission_id)


def _pdf(name="answer.pdf"):
    data = samples.pdf()
    return Accepted(kind="attachment", name=name, content_type="application/pdf", size=len(data),
                    stream=io.BytesIO(data))


def test_a_staff_reply_turns_the_thread_to_the_client_and_records_its_first_reply(settings, people):
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        assert submission.waiting_on == "us" and submission.first_reply_due_at is not None
        post_message(session, submission, staff, "We are on it.")
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        assert submission.waiting_on == "client"
        assert submission.first_replied_at is not None
        kinds = [e.kind for e in submission.events]
        assert FROM_STAFF in kinds
        assert [m.body for m in thread_for(session, submission, client)] == ["We are on it."]
        post_message(session, submission, client, "Thanks!")
    with session_scope(settings.database_url) as session:
        _client, _staff, submission = _load(session, people)
        assert submission.waiting_on == "us"
        assert FROM_CLIENT in [e.kind for e in submission.events]


def test_a_note_is_never_the_clients_to_read_nor_hear_of(settings, people):
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        jobs_before = len(session.scalars(select(QueuedJob)).all())
        post_message(session, submission, staff, "Client seems confused", internal=True)
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        assert thread_for(session, submission, client) == []
        assert [m.body for m in thread_for(session, submission, staff)] == ["Client seems confused"]
        # No event on the client's timeline, no notification job, no change of turn; the audit log has it.
        assert not [e for e in submission.events if e.kind.startswith("message.")]
        assert len(session.scalars(select(QueuedJob)).all()) == jobs_before
        assert submission.waiting_on == "us" and submission.first_replied_at is None
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "note.added")) == "note.added"


def test_only_staff_write_notes_and_only_the_client_and_staff_write_at_all(settings, people, make_user):
    _, _, other_id = make_user("client")
    with session_scope(settings.database_url) as session:
        client, _staff, submission = _load(session, people)
        with pytest.raises(NotAllowed):
            post_message(session, submission, client, "psst", internal=True)
        with pytest.raises(NotAllowed):
            post_message(session, submission, session.get(User, other_id), "hello")


def test_the_same_source_id_lands_once(settings, people):
    with session_scope(settings.database_url) as session:
        client, _staff, submission = _load(session, people)
        first = post_message(session, submission, client, "By mail", source="email", source_id="<a@b>")
    with session_scope(settings.database_url) as session:
        client, _staff, submission = _load(session, people)
        again = post_message(session, submission, client, "By mail", source="email", source_id="<a@b>")
        assert again.id == first.id
    with session_scope(settings.database_url) as session:
        assert len(session.scalars(select(Message)).all()) == 1
        assert len(session.scalars(select(SubmissionEvent).where(SubmissionEvent.kind == FROM_CLIENT)).all()) == 1


def test_a_messages_file_is_stored_and_read_but_not_among_the_requests_own(settings, people, run_jobs):
    storage = storage_for(settings)
    with session_scope(settings.database_url) as session:
        _client, staff, submission = _load(session, people)
        message = post_message(session, submission, staff, "See attached", files=[_pdf()], storage=storage)
        message_id = message.id
    with session_scope(settings.database_url) as session:
        _client, _staff, submission = _load(session, people)
        message = session.get(Message, message_id)
        assert [f.name for f in message.files] == ["answer.pdf"]
        assert submission.files == []
        extraction = session.scalar(select(Extraction).where(Extraction.file_id == message.files[0].id))
        assert extraction is not None and extraction.state == "pending"
        file_id = message.files[0].id
    run_jobs()
    with session_scope(settings.database_url) as session:
        _client, _staff, submission = _load(session, people)
        extraction = session.scalar(select(Extraction).where(Extraction.file_id == file_id))
        assert extraction.state == "completed" and extraction.text.strip()
        # Read like the request's own, but it is not news on the request's timeline.
        assert "extraction.completed" not in [e.kind for e in submission.events]


def test_reading_the_thread_marks_the_other_sides_messages_read(settings, people):
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        post_message(session, submission, staff, "Hello")
        post_message(session, submission, staff, "A note", internal=True)
        post_message(session, submission, client, "Hi")
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        assert mark_read(session, submission, client) == 1
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        read = {m.body: m.read_at is not None for m in thread_for(session, submission, staff)}
        assert read == {"Hello": True, "A note": False, "Hi": False}
        assert mark_read(session, submission, staff) == 1


def test_the_export_holds_the_thread_without_notes_and_erasing_takes_it_all(settings, people, tmp_path):
    import json
    import zipfile

    from statex import privacy

    storage = LocalStorage(tmp_path)
    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        post_message(session, submission, client, "Here is more", files=[_pdf("more.pdf")], storage=storage)
        post_message(session, submission, staff, "Secret plan", internal=True, files=[_pdf("plan.pdf")],
                     storage=storage)
    with session_scope(settings.database_url) as session:
        client, _staff, _submission = _load(session, people)
        archive = zipfile.ZipFile(privacy.export(session, storage, client))
        data = json.loads(archive.read("data.json"))
        [exported] = data["submissions"]
        assert [m["body"] for m in exported["messages"]] == ["Here is more"]
        assert "Secret plan" not in archive.read("data.json").decode()
        names = archive.namelist()
        assert any(name.endswith("more.pdf") for name in names) and not any("plan.pdf" in n for n in names)
    with session_scope(settings.database_url) as session:
        client, _staff, _submission = _load(session, people)
        privacy.erase(session, storage, client)
    with session_scope(settings.database_url) as session:
        assert session.scalars(select(Message)).all() == []
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_each_side_hears_of_the_others_message_once_and_nobody_of_a_note(settings, people, run_jobs):
    from statex.models import Delivery, Notification

    with session_scope(settings.database_url) as session:
        client, staff, submission = _load(session, people)
        post_message(session, submission, staff, "Which ERP do you use?")
        post_message(session, submission, staff, "They are a big account", internal=True)
        post_message(session, submission, client, "We use Helios.")
    run_jobs()
    run_jobs()  # a second pass finds nothing more to send
    with session_scope(settings.database_url) as session:
        client_id, staff_id, _ = people
        to_client = session.scalars(select(Delivery).where(Delivery.event == FROM_STAFF)).all()
        assert len(to_client) == 1 and "Which ERP do you use?" in to_client[0].body_text
        to_staff = session.scalars(select(Delivery).where(Delivery.event == "staff.message.received")).all()
        assert len(to_staff) == 1 and "We use Helios." in to_staff[0].body_text
        bell = session.scalars(select(Notification).where(Notification.user_id == staff_id)).all()
        assert [n.event for n in bell] == ["staff.message.received"]
        everything = " ".join(d.body_text + d.body_html + d.subject for d in session.scalars(select(Delivery)))
        everything += " ".join(n.title + n.body for n in session.scalars(select(Notification)))
        assert "big account" not in everything
