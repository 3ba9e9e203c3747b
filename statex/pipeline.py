"""The pipeline's state machine: runs, extractions, analysis, review and completion.

Jobs do the I/O (read a file, ask the analyser) and call these functions, each inside a transaction
of its own, for every change of state, time and error; every transition checks the current state
under a row lock first, so a job that runs twice, or late, changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from statex import events, review
from statex.analysis import sources as sources_of
from statex.analysis import title
from statex.analysis.sources import Source
from statex.extraction import result as extracted
from statex.models import AnalysisResult, Submission, User
from statex.models.submissions import WAITING_FOR_CLIENT
from statex.models.base import utcnow
from statex.models.pipeline import Extraction, PipelineRun, ReviewEdit
from statex.queue import ANALYSE_RUN, EXTRACT_FILE, schedule

NOTHING_TO_READ = ("We could not read anything from this request: the description is empty and none "
                   "of the files could be read. Please add a description or other files.")
ANALYSIS_FAILED = "We could not analyse your request. Our staff have been told and will look into it."


@dataclass(frozen=True)
class AnalysisWork:
    """What one attempt at a run's analysis reads: the sources, what could not be read, and the attempt."""

    sources: list[Source]
    unreadable: list[str]
    language: str | None
    attempt: int


def latest_run(session: Session, submission_id: uuid.UUID, lock: bool = False) -> PipelineRun | None:
    query = (select(PipelineRun).where(PipelineRun.submission_id == submission_id)
             .order_by(PipelineRun.round.desc()).limit(1))
    return session.scalar(query.with_for_update() if lock else query)


def request_run(session: Session, submission: Submission, new: bool = False) -> PipelineRun:
    """Start the next round: schedule a job per file not yet read, or the analysis straight away.

    A run still in progress is superseded; its late jobs find themselves out of date and stop.
    A `new` submission, created in this transaction, has no run to look for.
    """
    latest = None if new else latest_run(session, submission.id, lock=True)
    if latest is not None and latest.active:
        latest.state = "superseded"
    # Ids given here, so that jobs are scheduled without writing their rows first: each row is written
    # once, at the next flush, in its final state.
    for file in submission.files:
        extraction = session.scalar(select(Extraction).where(Extraction.file_id == file.id))
        if extraction is None:
            extraction = Extraction(id=uuid.uuid4(), file=file)
            session.add(extraction)
            schedule(session, EXTRACT_FILE, extraction.id)
    run = PipelineRun(id=uuid.uuid4(), submission=submission, round=latest.round + 1 if latest else 1,
                      state="extracting", updated_at=utcnow())
    session.add(run)
    _advance(session, submission, run)
    return run


def mark_processing(session: Session, submission: Submission) -> bool:
    """The first step that starts on a received submission tells the client; False if it is withdrawn."""
    if submission.status == "cancelled":
        return False
    if submission.status == "received":
        _set_status(submission, "processing")
        events.record(session, submission, "processing.started")
    return True


def advance(session: Session, submission: Submission) -> None:
    """Once every file of the submission is read (or failed), schedule the analysis, once."""
    run = latest_run(session, submission.id, lock=True)
    if run is None or run.state != "extracting":
        return
    _advance(session, submission, run)


def _advance(session: Session, submission: Submission, run: PipelineRun) -> None:
    if submission.status == "cancelled":
        _set(run, "superseded")
        return
    if any(not e.final for e in extractions_of(session, submission)):
        return
    _set(run, "analysing")
    schedule(session, ANALYSE_RUN, run.id)


def start_extraction(session: Session, extraction_id: uuid.UUID) -> Extraction | str:
    """Mark the file's reading begun (one more attempt); the outcome instead when there is nothing to read."""
    extraction = session.get(Extraction, extraction_id, with_for_update=True)
    if extraction is None:
        return "skipped"
    # A file sent in the thread is read like the request's own, but moves no pipeline and no timeline.
    in_thread = extraction.file.message_id is not None
    if extraction.final:
        if not in_thread:
            advance(session, extraction.file.submission)
        return "already done"
    if not in_thread and not mark_processing(session, extraction.file.submission):
        return "cancelled"
    extraction.state, extraction.started_at = "running", utcnow()
    extraction.attempts += 1
    return extraction


