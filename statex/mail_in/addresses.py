"""Reply-To addresses that name a request: `reply+<token>@MAIL_IN_DOMAIN`, signed and expiring.

The token holds the request's id, the day it stops working and an HMAC of both and of the
recipient's user id under a key derived from SECRET_KEY: only we can make one, nobody can guess
one, and nothing is stored. Base32 in lower case, because mail servers may change the case of an
address's local part; 52 characters, so the local part stays within the 64 that SMTP allows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from statex import events
from statex.config import Settings
from statex.conversation.thread import FROM_STAFF
from statex.i18n import gettext as _
from statex.models import Delivery
from statex.models.base import utcnow

PREFIX = "reply+"
MAC_BYTES = 12  # 96 bits: no sender gets to try 2^96 addresses on an SMTP listener
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class BadAddress(ValueError):
    """Not a reply address of ours, forged, or expired; the message says which, for the bounce."""


@dataclass(frozen=True)
class ReplyTo:
    """What a valid-looking token names; `signature_matches` tells whether we made it for `user_id`."""

    submission_id: uuid.UUID
    expires_at: datetime
    mac: bytes

    def signature_matches(self, secret_key: str, user_id: uuid.UUID) -> bool:
        """Whether the token was made for this request and user (compared in constant time)."""
        return hmac.compare_digest(self.mac, _mac(secret_key, self.submission_id, user_id, self.expires_at))


def reply_address(settings: Settings, submission_id: uuid.UUID, user_id: uuid.UUID,
                  now: datetime | None = None) -> str:
    """The address `user_id` answers to about `submission_id`, valid for MAIL_IN_TOKEN_DAYS."""
    expires_at = (now or utcnow()) + timedelta(days=settings.mail_in_token_days)
    expires_at = EPOCH + timedelta(seconds=int((expires_at - EPOCH).total_seconds()))
    raw = submission_id.bytes + _seconds(expires_at) + _mac(settings.secret_key, submission_id, user_id, expires_at)
    token = base64.b32encode(raw).decode().rstrip("=").lower()
    return f"{PREFIX}{token}@{settings.mail_in_domain}"


def parse(settings: Settings, address: str, now: datetime | None = None) -> ReplyTo:
    """The request a reply address names, or BadAddress; its signature is for the caller to check."""
    local, _at, domain = (address or "").strip().strip("<>").rpartition("@")
    if domain.lower() != settings.mail_in_domain or not local.lower().startswith(PREFIX):
        raise BadAddress(_("<%(address)s> is not a reply address of ours.", address=address))
    token = local[len(PREFIX):].upper()
    try:
        raw = base64.b32decode(token + "=" * (-len(token) % 8))
    except (binascii.Error, ValueError):
        raise BadAddress(_("<%(address)s> is not a reply address we gave out.", address=address)) from None
    if len(raw) != 16 + 4 + MAC_BYTES:
        raise BadAddress(_("<%(address)s> is not a reply address we gave out.", address=address))
    (seconds,) = struct.unpack(">I", raw[16:20])
    reply_to = ReplyTo(uuid.UUID(bytes=raw[:16]), EPOCH + timedelta(seconds=seconds), raw[20:])
    if reply_to.expires_at < (now or utcnow()):
        raise BadAddress(_("This reply address expired on %(day)s; write to us from the portal instead.",
                           day=reply_to.expires_at.strftime("%Y-%m-%d")))
    return reply_to


def _mac(secret_key: str, submission_id: uuid.UUID, user_id: uuid.UUID, expires_at: datetime) -> bytes:
    # A key of its own, so no other HMAC we make (sign-in links, codes) can stand in for a token.
    key = hmac.new(secret_key.encode(), b"mail-in reply address", hashlib.sha256).digest()
    message = submission_id.bytes + user_id.bytes + _seconds(expires_at)
    return hmac.new(key, message, hashlib.sha256).digest()[:MAC_BYTES]


def _seconds(moment: datetime) -> bytes:
    return struct.pack(">I", int((moment - EPOCH).total_seconds()))


def reply_to_for(session: Session, settings: Settings, delivery: Delivery) -> str | None:
    """The Reply-To of an email that tells a client of a staff message; None for every other email.

    The delivery's event names the request; the recipient must still be its client, so nobody else gets a token.
    """
    if delivery.event != FROM_STAFF or delivery.user_id is None:
        return None
    event = events.told_by(session, delivery.key)
    if event is None or event.submission.owner_id != delivery.user_id:
        return None
    return reply_address(settings, event.submission_id, delivery.user_id)
