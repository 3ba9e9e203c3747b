"""Every message we tried to deliver: status, attempts and last error, filterable; resend a failed one."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.auth import staff_required
from portal.db import get_db
from portal.staff import bp
from statex.messages import deliver
from statex.models import Delivery, OutboxMessage
from statex.models.notifications import DELIVERY_STATUSES

PER_PAGE = 50


@bp.get("/deliveries")
@staff_required
def deliveries():
    db = get_db()
    filters = {name: request.args.get(name, "").strip() for name in ("status", "channel", "event", "q")}
    query = select(Delivery)
    if filters["status"] in DELIVERY_STATUSES:
        query = query.where(Delivery.status == filters["status"])
    if filters["channel"]:
        query = query.where(Delivery.channel == filters["channel"])
    if filters["event"]:
        query = query.where(Delivery.event == filters["event"])
    if filters["q"]:
        query = query.where(func.lower(Delivery.recipient).contains(filters["q"].lower(), autoescape=True))
    page = max(request.args.get("page", 1, type=int), 1)
    rows = list(db.scalars(query.order_by(Delivery.created_at.desc(), Delivery.id)
                           .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    # "sent" to the development outbox never left the machine: the page says so.
    kept = set(db.scalars(select(OutboxMessage.delivery_id).where(
        OutboxMessage.delivery_id.in_([row.id for row in rows]))))
    return render_template(
        "staff/deliveries.html", deliveries=rows, kept=kept, filters=filters, page=page, per_page=PER_PAGE,
        statuses=DELIVERY_STATUSES,
        channels=list(db.scalars(select(Delivery.channel).distinct().order_by(Delivery.channel))),
        events=list(db.scalars(select(Delivery.event).distinct().order_by(Delivery.event))),
    )


@bp.post("/deliveries/<delivery_id>/resend")
@staff_required
def resend_delivery_POST(delivery_id: str):
    """Give a failed delivery a fresh round of attempts, on the notifications queue."""
    db = get_db()
    try:
        delivery = db.get(Delivery, uuid.UUID(delivery_id), with_for_update=True)
    except ValueError:
        delivery = None
    if delivery is None:
        abort(404)
    if delivery.status != "failed":
        flash(_("Only a failed delivery can be resent; this one is %(status)s.", status=delivery.status), "info")
    else:
        deliver.resend(db, delivery)
        db.commit()
        flash(_("The %(event)s message to %(recipient)s is on its way again.", event=delivery.event,
                recipient=delivery.recipient), "success")
    return redirect(url_for("staff.deliveries", status=request.form.get("back_status", "")), code=303)
