"""The development outbox: messages kept instead of sent, readable by staff."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from portal.auth import staff_required
from portal.db import get_db, get_or_404
from portal.staff import bp
from statex.models import OutboxMessage

# The message's own HTML is shown in a sandboxed frame: its styles are inline, as email needs.
MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"


@bp.get("/outbox")
@staff_required
def outbox():
    messages = get_db().scalars(select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(200))
    return render_template("staff/outbox.html", messages=list(messages))


@bp.get("/outbox/<message_id>")
@staff_required
def outbox_message(message_id: str):
    return render_template("staff/outbox_message.html", message=_message(message_id))


@bp.get("/outbox/<message_id>/html")
@staff_required
def outbox_message_html(message_id: str):
    message = _message(message_id)
    return message.body_html, 200, {"Content-Security-Policy": MESSAGE_CSP, "X-Frame-Options": "SAMEORIGIN"}


def _message(message_id: str) -> OutboxMessage:
    return get_or_404(OutboxMessage, message_id)
