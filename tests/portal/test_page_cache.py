"""Pages served from memory while nothing they show has changed, and rendered afresh the moment something has."""

import pytest

from statex import accounts, submissions
from statex.db import session_scope
from tests.conftest import Auth, statements_run


@pytest.fixture
def ann(client, auth, make_user, settings):
    email, password, user_id = make_user(email="ann@example.com")
    auth.login(email, password)
    return user_id


def _create(settings, email: str, text: str) -> str:
    """A submission made outside the portal's process, as the API in another replica would."""
    with session_scope(settings.database_url) as session:
        return str(submissions.create(session, accounts.find_user(session, email), text).id)


def _get(client, settings, path, **headers):
    """The answer to one request and the SQL statements it ran."""
    with statements_run(settings.database_url) as statements:
        response = client.get(path, headers=headers)
    return response, statements


def test_an_unchanged_page_is_served_again_with_only_the_session_lookup(client, ann, settings):
    submission_id = _create(settings, "ann@example.com", "Read our invoices")
    for path, headers in (("/portal/", {}), (f"/portal/submissions/{submission_id}", {"HX-Request": "true"})):
        first, rendering = _get(client, settings, path, **headers)
        again, serving = _get(client, settings, path, **headers)
        assert first.status_code == again.status_code == 200 and first.data == again.data
        assert len(rendering) > 1 and len(serving) == 1, serving
        assert again.headers["Vary"] == first.headers["Vary"] and "HX-Request" in again.headers["Vary"]
        assert again.headers["Content-Type"] == "text/html; charset=utf-8"
        assert "no-store" in again.headers["Cache-Control"]


def test_a_submission_made_elsewhere_shows_on_the_next_request(client, ann, settings):
    _create(settings, "ann@example.com", "Read our invoices")
    assert "Read our invoices" in client.get("/portal/").get_data(as_text=True)
    _create(settings, "ann@example.com", "Answer customer emails")
    html = client.get("/portal/").get_data(as_text=True)
    assert "Answer customer emails" in html and "2 requests" in html


def test_the_polled_status_follows_the_workers_step_by_step(client, ann, settings, run_jobs):
    submission_id = _create(settings, "ann@example.com", "Read our invoices every month, budget 5000 EUR.")
    page = f"/portal/submissions/{submission_id}"
    assert "badge--received" in client.get(page, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Notifications: 0 unread" in client.get(page).get_data(as_text=True)
    run_jobs()
    polled = client.get(page, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "badge--completed" in polled and "result-summary" in polled
    assert "Notifications: 1 unread" in client.get(page).get_data(as_text=True)  # the results; "received" is read


def test_a_cached_page_outlives_neither_the_session_nor_its_owner(client, ann, auth, app, make_user, settings):
    submission_id = _create(settings, "ann@example.com", "Read our invoices")
    page = f"/portal/submissions/{submission_id}"
    assert client.get(page).status_code == 200
    other = app.test_client()
    email, password, _id = make_user(email="bob@example.com")
    Auth(other).login(email, password)
    assert other.get(page).status_code == 404
    auth.logout()
    assert client.get(page).status_code == 302 and client.get("/portal/").status_code == 302


def test_a_flashed_message_is_shown_once(client, ann, auth, settings):
    submission_id = _create(settings, "ann@example.com", "Read our invoices")
    page = f"/portal/submissions/{submission_id}"
    client.get(page)
    client.post(f"{page}/cancel", data={"csrf_token": auth.csrf(page)})
    assert "Your request is cancelled." in client.get(page).get_data(as_text=True)
    again = client.get(page).get_data(as_text=True)
    assert "Your request is cancelled." not in again and "badge--cancelled" in again
