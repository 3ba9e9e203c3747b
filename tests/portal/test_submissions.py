"""The client's journey in the portal: sign up, submit, watch the status, read the result."""

import re

from sqlalchemy import select

from statex.models import OutboxMessage
from tests.conftest import Auth

DESCRIPTION = ("We run a small accounting office in Brno. Every month we receive around 800 invoices "
               "as PDF files by email. Today two people retype them into our ERP system. We want the "
               "invoices read automatically and checked before import.")


def _signup(client, email="ann@example.com"):
    """Sign up, then sign in with the new password."""
    password = "correct horse battery staple"
    client.post("/portal/signup", data={"name": "Ann", "email": email, "password": password,
                                        "csrf_token": Auth(client).csrf("/portal/signup")})
    return Auth(client).login(email, password)


def _submit(client, description=DESCRIPTION):
    return client.post("/portal/submissions/new", data={
        "description": description, "language": "", "csrf_token": Auth(client).csrf("/portal/submissions/new")})


def test_a_new_client_signs_in_to_their_requests_and_the_form(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/portal/"
    assert "Tell us what you need" in client.get("/portal/submissions/new").get_data(as_text=True)


def test_dashboard_needs_a_signed_in_user(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert "/portal/login" in response.headers["Location"]


def test_submission_is_analysed_and_the_result_shown(client, run_jobs, db):
    _signup(client)
    response = _submit(client)
    assert response.status_code == 303
    page = response.headers["Location"]

    assert "received" in client.get(page, headers={"HX-Request": "true"}).get_data(as_text=True)
    run_jobs()
    fragment = client.get(page, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in html and "badge--completed" in html
    assert "hx-trigger" not in html, "polling stops at a final state"
    assert "invoices" in html.lower()
    assert "Results ready" in html and "submission.completed" not in html  # the timeline in words

    message = db.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("results are ready"))).one()
    assert message.recipient == "ann@example.com"
    assert "results are ready" in message.subject
    assert page in message.body_text


def test_status_fragment_polls_until_final(client):
    _signup(client)
    page = _submit(client).headers["Location"]
    html = client.get(page, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in html


def test_history_restore_gets_the_full_page(client):
    _signup(client)
    page = _submit(client).headers["Location"]
    html = client.get(page, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}).get_data(as_text=True)
    assert "<html" in html


def test_empty_description_is_refused_and_the_form_kept(client):
    _signup(client)
    response = _submit(client, description="   ")
    assert response.status_code == 422
    assert "Describe what you need." in response.get_data(as_text=True)


def test_too_long_description_is_refused_with_its_count_and_kept_whole(client):
    _signup(client)
    typed = ("We want our invoices read. " * 1000)[:25_300]
    response = _submit(client, description=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Your text has 25,300 characters, 5,300 over the limit of 20,000." in html
    textarea = re.search(r"<textarea[^>]*name=\"description\"[^>]*>", html).group(0)
    # The browser's maxlength would cut the text back to 20,000 characters, silently.
    assert "maxlength" not in textarea and 'data-max-chars="20000"' in textarea
    assert typed.strip() in html


def test_line_breaks_count_as_the_browser_counts_them(client):
    """A browser sends each line break as CRLF; a text at the limit by its count is not refused for them."""
    _signup(client)
    line = "An invoice line to read." + "x" * 75
    typed = "\r\n".join([line] * 200)  # 100 characters a line with its break, as the browser counts
    assert len(typed.replace("\r\n", "\n")) == 19_999 and len(typed) > 20_000
    assert _submit(client, description=typed).status_code == 303


def test_a_client_cannot_see_another_clients_submission(client, app):
    _signup(client, "ann@example.com")
    page = _submit(client).headers["Location"]
    other = app.test_client()
    _signup(other, "bob@example.com")
    assert other.get(page).status_code == 404
    assert other.get("/portal/submissions/not-a-uuid").status_code == 404


def test_form_without_csrf_token_is_refused(client):
    _signup(client)
    response = client.post("/portal/submissions/new", data={"description": "hello"})
    assert response.status_code == 400
