"""The client's offers: read one, download its PDF, accept it, decline it or ask for changes."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, format_date, gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import object_session

from portal.auth import origin, record
from portal.db import get_db
from portal.submissions.files import file_response, get_storage
from statex import offers
from statex.models import Offer
from statex.offers import access

bp = Blueprint("offers", __name__, url_prefix="/portal")
MAX_TEXT = 5000


@dataclass(frozen=True)
class StoredPdf:
    """A sent version's PDF as the file responses expect it."""

    storage_key: str
    sha256: str
    name: str
    content_type: str = "application/pdf"


@bp.app_template_filter("offer_money")
def offer_money(value, currency: str) -> str:
    """An amount in the reader's locale: "€1,500.00", "1 500,00 €"."""
    return format_currency(value, currency)


@bp.app_template_filter("offer_state")
def offer_state(offer: Offer) -> str:
    """An offer version's state in words."""
    words = {"draft": _("Draft"), "sent": _("Waiting for your decision"), "accepted": _("Accepted"),
             "declined": _("Declined"), "expired": _("Expired"), "superseded": _("Replaced by a newer version")}
    return words.get(offer.shown_state(), offer.state)


@bp.app_template_filter("offer_name")
def offer_name(offer: Offer) -> str:
    """What an offer is called: its number once sent, else that it is a draft ("Offer 2026-0001", "Draft offer")."""
    return _("Offer %(number)s", number=offer.number) if offer.number else _("Draft offer")


bp.add_app_template_filter(format_date, "offer_date")


@bp.app_template_global("client_offers")
def client_offers(submission) -> list[Offer]:
    """The offers sent to the signed-in client on this request (none for staff reading it), read on the
    session the request was read on (a poll's reading session, or the page's)."""
    return access.sent_of_submission(object_session(submission) or get_db(), current_user, submission)


def pdf_response(offer: Offer):
    """The stored PDF of a sent version, exactly the bytes whose sha256 the offer records."""
    if not offer.pdf_key:
        abort(404)
    found = StoredPdf(offer.pdf_key, offer.pdf_sha256, f"offer-{offer.number}-v{offer.version}.pdf")
    response = file_response(get_storage(), found, inline=False)
    response.headers["Digest-SHA256"] = offer.pdf_sha256
    return response


def _own_or_404(offer_id: str) -> Offer:
    offer = access.own(get_db(), current_user, offer_id)
    if offer is None:
        abort(404)
    return offer


def render_offer(offer: Offer, errors: dict | None = None, status: int = 200):
    return render_template("offers/detail.html", offer=offer, errors=errors or {},
                           typed=request.form), status, {"Vary": "HX-Request"}


@bp.get("/offers/<offer_id>")
@login_required
def detail(offer_id: str):
    return render_offer(_own_or_404(offer_id))


@bp.get("/offers/<offer_id>/pdf")
@login_required
def pdf(offer_id: str):
    return pdf_response(_own_or_404(offer_id))


@bp.post("/offers/<offer_id>/accept")
@login_required
def accept_POST(offer_id: str):
    offer = _own_or_404(offer_id)
    name = request.form.get("name", "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Type your full name to accept.")
    if request.form.get("consent") != "yes":
        errors["consent"] = _("Tick the box to confirm you accept the offer and its terms.")
    if errors:
        return render_offer(offer, errors, 400)
    shown = offers.Acceptance(name=name[:255], ip=origin().ip, user_agent=origin().user_agent,
                              pdf_sha256=request.form.get("pdf_sha256", ""))
    return _decide(offer, lambda: offers.accept(get_db(), offer, shown), _("Thank you: you accepted the offer."))


@bp.post("/offers/<offer_id>/decline")
@login_required
def decline_POST(offer_id: str):
    offer = _own_or_404(offer_id)
    reason = request.form.get("reason", "")[:MAX_TEXT]
    return _decide(offer, lambda: offers.decline(get_db(), offer, reason), _("You declined the offer."))


@bp.post("/offers/<offer_id>/changes")
@login_required
def changes_POST(offer_id: str):
    offer = _own_or_404(offer_id)
    text = request.form.get("text", "").strip()[:MAX_TEXT]
    if not text:
        return render_offer(offer, {"text": _("Write what you would like us to change.")}, 400)
    return _decide(offer, lambda: offers.ask_for_changes(get_db(), offer, text),
                   _("We passed your request for changes to our team."))


def _decide(offer: Offer, decision, done: str):
    """Run the client's decision and commit, or say why the offer no longer takes it."""
    db = get_db()
    try:
        decision()
    except offers.WrongState:
        db.rollback()
        flash(_("This offer can no longer be decided on: it has expired, was replaced, or was decided already."),
              "error")
        return redirect(url_for("offers.detail", offer_id=offer.id), code=303)
    record("offer.decided", current_user._get_current_object(), offer=str(offer.id), state=offer.state)
    db.commit()
    flash(done, "success")
    return redirect(url_for("offers.detail", offer_id=offer.id), code=303)
