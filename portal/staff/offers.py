"""Staff's offers: draft one from a request, edit its lines, send it, revise it; the pipeline's figures."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth import record, staff_required
from portal.db import get_db
from portal.offers import pdf_response
from portal.staff import bp, submission_or_404
from portal.submissions.files import get_storage
from statex import offers
from statex.analysis import catalogue_for
from statex.models import Offer
from statex.models.base import utcnow
from statex.models.offers import CURRENCIES, STATES
from statex.offers import access, editing, figures

LINE_FIELDS = ("title", "description", "timeline", "quantity", "unit_price", "discount", "slug")


@bp.app_template_filter("staff_offer_state")
def staff_offer_state(state: str) -> str:
    """An offer state's name in words, as staff read it ("sent", not the client's "waiting for you")."""
    words = {"draft": _("Draft"), "sent": _("Sent"), "accepted": _("Accepted"), "declined": _("Declined"),
             "expired": _("Expired"), "superseded": _("Superseded")}
    return words.get(state, state)


@bp.app_template_global("staff_offers")
def staff_offers(submission) -> list[Offer]:
    """Every version of the request's offers, for the staff request page."""
    return access.of_submission(get_db(), current_user, submission)


@bp.post("/submissions/<submission_id>/offers")
@staff_required
def offer_draft_POST(submission_id: str):
    """Draft an offer from the request's analysis and the catalogue."""
    db = get_db()
    submission = submission_or_404(submission_id)
    offer = offers.create_draft(db, current_app.config["STATEX"], submission,
                                catalogue_for(current_app.config["STATEX"]))
    _audit("offer.drafted", offer)
    db.commit()
    return redirect(url_for("staff.offer", offer_id=offer.id), code=303)


@bp.get("/offers/<offer_id>")
@staff_required
def offer(offer_id: str):
    found = _offer_or_404(offer_id)
    return _render(found, [_line_values(line) for line in found.lines], {})


@bp.post("/offers/<offer_id>")
@staff_required
def offer_POST(offer_id: str):
    """Save the draft's fields; the pressed button may also add, remove or move a line, or send."""
    db = get_db()
    found = _offer_or_404(offer_id)
    if found.state != "draft":
        flash(_("A sent version is frozen; revise it to change it."), "error")
        return redirect(url_for("staff.offer", offer_id=found.id), code=303)
    action = request.form.get("action", "save")
    lines = _rearranged(_posted_lines(), action)
    clean, errors = editing.check({**{name: request.form.get(name, "") for name in
                                      ("currency", "vat_rate", "valid_days", "cover_text")}, "lines": lines})
    if errors:
        return _render(found, lines, errors, 400)
    editing.apply(found, clean)
    if action == "send":
        return _send(found)
    db.commit()
    flash(_("Draft saved."), "success")
    return redirect(url_for("staff.offer", offer_id=found.id), code=303)


@bp.post("/offers/<offer_id>/revise")
@staff_required
def offer_revise_POST(offer_id: str):
    db = get_db()
    draft = offers.revise(db, _offer_or_404(offer_id))
    db.commit()
    return redirect(url_for("staff.offer", offer_id=draft.id), code=303)


@bp.get("/offers/<offer_id>/pdf")
@staff_required
def offer_pdf(offer_id: str):
    return pdf_response(_offer_or_404(offer_id))


@bp.get("/offers")
@staff_required
def offers_pipeline():
    db = get_db()
    state = request.args.get("state") if request.args.get("state") in STATES else None
    query = access.visible_to(current_user).order_by(Offer.created_at.desc()).limit(200)
    rows = list(db.scalars(query.where(Offer.state == state) if state else query))
    today = utcnow().date()
    return render_template("staff/offers/pipeline.html", offers=rows, state=state, states=STATES,
                           counts=figures.by_state(db), month=figures.month(db, today.replace(day=1)))


def _send(found: Offer):
    db = get_db()
    try:
        offers.send(db, current_app.config["STATEX"], get_storage(), found)
    except offers.WrongState:
        db.rollback()
        flash(_("Add at least one line before sending."), "error")
        return redirect(url_for("staff.offer", offer_id=found.id), code=303)
    _audit("offer.sent", found)
    db.commit()
    flash(_("Offer %(number)s sent to the client.", number=found.number), "success")
    return redirect(url_for("staff.offer", offer_id=found.id), code=303)


def _render(found: Offer, lines: list[dict], errors: dict, status: int = 200):
    versions = list(get_db().scalars(access.visible_to(current_user).where(Offer.series_id == found.series_id)
                                     .order_by(Offer.version)))
    values = {name: request.form.get(name, getattr(found, name)) for name in
              ("currency", "vat_rate", "valid_days", "cover_text")}
    return render_template("staff/offers/edit.html", offer=found, lines=lines, errors=errors, values=values,
                           currencies=CURRENCIES, versions=versions, today=dt.date.today()), status


def _posted_lines() -> list[dict]:
    count = min(request.form.get("line_count", 0, type=int), editing.MAX_LINES)
    return [{name: request.form.get(f"line-{i}-{name}", "") for name in LINE_FIELDS} for i in range(count)]


def _rearranged(lines: list[dict], action: str) -> list[dict]:
    """The lines after the pressed button: "add", "remove-2", "up-1", "down-0"; others leave them."""
    verb, _sep, index = action.partition("-")
    if verb == "add":
        return lines + [{"title": "", "description": "", "timeline": "", "quantity": "1", "unit_price": "0",
                         "discount": "0", "slug": ""}]
    if not index.isdigit() or int(index) >= len(lines):
        return lines
    i = int(index)
    if verb == "remove":
        return lines[:i] + lines[i + 1:]
    j = i - 1 if verb == "up" else i + 1 if verb == "down" else i
    if 0 <= j < len(lines):
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def _line_values(line) -> dict:
    return {name: "" if getattr(line, name) is None else str(getattr(line, name)) for name in LINE_FIELDS}


def _offer_or_404(offer_id: str) -> Offer:
    found = access.staff_get(get_db(), current_user, offer_id)
    if found is None:
        abort(404)
    return found


def _audit(action: str, found: Offer) -> None:
    owner = found.submission.owner if found.submission else None
    record(action, current_user._get_current_object(), target=owner, offer=str(found.id),
           number=found.number or "")
