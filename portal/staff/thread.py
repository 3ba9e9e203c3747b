"""Staff's side of a request's thread: reply or write an internal note, the live fragment, assignment."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import conversation
from portal.auth import origin, staff_required
from portal.db import get_db
from portal.limits import message_posting
from portal.staff import bp, submission_or_404 as _submission
from statex.conversation import assignment
from statex.models import User


def staff_members() -> list[User]:
    """Whom a request can be assigned to."""
    return list(get_db().scalars(select(User).where(User.role.in_(("staff", "admin")), User.is_active)
                                 .order_by(User.name, User.email)))


@bp.get("/submissions/<submission_id>/thread")
@staff_required
def thread(submission_id: str):
    """The thread for htmx's poll, notes included."""
    submission = _submission(submission_id)
    return conversation.fragment(submission, url_for("staff.thread", submission_id=submission.id))


@bp.post("/submissions/<submission_id>/messages")
@staff_required
@message_posting
def message_POST(submission_id: str):
    """Reply to the client, or with `internal` ticked write a note only staff see."""
    from portal.staff.pipeline import render_submission

    submission = _submission(submission_id)
    form = conversation.MessageForm()
    if conversation.post_from(form, submission, internal=bool(form.internal.data)) is None:
        return render_submission(submission, message_form=form, status=422)
    flash(_("Your note is kept.") if form.internal.data else _("Your reply is sent."), "success")
    return redirect(url_for("staff.submission_detail", submission_id=submission.id, _anchor="thread"), code=303)


@bp.post("/submissions/<submission_id>/assign")
@staff_required
def assign_POST(submission_id: str):
    """Give the request to a staff member, or to nobody; audited."""
    submission = _submission(submission_id)
    chosen = request.form.get("assignee") or ""
    assignee = next((member for member in staff_members() if str(member.id) == chosen), None)
    if chosen and assignee is None:
        flash(_("Choose a staff member from the list."), "error")
    elif assignment.assign(get_db(), submission, assignee, current_user._get_current_object(), origin()):
        get_db().commit()
        flash(_("Assigned to %(name)s.", name=assignee.name or assignee.email) if assignee
              else _("Nobody is assigned now."), "success")
    return redirect(url_for("staff.submission_detail", submission_id=submission.id), code=303)
