"""Offers through the API (portal/api/offers.py): staff draft, edit, send; clients own requests only; 409s."""

import hashlib

from sqlalchemy import select

from statex.db import session_scope
from statex import accounts
from statex.models import AuditEvent
from tests.offers_helpers import analysed_request


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _request(settings, email) -> str:
    with session_scope(settings.database_url) as session:
        return str(analysed_request(session, accounts.find_user(session, email)).id)


def test_staff_draft_edit_and_send_then_the_client_accepts_once(client, make_user, make_token, settings):
    email, _password, _ = make_user()
    staff_email, _password, _ = make_user(role="staff")
    staff, owner = _bearer(make_token(staff_email)), _bearer(make_token(email))
    submission_id = _request(settings, email)
    assert client.post(f"/api/v1/submissions/{submission_id}/offers", headers=owner).status_code == 403
    created = client.post(f"/api/v1/submissions/{submission_id}/offers", headers=staff)
    assert created.status_code == 201
    offer = created.get_json()
    assert offer["state"] == "draft" and offer["number"] is None and len(offer["lines"]) == 2
    assert client.get(f"/api/v1/offers/{offer['id']}", headers=owner).status_code == 404  # a draft
    assert client.get(f"/api/v1/submissions/{submission_id}/offers", headers=owner).get_json() == {"items": []}
    bad = client.patch(f"/api/v1/offers/{offer['id']}", headers=staff,
                       json={"vat_rate": "lots", "colour": "red", "lines": [{"title": "", "unit_price": "x"}]})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert set(bad.get_json()["errors"]) == {"vat_rate", "colour", "lines[0].title", "lines[0].unit_price"}
    edited = client.patch(f"/api/v1/offers/{offer['id']}", headers=staff, json={
        "currency": "CZK", "vat_rate": "21", "valid_days": 10,
        "lines": [{"title": "Pilot", "quantity": "3", "unit_price": "333.33", "discount": "0"}]}).get_json()
    assert (edited["subtotal"], edited["vat"], edited["total"]) == ("999.99", "210.00", "1209.99")
    assert edited["lines"][0] == {"title": "Pilot", "description": "", "timeline": "", "quantity": "3.00",
                                  "unit_price": "333.33", "discount": "0.00", "total": "999.99"}
    sent = client.post(f"/api/v1/offers/{offer['id']}/send", headers=staff).get_json()
    assert sent["state"] == "sent" and sent["number"].endswith("-0001") and sent["pdf_sha256"]
    again = client.post(f"/api/v1/offers/{offer['id']}/send", headers=staff)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert client.patch(f"/api/v1/offers/{offer['id']}", headers=staff, json={"valid_days": 5}).status_code == 409

    pdf = client.get(f"/api/v1/offers/{offer['id']}/pdf", headers=owner)
    assert pdf.mimetype == "application/pdf" and hashlib.sha256(pdf.data).hexdigest() == sent["pdf_sha256"]
    assert client.post(f"/api/v1/offers/{offer['id']}/accept", headers=owner, json={}).status_code == 422
    accepted = client.post(f"/api/v1/offers/{offer['id']}/accept", headers=owner, json={"name": "Jana Nováková"})
    assert accepted.status_code == 200
    body = accepted.get_json()
    assert body["state"] == "accepted" and body["accepted_name"] == "Jana Nováková" and body["accepted_at"]
    twice = client.post(f"/api/v1/offers/{offer['id']}/accept", headers=owner, json={"name": "Jana"})
    assert twice.status_code == 409 and twice.mimetype == "application/problem+json"
    declined = client.post(f"/api/v1/offers/{offer['id']}/decline", headers=owner, json={"reason": "no"})
    assert declined.status_code == 409


def test_another_client_sees_nothing_of_an_offer_and_staff_record_a_decision_in_the_audit_log(
        client, make_user, make_token, settings):
    email, _password, _ = make_user()
    other_email, _password, _ = make_user()
    staff_email, _password, staff_id = make_user(role="staff")
    staff, other = _bearer(make_token(staff_email)), _bearer(make_token(other_email))
    submission_id = _request(settings, email)
    offer_id = client.post(f"/api/v1/submissions/{submission_id}/offers", headers=staff).get_json()["id"]
    client.post(f"/api/v1/offers/{offer_id}/send", headers=staff)
    for path in (f"/api/v1/offers/{offer_id}", f"/api/v1/offers/{offer_id}/pdf",
                 f"/api/v1/submissions/{submission_id}/offers"):
        assert client.get(path, headers=other).status_code == 404
    assert client.post(f"/api/v1/offers/{offer_id}/accept", headers=other, json={"name": "X"}).status_code == 404
    assert client.get(f"/api/v1/offers/{offer_id}", headers=staff).get_json()["state"] == "sent"
    # A client who accepted on paper: staff record it, and the audit log names who did.
    accepted = client.post(f"/api/v1/offers/{offer_id}/accept", headers=staff, json={"name": "Jana Nováková"})
    assert accepted.status_code == 200 and accepted.get_json()["accepted_name"] == "Jana Nováková"
    with session_scope(settings.database_url) as session:
        entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "offer.decided_for_client")).one()
        assert entry.actor_id == staff_id and entry.data["offer"] == offer_id
