"""Offers in the portal (portal/offers.py, portal/staff/offers.py): staff draft, edit and send; clients decide."""

import hashlib
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from statex.models import Message, Offer, SubmissionEvent
from tests.offers_helpers import drafted_offer


def _csrf(client, path):
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _staff_sends(client, auth, make_user, settings, email, **request):
    staff_email, password, _ = make_user(role="staff")
    submission_id, offer_id = drafted_offer(settings, email, **request)
    auth.login(staff_email, password)
    page = f"/portal/staff/offers/{offer_id}"
    form = {"csrf_token": _csrf(client, page), "currency": "EUR", "vat_rate": "21", "valid_days": "30",
            "cover_text": "Dear client", "line_count": "1", "line-0-title": "Invoice reading pilot",
            "line-0-quantity": "2", "line-0-unit_price": "1 000,50", "line-0-discount": "10", "action": "send"}
    response = client.post(page, data=form)
    assert response.status_code == 303
    auth.logout()
    return submission_id, offer_id


def test_staff_draft_from_the_request_page_edit_and_send(client, auth, make_user, settings, db):
    email, _password, _ = make_user()
    staff_email, password, _ = make_user(role="staff")
    submission_id, _offer = drafted_offer(settings, email)
    auth.login(staff_email, password)
    page = client.get(f"/portal/staff/submissions/{submission_id}").get_data(as_text=True)
    assert "Draft an offer" in page
    response = client.post(f"/portal/staff/submissions/{submission_id}/offers",
                           data={"csrf_token": _csrf(client, "/portal/staff/")})
    assert response.status_code == 303
    edit = response.headers["Location"]
    html = client.get(edit).get_data(as_text=True)
    assert "Document data extraction" in html and 'name="line_count" value="2"' in html
    form = {"csrf_token": _csrf(client, edit), "currency": "CZK", "vat_rate": "21", "valid_days": "14",
            "cover_text": "x", "line_count": "2", "line-0-title": "A", "line-0-quantity": "1",
            "line-0-unit_price": "100", "line-0-discount": "0", "line-1-title": "B", "line-1-quantity": "1",
            "line-1-unit_price": "200", "line-1-discount": "0", "action": "up-1"}
    assert client.post(edit, data=form).status_code == 303
    offer = db.get(Offer, edit.rsplit("/", 1)[-1])
    assert [line.title for line in offer.lines] == ["B", "A"] and offer.currency == "CZK"
    bad = client.post(edit, data={**form, "line-0-quantity": "none", "action": "save"})
    assert bad.status_code == 400 and "A quantity above 0" in bad.get_data(as_text=True)
    sent = client.post(edit, data={**form, "action": "send"})
    db.refresh(offer)
    assert sent.status_code == 303 and offer.state == "sent" and offer.total == 363
    pipeline = client.get("/portal/staff/offers").get_data(as_text=True)
    assert 'class="figure-sent">1<' in pipeline


def test_a_draft_with_mistakes_says_them_at_the_top_each_linked_to_its_field(client, auth, make_user, settings):
    email, _password, _ = make_user()
    staff_email, password, _ = make_user(role="staff")
    _submission, offer_id = drafted_offer(settings, email)
    auth.login(staff_email, password)
    page = f"/portal/staff/offers/{offer_id}"
    form = {"csrf_token": _csrf(client, page), "currency": "EUR", "vat_rate": "lots", "valid_days": "30",
            "cover_text": "Dear client", "line_count": "1", "line-0-title": "Pilot", "line-0-quantity": "none",
            "line-0-unit_price": "100", "line-0-discount": "0", "action": "save"}
    answer = client.post(page, data=form)
    html = answer.get_data(as_text=True)
    summary = html[html.index('class="notice notice--danger error-summary"'):html.index("<form", html.index("error-summary"))]
    assert answer.status_code == 400 and 'role="alert"' in summary
    assert re.search(r'<a href="#vat_rate">VAT \(%\): [^<]+</a>', summary)
    assert re.search(r'<a href="#line-0-quantity">Line 1, Quantity: A quantity above 0[^<]*</a>', summary)
    assert 'id="vat_rate" name="vat_rate" inputmode="decimal" value="lots" aria-invalid="true"' in html
    assert 'id="line-0-quantity" name="line-0-quantity" value="none" aria-invalid="true"' in html
    assert 'id="line-0-title" name="line-0-title" value="Pilot">' in html  # what was right is kept


