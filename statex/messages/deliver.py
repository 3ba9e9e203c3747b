"""Deliveries: written once per (event, recipient, channel) before sending, so sending happens once.

`attempt` sends one delivery through its transport and records the outcome on the row: sent, or
retrying with the time of the next attempt (its job written to the outbox for then, by the jobs' one
retry policy), or failed after the last one.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from statex.config import Settings
from statex import links, offers
from statex.db import insert_for
from statex.mail_in.addresses import reply_to_for
from statex.messages import channels, codes, transports
from statex.messages.compose import Message
from statex.models import Delivery, Destination, OutboxMessage, User
from statex.models.base import utcnow
from statex.queue import SEND_DELIVERY, retry_delay, schedule

log = logging.getLogger(__name__)
# Messages about a destination itself go to it before it is verified; nothing else does.
VERIFY_EVENT = "destination.verify"


def claim(session: Session, key: str, user: User | None, event: str, channel: str,
          recipient: str, message: Message, destination_id: uuid.UUID | None = None) -> Delivery | None:
    """The pending delivery for `key`, created if new; None when it was already sent."""
    # One statement in the usual case, a new key; another run's row is waited for, then read and locked.
    delivery = session.scalar(_insert_once(session, Delivery).values(
        key=key, user_id=user.id if user else None, event=event, channel=channel, recipient=recipient[:255],
        subject=message.subject, body_text=message.text, body_html=message.html,
        destination_id=destination_id).returning(Delivery))
    if delivery is None:
        delivery = session.scalar(select(Delivery).where(Delivery.key == key).with_for_update())
    return None if delivery.status == "sent" else delivery


def attempt(session: Session, settings: Settings, delivery: Delivery) -> str:
    """Try to send `delivery` once; its row records the outcome, which is returned."""
    if delivery.status == "sent":
        return "already sent"
    try:
        _send(session, settings, delivery)
    except transports.PermanentError as error:
        return _failed(session, settings, delivery, str(error), permanent=True)
    except transports.TransientError as error:
        return _failed(session, settings, delivery, str(error))
    except Exception as error:  # noqa: BLE001  (a channel's own bug must not block the others)
        log.exception("delivery %s raised", delivery.id)
        return _failed(session, settings, delivery, f"{type(error).__name__}: {error}")
    mark_sent(delivery)
    log.info("delivery %s (%s to %s) sent", delivery.id, delivery.event, delivery.channel)
    return "sent"


def _send(session: Session, settings: Settings, delivery: Delivery) -> None:
    if delivery.channel == "staff":
        if not settings.notify_urls:
            return send_to_outbox(session, delivery, keep_status=True)
        # NOTIFY_URLS are the operator's own: an internal ntfy or chat server is theirs to name.
        return transports.send_apprise(staff_url(settings, delivery.recipient), delivery.subject,
                                       delivery.body_text, private_hosts=True)
    destination = _destination(session, delivery)
    if delivery.channel == "email":
        if not settings.smtp_url:
            return send_to_outbox(session, delivery, keep_status=True)
        subject, text, html = (revealed(session, settings, delivery.user_id, part)
                               for part in (delivery.subject, delivery.body_text, delivery.body_html))
        message = transports.email_message(settings, delivery.recipient, subject, text, html,
                                           reply_to=reply_to_for(session, settings, delivery),
                                           attachments=offers.attachments_for(session, settings, delivery))
        return transports.send_email(settings, message)
    if not transports.live(settings):
        return send_to_outbox(session, delivery, keep_status=True)
    try:
        if destination.channel == "apprise":
            # Checked again at sending: a name may resolve elsewhere now than when it was added.
            channels.parse("apprise", destination.address, private_hosts=not settings.production)
        url = channels.apprise_url(settings, destination.channel, destination.address)
    except channels.InvalidAddress as error:
        raise transports.PermanentError(str(error)) from None
    subject, text = (revealed(session, settings, delivery.user_id, part)
                     for part in (delivery.subject, delivery.body_text))
    transports.send_apprise(url, subject, text, private_hosts=not settings.production)


def revealed(session: Session, settings: Settings, user_id: uuid.UUID | None, text: str) -> str:
    """`text` as it is sent: the recipient's sign-in links and destination codes filled in."""
    with_links = links.reveal(session, settings.secret_key, user_id, text)
    return codes.reveal(session, settings.secret_key, user_id, with_links)


