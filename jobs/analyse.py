"""Analyse a submission's text and store the result."""

from __future__ import annotations

import logging
import uuid

from statex import events
from statex.analysis import local
from statex.models import AnalysisResult, Submission
from statex.models.base import utcnow

from jobs.runtime import job_session

log = logging.getLogger(__name__)


def analyse_submission(submission_id: str) -> str:
    """Run the analyser on the submission once; a second run finds it done and does nothing."""
    key = uuid.UUID(submission_id)
    with job_session() as (_settings, session):
        submission = session.get(Submission, key, with_for_update=True)
        if submission is None or submission.is_final or submission.result is not None:
            return "skipped"
        submission.status = "processing"
        submission.updated_at = utcnow()
        events.record(session, submission, "analysis.started")
        text = submission.description

    result = local.analyse(text)

    with job_session() as (_settings, session):
        submission = session.get(Submission, key, with_for_update=True)
        if submission is None or submission.is_final or submission.result is not None:
            return "skipped"
        session.add(AnalysisResult(submission=submission, provider="local", data=result))
        submission.status = "completed"
        submission.completed_at = submission.updated_at = utcnow()
        events.record(session, submission, "submission.completed")
    log.info("analysed submission %s", submission_id)
    return "completed"
