"""Links by email: magic sign-in and password reset; each works once and expires."""

import pytest
from sqlalchemy import select, update

from statex.models import AuditEvent, LinkToken, QueuedJob
from statex.models.base import utcnow
from tests.conftest import PASSWORD
from tests.portal.accounts_helpers import as_seen_by_anyone, link_in, login, mail_to, post

NEW_PASSWORD = "a fresh and much longer passphrase"


def _ask(client, path, email):
    return post(client, path, {"email": email})


def test_a_magic_link_signs_in_once(client, make_user, run_jobs, settings, db):
    email, _, _ = make_user()
    response = _ask(client, "/portal/login/link", email)
    assert response.status_code == 200 and "a sign-in link is on its way" in response.get_data(as_text=True)
    run_jobs()
    [message] = mail_to(settings, email)
    assert "sign-in link" in message.subject
    path = link_in(message)
    assert client.get("/portal/").status_code == 302, "opening the page alone signs nobody in"
    assert f"Sign in as {email}" in client.get(path).get_data(as_text=True)
    assert post(client, path).status_code == 302
    assert client.get("/portal/").status_code == 200
    assert "(confirmed)" in client.get("/portal/account/").get_data(as_text=True), "the inbox was reached"

    stranger = client.application.test_client()
    assert post(stranger, path).status_code == 404, "used links are spent"
    signins = db.scalars(select(AuditEvent).where(AuditEvent.action == "signin.success"))
    methods = [e.data.get("method") for e in signins]
    assert methods == ["magic_link"]


def test_asking_for_a_link_tells_nothing_about_who_has_an_account(client, run_jobs, settings):
    response = _ask(client, "/portal/login/link", "nobody@example.com")
    assert response.status_code == 200 and "If nobody@example.com has an account" in response.get_data(as_text=True)
    run_jobs()
    assert mail_to(settings, "nobody@example.com") == []
    invalid = _ask(client, "/portal/password/forgot", "not an address")
    assert invalid.status_code == 422 and "like name@example.com" in invalid.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/portal/login/link", "/portal/password/forgot"])
def test_a_link_request_answers_and_works_alike_for_a_known_and_an_unknown_address(app, make_user, db, path):
    known, _, _ = make_user()
    answers, work = [], []
    for email in (known, "nobody@example.com"):
        response = _ask(app.test_client(), path, email)
        answers.append(as_seen_by_anyone(response, email))
        jobs = db.scalars(select(QueuedJob).where(QueuedJob.ref == email)).all()
        work.append([(job.queue, job.func, job.args[1:]) for job in jobs])
        db.rollback()
    assert answers[0] == answers[1]
    assert work[0] == work[1] and len(work[0]) == 1, "both queue the same job, which decides"


def test_an_expired_link_does_not_work(client, make_user, run_jobs, settings, db):
    email, _, _ = make_user()
    _ask(client, "/portal/login/link", email)
    run_jobs()
    path = link_in(mail_to(settings, email)[0])
    db.execute(update(LinkToken).values(expires_at=utcnow()))  # the 15 minutes have passed
    db.commit()
    assert client.get(path).status_code == 404
    response = post(client, path, page="/portal/login")
    assert response.status_code == 404 and "does not work any more" in response.get_data(as_text=True)


def test_a_password_reset_checks_the_policy_and_signs_out_everywhere(app, client, make_user, run_jobs, settings):
    email, _, _ = make_user()
    elsewhere = app.test_client()
    login(elsewhere, email)
    _ask(client, "/portal/password/forgot", email)
    run_jobs()
    path = link_in(mail_to(settings, email)[0])
    assert f"New password for {email}" in client.get(path).get_data(as_text=True)

    weak = post(client, path, {"password": "password1234"})
    assert weak.status_code == 422 and "most common" in weak.get_data(as_text=True)
    assert post(client, path, {"password": NEW_PASSWORD}).status_code == 302
    assert elsewhere.get("/portal/").status_code == 302, "every session ends"
    assert login(client, email, PASSWORD).status_code == 422
    assert login(client, email, NEW_PASSWORD).status_code == 302
    assert post(client, path, {"password": "yet another long passphrase"}).status_code == 404
    run_jobs()
    assert "password was changed" in mail_to(settings, email)[0].subject


def test_a_newer_link_replaces_the_older_one(client, make_user, run_jobs, settings):
    email, _, _ = make_user()
    _ask(client, "/portal/password/forgot", email)
    _ask(client, "/portal/password/forgot", email)
    run_jobs()
    statuses = sorted(client.get(link_in(m)).status_code for m in mail_to(settings, email))
    assert statuses == [200, 404], "only the newest link works"


def test_asking_for_links_is_rate_limited(client, make_user):
    email, _, _ = make_user()
    answers = [_ask(client, "/portal/password/forgot", email).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