def extraction_completed(session: Session, extraction_id: uuid.UUID, result: extracted.Extraction) -> bool:
    """Keep the text read from the file, and move on once all are read; False if it was done already."""
    extraction = session.get(Extraction, extraction_id, with_for_update=True)
    if extraction.final:
        return False
    extraction.state, extraction.finished_at = "completed", utcnow()
    extraction.text, extraction.method, extraction.language = result.text, result.method, result.language
    extraction.machine_made, extraction.details = result.machine_made, result.details
    extraction.confidence = result.confidence
    extraction.warnings, extraction.duration_ms = result.warnings, result.duration_ms
    if extraction.file.message_id is None:
        events.record(session, extraction.file.submission, "extraction.completed", file=extraction.file.name,
                      method=result.method)
        advance(session, extraction.file.submission)
    return True


def extraction_failed(session: Session, extraction_id: uuid.UUID, message: str, detail: str) -> None:
    """The file cannot be read: words for the client, detail for staff; the analysis goes on without it."""
    extraction = session.get(Extraction, extraction_id, with_for_update=True)
    extraction.state, extraction.finished_at = "failed", utcnow()
    extraction.error, extraction.error_detail = message, detail
    if extraction.file.message_id is None:
        events.record(session, extraction.file.submission, "extraction.failed", file=extraction.file.name,
                      reason=message)
        advance(session, extraction.file.submission)


def extractions_of(session: Session, submission: Submission) -> list[Extraction]:
    file_ids = [f.id for f in submission.files]
    if not file_ids:
        return []
    return list(session.scalars(select(Extraction).where(Extraction.file_id.in_(file_ids))))


def analysis_input(session: Session, submission: Submission) -> tuple[list[Source], list[str]]:
    """The request's sources (description, added texts, texts read from files) in order, and what was unread."""
    sources = sources_of.described(submission.description, submission.created_at)
    unreadable = []
    by_file = {e.file_id: e for e in extractions_of(session, submission)}
    for file in submission.files:
        extraction = by_file.get(file.id)
        if extraction is not None and extraction.state == "completed" and extraction.text.strip():
            kind = "voice" if file.kind == "voice" else "file"
            sources.append(Source(kind, extraction.text.strip(), file.created_at, name=file.name,
                                  confidence=extraction.confidence, caveat=_caveat(file, extraction)))
        elif extraction is not None and extraction.state == "failed":
            unreadable.append(f"{file.name}: {extraction.error}")
    return sources_of.in_order(sources), unreadable


def _caveat(file, extraction: Extraction) -> str | None:
    """A note on a text a machine was unsure of, so the analysis does not take it as fact; None when sure."""
    if not extraction.low_confidence:
        return None
    source = "The voice recording" if file.kind == "voice" else f"The file {file.name}"
    trouble = "hard to understand" if file.kind == "voice" or file.is_audio else "hard to read"
    return (f"{source} was {trouble} (confidence {extraction.confidence:.0%}): what we read from it "
            "may be wrong, so it is not taken as fact; please check it with the client.")


def begin_analysis(session: Session, run_id: uuid.UUID) -> AnalysisWork | str:
    """Start an attempt at the run's analysis: what to read, or the outcome when there is nothing to do."""
    # The run (locked), its submission and its files in one query.
    run = session.get(PipelineRun, run_id, with_for_update={"of": PipelineRun},
                      options=[joinedload(PipelineRun.submission).joinedload(Submission.files)])
    if run is None or run.state != "analysing":
        return "skipped"
    submission = run.submission
    if not mark_processing(session, submission):
        _set(run, "superseded")
        return "cancelled"
    sources, unreadable = analysis_input(session, submission)
    if not sources:
        fail(session, run, NOTHING_TO_READ, "no text: " + "; ".join(unreadable))
        return "failed"
    run.analysis_attempts += 1
    events.record(session, submission, "analysis.started", round=run.round, attempt=run.analysis_attempts)
    return AnalysisWork(sources, unreadable, submission.language, run.analysis_attempts)


def analysis_failed(session: Session, run_id: uuid.UUID, detail: str) -> None:
    """The analysis failed for good: the run and the submission end in `failed`."""
    fail(session, session.get(PipelineRun, run_id, with_for_update=True), ANALYSIS_FAILED, detail)


