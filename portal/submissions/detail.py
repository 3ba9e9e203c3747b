"""A submission's page: live status, files, timeline, results; cancel it or add information."""

from __future__ import annotations

import hashlib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block
from wtforms import MultipleFileField, TextAreaField

from portal import conversation, htmx
from portal.db import get_db
from portal.limits import information_addition
from portal.page_cache import cached_page
from portal.dispatch import dispatch_committed_jobs
from portal.submissions import bp
from portal.submissions.files import get_storage, uploads_from
from portal.submissions.form import STORAGE_DOWN, apply_errors, limits
from statex import submissions, uploads
from statex.models import Submission


class AddForm(FlaskForm):
    """More words or files for a submission that is still open."""

    text = TextAreaField("Add information")
    files = MultipleFileField("More files")


def render_detail(submission: Submission, add_form: AddForm | None = None, status: int = 200,
                  message_form: conversation.MessageForm | None = None):
    room = max(limits().max_text_chars - len(submission.description), 0)
    conversation.mark_read(submission)
    thread = conversation.context(submission, url_for("submissions.thread", submission_id=submission.id))
    return render_template("submissions/detail.html", submission=submission, add_form=add_form or AddForm(),
                           accept=uploads.ACCEPT_ATTRIBUTE, shown=shown_state(submission),
                           add_chars=room, thread=thread, message_form=message_form or conversation.MessageForm(),
                           message_url=url_for("submissions.message_POST", submission_id=submission.id)), \
        status, {"Vary": "HX-Request"}


@bp.get("/submissions/<submission_id>")
@login_required
@cached_page
def detail(submission_id: str):
    """The full page, or only its live part when htmx polls for it (204 while the page shows the latest)."""
    submission = _submission_or_404(submission_id)
    if htmx and not htmx.history_restore_request:
        shown = shown_state(submission)
        if request.args.get("shown") == shown:
            return "", 204, {"Vary": "HX-Request"}
        return render_block("submissions/detail.html", "live", submission=submission,
                            shown=shown), 200, {"Vary": "HX-Request"}
    return render_detail(submission)


def shown_state(submission: Submission) -> str:
    """A digest of everything the live part shows, so a poll can tell whether the page is behind."""
    facts = [submission.status, submission.status_message, submission.title, str(submission.updated_at),
             str(submission.events[-1].id if submission.events else ""),
             str(submission.result.created_at if submission.result else "")]
    facts += [f"{f.id}:{f.extraction.state if f.extraction else ''}" for f in submission.files]
    return hashlib.blake2b("\x1f".join(facts).encode(), digest_size=8).hexdigest()


@bp.post("/submissions/<submission_id>/cancel")
@login_required
def cancel_POST(submission_id: str):
    submission = _own_or_404(submission_id)
    if submissions.cancel(get_db(), submission):
        flash("Your request is cancelled.", "success")
    else:
        flash("This request can no longer be cancelled: we have already processed it.", "danger")
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)


@bp.post("/submissions/<submission_id>/add")
@login_required
@information_addition
def add_POST(submission_id: str):
    """Add text or files to an open submission; it is processed again."""
    submission = _own_or_404(submission_id)
    form = AddForm()
    if not submission.is_open:
        abort(409, "A cancelled request cannot take more information.")
    rules = limits()
    remaining = _remaining(rules, submission, submissions.audio_seconds(get_storage(), submission))
    checked = uploads.check_files(uploads_from(request.files, "files"), remaining)
    text = (request.form.get("text") or "").replace("\r\n", "\n").strip()
    errors = dict(checked.errors)
    room = max(rules.max_text_chars - len(submission.description), 0)
    if len(text) > room:
        errors["text"] = [uploads.too_long(len(text), room)]
    elif not text and not checked.files and not errors:
        errors["text"] = ["Write something or attach a file to add."]
    if errors:
        apply_errors(form, errors)
        return render_detail(submission, form, 422)
    try:
        submissions.add_information(get_db(), get_storage(), submission, text, checked.files)
    except submissions.StorageUnavailable:
        apply_errors(form, {"files": [STORAGE_DOWN]})
        return render_detail(submission, form, 503)
    dispatch_committed_jobs()
    flash(f"Thank you: we process your request again with what you added"
          f"{' (' + str(len(checked.files)) + ' files)' if checked.files else ''}.", "success")
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)


def _remaining(rules: uploads.Limits, submission: Submission, seconds: float) -> uploads.Limits:
    """What is left of the per-submission limits once its current files and audio are counted."""
    used = sum(f.size for f in submission.files)
    return uploads.Limits(max_files=max(rules.max_files - len(submission.files), 0),
                          max_file_bytes=rules.max_file_bytes,
                          max_total_bytes=max(rules.max_total_bytes - used, 0),
                          max_audio_seconds=max(int(rules.max_audio_seconds - seconds), 0),
                          max_text_chars=rules.max_text_chars)


def _submission_or_404(submission_id: str) -> Submission:
    submission = submissions.get_for(get_db(), current_user, submission_id)
    if submission is None:
        abort(404)
    return submission


def _own_or_404(submission_id: str) -> Submission:
    """The signed-in client's own submission: staff change one only through the staff pages."""
    submission = submissions.own(get_db(), current_user, submission_id)
    if submission is None:
        abort(404)
    return submission
