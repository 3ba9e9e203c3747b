"""Analyse a submission's text and store the result."""

from __future__ import annotations

import logging
import uuid

from statex import analysis, events
from statex.models import AnalysisResult, Submission
from statex.models.base import utcnow

from jobs.runtime import job_session

log = logging.getLogger(__name__)


def analyse_submission(submission_id: str) -> str:
    """Run the analyser on the submission once; a second run finds it done and does nothing."""
    key = uuid.UUID(submission_id)
    with job_session() as (settings, session):
        submission = session.get(Submission, key, with_for_update=True)
        if submission is None or submission.is_final or submission.result is not None:
            return "skipped"
        submission.status = "processing"
        submission.updated_at = utcnow()
        events.record(session, submission, "analysis.started")
        text, language = submission.description, submission.language

    result = analysis.analyse(text, settings, language_hint=language)

    with job_session() as (_settings, session):
        submission = session.get(Submission, key, with_for_update=True)
        if submission is None or submission.is_final or submission.result is not None:
            return "skipped"
        session.add(AnalysisResult(submission=submission, provider=result.provenance.provider,
                                   data=result.model_dump(mode="json")))
        submission.status = "completed"
        submission.completed_at = submission.updated_at = utcnow()
        events.record(session, submission, "submission.completed")
    log.info("analysed submission %s", submission_id)
    return "completed"
