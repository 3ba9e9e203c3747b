"""The development outbox: messages kept instead of sent, readable by admins in development only.

A kept message holds placeholders for its sign-in links and codes; the page fills them in as it
shows the message, as sending would, so a developer can use them while the database holds none.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, render_template
from sqlalchemy import select

from portal.auth import admin_required
from portal.db import get_db, get_or_404
from portal.staff import bp
from statex.messages.deliver import revealed
from statex.models import Delivery, OutboxMessage

# The message's own HTML is shown in a sandboxed frame: its styles are inline, as email needs.
MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"


def development_only(view):
    """Outside development (and tests) the outbox does not exist: 404."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_app.config["STATEX"].production:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/outbox")
@development_only
@admin_required
def outbox():
    messages = get_db().scalars(select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(200))
    return render_template("staff/outbox.html", messages=list(messages))


@bp.get("/outbox/<message_id>")
@development_only
@admin_required
def outbox_message(message_id: str):
    message = _message(message_id)
    return render_template("staff/outbox_message.html", message=message, body_text=_revealed(message, "text"))


@bp.get("/outbox/<message_id>/html")
@development_only
@admin_required
def outbox_message_html(message_id: str):
    html = _revealed(_message(message_id), "html")
    return html, 200, {"Content-Security-Policy": MESSAGE_CSP, "X-Frame-Options": "SAMEORIGIN"}


def _message(message_id: str) -> OutboxMessage:
    return get_or_404(OutboxMessage, message_id)


def _revealed(message: OutboxMessage, part: str) -> str:
    """The message's text or HTML with its links filled in, as the email would carry them."""
    body = message.body_text if part == "text" else message.body_html
    delivery = get_db().get(Delivery, message.delivery_id) if message.delivery_id else None
    owner = delivery.user_id if delivery is not None else None
    return revealed(get_db(), current_app.config["STATEX"], owner, body)