def store_result(session: Session, run_id: uuid.UUID, data: dict, provider: str, unreadable: list[str]) -> bool:
    """Keep the analysis if the run still wants it, then send it to review or complete the submission.

    False when a newer round superseded the run.
    """
    run = session.get(PipelineRun, run_id, with_for_update=True)
    if run.state != "analysing":
        return False
    if unreadable:
        data = {**data, "notes": [*data.get("notes", []), *(f"Not read: {line}" for line in unreadable)]}
    submission = _locked(session, run.submission_id)
    # Read before anything is written, so that everything below is written in one flush.
    review_wanted = review.required(session, data.get("category"))
    result = submission.result or AnalysisResult(submission=submission, provider=provider, data={})
    result.provider, result.data = provider, data
    session.add(result)
    submission.made_title = title.make(data)
    _set(run, "done", finished=True)
    events.record(session, submission, "analysis.completed", round=run.round, provider=provider)
    if review_wanted:
        _set_status(submission, "in_review")
        events.record(session, submission, "review.requested")
    else:
        complete(session, submission)
    return True


def complete(session: Session, submission: Submission) -> None:
    _set_status(submission, "completed", message="")
    submission.completed_at = utcnow()
    events.record(session, submission, "submission.completed")


def fail(session: Session, run: PipelineRun, message: str, detail: str) -> None:
    """End the run and the submission in `failed`, with words for the client and detail for staff."""
    submission = _locked(session, run.submission_id)
    _set(run, "failed", finished=True)
    run.error = detail
    _set_status(submission, "failed", message=message)
    # The event is the client's to read; the technical detail stays on the run, for staff.
    events.record(session, submission, "submission.failed", reason=message)


def retry(session: Session, submission: Submission) -> PipelineRun:
    """Staff: read the failed files again and run the whole pipeline anew."""
    for extraction in extractions_of(session, submission):
        if extraction.state == "failed":
            _reset(extraction)
    events.record(session, submission, "processing.retried")
    return request_run(session, submission)


def retry_extraction(session: Session, extraction: Extraction) -> PipelineRun:
    """Staff: read one file again; the analysis follows with what is then known."""
    _reset(extraction)
    return request_run(session, extraction.file.submission)


def _reset(extraction: Extraction) -> None:
    extraction.state, extraction.error, extraction.error_detail, extraction.attempts = "pending", "", "", 0


def approve(session: Session, submission: Submission, reviewer: User, note: str = "") -> bool:
    if submission.status != "in_review":
        return False
    session.add(ReviewEdit(submission_id=submission.id, user_id=reviewer.id, action="approve", note=note))
    events.record(session, submission, "review.approved")
    complete(session, submission)
    return True


def reject(session: Session, submission: Submission, reviewer: User, note: str) -> bool:
    """Send the request back to the client with a note; adding information starts a new round."""
    if submission.status != "in_review":
        return False
    session.add(ReviewEdit(submission_id=submission.id, user_id=reviewer.id, action="reject", note=note))
    _set_status(submission, WAITING_FOR_CLIENT, message=note)
    events.record(session, submission, "review.rejected", note=note)
    return True


def edit_result(session: Session, submission: Submission, reviewer: User, changes: dict) -> list[str]:
    """Apply a reviewer's changes to the result, keeping each field's before and after."""
    result = submission.result
    data = dict(result.data)
    changed = []
    for field, value in changes.items():
        if data.get(field) != value:
            session.add(ReviewEdit(submission_id=submission.id, user_id=reviewer.id, action="edit",
                                   field=field, before={"value": data.get(field)}, after={"value": value}))
            data[field] = value
            changed.append(field)
    if changed:
        result.data = data
        events.record(session, submission, "review.edited", fields=changed)
    return changed


def _locked(session: Session, submission_id: uuid.UUID) -> Submission:
    """The submission, locked and read afresh, with its result."""
    return session.get(Submission, submission_id, with_for_update={"of": Submission}, populate_existing=True,
                       options=[joinedload(Submission.result)])


def _set(run: PipelineRun, state: str, finished: bool = False) -> None:
    run.state, run.updated_at = state, utcnow()
    if finished:
        run.finished_at = run.updated_at


def _set_status(submission: Submission, status: str, message: str | None = None) -> None:
    submission.status, submission.updated_at = status, utcnow()
    if message is not None:
        submission.status_message = message
