"""The first step of a pipeline run: decide what must be read, then let the steps follow."""

from __future__ import annotations

import uuid

from statex import pipeline
from statex.models.pipeline import PipelineRun

from jobs.runtime import job_session


def begin_run(run_id: str) -> str:
    """Schedule an extraction per unread file, or the analysis when there is nothing to read."""
    with job_session() as (_settings, session):
        run = session.get(PipelineRun, uuid.UUID(run_id), with_for_update=True)
        if run is None or run.state != "queued":
            return "skipped"
        pipeline.begin(session, run)
        return run.state
