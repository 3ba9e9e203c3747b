"""People who use Statex, their signed-in sessions and the API tokens they hold."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from statex.models.base import Base, UTCDateTime, created_at, str_255, timestamp, uuid_pk

ROLES = ("client", "staff", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid_pk]
    email: Mapped[str_255] = mapped_column(unique=True)
    name: Mapped[str_255] = mapped_column(default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="client")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    email_verified_at: Mapped[timestamp]
    created_at: Mapped[created_at]
    password_changed_at: Mapped[timestamp]
    # The portal's and our messages' language (None: the browser's), and the zone times are shown in.
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Prague", server_default="Europe/Prague")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                  order_by="ApiToken.created_at.desc()")
    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The signed-in session this object was loaded for, and the change stamps and unread count read
    # with it (set by statex.sessions.user_for, never stored here).
    session_id = None
    change_stamp = None
    unread_notifications = None

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    # The session layer (Flask-Login) asks these of whoever is signed in.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """Flask-Login's "alternative id": the session row, so ending it signs this browser out."""
        return str(self.session_id)


class UserSession(Base):
    """One signed-in browser; deleting the row signs that browser out."""

    __tablename__ = "user_sessions"

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship(back_populates="sessions")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str_255]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[timestamp]
    last_used_at: Mapped[timestamp]
    revoked_at: Mapped[timestamp]

    user: Mapped[User] = relationship(back_populates="tokens")

    def usable_at(self, now: datetime) -> bool:
        """A token works until it is revoked or expires."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
