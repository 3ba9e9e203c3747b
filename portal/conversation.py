"""The thread on a request, as both the client's and staff's pages show it: form, posting, live fragment."""

from __future__ import annotations

import hashlib

from flask import Blueprint, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, MultipleFileField, TextAreaField

from portal.auth import origin
from portal.db import get_db
from portal.dispatch import dispatch_committed_jobs
from portal.submissions.files import get_storage, uploads_from
from portal.submissions.form import STORAGE_DOWN, apply_errors, limits
from statex import submissions, uploads
from statex.conversation import markup, thread
from statex.models import Message, Submission

bp = Blueprint("conversation", __name__)
bp.add_app_template_filter(lambda body: Markup(markup.to_html(body)), "message_html")


class MessageForm(FlaskForm):
    """A message (or, for staff, an internal note) with files."""

    body = TextAreaField(_l("Your message"))
    files = MultipleFileField(_l("Attach files"))
    internal = BooleanField(_l("Internal note: only staff see it"))


def body_errors(body: str, has_files: bool) -> dict[str, list[str]]:
    """What is wrong with a message's text (the portal's form and the API alike): too long, empty, NUL."""
    if "\x00" in body:
        return {"body": [_("The message holds a NUL character; send plain text.")]}
    if len(body) > thread.MAX_BODY:
        return {"body": [uploads.too_long(len(body), thread.MAX_BODY)]}
    if not body.strip() and not has_files:
        return {"body": [_("Write a message or attach a file.")]}
    return {}


def post_from(form: MessageForm, submission: Submission, internal: bool = False) -> Message | None:
    """Check the form, post its message and commit; None with the form's errors set when it is refused."""
    checked = uploads.check_files(uploads_from(request.files, "files"), limits())
    body = (form.body.data or "").replace("\r\n", "\n").strip()
    errors = dict(checked.errors)
    if not errors:
        errors.update(body_errors(body, bool(checked.files)))
    if errors:
        apply_errors(form, errors)
        return None
    db = get_db()
    try:
        message = thread.post_message(db, submission, current_user._get_current_object(), body,
                                      files=checked.files, internal=internal, storage=get_storage(),
                                      origin=origin())
        db.commit()
    except submissions.StorageUnavailable:
        db.rollback()
        apply_errors(form, {"files": [STORAGE_DOWN]})
        return None
    dispatch_committed_jobs()
    return message


def shown(messages: list[Message]) -> str:
    """A digest of what the thread shows, so a poll can tell whether the page is behind."""
    facts = [f"{m.id}:{m.read_at}" for m in messages]
    return hashlib.blake2b("\x1f".join(facts).encode(), digest_size=8).hexdigest()


def context(submission: Submission, poll_url: str) -> dict:
    """What conversation/_thread.html needs: the messages the viewer may read, and how to poll them."""
    messages = thread.thread_for(get_db(), submission, current_user)
    return dict(submission=submission, messages=messages, shown=shown(messages), poll_url=poll_url,
                viewer_role="client" if current_user.id == submission.owner_id else "staff")


def mark_read(submission: Submission) -> None:
    """The signed-in reader has seen the thread: the other side's messages are read now."""
    db = get_db()
    if thread.mark_read(db, submission, current_user):
        db.commit()


def fragment(submission: Submission, poll_url: str):
    """The thread alone, for htmx's poll; 204 while the page already shows the latest."""
    mark_read(submission)
    values = context(submission, poll_url)
    if request.args.get("shown") == values["shown"]:
        return "", 204, {"Vary": "HX-Request"}
    return render_template("conversation/_thread.html", **values), 200, {"Vary": "HX-Request"}
