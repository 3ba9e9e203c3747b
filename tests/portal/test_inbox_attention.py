"""The bell counts only what needs the reader, and the reader chooses whether the bell shows anything."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Auth

SETTINGS = "/portal/account/notifications"
REQUEST = "We need a chatbot that answers customer emails about orders, in English and Czech."


@pytest.fixture
def signed_in(make_user, auth):
    email, password, user_id = make_user()
    auth.login(email, password)
    return user_id


def _send_request(client, run_jobs) -> None:
    response = client.post("/portal/submissions/new", data={
        "description": REQUEST, "language": "", "contact_channel": "email",
        "csrf_token": Auth(client).csrf("/portal/submissions/new")})
    assert response.status_code in (302, 303)
    run_jobs()


def _bell_on(client) -> bool:
    """Whether the settings page's "Show notifications here in the portal" box is ticked."""
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "Show notifications here in the portal" in page
    box = re.search(r'<input[^>]*\bid="in_app"[^>]*>', page)[0]
    return " checked" in box


def _unread(client) -> int:
    return int(re.search(r'data-unread="(\d+)"', client.get("/portal/notifications/bell").get_data(as_text=True))[1])


def test_a_confirmation_is_kept_read_and_the_results_count_as_new(client, signed_in, run_jobs):
    _send_request(client, run_jobs)
    page = client.get("/portal/notifications").get_data(as_text=True)
    items = re.findall(r'<li class="notification( notification--unread)?"[^>]*>.*?</li>', page, re.S)
    assert len(items) == 2, page
    received = next(item for item in re.findall(r'<li class="notification[^"]*".*?</li>', page, re.S)
                    if "received your request" in item)
    assert "notification--unread" not in received and "Mark as read" not in received
    assert _unread(client) == 1  # the results, not the confirmation


def test_the_reader_turns_the_bell_off_and_on(client, signed_in, run_jobs):
    assert _bell_on(client)  # on until the reader says otherwise
    response = client.post(f"{SETTINGS}/preferences", data={"csrf_token": Auth(client).csrf(SETTINGS), "language": ""})
    assert response.status_code == 303
    assert not _bell_on(client)

    _send_request(client, run_jobs)
    assert _unread(client) == 0
    assert "Nothing yet" in client.get("/portal/notifications").get_data(as_text=True)

    client.post(f"{SETTINGS}/preferences",
                data={"csrf_token": Auth(client).csrf(SETTINGS), "language": "", "in_app": "y"})
    assert _bell_on(client)
    _send_request(client, run_jobs)
    assert _unread(client) == 1
