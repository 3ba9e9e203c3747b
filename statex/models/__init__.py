"""Typed SQLAlchemy models; Alembic (statex/migrations) owns the schema they describe."""

from statex.models.base import Base
from statex.models.users import ApiToken, User
from statex.models.submissions import AnalysisResult, Submission, SubmissionEvent
from statex.models.queue import QueuedJob
from statex.models.notifications import Delivery, OutboxMessage

__all__ = [
    "AnalysisResult",
    "ApiToken",
    "Base",
    "Delivery",
    "OutboxMessage",
    "QueuedJob",
    "Submission",
    "SubmissionEvent",
    "User",
]
