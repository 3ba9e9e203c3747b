"""Read one file's text (documents, OCR, speech), once; the analysis starts when all are read."""

from __future__ import annotations

import logging
import traceback
import uuid

from statex import pipeline, submissions
from statex.extraction import ExtractionError, extract
from statex.extraction.result import permanent
from statex.storage import storage_for
from statex.submissions import open_file

from jobs.runtime import job_session, retries_left

log = logging.getLogger(__name__)


def extract_file(extraction_id: str) -> str:
    """Extract the file's text; transient failures retry, the last one is recorded as failed."""
    key = uuid.UUID(extraction_id)
    with job_session() as (settings, session):
        extraction = pipeline.start_extraction(session, key)
        if isinstance(extraction, str):
            return extraction
        attempt, file = extraction.attempts, extraction.file
        content_type, language = file.content_type, file.submission.language
        over_limit = (file.is_audio and file.message_id is None
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
        completed = pipeline.extraction_completed(session, key, result)
    return "completed" if completed else "already done"


def _record_failure(key: uuid.UUID, error: Exception) -> None:
    if isinstance(error, ExtractionError):
        message, detail = error.message_for_client, error.detail_for_staff
    else:
        message = "We could not read this file."
        detail = "".join(traceback.format_exception(error))[-4000:]
    log.warning("extraction %s failed: %s", key, detail)
    with job_session() as (_settings, session):
        pipeline.extraction_failed(session, key, message, detail)
