"""A submission's page: live status, files, timeline, results; cancel it or add information."""

from __future__ import annotations

import hashlib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block
from wtforms import MultipleFileField, TextAreaField

from portal import conversation, freshness, htmx
from portal.db import get_db, get_reader
from portal.freshness import conditional
from portal.limits import information_addition
from portal.submissions import bp, submission_or_404
from portal.submissions.files import get_storage, uploads_from
from portal.submissions.form import STORAGE_DOWN, apply_errors, limits
from statex import intake, submissions, uploads
from statex.models import Submission


class AddForm(FlaskForm):
    """More words or files for a submission that is still open."""

    text = TextAreaField(_l("Add information"))
    files = MultipleFileField(_l("More files"))


def render_detail(submission: Submission, add_form: AddForm | None = None, status: int = 200,
                  message_form: conversation.MessageForm | None = None):
    room = intake.text_room(limits(), submission)
    conversation.mark_read(submission)
    thread = conversation.context(submission, url_for("submissions.thread", submission_id=submission.id))
    timeline = submissions.timeline(get_db(), submission)
    return render_template("submissions/detail.html", submission=submission, add_form=add_form or AddForm(),
                           accept=uploads.ACCEPT_ATTRIBUTE, timeline=timeline, shown=shown_state(submission, timeline),
                           add_chars=room, thread=thread, message_form=message_form or conversation.MessageForm(),
                           message_url=url_for("submissions.message_POST", submission_id=submission.id)), \
        status, {"Vary": "HX-Request"}


@bp.get("/submissions/<submission_id>")
@login_required
@conditional
def detail(submission_id: str):
    """The full page, or only its live part when htmx polls for it (204 while the page shows the latest)."""
    polled = htmx and not htmx.history_restore_request
    asked = request.args.get("shown", "") if polled else ""
    if asked and asked[:16] == freshness.version():
        # Nothing of the client's changed, so neither has this page (whoever's it is: an empty answer tells nothing).
        return "", 204, {"Vary": "HX-Request"}
    if polled:
        # The poll only reads: on the reading session, without a transaction's two round trips.
        submission = submission_or_404(submission_id, get_reader())
        timeline = submissions.timeline(get_reader(), submission)
        shown = shown_state(submission, timeline)
        if asked[16:] == shown[16:]:
            return "", 204, {"Vary": "HX-Request"}
        return render_block("submissions/detail.html", "live", submission=submission, timeline=timeline,
                            shown=shown), 200, {"Vary": "HX-Request"}
    return render_detail(submission_or_404(submission_id))


def shown_state(submission: Submission, timeline: list[submissions.Moment]) -> str:
    """What the live part shows, for its poll: the client's data version, then a digest of the part itself.

    The version alone answers an unchanged poll without a query; the digest keeps a change elsewhere
    in the client's data (another request, a notification) from swapping in the same part again.
    """
    facts = [submission.status, submission.status_message, submission.title, str(submission.updated_at),
             str(timeline[-1].id if timeline else ""),
             str(submission.result.created_at if submission.result else "")]
    facts += [f"{f.id}:{f.extraction.state if f.extraction else ''}" for f in submission.files]
    digest = hashlib.blake2b("\x1f".join(facts).encode(), digest_size=8).hexdigest()
    return (freshness.version() or "0" * 16) + digest


@bp.post("/submissions/<submission_id>/cancel")
@login_required
def cancel_POST(submission_id: str):
    submission = _own_or_404(submission_id)
    if submissions.cancel(get_db(), submission):
        flash(_("Your request is cancelled."), "success")
        get_db().commit()
    else:
        flash(_("This request can no longer be cancelled: we have already processed it."), "danger")
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)


@bp.post("/submissions/<submission_id>/add")
@login_required
@information_addition
def add_POST(submission_id: str):
    """Add text or files to an open submission; it is processed again."""
    submission = _own_or_404(submission_id)
    form = AddForm()
    if not submission.is_open:
        abort(409, _("A cancelled request cannot take more information."))
    checked = intake.check_addition(submission, request.form.get("text"), uploads_from(request.files, "files"),
                                    limits(), submissions.audio_seconds(get_storage(), submission))
    if not checked.ok:
        apply_errors(form, checked.errors)
        return render_detail(submission, form, 422)
    try:
        submissions.add_information(get_db(), get_storage(), submission, checked.draft.description, checked.files)
        get_db().commit()
    except submissions.StorageUnavailable:
        get_db().rollback()
        apply_errors(form, {"files": [STORAGE_DOWN]})
        return render_detail(submission, form, 503)
    added = len(checked.files)
    flash(ngettext("Thank you: we process your request again with what you added (%(num)d file).",
                   "Thank you: we process your request again with what you added (%(num)d files).", added)
          if added else _("Thank you: we process your request again with what you added."), "success")
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)


def _own_or_404(submission_id: str) -> Submission:
    """The signed-in client's own submission: staff change one only through the staff pages."""
    submission = submissions.own(get_db(), current_user, submission_id)
    if submission is None:
        abort(404)
    return submission
