"""Admins manage users (search, role, deactivation); staff read and filter the audit log."""

from sqlalchemy import select

from statex.models import AuditEvent, User
from tests.portal.accounts_helpers import login, post

USERS = "/portal/staff/users"


def _admin(client, make_user):
    email, _, _ = make_user(role="admin", email="boss@example.com")
    login(client, email)
    return email


def test_admins_search_users_by_email_name_and_role(client, make_user):
    _admin(client, make_user)
    make_user(email="ann@example.com", name="Ann Dvořák")
    make_user(role="staff", email="bob@example.com", name="Bob")
    html = client.get(USERS, query_string={"q": "dvořák"}).get_data(as_text=True)
    assert "ann@example.com" in html and "bob@example.com" not in html
    html = client.get(USERS, query_string={"role": "staff"}).get_data(as_text=True)
    assert "bob@example.com" in html and "ann@example.com" not in html
    assert "1 user" in html


def test_a_role_change_is_audited_and_takes_effect(app, client, make_user, db):
    admin = _admin(client, make_user)
    email, _, user_id = make_user(email="ann@example.com")
    ann = app.test_client()
    login(ann, email)
    assert ann.get("/portal/staff/audit").status_code == 404

    response = post(client, f"{USERS}/{user_id}/role", {"role": "staff", "back": f"{USERS}?q=ann"}, page=USERS)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{USERS}?q=ann")
    assert ann.get("/portal/staff/audit").status_code == 200
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "role.changed"))
    assert (event.actor, event.target, event.data) == (admin, email, {"before": "client", "after": "staff"})


def test_a_bad_role_or_an_outside_return_address_changes_nothing(client, make_user, db):
    _admin(client, make_user)
    _, _, user_id = make_user(email="ann@example.com")
    response = post(client, f"{USERS}/{user_id}/role", {"role": "emperor", "back": "https://evil.example/"}, page=USERS)
    assert response.headers["Location"].endswith(USERS)
    assert db.scalar(select(User.role).where(User.id == user_id)) == "client"
    assert "Choose a role among" in client.get(USERS).get_data(as_text=True)


def test_admins_cannot_demote_or_deactivate_themselves(client, make_user, db):
    _admin(client, make_user)
    me = db.scalar(select(User.id).where(User.email == "boss@example.com"))
    post(client, f"{USERS}/{me}/role", {"role": "client"}, page=USERS)
    post(client, f"{USERS}/{me}/active", page=USERS)
    assert db.scalar(select(User.role).where(User.id == me)) == "admin"
    assert client.get(USERS).status_code == 200


def test_deactivation_signs_out_and_stops_tokens_and_reactivation_restores(app, client, make_user, make_token):
    _admin(client, make_user)
    email, _, user_id = make_user(email="ann@example.com")
    token = make_token(email)
    ann = app.test_client()
    login(ann, email)
    post(client, f"{USERS}/{user_id}/active", page=USERS)
    assert ann.get("/portal/").status_code == 302
    assert ann.get("/api/v1/submissions", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert login(ann, email).status_code == 422
    post(client, f"{USERS}/{user_id}/active", page=USERS)
    assert login(ann, email).status_code == 302


def test_staff_cannot_manage_users(client, make_user, db):
    email, _, _ = make_user(role="staff")
    _, _, user_id = make_user()
    login(client, email)
    assert client.get(USERS).status_code == 404
    assert post(client, f"{USERS}/{user_id}/role", {"role": "admin"}, page="/portal/").status_code == 404
    assert db.scalar(select(User.role).where(User.id == user_id)) == "client"


def test_staff_filter_the_audit_log(client, make_user):
    ann, _, _ = make_user(email="ann@example.com")
    login(client, ann, "a wrong password, twice over")
    login(client, ann)
    staff, _, _ = make_user(role="staff", email="sue@example.com")
    login(client, staff)
    page = client.get("/portal/staff/audit", query_string={"who": "ann@", "action": "signin.failure"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 entry" in html and "127.0.0.1" in html
    everything = client.get("/portal/staff/audit", query_string={"who": "ann@"}).get_data(as_text=True)
    assert "2 entries" in everything
    bad = client.get("/portal/staff/audit", query_string={"since": "2026-02-30", "until": "2020-01-01"})
    assert bad.status_code == 422 and "Not a valid date" in bad.get_data(as_text=True)
    reversed_range = client.get("/portal/staff/audit", query_string={"since": "2026-02-01", "until": "2026-01-01"})
    assert "on or after" in reversed_range.get_data(as_text=True)
