"""The processing of a submission: runs of the pipeline and the text read from each file."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from statex.extraction.result import is_low
from statex.models.base import Base, created_at, json_data, timestamp, uuid_pk
from statex.models.submissions import Submission, SubmissionFile
from statex.models.users import User

RUN_STATES = ("extracting", "analysing", "done", "failed", "superseded")
ACTIVE_RUN_STATES = ("extracting", "analysing")
EXTRACTION_STATES = ("pending", "running", "completed", "failed")
FINAL_EXTRACTION_STATES = ("completed", "failed")


class PipelineRun(Base):
    """One pass of the pipeline over a submission; adding information starts the next round."""

    __tablename__ = "pipeline_runs"
    __table_args__ = (UniqueConstraint("submission_id", "round", name="uq_pipeline_runs_round"),)

    id: Mapped[uuid_pk]
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="extracting", index=True)
    analysis_attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[timestamp]
    finished_at: Mapped[timestamp]

    submission: Mapped[Submission] = relationship()

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_RUN_STATES


class Extraction(Base):
    """The text read from one file, once; a failure keeps the reason for the client and for staff."""

    __tablename__ = "extractions"

    id: Mapped[uuid_pk]
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submission_files.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    method: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    machine_made: Mapped[bool] = mapped_column(Boolean, default=False)
    # How sure OCR or speech recognition was of the text, 0 to 1; NULL when the text is exact.
    confidence: Mapped[float | None] = mapped_column(Float)
    details: Mapped[json_data]
    warnings: Mapped[json_data]
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    error_detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    started_at: Mapped[timestamp]
    finished_at: Mapped[timestamp]

    file: Mapped[SubmissionFile] = relationship(backref=backref("extraction", uselist=False))

    @property
    def final(self) -> bool:
        return self.state in FINAL_EXTRACTION_STATES

    @property
    def low_confidence(self) -> bool:
        """Read, but so unsure that people and the analysis must not take the text as said."""
        return self.state == "completed" and bool(self.text.strip()) and is_low(self.confidence)


class Setting(Base):
    """A setting staff change at run time (e.g. whether results wait for review)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[json_data]
    updated_at: Mapped[timestamp]


class ReviewEdit(Base):
    """A staff member's change to a result, or their decision on it: kept with who made it."""

    __tablename__ = "review_edits"

    id: Mapped[uuid_pk]
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[json_data]
    after: Mapped[json_data]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]

    user: Mapped[User | None] = relationship()
