"""Analyse a submission's description and everything read from its files."""

from __future__ import annotations

import logging
import traceback
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, joinedload

from statex import analysis, events, pipeline
from statex.analysis.sources import Source
from statex.models import Submission
from statex.models.pipeline import PipelineRun

from jobs.runtime import job_session, retries_left

log = logging.getLogger(__name__)
FAILED = "We could not analyse your request. Our staff have been told and will look into it."


@dataclass(frozen=True)
class Work:
    """What one attempt at a run's analysis reads: the sources, what could not be read, and the attempt."""

    sources: list[Source]
    unreadable: list[str]
    language: str | None
    attempt: int


def analyse_run(run_id: str) -> str:
    """Analyse the run's submission once; transient failures retry, the last one fails the run."""
    key = uuid.UUID(run_id)
    with job_session() as (settings, session):
        work = begin(session, key)
    if not isinstance(work, Work):
        return work

    try:
        result = analysis.analyse_request(work.sources, settings, language_hint=work.language)
    except Exception as error:  # noqa: BLE001  (every failure ends recorded, none silently)
        if retries_left(settings, work.attempt):
            raise
        with job_session(settings) as (_settings, session):
            run = session.get(PipelineRun, key, with_for_update=True)
            pipeline.fail(session, run, FAILED, "".join(traceback.format_exception(error))[-4000:])
        return "failed"

    data = result.model_dump(mode="json")
    if work.unreadable:
        data["notes"] = [*data.get("notes", []), *(f"Not read: {line}" for line in work.unreadable)]
    with job_session(settings) as (_settings, session):
        stored = store(session, key, data, result.provenance.provider)
    log.info("analysed run %s: %s", run_id, "stored" if stored else "superseded")
    return "completed" if stored else "skipped"


def begin(session: Session, key: uuid.UUID) -> Work | str:
    """Start an attempt at the run's analysis: what to read, or the outcome when there is nothing to do."""
    # The run (locked), its submission and its files in one query.
    run = session.get(PipelineRun, key, with_for_update={"of": PipelineRun},
                      options=[joinedload(PipelineRun.submission).joinedload(Submission.files)])
    if run is None or run.state != "analysing":
        return "skipped"
    submission = run.submission
    if not pipeline.mark_processing(session, submission):
        run.state = "superseded"
        return "cancelled"
    sources, unreadable = pipeline.analysis_input(session, submission)
    if not sources:
        pipeline.fail(session, run, pipeline.NOTHING_TO_READ, "no text: " + "; ".join(unreadable))
        return "failed"
    run.analysis_attempts += 1
    events.record(session, submission, "analysis.started", round=run.round, attempt=run.analysis_attempts)
    return Work(sources, unreadable, submission.language, run.analysis_attempts)


def store(session: Session, key: uuid.UUID, data: dict, provider: str) -> bool:
    """Keep the analysis if the run still wants it; False when a newer round superseded it."""
    run = session.get(PipelineRun, key, with_for_update=True)
    return pipeline.store_result(session, run, data, provider)
