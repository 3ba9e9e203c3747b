"""Read one file's text (documents, OCR, speech), once; the analysis starts when all are read."""

from __future__ import annotations

import logging
import traceback
import uuid

from statex import events, pipeline, submissions
from statex.extraction import ExtractionError, extract
from statex.extraction.result import permanent
from statex.models.base import utcnow
from statex.models.pipeline import Extraction
from statex.storage import storage_for
from statex.submissions import open_file

from jobs.runtime import job_session, retries_left

log = logging.getLogger(__name__)


def extract_file(extraction_id: str) -> str:
    """Extract the file's text; transient failures retry, the last one is recorded as failed."""
    key = uuid.UUID(extraction_id)
    with job_session() as (settings, session):
        extraction = session.get(Extraction, key, with_for_update=True)
        if extraction is None:
            return "skipped"
        # A file sent in the thread is read like the request's own, but moves no pipeline and no timeline.
        in_thread = extraction.file.message_id is not None
        if extraction.final:
            if not in_thread:
                pipeline.advance(session, extraction.file.submission)
            return "already done"
        if not in_thread and not pipeline.mark_processing(session, extraction.file.submission):
            return "cancelled"
        extraction.state, extraction.started_at = "running", utcnow()
        extraction.attempts += 1
        attempt = extraction.attempts
        file = extraction.file
        content_type, language = file.content_type, file.submission.language
        over_limit = (file.is_audio and not in_thread
                      and submissions.audio_over_limit(file, settings.upload_max_audio_seconds))

    if over_limit:  # the limit holds here too, whatever let the recording in (an older rule, a lower limit now)
        _record_failure(key, permanent(
            "The recordings of this request last longer than we transcribe for one request.",
            f"audio of this file and those before it passes UPLOAD_MAX_AUDIO_SECONDS="
            f"{settings.upload_max_audio_seconds}"))
        return "failed"
    try:
        with open_file(storage_for(settings), file) as stream:
            result = extract(stream, content_type, settings=settings, language_hint=language)
    except Exception as error:  # noqa: BLE001  (every failure ends recorded, none silently)
        transient = not isinstance(error, ExtractionError) or error.transient
        if transient and retries_left(settings, attempt):
            raise
        _record_failure(key, error)
        return "failed"

    with job_session(settings) as (_settings, session):
        extraction = session.get(Extraction, key, with_for_update=True)
        if extraction.final:
            return "already done"
        extraction.state, extraction.finished_at = "completed", utcnow()
        extraction.text, extraction.method, extraction.language = result.text, result.method, result.language
        extraction.machine_made, extraction.details = result.machine_made, result.details
        extraction.confidence = result.confidence
        extraction.warnings, extraction.duration_ms = result.warnings, result.duration_ms
        if not in_thread:
            submission = extraction.file.submission
            events.record(session, submission, "extraction.completed", file=extraction.file.name,
                          method=result.method)
            pipeline.advance(session, submission)
    return "completed"


def _record_failure(key: uuid.UUID, error: Exception) -> None:
    if isinstance(error, ExtractionError):
        message, detail = error.message_for_client, error.detail_for_staff
    else:
        message = "We could not read this file."
        detail = "".join(traceback.format_exception(error))[-4000:]
    log.warning("extraction %s failed: %s", key, detail)
    with job_session() as (_settings, session):
        extraction = session.get(Extraction, key, with_for_update=True)
        extraction.state, extraction.finished_at = "failed", utcnow()
        extraction.error, extraction.error_detail = message, detail
        if extraction.file.message_id is None:
            submission = extraction.file.submission
            events.record(session, submission, "extraction.failed", file=extraction.file.name, reason=message)
            pipeline.advance(session, submission)
