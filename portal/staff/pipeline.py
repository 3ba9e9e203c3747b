"""Staff operations on the pipeline: every submission's technical detail, and retries."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import conversation
from portal.auth import record, staff_required
from portal.db import get_db, get_or_404
from portal.dispatch import dispatch_committed_jobs
from portal.staff import bp, submission_or_404 as _submission
from statex import pipeline, submissions, uploads
from statex.conversation import assignment
from statex.models import Submission
from statex.models.pipeline import Extraction, PipelineRun
from statex.models.submissions import STATUSES

PER_PAGE = 50
# Staff's queue filters (statex.conversation.assignment.FILTERS) as the filter bar says them.
QUEUES = {"mine": _l("Mine"), "unassigned": _l("Unassigned"), "us": _l("Waiting for us"),
          "client": _l("Waiting for the client")}


@bp.get("/submissions")
@staff_required
def all_submissions():
    """Every request, soonest first reply due first; by status, and by whose turn or hands it is in."""
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    queue = request.args.get("queue") if request.args.get("queue") in assignment.FILTERS else None
    page = max(request.args.get("page", 1, type=int), 1)
    query = assignment.queue_filter(submissions.visible_to(current_user), queue, current_user)
    if status:
        query = query.where(Submission.status == status)
    db = get_db()
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.scalars(assignment.by_due_time(query.options(selectinload(Submission.assignee)))
                      .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return render_template("staff/submissions.html", submissions=list(rows), status=status, statuses=STATUSES,
                           queue=queue, queues=QUEUES, is_overdue=assignment.is_overdue,
                           page=page, pages=max((total - 1) // PER_PAGE + 1, 1))


@bp.get("/submissions/<submission_id>")
@staff_required
def submission_detail(submission_id: str):
    return render_submission(_submission(submission_id))


def render_submission(submission: Submission, message_form=None, status: int = 200):
    """Staff's page of one request: its thread and assignment, files read, runs, timeline."""
    from portal.staff.thread import staff_members

    db = get_db()
    runs = db.scalars(select(PipelineRun).where(PipelineRun.submission_id == submission.id)
                      .order_by(PipelineRun.round.desc()))
    conversation.mark_read(submission)
    thread = conversation.context(submission, url_for("staff.thread", submission_id=submission.id))
    return render_template("staff/submission.html", submission=submission, runs=list(runs),
                           extractions=pipeline.extractions_of(db, submission), thread=thread,
                           message_form=message_form or conversation.MessageForm(), staff=staff_members(),
                           message_url=url_for("staff.message_POST", submission_id=submission.id),
                           accept=uploads.ACCEPT_ATTRIBUTE, overdue=assignment.is_overdue(submission)), status


@bp.post("/submissions/<submission_id>/retry")
@staff_required
def submission_retry_POST(submission_id: str):
    db = get_db()
    submission = _submission(submission_id)
    if submission.status == "cancelled":
        flash("A cancelled request is not processed again.", "error")
    else:
        pipeline.retry(db, submission)
        _audit("submission.retried", submission)
        db.commit()
        dispatch_committed_jobs()
        flash("Processing starts again from the files that failed.", "success")
    return redirect(url_for("staff.submission_detail", submission_id=submission.id), code=303)


@bp.post("/extractions/<extraction_id>/retry")
@staff_required
def extraction_retry_POST(extraction_id: str):
    db = get_db()
    extraction = _extraction(extraction_id)
    submission = _submission(str(extraction.file.submission_id))
    pipeline.retry_extraction(db, extraction)
    _audit("extraction.retried", submission, file=str(extraction.file_id), name=extraction.file.name)
    db.commit()
    dispatch_committed_jobs()
    flash(f"Reading {extraction.file.name} again.", "success")
    return redirect(url_for("staff.submission_detail", submission_id=submission.id), code=303)


@bp.post("/submissions/<submission_id>/cancel")
@staff_required
def submission_cancel_POST(submission_id: str):
    """Withdraw a client's request for them (e.g. at their request), recorded with who did it."""
    db = get_db()
    submission = _submission(submission_id)
    if submissions.cancel(db, submission):
        _audit("submission.cancelled", submission)
        db.commit()
        flash("The request is cancelled; its client sees it as cancelled.", "success")
    else:
        flash("This request can no longer be cancelled: it is processed already.", "error")
    return redirect(url_for("staff.submission_detail", submission_id=submission.id), code=303)


def _audit(action: str, submission: Submission, **data: str) -> None:
    """Note in the audit log which staff member acted on whose submission."""
    record(action, current_user._get_current_object(), target=submission.owner, submission=str(submission.id),
           **data)


def _extraction(extraction_id: str) -> Extraction:
    return get_or_404(Extraction, extraction_id)
