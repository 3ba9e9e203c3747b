"""Deliveries: written once per (event, recipient, channel) before sending, so sending happens once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from statex.messages.compose import Message
from statex.models import Delivery, OutboxMessage, User
from statex.models.base import utcnow


def claim(session: Session, key: str, user: User | None, event: str, channel: str,
          recipient: str, message: Message) -> Delivery | None:
    """The pending delivery for `key`, created if new; None when it was already sent."""
    delivery = session.scalar(select(Delivery).where(Delivery.key == key).with_for_update())
    if delivery is None:
        delivery = Delivery(key=key, user_id=user.id if user else None, event=event, channel=channel,
                            recipient=recipient, subject=message.subject, body_text=message.text,
                            body_html=message.html)
        try:
            with session.begin_nested():
                session.add(delivery)
        except IntegrityError:
            # Another run of the same job wrote it first; take that row.
            delivery = session.scalar(select(Delivery).where(Delivery.key == key).with_for_update())
    return None if delivery.status == "sent" else delivery


def send_to_outbox(session: Session, delivery: Delivery) -> None:
    """The development transport: keep the message where staff can read it."""
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.delivery_id == delivery.id))
    if exists is None:
        session.add(OutboxMessage(delivery_id=delivery.id, channel=delivery.channel,
                                  recipient=delivery.recipient, subject=delivery.subject,
                                  body_text=delivery.body_text, body_html=delivery.body_html))
    mark_sent(delivery)


def mark_sent(delivery: Delivery) -> None:
    delivery.status = "sent"
    delivery.attempts += 1
    delivery.sent_at = utcnow()
    delivery.last_error = ""
