"""The dashboard: filter by status, search in descriptions, pages, and a bounded number of queries."""

import pytest

from statex import submissions
from statex.accounts import find_user
from tests.conftest import statements_run


@pytest.fixture
def owner(client, auth, make_user, db):
    email, password, _id = make_user()
    auth.login(email, password)
    return find_user(db, email)


def _make(db, owner, descriptions):
    for text in descriptions:
        submissions.create(db, owner, text)
    db.commit()


def test_search_finds_words_in_descriptions(client, owner, db):
    _make(db, owner, ["Read our invoices", "Answer customer emails", "Invoices in Czech, 100% of them"])
    html = client.get("/portal/?q=invoice").get_data(as_text=True)
    assert "Read our invoices" in html and "Invoices in Czech" in html and "customer emails" not in html
    assert "2 requests matching" in html
    assert "Invoices in Czech" in client.get("/portal/?q=100%25").get_data(as_text=True)
    assert "No requests match" in client.get("/portal/?q=_").get_data(as_text=True)


def test_filter_by_status(client, owner, db, run_jobs):
    _make(db, owner, ["First request"])
    run_jobs()  # the pipeline completes it
    _make(db, owner, ["Second request"])
    html = client.get("/portal/?status=completed").get_data(as_text=True)
    assert "First request" in html and "Second request" not in html
    assert "Second request" in client.get("/portal/?status=bogus").get_data(as_text=True)


def test_pages_of_twenty_and_htmx_gets_only_the_results(client, owner, db):
    _make(db, owner, [f"Request number {n:03d}" for n in range(45)])
    html = client.get("/portal/?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in html and "Request number 000" in html and "Request number 044" not in html
    fragment = client.get("/portal/?page=2", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and 'id="results"' in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    restored = client.get("/portal/?page=2", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restored.get_data(as_text=True)


def _queries(client, settings, path):
    """The SQL statements one request runs."""
    with statements_run(settings.database_url) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def test_two_hundred_submissions_render_with_a_bounded_number_of_queries(client, owner, db, settings):
    _make(db, owner, ["The first request"])
    one, _html = _queries(client, settings, "/portal/")
    _make(db, owner, [f"Request {n}" for n in range(199)])
    many, html = _queries(client, settings, "/portal/")
    last_page, _html = _queries(client, settings, "/portal/?page=10")
    assert html.count('class="card submission-list__item"') == 20
    assert len(many) == len(one) == len(last_page), many
    # The session with its stamps and unread count; the page with its total and file counts.
    assert len(many) <= 2, many


def test_requests_of_files_alone_are_listed_by_their_files_with_a_count(client, owner, db, settings):
    import uuid

    from statex.models import SubmissionFile
    from statex.models.base import utcnow

    worded, bare, voice = (submissions.create(db, owner, text, process=False) for text in ("Read our invoices", "", ""))
    for submission, kind, name, content_type in [(worded, "attachment", "a.pdf", "application/pdf"),
                                                 (bare, "attachment", "invoice.pdf", "application/pdf"),
                                                 (bare, "attachment", "order.txt", "text/plain"),
                                                 (voice, "voice", "recording.webm", "audio/webm")]:
        submission.files.append(SubmissionFile(kind=kind, name=name, storage_key=f"test/{uuid.uuid4()}",
                                               content_type=content_type, size=1, sha256="0" * 64, created_at=utcnow()))
    db.commit()
    statements, html = _queries(client, settings, "/portal/")
    assert "Read our invoices" in html and "invoice.pdf and 1 more file<" in html and "Voice message of " in html
    assert html.count('class="file-count"') == 3 and "2 files" in html and html.count("1 file<") == 2
    # Only the two without words read their files' names, in one statement more.
    assert len(statements) == 3, statements


def test_a_page_past_the_last_says_there_is_nothing_there(client, owner, db):
    _make(db, owner, [f"Request number {n:03d}" for n in range(3)])
    html = client.get("/portal/?page=7").get_data(as_text=True)
    assert "No requests yet" in html and "Request number" not in html
