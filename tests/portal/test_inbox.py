"""The bell, the notifications list, notification settings and the staff deliveries page."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import select

from statex.db import session_scope
from statex.messages import inbox
from statex.messages.deliver import revealed
from statex.models import Delivery, Destination, NotificationSettings, OutboxMessage, User
from tests.conftest import Auth

SETTINGS = "/portal/account/notifications"


@pytest.fixture
def client_user(make_user, auth):
    email, password, user_id = make_user(email="ann@example.com", verified=True)
    auth.login(email, password)
    return user_id


def notify(settings, user_id, title="Your results are ready: Invoices", key=None) -> str:
    with session_scope(settings.database_url) as session:
        item = inbox.add(session, session.get(User, user_id), key or f"test:{uuid.uuid4()}",
                         "submission.completed", title, "Short text",
                         f"{settings.portal_url}/submissions/{uuid.uuid4()}")
        session.flush()
        return str(item.id)


def csrf(client, path=SETTINGS) -> str:
    return Auth(client).csrf(path)


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf(client), **data})


def test_bell_counts_unread_and_refreshes_as_a_fragment(client, settings, client_user):
    notify(settings, client_user)
    notify(settings, client_user)
    page = client.get("/portal/").get_data(as_text=True)
    assert 'aria-label="Notifications: 2 unread"' in page
    fragment = client.get("/portal/notifications/bell", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and 'data-unread="2"' in html
    assert 'hx-trigger="every 10s, notifications-changed from:body"' in html
    assert "HX-Request" in fragment.headers["Vary"]


def test_list_and_mark_as_read(client, settings, client_user, db):
    first = notify(settings, client_user, title="We received your request: Invoices")
    notify(settings, client_user)
    assert "We received your request" in client.get("/portal/notifications").get_data(as_text=True)

    response = client.post(f"/portal/notifications/{first}/read", data={"csrf_token": csrf(client)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{first}"' in response.get_data(as_text=True)
    assert "Mark as read" not in response.get_data(as_text=True)
    assert 'data-unread="1"' in client.get("/portal/notifications/bell").get_data(as_text=True)

    response = post(client, "/portal/notifications/read-all")
    assert response.status_code == 303
    assert 'data-unread="0"' in client.get("/portal/notifications/bell").get_data(as_text=True)


def test_open_marks_read_and_follows_the_portal_link(client, settings, client_user):
    item = notify(settings, client_user)
    response = post(client, f"/portal/notifications/{item}/read", open="1")
    assert response.status_code == 303
    assert re.fullmatch(r"/portal/submissions/[0-9a-f-]{36}", response.headers["Location"])


def test_someone_elses_notification_is_404_and_get_changes_nothing(client, settings, client_user, make_user):
    _email, _password, other = make_user()
    theirs = notify(settings, other)
    assert post(client, f"/portal/notifications/{theirs}/read").status_code == 404
    assert post(client, "/portal/notifications/not-a-uuid/read").status_code == 404
    assert client.get(f"/portal/notifications/{theirs}/read").status_code == 405


def test_marking_read_needs_the_csrf_token(client, settings, client_user):
    item = notify(settings, client_user)
    assert client.post(f"/portal/notifications/{item}/read").status_code == 400


@pytest.mark.parametrize("channel, address, message", [
    ("email", "ann@", "Enter an email address like name@example.com"),
    ("telegram", "@ann_k", "Telegram needs your numeric chat id"),
    ("apprise", "foo://bar/baz", "foo:// is not a service we can send to"),
    ("apprise", "ntfy.sh/topic", "Enter an apprise URL such as ntfy://"),
    ("apprise", "mailto://ann:pw@example.com", "For email choose the Email channel"),
    ("apprise", "", "Enter the apprise URL."),
])
def test_invalid_destinations_are_refused_with_what_is_expected(client, client_user, channel, address, message, db):
    response = post(client, f"{SETTINGS}/destinations", channel=channel, address=address)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{address}"' in html or not address, "the input is kept"
    assert db.scalar(select(Destination)) is None


def test_add_verify_and_choose_a_destination(client, settings, client_user, db, run_jobs):
    response = post(client, f"{SETTINGS}/destinations", channel="apprise", address="ntfy://ntfy.example/ann-topic")
    assert response.status_code == 303
    run_jobs()
    destination = db.scalar(select(Destination))
    assert destination.verified_at is None and destination.label == "ntfy://ntfy.example/ann-topic"
    code_message = db.scalar(select(OutboxMessage).where(OutboxMessage.channel == "apprise"))
    code = re.search(r"\b(\d{6})\b", revealed(db, settings, destination.user_id, code_message.body_text)).group(1)

    wrong = "000000" if code != "000000" else "111111"
    response = post(client, f"{SETTINGS}/destinations/{destination.id}/verify", code=wrong)
    assert response.status_code == 422
    assert "does not match" in response.get_data(as_text=True)
    assert post(client, f"{SETTINGS}/destinations/{destination.id}/verify", code=code).status_code == 303
    db.refresh(destination)
    assert destination.verified_at is not None

    page = client.get(SETTINGS).get_data(as_text=True)
    assert f'value="{destination.id}"' in page, "a verified destination can be chosen"
    response = post(client, f"{SETTINGS}/preferences", **{"topic-results": [str(destination.id), "nonsense"],
                                                         "topic-received": "account", "language": "cs"})
    assert response.status_code == 303
    chosen = db.get(NotificationSettings, client_user)
    assert chosen.topics == {"received": ["account"], "results": [str(destination.id)], "more_info": [], "messages": []}
    assert chosen.language == "cs"


def test_an_unverified_destination_cannot_be_chosen(client, client_user, db, run_jobs):
    post(client, f"{SETTINGS}/destinations", channel="telegram", address="123456789")
    destination = db.scalar(select(Destination))
    assert f'value="{destination.id}"' not in client.get(SETTINGS).get_data(as_text=True)
    post(client, f"{SETTINGS}/preferences", **{"topic-results": [str(destination.id)]})
    assert db.get(NotificationSettings, client_user).topics["results"] == []


def test_another_users_destination_is_404(client, settings, client_user, make_user):
    _email, _password, other = make_user()
    with session_scope(settings.database_url) as session:
        theirs = Destination(user_id=other, channel="telegram", address="987654321", label="Telegram chat 987654321")
        session.add(theirs)
        session.flush()
        theirs_id = theirs.id
    for action, data in (("verify", {"code": "123456"}), ("code", {}), ("delete", {})):
        assert post(client, f"{SETTINGS}/destinations/{theirs_id}/{action}", **data).status_code == 404


def test_deliveries_page_is_staff_only_filters_and_resends(client, auth, make_user, settings, db, run_jobs):
    email, password, user_id = make_user()
    with session_scope(settings.database_url) as session:
        for status, error in (("sent", ""), ("failed", "SMTP server unreachable")):
            session.add(Delivery(key=f"test:{status}", user_id=user_id, event="submission.completed",
                                 channel="email", recipient=email, subject="Your results are ready",
                                 body_text="Text", body_html="<p>Text</p>", status=status, attempts=5,
                                 last_error=error))
    auth.login(email, password)
    assert client.get("/portal/staff/deliveries").status_code == 404
    auth.logout()

    staff_email, staff_password, _ = make_user(role="staff")
    auth.login(staff_email, staff_password)
    html = client.get("/portal/staff/deliveries?status=failed").get_data(as_text=True)
    assert "SMTP server unreachable" in html and html.count('id="delivery-') == 1
    failed = db.scalar(select(Delivery).where(Delivery.status == "failed"))
    response = client.post(f"/portal/staff/deliveries/{failed.id}/resend",
                           data={"csrf_token": csrf(client, "/portal/staff/deliveries")})
    assert response.status_code == 303
    run_jobs()
    db.refresh(failed)
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert db.scalar(select(OutboxMessage).where(OutboxMessage.delivery_id == failed.id)) is not None
    html = client.get("/portal/staff/deliveries?status=sent").get_data(as_text=True)
    assert html.count("kept in the outbox") == 1, "only the resent one went to the outbox"


def test_codes_to_new_destinations_are_limited_per_account(client, client_user):
    statuses = [post(client, f"{SETTINGS}/destinations", channel="telegram", address=f"12345678{i:02d}").status_code
                for i in range(11)]
    assert statuses == [303] * 10 + [429]


def test_the_same_destination_twice_is_refused(client, client_user):
    assert post(client, f"{SETTINGS}/destinations", channel="email", address="ann.work@example.com").status_code == 303
    response = post(client, f"{SETTINGS}/destinations", channel="email", address="Ann.Work@example.com")
    assert response.status_code == 422
    assert "You have added this destination already." in response.get_data(as_text=True)


def test_a_signed_out_bell_stops_polling(client):
    response = client.get("/portal/notifications/bell", headers={"HX-Request": "true"})
    assert response.status_code == 286 and response.get_data() == b""


def test_the_bells_polling_does_not_keep_an_idle_session_alive(client, app, client_user):
    long_ago = time.time() - 120
    with client.session_transaction() as session:
        session["_seen"] = long_ago
    assert client.get("/portal/notifications/bell").status_code == 200
    with client.session_transaction() as session:
        assert session["_seen"] == long_ago, "polling is not activity"
    client.get("/portal/notifications")
    with client.session_transaction() as session:
        assert session["_seen"] > long_ago

    idle = app.config["STATEX_SESSION_IDLE"].total_seconds()
    with client.session_transaction() as session:
        session["_seen"] = time.time() - idle - 60
    assert client.get("/portal/notifications/bell").status_code == 286, "an idle session ends; the bell stops"


def test_an_account_whose_email_is_not_confirmed_cannot_add_a_destination(client, auth, make_user, db, run_jobs,
                                                                         webhook_listener):
    """A throwaway sign-up must not make us send codes anywhere: the account email is confirmed first."""
    email, password, _ = make_user(email="new@example.com")
    auth.login(email, password)
    response = post(client, f"{SETTINGS}/destinations", channel="apprise", address=webhook_listener.url("json"))
    assert response.status_code == 422
    assert "Confirm your email address first" in response.get_data(as_text=True)
    run_jobs()
    assert db.scalar(select(Destination)) is None and db.scalar(select(Delivery)) is None
    assert webhook_listener.requests == []


@pytest.fixture
def webhook_listener():
    from tests.fakes import WebhookPeer

    peer = WebhookPeer().start()
    yield peer
    peer.stop()
