"""Typed SQLAlchemy models; Alembic (statex/migrations) owns the schema they describe."""

from statex.models.base import Base
from statex.models.users import ApiToken, User, UserSession
from statex.models.links import LinkToken
from statex.models.audit import AuditEvent
from statex.models.submissions import AnalysisResult, Submission, SubmissionEvent, SubmissionFile
from statex.models.conversation import Message
from statex.models.queue import QueuedJob
from statex.models.pipeline import Extraction, PipelineRun, ReviewEdit, Setting
from statex.models.changes import ChangeStamp
from statex.models.notifications import Delivery, Destination, Notification, NotificationSettings, OutboxMessage

__all__ = [
    "Extraction",
    "PipelineRun",
    "ReviewEdit",
    "Setting",
    "AnalysisResult",
    "AuditEvent",
    "ChangeStamp",
    "ApiToken",
    "Base",
    "Delivery",
    "Destination",
    "LinkToken",
    "Message",
    "Notification",
    "NotificationSettings",
    "OutboxMessage",
    "QueuedJob",
    "Submission",
    "SubmissionEvent",
    "SubmissionFile",
    "User",
    "UserSession",
]
