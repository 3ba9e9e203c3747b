"""A client's unchanged page is a 304 to a conditional GET, a changed one a 200 with what changed."""

import re

import pytest

from statex import accounts, submissions
from statex.db import session_scope
from tests.conftest import Auth, statements_run

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ann(client, auth, make_user, settings):
    email, password, user_id = make_user(email="ann@example.com")
    auth.login(email, password)
    return user_id


def _create(settings, email: str, text: str) -> str:
    """A submission made outside the portal's process, as the API in another replica or a worker would."""
    with session_scope(settings.database_url) as session:
        return str(submissions.create(session, accounts.find_user(session, email), text).id)


def _get(client, settings, path, **headers):
    """The answer to one request and the SQL statements it ran."""
    with statements_run(settings.database_url) as statements:
        response = client.get(path, headers=headers)
    return response, statements


def test_an_unchanged_page_is_a_304_after_only_the_session_lookup(client, ann, settings):
    submission_id = _create(settings, "ann@example.com", "Read our invoices")
    for path, headers in (("/portal/", {}), (f"/portal/submissions/{submission_id}", HTMX),
                          ("/portal/notifications/bell", HTMX)):
        first = client.get(path, headers=headers)
        assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
        assert first.headers["Cache-Control"] == "private, no-cache"
        again, statements = _get(client, settings, path, **headers, **{"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b"" and len(statements) == 1, statements
        assert again.headers["ETag"] == first.headers["ETag"]
        assert {"Cookie", "HX-Request"} <= {v.strip() for v in again.headers["Vary"].split(",")}
        assert again.headers["Cache-Control"] == "private, no-cache"


def test_a_change_made_elsewhere_is_a_200_with_the_new_content(client, ann, settings):
    _create(settings, "ann@example.com", "Read our invoices")
    first = client.get("/portal/")
    assert "Read our invoices" in first.get_data(as_text=True)
    _create(settings, "ann@example.com", "Answer customer emails")
    changed = client.get("/portal/", headers={"If-None-Match": first.headers["ETag"]})
    html = changed.get_data(as_text=True)
    assert changed.status_code == 200 and "Answer customer emails" in html and "2 requests" in html
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_the_tag_names_the_request_as_well(client, ann, settings):
    _create(settings, "ann@example.com", "Read our invoices")
    page = client.get("/portal/")
    for path, headers in (("/portal/?status=completed", {}), ("/portal/", HTMX)):
        other = client.get(path, headers=headers | {"If-None-Match": page.headers["ETag"]})
        assert other.status_code == 200 and other.headers["ETag"] != page.headers["ETag"]


def test_one_clients_tag_never_opens_anothers_page(client, ann, app, make_user, settings):
    _create(settings, "ann@example.com", "Read our invoices")
    tag = client.get("/portal/").headers["ETag"]
    bob = app.test_client()
    email, password, _id = make_user(email="bob@example.com")
    Auth(bob).login(email, password)
    answer = bob.get("/portal/", headers={"If-None-Match": tag})
    assert answer.status_code == 200 and "Read our invoices" not in answer.get_data(as_text=True)


def test_the_polled_status_follows_the_workers_step_by_step(client, ann, settings, run_jobs):
    submission_id = _create(settings, "ann@example.com", "Read our invoices every month, budget 5000 EUR.")
    page = f"/portal/submissions/{submission_id}"
    received = client.get(page, headers=HTMX)
    assert "badge--received" in received.get_data(as_text=True)
    assert "Notifications: 0 unread" in client.get(page).get_data(as_text=True)
    run_jobs()
    polled = client.get(page, headers=HTMX | {"If-None-Match": received.headers["ETag"]})
    assert polled.status_code == 200
    assert "badge--completed" in polled.get_data(as_text=True) and "result-summary" in polled.get_data(as_text=True)
    assert "Notifications: 1 unread" in client.get(page).get_data(as_text=True)  # the results; "received" is read


def test_an_unchanged_live_poll_is_a_204_without_a_query_and_a_changed_one_brings_the_news(
        client, ann, settings, run_jobs):
    submission_id = _create(settings, "ann@example.com", "Read our invoices every month, budget 5000 EUR.")
    page = f"/portal/submissions/{submission_id}"
    shown = re.search(r"shown=([0-9a-f]+)", client.get(page).get_data(as_text=True)).group(1)
    unchanged, statements = _get(client, settings, f"{page}?shown={shown}", **HTMX)
    assert unchanged.status_code == 204 and len(statements) == 1, statements
    run_jobs()
    changed = client.get(f"{page}?shown={shown}", headers=HTMX)
    assert changed.status_code == 200 and "badge--completed" in changed.get_data(as_text=True)


def test_a_page_outlives_neither_the_session_nor_its_owner(client, ann, auth, app, make_user, settings):
    submission_id = _create(settings, "ann@example.com", "Read our invoices")
    page = f"/portal/submissions/{submission_id}"
    tag = client.get(page).headers["ETag"]
    other = app.test_client()
    email, password, _id = make_user(email="bob@example.com")
    Auth(other).login(email, password)
    assert other.get(page, headers={"If-None-Match": tag}).status_code == 404
    auth.logout()
    assert client.get(page, headers={"If-None-Match": tag}).status_code == 302


def test_staff_pages_have_no_tag(app, make_user, settings):
    staff = app.test_client()
    email, password, _id = make_user(role="staff")
    Auth(staff).login(email, password)
    answer = staff.get("/portal/")
    assert answer.status_code == 200 and "ETag" not in answer.headers
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_flashed_message_is_shown_once(client, ann, auth, settings):
    submission_id = _create(settings, "ann@example.com", "Read our invoices")
    page = f"/portal/submissions/{submission_id}"
    tag = client.get(page).headers["ETag"]
    client.post(f"{page}/cancel", data={"csrf_token": auth.csrf(page)})
    flashed = client.get(page, headers={"If-None-Match": tag})
    assert "Your request is cancelled." in flashed.get_data(as_text=True) and "ETag" not in flashed.headers
    again = client.get(page).get_data(as_text=True)
    assert "Your request is cancelled." not in again and "badge--cancelled" in again