def test_a_client_never_sees_a_draft_or_another_clients_offer(client, auth, make_user, settings, make_token):
    email, password, _ = make_user()
    other, other_password, _ = make_user()
    drafted_on, draft_id = drafted_offer(settings, email)
    auth.login(email, password)
    for headers in ({}, {"HX-Request": "true"}):  # the request's page, and its live part
        assert "offer-list" not in client.get(f"/portal/submissions/{drafted_on}", headers=headers).get_data(as_text=True)
    assert client.get(f"/portal/offers/{draft_id}").status_code == 404
    assert client.get(f"/portal/offers/{draft_id}/pdf").status_code == 404
    assert client.get(f"/portal/staff/offers/{draft_id}").status_code == 404
    auth.logout()
    _submission, sent_id = _staff_sends(client, auth, make_user, settings, email)
    auth.login(other, other_password)
    assert client.get(f"/portal/offers/{sent_id}").status_code == 404
    assert client.get(f"/portal/offers/{sent_id}/pdf").status_code == 404
    page = f"/portal/offers/{sent_id}/accept"
    assert client.post(page, data={"csrf_token": _csrf(client, "/portal/"), "name": "X",
                                   "consent": "yes"}).status_code == 404


def test_the_client_accepts_the_pdf_they_were_shown(client, auth, make_user, settings, db):
    email, password, _ = make_user()
    submission_id, offer_id = _staff_sends(client, auth, make_user, settings, email)
    auth.login(email, password)
    request_page = client.get(f"/portal/submissions/{submission_id}").get_data(as_text=True)
    live = client.get(f"/portal/submissions/{submission_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"/portal/offers/{offer_id}" in request_page and f"/portal/offers/{offer_id}" in live
    page = client.get(f"/portal/offers/{offer_id}").get_data(as_text=True)
    sha = re.search(r'name="pdf_sha256" value="([0-9a-f]{64})"', page).group(1)
    pdf = client.get(f"/portal/offers/{offer_id}/pdf")
    assert hashlib.sha256(pdf.data).hexdigest() == sha
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    # 2 × 1000.50 less 10 %, plus 21 % VAT
    assert "Invoice reading pilot" in text and "€1,800.90" in text and "€2,179.09" in text
    missing = client.post(f"/portal/offers/{offer_id}/accept", data={"csrf_token": _csrf(client, "/portal/"),
                                                                    "pdf_sha256": sha, "name": ""})
    assert missing.status_code == 400 and "Type your full name" in missing.get_data(as_text=True)
    form = {"csrf_token": _csrf(client, "/portal/"), "pdf_sha256": sha, "name": "Jana Nováková", "consent": "yes"}
    assert client.post(f"/portal/offers/{offer_id}/accept", data=form,
                       headers={"User-Agent": "TestBrowser/1"}).status_code == 303
    offer = db.get(Offer, offer_id)
    assert (offer.state, offer.accepted_name, offer.accepted_user_agent, offer.pdf_sha256) == (
        "accepted", "Jana Nováková", "TestBrowser/1", sha)
    again = client.post(f"/portal/offers/{offer_id}/accept", data=form, follow_redirects=True)
    assert "can no longer be decided on" in again.get_data(as_text=True)
    kinds = [e.kind for e in db.query(SubmissionEvent).filter_by(submission_id=offer.submission_id)]
    assert kinds.count("offer.accepted") == 1 and kinds.count("offer.sent") == 1


def test_the_client_declines_or_asks_for_changes(client, auth, make_user, settings, db):
    email, password, _ = make_user()
    _submission, offer_id = _staff_sends(client, auth, make_user, settings, email)
    auth.login(email, password)
    empty = client.post(f"/portal/offers/{offer_id}/changes", data={"csrf_token": _csrf(client, "/portal/"),
                                                                    "text": " "})
    assert empty.status_code == 400
    assert client.post(f"/portal/offers/{offer_id}/changes", data={"csrf_token": _csrf(client, "/portal/"),
                                                                   "text": "Cheaper, please"}).status_code == 303
    assert client.post(f"/portal/offers/{offer_id}/decline", data={"csrf_token": _csrf(client, "/portal/"),
                                                                   "reason": "Too dear"}).status_code == 303
    offer = db.get(Offer, offer_id)
    assert (offer.state, offer.decline_reason) == ("declined", "Too dear")
    event = db.query(SubmissionEvent).filter_by(kind="offer.changes_requested").one()
    assert event.data["text"] == "Cheaper, please"
    # The request opens a message to staff on the request's thread, in the client's name.
    asked = db.scalars(select(Message).where(Message.submission_id == offer.submission_id)).one()
    assert asked.author_role == "client" and asked.body.endswith("Cheaper, please") and not asked.internal
