"""The thread on a request: messages between its client and our staff, and staff's internal notes."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from statex.models.base import Base, created_at, timestamp, uuid_pk
from statex.models.submissions import Submission, SubmissionFile
from statex.models.users import User

AUTHOR_ROLES = ("client", "staff")
SOURCES = ("portal", "api", "email")


class Message(Base):
    """One message in a request's thread; `internal` ones (staff's notes) are never shown to the client."""

    __tablename__ = "messages"
    # The same inbound mail (its Message-ID) or API retry lands once per request.
    __table_args__ = (UniqueConstraint("submission_id", "source_id", name="uq_messages_submission_source"),)

    id: Mapped[uuid_pk]
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The side the author wrote for, kept as written: a client later made staff still wrote as the client.
    author_role: Mapped[str] = mapped_column(String(16))
    author_name: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="portal")
    source_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[created_at]
    # When the other side first saw it (the client for staff's messages, any staff member for the client's).
    read_at: Mapped[timestamp]

    submission: Mapped[Submission] = relationship()
    author: Mapped[User | None] = relationship()
    files: Mapped[list[SubmissionFile]] = relationship(
        primaryjoin="Message.id == foreign(SubmissionFile.message_id)", order_by="SubmissionFile.created_at",
        cascade="all, delete-orphan", overlaps="files,submission",
    )

    @property
    def from_client(self) -> bool:
        return self.author_role == "client"
