"""The client's side of a request's thread: write to us, and the thread's live fragment."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import conversation, htmx
from portal.db import get_db
from portal.limits import message_posting
from portal.page_cache import cached_page
from portal.submissions import bp
from portal.submissions.detail import _own_or_404, render_detail
from statex import submissions


@bp.get("/submissions/<submission_id>/thread")
@login_required
@cached_page
def thread(submission_id: str):
    """The thread for htmx's poll; a browser that asks for it itself is sent to the whole page."""
    submission = submissions.get_for(get_db(), current_user, submission_id, parts=False)
    if submission is None:
        abort(404)
    if not htmx:
        return redirect(url_for("submissions.detail", submission_id=submission.id, _anchor="thread"), code=303)
    return conversation.fragment(submission, url_for("submissions.thread", submission_id=submission.id))


@bp.post("/submissions/<submission_id>/messages")
@login_required
@message_posting
def message_POST(submission_id: str):
    """Write to our staff on one's own request (with files); works with and without JavaScript."""
    submission = _own_or_404(submission_id)
    if not submission.is_open:
        abort(409, _("A cancelled request takes no more messages."))
    form = conversation.MessageForm()
    if conversation.post_from(form, submission) is None:
        return render_detail(submission, message_form=form, status=422)
    flash(_("Your message is sent."), "success")
    return redirect(url_for("submissions.detail", submission_id=submission.id, _anchor="thread"), code=303)
