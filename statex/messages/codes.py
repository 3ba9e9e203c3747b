"""Destination codes, like sign-in links, are written into a message only as it is sent.

A code is derived from SECRET_KEY, the destination and the moment it was sent; what is queued,
recorded in `deliveries` and kept in the outbox carries a placeholder naming the destination.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid

from sqlalchemy.orm import Session

from statex.models import Destination

PLACEHOLDER = re.compile(r"stx-code-([0-9a-f]{32})")


def code_of(secret_key: str, destination: Destination) -> str:
    """The 6-digit code of the destination's latest `code_sent_at`."""
    message = f"code:{destination.id}:{destination.code_sent_at.timestamp():.6f}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** 6:06d}"


def placeholder(destination: Destination) -> str:
    return f"stx-code-{destination.id.hex}"


def reveal(session: Session, secret_key: str, user_id: uuid.UUID | None, text: str) -> str:
    """`text` with the placeholders of `user_id`'s own destinations replaced by their current codes."""
    def fill(match: re.Match) -> str:
        destination = session.get(Destination, uuid.UUID(match.group(1)))
        if destination is None or user_id is None or destination.user_id != user_id or not destination.code_sent_at:
            return match.group(0)
        return code_of(secret_key, destination)

    return PLACEHOLDER.sub(fill, text or "")