def _destination(session: Session, delivery: Delivery) -> Destination | None:
    """The verified destination a delivery goes to; None for the account's own email address."""
    if delivery.destination_id is None:
        if delivery.channel == "email" and delivery.user is not None and delivery.user.email == delivery.recipient:
            return None
        raise transports.PermanentError("The destination was removed or changed before the message went out.")
    destination = session.get(Destination, delivery.destination_id)
    if not destination.is_verified and delivery.event != VERIFY_EVENT:
        raise transports.PermanentError("The destination is not verified: nothing goes to it.")
    return destination


def _failed(session: Session, settings: Settings, delivery: Delivery, error: str, permanent: bool = False) -> str:
    delivery.attempts += 1
    delivery.last_error = error
    log.warning("delivery %s attempt %d failed: %s", delivery.id, delivery.attempts, error)
    delay = None if permanent else retry_delay(settings, delivery.attempts)
    if delay is not None:
        delivery.status = "retrying"
        delivery.next_attempt_at = utcnow() + delay
        # The next attempt is a job in the outbox, written with this outcome: it cannot be lost apart from it.
        schedule(session, SEND_DELIVERY, delivery.id, not_before=delivery.next_attempt_at)
        return "retrying"
    delivery.status = "failed"
    delivery.next_attempt_at = None
    if delivery.channel != "staff":
        # Staff hear of every message that could not be delivered, except their own alerts.
        from statex.messages.schedule import notify_staff

        notify_staff(session, "delivery.failed", f"delivery.failed:{delivery.id}:{delivery.attempts}",
                     delivery_id=str(delivery.id), about=delivery.event, channel=delivery.channel,
                     recipient=delivery.recipient, error=error[:500],
                     link=f"{settings.portal_url}/staff/deliveries?status=failed")
    return "failed"


def staff_url(settings: Settings, label: str) -> str:
    """The NOTIFY_URLS entry whose label is `label`."""
    for url in settings.notify_urls:
        if staff_label(url) == label:
            return url
    raise transports.PermanentError("NOTIFY_URLS no longer holds this address.")


def staff_label(url: str) -> str:
    """A name for a NOTIFY_URLS entry that shows where it goes but none of its secrets."""
    plugin = channels.apprise.Apprise.instantiate(url)
    shown = plugin.url(privacy=True).split("?")[0] if plugin else url.split("://")[0] + "://"
    return f"{shown[:200]} #{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def send_to_outbox(session: Session, delivery: Delivery, keep_status: bool = False) -> None:
    """The development transport: keep the message where staff can read it."""
    session.execute(_insert_once(session, OutboxMessage).values(
        delivery_id=delivery.id, channel=delivery.channel, recipient=delivery.recipient,
        subject=delivery.subject, body_text=delivery.body_text, body_html=delivery.body_html))
    if not keep_status:
        mark_sent(delivery)


def mark_sent(delivery: Delivery) -> None:
    delivery.status = "sent"
    delivery.attempts += 1
    delivery.sent_at = utcnow()
    delivery.next_attempt_at = None
    delivery.last_error = ""


def resend(session: Session, delivery: Delivery) -> None:
    """Staff's second chance for a failed delivery: a fresh round of attempts, queued at once."""
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = None
    schedule(session, SEND_DELIVERY, delivery.id)


def _insert_once(session: Session, model):
    """An INSERT of `model` that leaves out a row whose unique key is taken (ON CONFLICT DO NOTHING)."""
    return insert_for(session, model).on_conflict_do_nothing()
