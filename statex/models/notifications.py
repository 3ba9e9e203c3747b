"""Messages to people: deliveries, the development outbox, destinations, preferences, the bell."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from statex.models.base import Base, created_at, json_data, str_255, timestamp, uuid_pk
from statex.models.users import User

DELIVERY_STATUSES = ("pending", "retrying", "sent", "failed")


class Delivery(Base):
    """One message for one recipient on one channel; its unique key makes sending happen once."""

    __tablename__ = "deliveries"

    id: Mapped[uuid_pk]
    key: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    destination_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("notification_destinations.id", ondelete="SET NULL"))
    event: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str_255]
    subject: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    sent_at: Mapped[timestamp]
    next_attempt_at: Mapped[timestamp]

    user: Mapped[User | None] = relationship()


class OutboxMessage(Base):
    """A message the development transport kept instead of sending it off the machine."""

    __tablename__ = "outbox_messages"

    id: Mapped[uuid_pk]
    delivery_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="SET NULL"), unique=True
    )
    channel: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str_255]
    subject: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]


class Destination(Base):
    """Somewhere a user wants to hear from us: an email address, a Telegram chat, an apprise URL."""

    __tablename__ = "notification_destinations"
    __table_args__ = (UniqueConstraint("user_id", "channel", "address",
                                       name="uq_notification_destinations_user_channel_address"),)

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    # The address itself may hold a secret (a webhook token): pages show `label` instead.
    address: Mapped[str] = mapped_column(Text)
    label: Mapped[str_255]
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_sent_at: Mapped[timestamp]
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[timestamp]
    created_at: Mapped[created_at]

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class NotificationSettings(Base):
    """A user's language for messages and, per topic, the destinations chosen for it."""

    __tablename__ = "notification_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))
    # {topic: ["account" | destination id, ...]}; a topic missing here means the account email.
    topics: Mapped[json_data]
    # Whether the bell in the portal shows their notifications at all.
    in_app: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_at: Mapped[timestamp]


class Notification(Base):
    """An in-app notification: what the bell counts until the user reads it."""

    __tablename__ = "notifications"

    id: Mapped[uuid_pk]
    key: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    read_at: Mapped[timestamp]
