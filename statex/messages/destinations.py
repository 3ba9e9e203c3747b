"""A user's own destinations: added, proven theirs with a code sent there, then usable."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from statex.config import Settings
from statex.i18n import gettext as _
from statex.messages import channels, codes, transports
from statex.messages.compose import compose
from statex.messages.deliver import VERIFY_EVENT, claim
from statex.messages.preferences import language_for, settings_of
from statex.models import Destination, User
from statex.models.base import utcnow
from statex.queue import SEND_DELIVERY, schedule

CODE_LIFETIME = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
RESEND_AFTER = timedelta(minutes=1)
MAX_DESTINATIONS = 10


class DestinationError(ValueError):
    """Something the user must change: the message says what."""


def list_for(session: Session, user: User) -> list[Destination]:
    return list(session.scalars(select(Destination).where(Destination.user_id == user.id)
                                .order_by(Destination.created_at)))


def get_for(session: Session, user: User, destination_id: str) -> Destination | None:
    """The user's destination with this id, or None (someone else's answers 404)."""
    try:
        key = uuid.UUID(destination_id)
    except ValueError:
        return None
    return session.scalar(select(Destination).where(Destination.id == key, Destination.user_id == user.id))


def add(session: Session, settings: Settings, user: User, channel: str, value: str) -> Destination:
    """Add an unverified destination and send it a code; InvalidAddress/DestinationError say why not."""
    if not user.is_verified:
        # Otherwise a throwaway account could make our workers send codes anywhere it likes.
        raise DestinationError(_("Confirm your email address first: open the link we sent to %(email)s "
                                 "(your account page sends a new one).", email=user.email))
    address = channels.parse(channel, value, private_hosts=not settings.production)
    if address.channel == "telegram" and transports.live(settings) and not settings.telegram_bot_token:
        raise DestinationError(_("Telegram is not available on this server yet: choose another channel."))
    mine = list_for(session, user)
    if any(d.channel == address.channel and d.address == address.address for d in mine):
        raise DestinationError(_("You have added this destination already."))
    if len(mine) >= MAX_DESTINATIONS:
        raise DestinationError(_("You can keep up to %(max)d destinations: remove one first.", max=MAX_DESTINATIONS))
    destination = Destination(user_id=user.id, channel=address.channel, address=address.address,
                              label=address.label)
    try:
        with session.begin_nested():
            session.add(destination)
    except IntegrityError:  # the same form sent twice at once
        raise DestinationError(_("You have added this destination already.")) from None
    send_code(session, settings, user, destination)
    return destination


def send_code(session: Session, settings: Settings, user: User, destination: Destination) -> None:
    """A fresh code, its hash kept, the message queued to the destination itself."""
    now = utcnow()
    if destination.code_sent_at and now - destination.code_sent_at < RESEND_AFTER:
        raise DestinationError(_("We sent a code a moment ago: wait a minute before asking for another."))
    destination.code_sent_at = now
    destination.code_hash = _hash(settings, destination, codes.code_of(settings.secret_key, destination))
    destination.code_attempts = 0
    # The message carries a placeholder; the code is filled in as it is sent.
    message = compose(VERIFY_EVENT, language_for(settings_of(session, user), user.language), user=user,
                      code=codes.placeholder(destination),
                      channel=channels.CHANNELS[destination.channel],
                      link=f"{settings.portal_url}/account/notifications")
    message = channels.shaped(message, destination.channel, destination.address)
    delivery = claim(session, f"{VERIFY_EVENT}:{destination.id}:{now.timestamp():.0f}", user, VERIFY_EVENT,
                     destination.channel, destination.label, message, destination_id=destination.id)
    session.flush()
    schedule(session, SEND_DELIVERY, delivery.id)


def verify(session: Session, settings: Settings, destination: Destination, code: str) -> None:
    """Mark the destination verified if `code` is the one sent to it; DestinationError if not."""
    if destination.is_verified:
        return
    if destination.code_hash is None or utcnow() - destination.code_sent_at > CODE_LIFETIME:
        raise DestinationError(_("This code has expired: ask for a new one."))
    if destination.code_attempts >= MAX_CODE_ATTEMPTS:
        raise DestinationError(_("Too many wrong codes: ask for a new one."))
    destination.code_attempts += 1
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        raise DestinationError(_("Enter the 6-digit code from the message we sent."))
    if not hmac.compare_digest(destination.code_hash, _hash(settings, destination, code)):
        raise DestinationError(_("That code does not match the one we sent: check the latest message."))
    destination.verified_at = utcnow()
    destination.code_hash = None


def _hash(settings: Settings, destination: Destination, code: str) -> str:
    """Codes are short, so they are kept only as a keyed hash bound to their destination."""
    return hmac.new(settings.secret_key.encode(), f"{destination.id}:{code}".encode(), hashlib.sha256).hexdigest()
