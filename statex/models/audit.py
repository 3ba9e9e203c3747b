"""The audit log: who did what, when and from where."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from statex.models.base import Base, UTCDateTime, created_at, json_data, str_255


class AuditEvent(Base):
    """One security-relevant action; `actor` and `target` are labels that outlive the accounts.

    While an account exists its rows carry its id and email; deleting the account replaces the
    email with a pseudonymous id and erases the address and browser it acted from.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[created_at] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str_255] = mapped_column(default="")
    target_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target: Mapped[str_255] = mapped_column(default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str_255] = mapped_column(default="")
    data: Mapped[json_data]
