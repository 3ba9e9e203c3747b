"""The transactional outbox of jobs: written with the change that calls for them."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from statex.models.base import Base, created_at, json_data, timestamp, uuid_pk


class QueuedJob(Base):
    """A job to hand to a queue; the dispatcher enqueues it once the row is committed."""

    __tablename__ = "queued_jobs"

    id: Mapped[uuid_pk]
    queue: Mapped[str] = mapped_column(String(64))
    func: Mapped[str] = mapped_column(String(255))
    args: Mapped[json_data]
    # The first argument (the id the job works on), so the reconciler can find a job's rows.
    ref: Mapped[str] = mapped_column(String(64), default="", index=True)
    request_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[created_at]
    enqueued_at: Mapped[timestamp] = mapped_column(index=True)
    # Not handed to Redis before this time (a delivery's next attempt); None: at once.
    not_before: Mapped[timestamp]
