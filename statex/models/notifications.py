"""Messages to people: one delivery per (event, recipient, channel), and the development outbox."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from statex.models.base import Base, created_at, str_255, timestamp, uuid_pk


class Delivery(Base):
    """One message for one recipient on one channel; its unique key makes sending happen once."""

    __tablename__ = "deliveries"

    id: Mapped[uuid_pk]
    key: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str_255]
    subject: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    sent_at: Mapped[timestamp]


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
