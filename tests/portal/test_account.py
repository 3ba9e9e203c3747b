"""The account page: profile, password, API tokens, sign out everywhere, export and deletion."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from statex import audit
from statex.models import ApiToken, AuditEvent, OutboxMessage, Submission, SubmissionFile, User
from statex.models.base import utcnow
from statex.storage import storage_for
from tests.conftest import PASSWORD
from tests.portal.accounts_helpers import csrf, link_in, login, mail_to, post, signup

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
ACCOUNT = "/portal/account/"


@pytest.fixture
def signed_in(client, make_user, db):
    """A verified client, signed in; returns their email."""
    email, _, user_id = make_user()
    db.get(User, user_id).email_verified_at = utcnow()
    db.commit()
    login(client, email)
    return email


def _create_token(client, name="invoice import", expires="30"):
    return post(client, "/portal/account/tokens", {"name": name, "expires": expires}, page=ACCOUNT)


def _secret(response) -> str:
    return re.search(r'id="new-token">([^<]+)<', response.get_data(as_text=True)).group(1)


def test_a_token_is_shown_once_works_and_stops_when_revoked(client, signed_in, db):
    response = _create_token(client)
    assert response.status_code == 201
    secret = _secret(response)
    assert secret not in client.get(ACCOUNT).get_data(as_text=True), "shown only once"
    assert db.scalar(select(ApiToken.token_hash)) != secret

    api = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/submissions", headers=api).status_code == 200
    page = client.get(ACCOUNT).get_data(as_text=True)
    assert "invoice import" in page and "active" in page and "never" not in page.split("invoice import")[1][:400]

    token_id = db.scalar(select(ApiToken.id))
    assert post(client, f"/portal/account/tokens/{token_id}/revoke", page=ACCOUNT).status_code == 303
    response = client.get("/api/v1/submissions", headers=api)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    actions = [e for e in db.scalars(select(AuditEvent.action)) if e.startswith("token.")]
    assert actions == ["token.created", "token.revoked"]


def test_an_expired_token_answers_401(client, make_user, make_token):
    email, _, _ = make_user()
    token = make_token(email, expires_at=utcnow() - timedelta(seconds=1))
    response = client.get("/api/v1/submissions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "revoked or expired" in response.get_json()["detail"]


def test_only_bearer_tokens_open_the_api(client, signed_in):
    secret = _secret(_create_token(client))
    assert client.get("/api/v1/submissions").status_code == 401, "a session cookie is not enough"
    assert client.get("/api/v1/submissions", headers={"Authorization": f"Basic {secret}"}).status_code == 401
    assert client.get(f"/api/v1/submissions?access_token={secret}").status_code == 401


def test_token_form_names_each_problem(client, signed_in):
    response = _create_token(client, name="", expires="1000")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Name the token" in html and "Not a valid choice" in html


def test_an_unconfirmed_address_cannot_make_tokens(client, make_user):
    email, _, _ = make_user()
    login(client, email)
    response = _create_token(client)
    assert response.status_code == 422 and "Confirm your email address first" in response.get_data(as_text=True)


def test_someone_elses_token_cannot_be_revoked(client, signed_in, make_user, make_token, db):
    other, _, _ = make_user()
    make_token(other)
    token_id = db.scalar(select(ApiToken.id))
    assert post(client, f"/portal/account/tokens/{token_id}/revoke", page=ACCOUNT).status_code == 404
    assert db.scalar(select(ApiToken.revoked_at)) is None


def test_text_fields_come_back_escaped(client, signed_in, make_user):
    assert post(client, "/portal/account/profile", {"name": XSS}, page=ACCOUNT).status_code == 303
    _create_token(client, name=XSS)
    page = client.get(ACCOUNT).get_data(as_text=True)
    assert XSS not in page and page.count(ESCAPED) >= 2

    admin, _, _ = make_user(role="admin")
    login(client, admin)
    for url in ("/portal/staff/users", "/portal/staff/audit"):
        html = client.get(url).get_data(as_text=True)
        assert XSS not in html and ESCAPED in html, url
    html = client.get("/portal/staff/audit", query_string={"who": XSS}).get_data(as_text=True)
    assert XSS not in html


def test_profile_validation_keeps_the_page(client, signed_in):
    response = post(client, "/portal/account/profile", {"name": "x" * 121}, page=ACCOUNT)
    assert response.status_code == 422 and "at most 120" in response.get_data(as_text=True)


def test_changing_the_password_checks_the_old_one_and_signs_out_other_sessions(app, client, signed_in, run_jobs,
                                                                                settings):
    other = app.test_client()
    login(other, signed_in)
    wrong = post(client, "/portal/account/password",
                 {"current": "not my password at all", "password": "a new and long passphrase"}, page=ACCOUNT)
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    weak = post(client, "/portal/account/password", {"current": PASSWORD, "password": "password1234"}, page=ACCOUNT)
    assert "most common" in weak.get_data(as_text=True)

    ok = post(client, "/portal/account/password", {"current": PASSWORD, "password": "a new and long passphrase"},
              page=ACCOUNT)
    assert ok.status_code == 303
    assert client.get(ACCOUNT).status_code == 200, "this browser stays signed in"
    assert other.get(ACCOUNT).status_code == 302, "the other one is signed out"
    assert login(other, signed_in).status_code == 422
    assert login(other, signed_in, "a new and long passphrase").status_code == 302
    run_jobs()
    assert "password was changed" in mail_to(settings, signed_in)[0].subject


def test_sign_out_everywhere_ends_every_session(app, client, signed_in, db):
    others = [app.test_client() for _ in range(2)]
    for other in others:
        login(other, signed_in)
    assert "Where you are signed in" in client.get(ACCOUNT).get_data(as_text=True)
    response = post(client, "/portal/account/signout-everywhere", page=ACCOUNT)
    assert response.status_code == 303 and "/portal/login" in response.headers["Location"]
    assert all(c.get(ACCOUNT).status_code == 302 for c in [client, *others])
    assert db.scalar(select(AuditEvent.data).where(AuditEvent.action == "signout.everywhere")) == {"sessions": 3}


def test_download_my_data_is_a_zip_of_everything(client, signed_in, db, run_jobs):
    response = client.post("/portal/submissions/new", data={
        "description": "Read our invoices, please, every month.", "language": "en",
        "csrf_token": csrf(client, "/portal/submissions/new"),
        "files": (io.BytesIO(b"Invoice 2026-001, total 1 200 CZK\n"), "invoice.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    run_jobs()
    _create_token(client, name="robot")
    response = post(client, "/portal/account/export", page=ACCOUNT)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == signed_in
    assert [s["description"] for s in data["submissions"]] == ["Read our invoices, please, every month."]
    assert data["submissions"][0]["events"][0]["kind"] == "submission.created"
    assert [t["name"] for t in data["api_tokens"]] == ["robot"]
    assert "token_hash" not in json.dumps(data)
    assert "signin.success" in [e["action"] for e in data["audit_log"]]
    [attached] = data["submissions"][0]["files"]
    assert attached["name"] == "invoice.txt"
    assert archive.read(attached["path"]) == b"Invoice 2026-001, total 1 200 CZK\n"
    assert any("results are ready" in m["subject"] for m in data["messages"])


def test_deleting_the_account_erases_it_and_keeps_a_pseudonymous_trail(client, run_jobs, settings, db):
    signup(client, email="gone@example.com")
    login(client, "gone@example.com")
    client.post("/portal/submissions/new", data={
        "description": "Read our invoices, please, every month.", "language": "en",
        "csrf_token": csrf(client, "/portal/submissions/new"),
        "files": (io.BytesIO(b"Invoice 2026-001\n"), "invoice.txt")}, content_type="multipart/form-data")
    run_jobs()
    user_id = db.scalar(select(User.id))
    [key] = db.scalars(select(SubmissionFile.storage_key)).all()
    storage = storage_for(settings)
    assert storage.exists(key)
    wrong = post(client, "/portal/account/delete", {"confirm": "not my password, sorry"}, page=ACCOUNT)
    assert wrong.status_code == 422 and "not your password" in wrong.get_data(as_text=True)

    response = post(client, "/portal/account/delete", {"confirm": PASSWORD}, page=ACCOUNT)
    assert response.status_code == 303
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(User)) == 0
    assert db.scalar(select(func.count()).select_from(Submission)) == 0
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert not storage.exists(key), "stored files are erased"
    trail = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in trail][-1] == "account.deleted"
    assert {e.actor for e in trail} == {audit.pseudonym(user_id)}
    assert all(e.ip == "" and e.user_agent == "" for e in trail)
    assert client.get(ACCOUNT).status_code == 302
    assert login(client, "gone@example.com").status_code == 422


def test_the_verification_link_can_be_sent_again(client, make_user, run_jobs, settings):
    email, _, _ = make_user()
    login(client, email)
    assert post(client, "/portal/verify/resend", page=ACCOUNT).status_code == 302
    run_jobs()
    path = link_in(mail_to(settings, email)[0])
    post(client, path)
    assert "(confirmed)" in client.get(ACCOUNT).get_data(as_text=True)
