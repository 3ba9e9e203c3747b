"""Sign-in links stay secret: only the email carries them, and only admins read the development outbox."""

from __future__ import annotations

import re
import zlib

import pytest
from sqlalchemy import text

from portal import create_app
from statex.config import load_settings
from statex.db import engine_for
from statex.models import Base
from tests.conftest import PASSWORD
from tests.fakes import SmtpPeer
from tests.helpers import csrf_in
from tests.portal.accounts_helpers import link_in, login, mail_to, post

LINK = re.compile(r"https?://\S+?/portal(/(?:login/link|password/reset|verify)/[A-Za-z0-9_-]+)")


@pytest.fixture
def smtp(environment, monkeypatch):
    """A real SMTP server on loopback, set as SMTP_URL before the app's settings are read."""
    peer = SmtpPeer().start()
    monkeypatch.setenv("SMTP_URL", peer.url)
    yield peer
    peer.stop()


def _database_text(database_url: str) -> str:
    """Every row of every table, as text."""
    with engine_for(database_url).connect() as connection:
        return "\n".join(row for table in Base.metadata.sorted_tables for row in connection.scalars(
            text(f'SELECT CAST(row_to_json(t) AS text) FROM "{table.name}" t')))


def _redis_bytes(redis) -> bytes:
    """Every value Redis holds, RQ's compressed job data unpacked."""
    values: list[bytes] = []
    for key in redis.scan_iter():
        kind = redis.type(key).decode()
        values += {"string": lambda k: [redis.get(k)], "hash": lambda k: list(redis.hgetall(k).values()),
                   "list": lambda k: redis.lrange(k, 0, -1), "set": lambda k: list(redis.smembers(k)),
                   "zset": lambda k: redis.zrange(k, 0, -1)}.get(kind, lambda k: [])(key)
    unpacked = []
    for value in values:
        unpacked.append(value)
        try:
            unpacked.append(zlib.decompress(value))
        except zlib.error:
            pass
    return b"\n".join(unpacked)


@pytest.mark.parametrize("path, link_path", [("/portal/login/link", "/login/link/"),
                                             ("/portal/password/forgot", "/password/reset/")])
def test_the_link_the_email_carries_is_stored_and_queued_nowhere(smtp, client, make_user, run_jobs, settings,
                                                                  redis, path, link_path):
    email, _, _ = make_user(role="admin")
    response = post(client, path, {"email": email})
    assert response.status_code == 200
    queued = _redis_bytes(redis)
    run_jobs()
    [message] = smtp.messages
    body = message.get_body(("plain",)).get_content()
    portal_path = LINK.search(body).group(1)
    assert portal_path.startswith(link_path)
    secret = portal_path.rsplit("/", 1)[1]
    assert len(secret) >= 32
    assert client.get("/portal" + portal_path).status_code == 200, "the emailed link works"
    assert secret in message.get_body(("html",)).get_content()

    assert secret not in _database_text(settings.database_url)
    assert secret.encode() not in queued and secret.encode() not in _redis_bytes(redis)


def test_a_destination_code_is_stored_and_queued_nowhere(smtp, client, make_user, run_jobs, settings, redis):
    """The code that proves a destination is someone's goes only to that destination."""
    from tests.fakes import WebhookPeer

    webhook = WebhookPeer().start()
    try:
        email, password, _ = make_user(verified=True)
        login(client, email, password)
        response = post(client, "/portal/account/notifications/destinations",
                        {"service": "apprise", "address": webhook.url("json", "mine")},
                        page="/portal/account/notifications")
        assert response.status_code == 303
        queued = _redis_bytes(redis)
        run_jobs()
        [sent] = webhook.requests
        code = re.search(r"code: (\d{6})", sent["json"]["title"]).group(1)
    finally:
        webhook.stop()
    for said in (f"code: {code}", f"code is {code}", f"    {code}"):
        assert said not in _database_text(settings.database_url)
        assert said.encode() not in queued and said.encode() not in _redis_bytes(redis)


def test_a_placeholder_in_someone_elses_message_reveals_nothing(smtp, client, make_user, run_jobs, settings, db):
    """The placeholder names a link by id; only a message to that link's owner gets its secret."""
    from statex import links
    from statex.models import User

    admin_email, _, admin_id = make_user(role="admin")
    _, _, client_id = make_user(email="mallory@example.com")
    link, secret = links.issue(db, db.get(User, admin_id), "magic_signin", settings.secret_key)
    db.commit()
    typed = f"see https://statex.example/portal/login/link/{links.placeholder(link)}"
    assert links.reveal(db, settings.secret_key, client_id, typed) == typed
    assert secret in links.reveal(db, settings.secret_key, admin_id, typed)


def test_the_outbox_is_for_admins_only(app, make_user, run_jobs):
    """A staff member cannot read the sign-in links the outbox keeps; an admin can, in development."""
    staff_email, _, _ = make_user(role="staff")
    admin_email, _, _ = make_user(role="admin")
    asker = app.test_client()
    post(asker, "/portal/login/link", {"email": admin_email})
    run_jobs()
    [kept] = mail_to(load_settings(), admin_email)

    staff = app.test_client()
    login(staff, staff_email)
    for page in ("/portal/staff/outbox", f"/portal/staff/outbox/{kept.id}", f"/portal/staff/outbox/{kept.id}/html"):
        assert staff.get(page).status_code == 404, page
    assert "Development outbox" not in staff.get("/portal/staff/").get_data(as_text=True)

    admin = app.test_client()
    login(admin, admin_email)
    page = admin.get(f"/portal/staff/outbox/{kept.id}").get_data(as_text=True)
    assert link_in(kept) in page, "the admin's outbox shows the link as the email would carry it"


def test_production_has_no_outbox(make_user, database_url, redis_url):
    production = load_settings({"STATEX_ENV": "production", "SECRET_KEY": "p" * 40, "DATABASE_URL": database_url,
                                "REDIS_URL": redis_url, "S3_BUCKET": "statex-test", "SITE_URL": "https://statex.example",
                                "SMTP_URL": "smtp://127.0.0.1:1/", "METRICS_TOKEN": "m" * 40})
    admin_email, _, _ = make_user(role="admin")
    admin = create_app(settings=production).test_client()
    https = {"base_url": "https://statex.example"}
    page = admin.get("/portal/login", **https).get_data(as_text=True)
    token = csrf_in(page)
    signed_in = admin.post("/portal/login", **https, headers={"Referer": "https://statex.example/portal/login"},
                           data={"email": admin_email, "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code in (302, 303)
    assert admin.get("/portal/staff/", **https).status_code == 200
    assert admin.get("/portal/staff/outbox", **https).status_code == 404
