"""Single-use, expiring links sent by email: verify an address, sign in, reset a password."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from statex.models.base import Base, UTCDateTime, created_at, str_255, timestamp, uuid_pk
from statex.models.users import User


class LinkToken(Base):
    """A link's secret is only ever stored as its SHA-256; `used_at` makes it single-use."""

    __tablename__ = "link_tokens"

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The address the link was sent to: verifying proves control of this one, not a later one.
    email: Mapped[str_255]
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[timestamp]

    user: Mapped[User] = relationship()

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and self.expires_at > now
