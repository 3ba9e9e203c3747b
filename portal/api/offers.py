"""Offers through the API: staff draft, edit and send; clients (own requests only) read, download and decide."""

from __future__ import annotations

from flask import Response, current_app, g, request, url_for
from flask_babel import gettext as _

from portal.api import bp
from portal.api.problems import problem
from portal.auth import origin
from portal.db import get_db
from portal.offers import pdf_response
from portal.submissions.files import get_storage
from statex import audit, offers, submissions
from statex.analysis import catalogue_for
from statex.models import Offer
from statex.offers import access, editing
from statex.offers.money import as_text

EDITABLE = ("currency", "vat_rate", "valid_days", "cover_text", "lines")


@bp.post("/submissions/<submission_id>/offers")
def draft_offer(submission_id: str):
    """Staff: a new draft from the submission's analysis and the catalogue."""
    submission = submissions.get_for(get_db(), g.api_user, submission_id)
    if submission is None:
        return problem(404, "Not Found", _("There is no submission with this id."))
    if not g.api_user.is_staff:
        return _staff_only()  # their own request: they may know it exists
    settings = current_app.config["STATEX"]
    offer = offers.create_draft(get_db(), settings, submission, catalogue_for(settings))
    get_db().commit()
    response = current_app.json.response(serialise(offer))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_offer", offer_id=offer.id)
    return response


@bp.get("/submissions/<submission_id>/offers")
def list_offers(submission_id: str):
    submission = submissions.get_for(get_db(), g.api_user, submission_id)
    if submission is None:
        return problem(404, "Not Found", _("There is no submission with this id."))
    return {"items": [serialise(o) for o in access.of_submission(get_db(), g.api_user, submission)]}


@bp.get("/offers/<offer_id>")
def get_offer(offer_id: str):
    offer = access.get_for(get_db(), g.api_user, offer_id)
    return _not_found() if offer is None else serialise(offer)


@bp.patch("/offers/<offer_id>")
def edit_offer(offer_id: str):
    """Staff: change a draft's lines, currency, VAT or validity; 409 once it is sent."""
    offer, refusal = _for_staff(offer_id)
    if refusal:
        return refusal
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return problem(400, "Bad Request", _("Send a JSON object, e.g. {\"vat_rate\": \"21\"}."))
    clean, errors = editing.check(data)
    errors.update({str(name): [_("Unknown field; send only %(fields)s.", fields=", ".join(EDITABLE))]
                   for name in data if name not in EDITABLE})
    if errors:
        return problem(422, "Unprocessable Content", _("The offer is not valid."), errors=errors)
    if offer.state != "draft":
        return _conflict(_("This version is %(state)s: only a draft is edited.", state=offer.shown_state()))
    editing.apply(offer, clean)
    get_db().commit()
    return serialise(offer)


@bp.post("/offers/<offer_id>/send")
def send_offer(offer_id: str):
    """Staff: number, freeze and render the draft, and tell the client."""
    offer, refusal = _for_staff(offer_id)
    if refusal:
        return refusal
    try:
        offers.send(get_db(), current_app.config["STATEX"], get_storage(), offer)
    except offers.WrongState as error:
        get_db().rollback()
        return _conflict(_("This offer cannot be sent: %(error)s.", error=error))
    get_db().commit()
    return serialise(offer)


@bp.get("/offers/<offer_id>/pdf")
def offer_pdf(offer_id: str) -> Response:
    offer = access.get_for(get_db(), g.api_user, offer_id)
    if offer is None or not offer.pdf_key:
        return problem(404, "Not Found", _("There is no sent offer with this id."))
    return pdf_response(offer)


