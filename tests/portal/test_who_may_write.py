"""Clients change only their own requests; staff act on clients' requests through staff pages, audited."""

from __future__ import annotations

import uuid

import pytest
import requests
from sqlalchemy import select

from portal import create_app
from statex.models import AuditEvent, Submission
from tests.portal.served import Visitor, serve

DESCRIPTION = "Please read our supplier invoices and put them into the accounting system for us."


@pytest.fixture
def world(app, make_user, make_token):
    """A client with a fresh request, and a staff member, on a served portal."""
    client_email, _, _ = make_user()
    staff_email, _, _ = make_user(role="staff")
    with serve(app) as base:
        ann, staff = Visitor(base), Visitor(base)
        ann.login(client_email)
        staff.login(staff_email)
        page = ann.form("/portal/submissions/new", {"description": DESCRIPTION, "language": "en"},
                        page="/portal/submissions/new").headers["Location"]
        yield {"base": base, "ann": ann, "staff": staff, "page": page, "staff_email": staff_email,
               "client_email": client_email, "id": page.rstrip("/").rsplit("/", 1)[-1],
               "staff_token": make_token(staff_email)}


def _submission(db, world) -> Submission:
    db.expire_all()
    return db.get(Submission, uuid.UUID(world["id"]))


def test_staff_cannot_change_or_cancel_a_clients_request_through_the_clients_pages(world, db):
    staff, page = world["staff"], world["page"]
    assert staff.get(page).status_code == 200, "staff may read it"
    added = staff.form(f"{page}/add", {"text": "Staff wrote this into the client's words."}, page=page)
    assert added.status_code == 404
    assert staff.form(f"{page}/cancel", page=page).status_code == 404
    submission = _submission(db, world)
    assert "Staff wrote this" not in submission.description and submission.status != "cancelled"


def test_a_staff_token_cannot_cancel_a_clients_request_through_the_api(world, db):
    response = requests.post(f"{world['base']}/api/v1/submissions/{world['id']}/cancel", timeout=10,
                             headers={"Authorization": f"Bearer {world['staff_token']}"})
    assert response.status_code == 404 and response.headers["Content-Type"] == "application/problem+json"
    assert _submission(db, world).status != "cancelled"


def test_staff_cancel_and_retry_on_the_staff_pages_and_the_audit_log_names_them(world, db):
    staff, staff_page = world["staff"], f"/portal/staff/submissions/{world['id']}"
    assert staff.form(f"{staff_page}/retry", page=staff_page).status_code == 303
    assert staff.form(f"{staff_page}/cancel", page=staff_page).status_code == 303
    assert _submission(db, world).status == "cancelled"
    entries = db.scalars(select(AuditEvent).where(AuditEvent.action.like("submission.%"))
                         .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor, e.target, e.data["submission"]) for e in entries] == [
        ("submission.retried", world["staff_email"], world["client_email"], world["id"]),
        ("submission.cancelled", world["staff_email"], world["client_email"], world["id"])]
    assert "Cancel this request for its client" not in staff.get(staff_page).text, "once cancelled, no button"


def test_adding_information_is_rate_limited_with_a_clear_page(settings, make_user):
    app = create_app(test_config={"TESTING": True, "STATEX_LIMITS": {"addition_account": "2 per minute"}},
                     settings=settings)
    email, _, _ = make_user()
    with serve(app) as base:
        ann = Visitor(base)
        ann.login(email)
        page = ann.form("/portal/submissions/new", {"description": DESCRIPTION, "language": "en"},
                        page="/portal/submissions/new").headers["Location"]
        answers = [ann.form(f"{page}/add", {"text": f"More detail number {n}."}, page=page) for n in range(3)]
    assert [a.status_code for a in answers] == [303, 303, 429]
    assert "Too many requests" in answers[-1].text and int(answers[-1].headers["Retry-After"]) > 0
