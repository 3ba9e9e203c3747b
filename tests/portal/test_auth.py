"""Sign-up, email verification, sign-in and sign-out, sessions and their timeouts, lockout."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from portal import create_app
from statex.lockout import Policy
from statex.db import session_scope
from statex.models import AuditEvent, QueuedJob, User
from statex.models.base import utcnow
from statex.queue import ANSWER_REQUEST
from tests.conftest import PASSWORD
from tests.helpers import csrf_in, free_port, wait_until
from tests.portal.accounts_helpers import as_seen_by_anyone, link_in, login, mail_to, post, signup

ROOT = Path(__file__).resolve().parents[2]


def test_signup_sends_a_verification_link_that_works_once_then_the_password_signs_in(client, run_jobs, settings, db):
    response = signup(client)
    assert response.status_code == 200
    assert "We sent a message to <strong>ann@example.com</strong>" in response.get_data(as_text=True)
    run_jobs()
    [message] = mail_to(settings, "ann@example.com")
    assert "Confirm your email" in message.subject
    path = link_in(message)

    assert "Confirm ann@example.com" in client.get(path).get_data(as_text=True)
    assert db.scalar(select(User.email_verified_at)) is None, "opening the link changes nothing"
    response = post(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/portal/login"
    assert db.scalar(select(User.email_verified_at)) is not None
    assert post(client, path).status_code == 404, "a link works once"
    assert client.get(path).status_code == 404
    assert login(client, "ann@example.com").status_code == 302
    assert "(confirmed)" in client.get("/portal/account/").get_data(as_text=True)


def test_signup_names_each_problem_and_keeps_valid_input(client):
    response = post(client, "/portal/signup", {"name": "Ann <b>Smith</b>", "email": "ann@example.com",
                                               "password": "password1234"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "most common or predictable" in html
    assert 'value="ann@example.com"' in html and "Ann &lt;b&gt;Smith&lt;/b&gt;" in html
    assert "password1234" not in html, "a password is never echoed back"

    html = post(client, "/portal/signup",
                {"name": "", "email": "not-an-email", "password": "short"}).get_data(as_text=True)
    assert "Tell us your name." in html and "like name@example.com" in html and "at least 12" in html


def test_signup_answers_alike_for_a_new_and_a_taken_address_and_queues_the_same_work(app, make_user, db):
    taken, _, _ = make_user(name="Bob")
    answers, work = [], []
    for email in ("new@example.com", taken):
        browser = app.test_client()
        response = signup(browser, email=email, name="Someone")
        cookies = sorted(cookie.partition("=")[0] for cookie in response.headers.getlist("Set-Cookie"))
        answers.append((*as_seen_by_anyone(response, email), cookies))
        job = db.scalars(select(QueuedJob).order_by(QueuedJob.created_at.desc())).first()
        work.append((job.queue, job.func, job.args[1:]))
        db.rollback()
    assert answers[0] == answers[1], "the answer tells nobody whether the address has an account"
    assert answers[0][0] == 200 and "exists already" not in answers[0][1]
    assert work[0] == work[1] == (ANSWER_REQUEST.queue, ANSWER_REQUEST.func, ["signup"])


def test_a_signup_with_a_taken_address_tells_its_owner_and_changes_nothing(client, make_user, run_jobs, settings, db):
    email, _, user_id = make_user(name="Bob")
    with session_scope(settings.database_url) as session:
        session.get(User, user_id).email_verified_at = utcnow()
    signup(client, email=email, password="somebody else's long passphrase", name="Mallory")
    run_jobs()
    [message] = mail_to(settings, email)
    assert message.subject == "You have a Statex account already" and "Hello Bob" in message.body_text
    assert "Mallory" not in message.body_text
    assert login(client, email, "somebody else's long passphrase").status_code == 422, "the password is unchanged"
    assert post(client, link_in(message)).status_code == 302, "its link signs the owner in"
    assert "Your account" in client.get("/portal/account/").get_data(as_text=True)


def test_signin_renews_the_session_and_signout_really_ends_it(client, make_user, db):
    email, _, _ = make_user()
    client.get("/portal/login")
    before = client.get_cookie("session").value
    assert login(client, email).status_code == 302
    signed_in = client.get_cookie("session").value
    assert signed_in != before
    assert client.get("/portal/").status_code == 200

    assert post(client, "/portal/logout", page="/portal/").status_code == 302
    client.set_cookie("session", signed_in)  # someone kept a copy of the signed-in cookie
    response = client.get("/portal/")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["signin.success", "signout"]


def test_a_wrong_password_is_refused_and_audited(client, make_user, db):
    email, _, _ = make_user()
    response = login(client, email, "not the right password at all")
    assert response.status_code == 422
    assert "do not match an account" in response.get_data(as_text=True)
    event = db.scalar(select(AuditEvent))
    assert (event.action, event.actor, event.target, event.ip) == ("signin.failure", email, email, "127.0.0.1")


def test_next_is_followed_only_within_the_site(client, make_user):
    email, _, _ = make_user()
    response = post(client, "/portal/login?next=//evil.example/", {"email": email, "password": PASSWORD},
                    page="/portal/login")
    assert response.headers["Location"] == "/portal/"


def _app(settings, **config):
    return create_app(test_config={"TESTING": True, **config}, settings=settings)


@pytest.mark.parametrize("setting", ["STATEX_SESSION_IDLE", "STATEX_SESSION_LIFETIME"])
def test_idle_and_absolute_timeouts_end_the_session(settings, make_user, setting):
    client = _app(settings, **{setting: timedelta(0)}).test_client()
    email, _, _ = make_user()
    assert login(client, email).status_code == 302
    response = client.get("/portal/")
    assert response.status_code == 302 and "/portal/login" in response.headers["Location"]


def test_sessions_survive_activity_within_the_timeouts(settings, make_user):
    client = _app(settings, STATEX_SESSION_IDLE=timedelta(minutes=5)).test_client()
    email, _, _ = make_user()
    login(client, email)
    assert all(client.get("/portal/").status_code == 200 for _ in range(3))


def test_failed_signins_slow_down_then_lock_and_the_lock_ends(settings, make_user, db):
    policy = Policy(slow_after=2, delay=0.2, lock_after=3, lock_seconds=1)
    client = _app(settings, STATEX_LOCKOUT=policy).test_client()
    email, _, _ = make_user()
    assert login(client, email, "wrong password number one").status_code == 422
    slowed = login(client, email, "wrong password number two")
    assert "Too many failed sign-ins. Try again in 1 second" in slowed.get_data(as_text=True)
    too_soon = login(client, email)
    assert too_soon.status_code == 429, "even the right password waits"
    time.sleep(float(too_soon.headers["Retry-After"]))

    locked = login(client, email, "wrong password number three")
    assert "This account is locked" in locked.get_data(as_text=True)
    refused = login(client, email)
    # The time of day, in the reader's zone (Europe/Prague for someone not signed in), named.
    assert refused.status_code == 429 and re.search(r"\(at \d\d:\d\d:\d\d [A-Z+\d]+\)", refused.get_data(as_text=True))
    time.sleep(float(refused.headers["Retry-After"]))
    assert login(client, email).status_code == 302, "the lock ends"
    assert "signin.locked" in db.scalars(select(AuditEvent.action)).all()


def test_signin_is_rate_limited_per_address(settings, make_user):
    client = _app(settings, STATEX_LIMITS={"signin_ip": "3 per minute"}).test_client()
    email, _, _ = make_user()
    for _ in range(3):
        assert login(client, email, "a wrong password again").status_code == 422
    response = login(client, email)
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_signin_is_rate_limited_per_account_across_addresses(settings, make_user):
    client = _app(settings, STATEX_LIMITS={"signin_account": "2 per minute"}).test_client()
    email, _, _ = make_user()
    for address in ("198.51.100.1", "198.51.100.2"):
        login(client, email, "a wrong password again", environ_base={"REMOTE_ADDR": address})
    response = login(client, email, environ_base={"REMOTE_ADDR": "198.51.100.3"})
    assert response.status_code == 429


def test_creating_submissions_is_limited_per_account_in_the_portal_and_the_api(settings, make_user, make_token):
    app = _app(settings, STATEX_LIMITS={"submission_account": "2 per hour"})
    client = app.test_client()
    email, _, _ = make_user()
    token = make_token(email)
    login(client, email)
    body = {"description": "We would like our invoices read and checked automatically."}
    api = [client.post("/api/v1/submissions", json=body, headers={"Authorization": f"Bearer {token}"},
                       environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code for n in (1, 2)]
    assert api == [201, 201]
    refused = post(client, "/portal/submissions/new", {**body, "language": "en"}, page="/portal/submissions/new")
    assert refused.status_code == 429, "the portal and the API share the account's allowance"
    again = client.post("/api/v1/submissions", json=body, headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 429
    assert again.mimetype == "application/problem+json" and int(again.headers["Retry-After"]) > 0


def test_signing_in_works_while_redis_is_unreachable(make_user, tmp_path):
    # A web process of its own: the rate limiter is one per process, and once it has found its Redis
    # dead it stays on its in-memory fallback for a while, which must not leak into other tests' apps.
    port = free_port()
    env = dict(os.environ, REDIS_URL="redis://127.0.0.1:1/0", PORT=str(port), SITE_OUTPUT_DIR=str(tmp_path))
    web = subprocess.Popen([sys.executable, "-m", "cli", "web", "--workers", "1"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=60, message="the web process")
        email, _, _ = make_user()
        browser = requests.Session()

        def sign_in(password):
            token = csrf_in(browser.get(f"{base}/portal/login", timeout=10).text)
            return browser.post(f"{base}/portal/login", data={"email": email, "password": password,
                                                              "csrf_token": token},
                                allow_redirects=False, timeout=10)

        assert sign_in("a wrong password, once").status_code == 422
        assert sign_in(PASSWORD).status_code == 302
    finally:
        web.terminate()
        web.wait(15)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False
