"""A client's request, the events of its life and the result of its analysis."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from statex.analysis.title import shorten
from statex.models.base import Base, created_at, json_data, str_255, timestamp, uuid_pk
from statex.models.users import User

STATUSES = ("received", "processing", "in_review", "needs_info", "completed", "failed", "cancelled")
FINAL_STATUSES = ("completed", "failed", "cancelled")
# A client may still withdraw these: nothing has been produced for them yet.
CANCELLABLE_STATUSES = ("received", "processing", "needs_info")
# Staff sent the request back: nothing moves until the client adds what the note asks for.
WAITING_FOR_CLIENT = "needs_info"
TITLE_MAX = 100
PROVISIONAL_TITLE_MAX = 60
FILE_KINDS = ("attachment", "voice")
# Who is to act next on a request's thread (Submission.waiting_on).
WAITING_ON = ("us", "client")


class Submission(Base):
    __tablename__ = "submissions"
    # A retried request (API `Idempotency-Key`, a form's one-time key) finds the first submission.
    __table_args__ = (UniqueConstraint("owner_id", "idempotency_key", name="uq_submissions_owner_idempotency"),)

    id: Mapped[uuid_pk]
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # The client's own title, if they gave one; else the one made from the analysis (statex.analysis.title).
    given_title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    made_title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    language: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str | None] = mapped_column(String(32))
    contact_channel: Mapped[str | None] = mapped_column(String(16))
    contact: Mapped[str | None] = mapped_column(String(255))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    status_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[timestamp]
    completed_at: Mapped[timestamp]
    # The thread (statex.conversation): who handles it, when the first reply is due, whose turn it is.
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    first_reply_due_at: Mapped[timestamp] = mapped_column(index=True)
    first_replied_at: Mapped[timestamp]
    due_warned_at: Mapped[timestamp]
    waiting_on: Mapped[str | None] = mapped_column(String(8))
    # Whether any offer on it was sent to its client, where the query that loaded it asked (else None).
    offers_sent: Mapped[bool | None] = query_expression()

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    events: Mapped[list[SubmissionEvent]] = relationship(
        back_populates="submission", order_by="SubmissionEvent.id", cascade="all, delete-orphan"
    )
    result: Mapped[AnalysisResult | None] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )
    # The request's own files; those sent in its thread belong to their message (Message.files).
    files: Mapped[list[SubmissionFile]] = relationship(
        back_populates="submission", order_by="SubmissionFile.created_at",
        primaryjoin="and_(Submission.id == SubmissionFile.submission_id, SubmissionFile.message_id.is_(None))",
        cascade="all, delete-orphan",
    )

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_cancellable(self) -> bool:
        return self.status in CANCELLABLE_STATUSES

    @property
    def is_open(self) -> bool:
        """The client may still add information: anything but a withdrawn request."""
        return self.status != "cancelled"

    @property
    def is_waiting_for_client(self) -> bool:
        return self.status == WAITING_FOR_CLIENT

    @property
    def is_working(self) -> bool:
        """We are at work on it: its state may change any moment without the client doing anything."""
        return not self.is_final and not self.is_waiting_for_client

    @property
    def title(self) -> str:
        """The client's title, else the analysis's, else a provisional one from what the request holds."""
        return self.given_title or self.made_title or self.provisional_title

    @property
    def provisional_title(self) -> str:
        """Until the analysis names it: the description's first words, or what was sent and when."""
        return provisional_title(self.description, self.created_at, lambda: self.files)


def provisional_title(description: str | None, created_at, files) -> str:
    """A request's title until the analysis names it; `files()` gives its files (kind, name), asked only if needed."""
    first = next((line.strip() for line in (description or "").splitlines() if line.strip()), "")
    if first:
        return shorten(first, PROVISIONAL_TITLE_MAX)
    day = f"{created_at:%d %b %Y}" if created_at else ""
    files = files()
    if any(f.kind == "voice" for f in files):
        return f"Voice message of {day}".strip()
    if files:
        more = len(files) - 1
        return files[0].name + (f" and {more} more file{'s' if more > 1 else ''}" if more else "")
    return f"Request of {day}".strip()


class SubmissionEvent(Base):
    """Something that happened to a submission; the client's timeline shows these."""

    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    data: Mapped[json_data]
    created_at: Mapped[created_at]

    submission: Mapped[Submission] = relationship(back_populates="events")


class AnalysisResult(Base):
    """What the analyser made of a submission; one per submission."""

    __tablename__ = "analysis_results"

    id: Mapped[uuid_pk]
    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    provider: Mapped[str_255]
    data: Mapped[json_data]
    created_at: Mapped[created_at]

    submission: Mapped[Submission] = relationship(back_populates="result")

    @property
    def summary(self) -> str:
        return self.data.get("summary", "")

    @property
    def keywords(self) -> list[Any]:
        return self.data.get("keywords", [])


class SubmissionFile(Base):
    """A file a client sent with a submission: a document or their voice recording."""

    __tablename__ = "submission_files"

    id: Mapped[uuid_pk]
    submission_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="attachment")
    name: Mapped[str_255]
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    # Decoded at upload; None for files that are not audio (and recordings stored before it was kept).
    audio_seconds: Mapped[float | None] = mapped_column(Float)
    # Set for a file sent with a message in the thread (statex.models.conversation.Message).
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[created_at]

    submission: Mapped[Submission] = relationship(back_populates="files")

    @property
    def is_audio(self) -> bool:
        return self.content_type.startswith("audio/")
