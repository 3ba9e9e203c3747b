"""Analyse a submission's description and everything read from its files."""

from __future__ import annotations

import logging
import traceback
import uuid

from statex import analysis, pipeline

from jobs.runtime import job_session, retries_left

log = logging.getLogger(__name__)


def analyse_run(run_id: str) -> str:
    """Analyse the run's submission once; transient failures retry, the last one fails the run."""
    key = uuid.UUID(run_id)
    with job_session() as (settings, session):
        work = pipeline.begin_analysis(session, key)
    if not isinstance(work, pipeline.AnalysisWork):
        return work

    try:
        result = analysis.analyse_request(work.sources, settings, language_hint=work.language)
    except Exception as error:  # noqa: BLE001  (every failure ends recorded, none silently)
        if retries_left(settings, work.attempt):
            raise
        with job_session(settings) as (_settings, session):
            pipeline.analysis_failed(session, key, "".join(traceback.format_exception(error))[-4000:])
        return "failed"

    with job_session(settings) as (_settings, session):
        stored = pipeline.store_result(session, key, result.model_dump(mode="json"), result.provenance.provider,
                                       work.unreadable)
    log.info("analysed run %s: %s", run_id, "stored" if stored else "superseded")
    return "completed" if stored else "skipped"