@bp.post("/offers/<offer_id>/accept")
def accept_offer(offer_id: str):
    """The client accepts the latest sent version, by their full name; `pdf_sha256` if given must match.

    Staff may record a client's decision given another way (on paper, by phone); the audit log says who did.
    """
    offer = _decidable_by(g.api_user, offer_id)
    if offer is None:
        return _not_found()
    data = request.get_json(silent=True)
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        return problem(422, "Unprocessable Content", _("Give your full name."),
                       errors={"name": [_("Your full name.")]})
    sha = data.get("pdf_sha256") or offer.pdf_sha256
    shown = offers.Acceptance(name=name.strip()[:255], ip=origin().ip, user_agent=origin().user_agent,
                              pdf_sha256=str(sha))
    return _decide(offer, lambda: offers.accept(get_db(), offer, shown))


@bp.post("/offers/<offer_id>/decline")
def decline_offer(offer_id: str):
    offer = _decidable_by(g.api_user, offer_id)
    if offer is None:
        return _not_found()
    data = request.get_json(silent=True)
    reason = data.get("reason") if isinstance(data, dict) else None
    if reason is not None and not isinstance(reason, str):
        return problem(422, "Unprocessable Content", _("reason must be text."),
                       errors={"reason": [_("Text, or leave it out.")]})
    return _decide(offer, lambda: offers.decline(get_db(), offer, (reason or "")[:5000]))


def _decidable_by(user, offer_id: str) -> Offer | None:
    """The offer the client decides on: their own; for staff, any client's sent offer."""
    return (access.get_for if user.is_staff else access.own)(get_db(), user, offer_id)


def _decide(offer: Offer, decision):
    try:
        decision()
    except offers.WrongState as error:
        get_db().rollback()
        return _conflict(_("This offer cannot be decided on: %(error)s.", error=error))
    if g.api_user.is_staff:
        audit.record(get_db(), "offer.decided_for_client", g.api_user, origin(), offer=str(offer.id), state=offer.state)
    get_db().commit()
    return serialise(offer)


def serialise(offer: Offer) -> dict:
    """An offer version as the API shows it: amounts as strings with two decimals."""
    return {
        "id": str(offer.id), "number": offer.number, "version": offer.version, "state": offer.shown_state(),
        "submission_id": str(offer.submission_id) if offer.submission_id else None,
        "currency": offer.currency, "language": offer.language, "cover_text": offer.cover_text,
        "lines": [{"title": line.title, "description": line.description, "timeline": line.timeline,
                   "quantity": as_text(line.quantity), "unit_price": as_text(line.unit_price),
                   "discount": as_text(line.discount), "total": as_text(line.total)} for line in offer.lines],
        "subtotal": as_text(offer.subtotal), "vat_rate": as_text(offer.vat_rate), "vat": as_text(offer.vat),
        "total": as_text(offer.total), "valid_days": offer.valid_days,
        "valid_until": offer.valid_until.isoformat() if offer.valid_until else None,
        "sent_at": offer.sent_at.isoformat() if offer.sent_at else None,
        "accepted_at": offer.decided_at.isoformat() if offer.state == "accepted" else None,
        "declined_at": offer.decided_at.isoformat() if offer.state == "declined" else None,
        "accepted_name": offer.accepted_name, "decline_reason": offer.decline_reason,
        "pdf_sha256": offer.pdf_sha256,
        "pdf_url": url_for("api.offer_pdf", offer_id=offer.id) if offer.pdf_key else None,
    }


def _for_staff(offer_id: str) -> tuple[Offer | None, Response | None]:
    """The offer for a staff write; 403 to a client who may read it, 404 to anyone else."""
    offer = access.get_for(get_db(), g.api_user, offer_id)
    if offer is None:
        return None, _not_found()
    return (offer, None) if g.api_user.is_staff else (None, _staff_only())


def _conflict(detail: str) -> Response:
    return problem(409, "Conflict", detail)


def _staff_only() -> Response:
    return problem(403, "Forbidden", _("Only staff tokens may draft, edit or send offers."))


def _not_found() -> Response:
    return problem(404, "Not Found", _("There is no offer with this id."))
