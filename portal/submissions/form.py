"""The new-submission form: description, language, category, contact, voice and files."""

from __future__ import annotations

import re
import uuid

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from flask_wtf.file import FileField

from portal.db import get_db
from portal.dispatch import dispatch_committed_jobs
from portal.submissions import bp
from portal.limits import submission_creation
from portal.submissions.files import get_storage, uploads_from
from statex.conversation.service_level import calendar_for
from statex import submissions, uploads
from statex.models.submissions import TITLE_MAX
from statex.uploads import Limits

LANGUAGES = {"": "Detect automatically", "en": "English", "cs": "Čeština", "de": "Deutsch",
             "fr": "Français"}
STORAGE_DOWN = ("Our file storage cannot be reached right now, so nothing was sent. "
                "Please attach your files again and send the request in a few minutes.")
PROMPTS = ("What problem do you have? How is it solved today? What should change, "
           "and what result do you expect?")


class SubmissionForm(FlaskForm):
    """Fields and CSRF; the rules themselves live in statex.uploads, shared with the API."""

    description = TextAreaField("What do you need?")
    title = StringField("Title (optional)")
    language = SelectField("Language", choices=LANGUAGES, default="", validate_choice=False)
    category = SelectField("Category (optional)", choices={"": "Choose if you like", **uploads.CATEGORIES},
                           default="", validate_choice=False)
    contact_channel = SelectField("How should we reply?", choices=uploads.CONTACT_CHANNELS,
                                  default="email", validate_choice=False)
    contact = StringField("Your handle or number for that channel")
    voice = FileField("Voice message")
    files = MultipleFileField("Attachments")
    form_key = HiddenField()


def apply_errors(form: FlaskForm, errors: dict[str, list[str]]) -> None:
    """Show the domain's per-field messages on the form's fields."""
    for name, messages in errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]


def limits() -> Limits:
    return Limits.from_settings(current_app.config["STATEX"])


def render_form(form: SubmissionForm, status: int = 200, files_dropped: bool = False):
    return render_template("submissions/new.html", form=form, limits=limits(), files_dropped=files_dropped,
                           title_max=TITLE_MAX, accept=uploads.ACCEPT_ATTRIBUTE, prompts=PROMPTS), status


@bp.get("/submissions/new")
@login_required
def new_GET():
    form = SubmissionForm()
    form.language.data = request.accept_languages.best_match([k for k in LANGUAGES if k]) or ""
    # A one-time key: a double-clicked or resent form creates one submission.
    form.form_key.data = uuid.uuid4().hex
    return render_form(form)


@bp.post("/submissions/new")
@login_required
@submission_creation
def new_POST():
    form = SubmissionForm()
    rules = limits()
    checked = uploads.check_files(uploads_from(request.files, "voice", "files"), rules)
    has_voice = any(item.kind == "voice" for item in checked.files)
    draft, errors = uploads.check_fields(request.form, rules, has_voice=has_voice)
    form.validate()
    apply_errors(form, {**errors, **checked.errors})
    if any(field.errors for field in form):
        return render_form(form, 422, files_dropped=bool(checked.files))
    key = form.form_key.data if re.fullmatch(r"[0-9a-f]{32}", form.form_key.data or "") else None
    try:
        submission, _created = submissions.submit(get_db(), get_storage(), current_user, draft, checked.files,
                                                  idempotency_key=key and f"form:{key}",
                                                  calendar=calendar_for(current_app.config["STATEX"]))
    except submissions.StorageUnavailable:
        apply_errors(form, {"files": [STORAGE_DOWN]})
        return render_form(form, 503, files_dropped=True) + ({"Retry-After": "30"},)
    dispatch_committed_jobs()
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)
