"""Queue a message to a person or to staff; the notifications worker composes, records and sends it once."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from statex.models import User
from statex.queue import SEND_MESSAGE, SEND_STAFF_MESSAGE, schedule


def notify_user(session: Session, user: User, event: str, key: str, **context: str) -> None:
    """Send `event`'s message to `user`, once per `key`, after the caller's transaction commits.

    `context` holds the template's values (plain strings, e.g. a link); `key` names the occasion
    (e.g. "verify:<token id>"), so a repeated job or a retried request sends one message.
    Account messages (`account.*`) always go by email to the account's address; other events go
    to the destinations the user chose for the event's topic.
    """
    schedule(session, SEND_MESSAGE, user.id, event, key, json.dumps(context))


def notify_staff(session: Session, event: str, key: str, **context: str) -> None:
    """Tell staff (NOTIFY_URLS, or the outbox, and their bell) about `event`, once per `key`."""
    schedule(session, SEND_STAFF_MESSAGE, event, key, json.dumps(context))
