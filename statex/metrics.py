"""Prometheus figures read from the record of truth at scrape time: queues, submissions, deliveries."""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily, SummaryMetricFamily
from rq import Queue
from sqlalchemy import func, select

from statex.config import Settings
from statex.db import session_scope
from statex.models import Delivery, Message, Submission
from statex.models.base import utcnow
from statex.queue import QUEUES, connect

log = logging.getLogger(__name__)


class StateCollector:
    """Gauges of what waits and what happened, computed when Prometheus asks."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def describe(self):
        return []

    def collect(self):
        queued = GaugeMetricFamily("statex_queue_jobs", "Jobs in each RQ queue, by state.", labels=["queue", "state"])
        submissions = GaugeMetricFamily("statex_submissions", "Submissions by status.", labels=["status"])
        deliveries = GaugeMetricFamily("statex_deliveries", "Message deliveries by channel and outcome.",
                                       labels=["channel", "status"])
        try:
            redis = connect(self.settings.redis_url)
            for name in QUEUES:
                queue = Queue(name, connection=redis)
                queued.add_metric([name, "queued"], queue.count)
                queued.add_metric([name, "running"], queue.started_job_registry.count)
                queued.add_metric([name, "scheduled"], queue.scheduled_job_registry.count)
                queued.add_metric([name, "failed"], queue.failed_job_registry.count)
        except Exception:  # noqa: BLE001  (a scrape must not fail because Redis is down)
            log.warning("could not read queue lengths for /metrics", exc_info=True)
        try:
            with session_scope(self.settings.database_url) as session:
                for status, count in session.execute(select(Submission.status, func.count()).group_by(Submission.status)):
                    submissions.add_metric([status], count)
                rows = session.execute(select(Delivery.channel, Delivery.status, func.count())
                                       .group_by(Delivery.channel, Delivery.status))
                for channel, status, count in rows:
                    deliveries.add_metric([channel, status], count)
            thread = _thread_figures(session)
        except Exception:  # noqa: BLE001  (nor because the database is)
            log.warning("could not read counts for /metrics", exc_info=True)
            thread = []
        yield from (queued, submissions, deliveries, *thread)


def _thread_figures(session) -> list:
    """Messages and notes by side; first replies answered, awaited and late; how long the first reply took."""
    messages = GaugeMetricFamily("statex_messages", "Thread messages by author's side and kind.",
                                 labels=["role", "kind"])
    for role, internal, count in session.execute(select(Message.author_role, Message.internal, func.count())
                                                 .group_by(Message.author_role, Message.internal)):
        messages.add_metric([role, "note" if internal else "message"], count)
    replies = GaugeMetricFamily("statex_first_replies", "Requests by first reply: answered, waiting, overdue.",
                                labels=["state"])
    open_ = (Submission.first_replied_at.is_(None), Submission.first_reply_due_at.is_not(None),
             Submission.status != "cancelled")
    now = utcnow()
    replies.add_metric(["answered"], session.scalar(select(func.count()).where(
        Submission.first_replied_at.is_not(None))) or 0)
    replies.add_metric(["waiting"], session.scalar(select(func.count()).where(
        *open_, Submission.first_reply_due_at > now)) or 0)
    replies.add_metric(["overdue"], session.scalar(select(func.count()).where(
        *open_, Submission.first_reply_due_at <= now)) or 0)
    answered = list(session.execute(select(Submission.created_at, Submission.first_replied_at)
                                    .where(Submission.first_replied_at.is_not(None))))
    taken = SummaryMetricFamily("statex_first_reply_seconds", "Time from a request's arrival to staff's first reply.",
                                count_value=len(answered),
                                sum_value=sum((replied - created).total_seconds() for created, replied in answered))
    return [messages, replies, taken]
