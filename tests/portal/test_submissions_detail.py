"""A request's page: its live part keeps every state-dependent piece in step, with or without JavaScript."""

import io
import re

import pytest

from portal import create_app
from statex.config import load_settings
from tests import samples
from tests.conftest import Auth

DESCRIPTION = "We want the invoices we receive by email read automatically and checked before import."
HTMX = {"HX-Request": "true"}


def _send(client, **fields):
    data = {"description": DESCRIPTION, "csrf_token": Auth(client).csrf("/portal/submissions/new"), **fields}
    response = client.post("/portal/submissions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


@pytest.fixture
def page(client, auth, make_user):
    """The page of a fresh request with one attachment, sent by a signed-in client."""
    email, password, _id = make_user()
    auth.login(email, password)
    return _send(client, files=[(io.BytesIO(samples.docx("Invoice 2026-001 from Acme.")), "invoice.docx")])


def _shown(html):
    return re.search(r"shown=([0-9a-f]+)", html).group(1)


def test_the_poll_brings_files_cancel_and_result_in_step_with_the_status(client, page, run_jobs):
    before = client.get(page, headers=HTMX).get_data(as_text=True)
    assert "<html" not in before and 'hx-trigger="every 2s"' in before
    assert "Not read yet." in before and "Cancel this request" in before
    run_jobs()
    after = client.get(f"{page}?shown={_shown(before)}", headers=HTMX).get_data(as_text=True)
    assert "badge--completed" in after and "result-summary" in after
    assert "Not read yet." not in after and "Invoice 2026-001 from Acme." in after
    assert "Cancel this request" not in after and "hx-trigger" not in after


def test_a_poll_that_finds_the_page_up_to_date_changes_nothing(client, page, run_jobs):
    shown = _shown(client.get(page).get_data(as_text=True))
    unchanged = client.get(f"{page}?shown={shown}", headers=HTMX)
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    run_jobs()
    assert client.get(f"{page}?shown={shown}", headers=HTMX).status_code == 200


def test_without_javascript_the_page_says_how_to_see_the_news(client, page, run_jobs):
    working = client.get(page).get_data(as_text=True)
    noscript = re.search(r"<noscript>(.*?)</noscript>", working, re.S).group(1)
    assert f'href="{page}"' in noscript and "Refresh this page" in noscript
    # Only true with JavaScript: shown by portal.js once htmx runs.
    assert re.search(r"<span data-live-note hidden>This page updates by itself.</span>", working)
    run_jobs()
    final = client.get(page).get_data(as_text=True)
    assert "Refresh this page" not in final and "updates by itself" not in final


def _staff_client(make_user):
    staff = create_app(test_config={"TESTING": True}, settings=load_settings()).test_client()
    email, password, _id = make_user(role="staff")
    Auth(staff).login(email, password)
    return staff


def test_a_request_sent_back_by_staff_asks_the_client_plainly(client, page, run_jobs, make_user, db):
    from statex import review

    review.set_policy(db, True, [])
    db.commit()
    run_jobs()
    staff = _staff_client(make_user)
    review = page.replace("/submissions/", "/staff/review/")
    response = staff.post(f"{review}/reject", data={"note": "Which accounting system do you use?",
                                                    "csrf_token": Auth(staff).csrf(review)})
    assert response.status_code == 303

    html = client.get(page).get_data(as_text=True)
    status = re.search(r'<section id="status".*?</section>', html, re.S).group(0)
    assert "We need something from you" in status and "Which accounting system do you use?" in status
    assert "We are working on your request" not in status and "badge--received" not in status
    assert 'href="#add-information"' in status and 'id="add-information"' in html
    live = re.search(r'<div id="live"[^>]*>', html).group(0)
    assert "hx-trigger" not in live, "nothing changes until the client adds something: no polling"

    response = client.post(f"{page}/add", data={"text": "We use Pohoda.", "csrf_token": Auth(client).csrf(page)})
    assert response.status_code == 303
    assert "We need something from you" not in client.get(page).get_data(as_text=True)
    run_jobs()
    assert "badge--in_review" in client.get(page).get_data(as_text=True)


def test_added_text_over_the_room_left_is_refused_with_its_count_and_kept(client, page):
    html = client.get(page).get_data(as_text=True)
    room = 20_000 - len(DESCRIPTION)
    assert f'data-max-chars="{room}"' in html
    typed = "y" * (room + 10)
    response = client.post(f"{page}/add", data={"text": typed, "csrf_token": Auth(client).csrf(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Your text has {room + 10:,} characters, 10 over the limit of {room:,}." in html
    assert typed in html


def test_titles_name_requests_on_the_dashboard_the_page_and_staff_lists(client, page, run_jobs, make_user):
    named = _send(client, title="Invoices into Pohoda", description="Voice first, details later. " * 20)
    run_jobs()
    made = "We want the invoices we receive by email read automatically and…"
    assert "<h1>Invoices into Pohoda</h1>" in client.get(named).get_data(as_text=True)
    assert f"<h1>{made}</h1>" in client.get(page).get_data(as_text=True)
    dashboard = client.get("/portal/").get_data(as_text=True)
    assert "Invoices into Pohoda" in dashboard and made in dashboard
    assert "Invoices into Pohoda" in client.get("/portal/?q=pohoda").get_data(as_text=True)
    staff_list = _staff_client(make_user).get("/portal/staff/submissions").get_data(as_text=True)
    assert "Invoices into Pohoda" in staff_list and made in staff_list


def test_a_title_over_its_limit_is_refused_and_kept(client, auth, make_user):
    email, password, _id = make_user()
    auth.login(email, password)
    response = client.post("/portal/submissions/new", data={
        "description": DESCRIPTION, "title": "T" * 120, "csrf_token": Auth(client).csrf("/portal/submissions/new")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Keep the title to 100 characters or fewer (it has 120)." in html and "T" * 120 in html


def test_the_live_part_asks_the_same_few_queries_however_many_files_it_shows(client, auth, make_user, settings, run_jobs):
    from tests.conftest import statements_run

    email, password, _id = make_user()
    auth.login(email, password)
    pages = [_send(client, files=[(io.BytesIO(samples.docx(f"Invoice {n}.")), f"invoice-{n}.docx")
                                  for n in range(count)]) for count in (1, 3)]
    run_jobs()
    counts = []
    for page in pages:
        with statements_run(settings.database_url) as statements:
            html = client.get(page, headers=HTMX).get_data(as_text=True)
        assert "Text read from the file" in html
        counts.append(len(statements))
    # The session with its user; the request with its result, its files and whether it has offers; its timeline.
    assert counts[0] == counts[1] <= 3, counts
