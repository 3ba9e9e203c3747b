"""The new-submission form: description, language, category, contact, voice and files."""

from __future__ import annotations

import re
import uuid

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from flask_wtf.file import FileField

from portal.db import get_db
from portal.submissions import bp
from portal.limits import submission_creation
from portal.submissions.files import get_storage, uploads_from
from statex import categories, intake, submissions, uploads, vocabulary
from statex.conversation.service_level import calendar_for
from statex.models.submissions import TITLE_MAX
from statex.uploads import Limits

# The request's own language (what the analysis reads it in): each name in its language.
LANGUAGES = {"": _l("Detect automatically"), **{code: language.native for code, language in vocabulary.LANGUAGES.items()}}
STORAGE_DOWN = _l("Our file storage cannot be reached right now, so nothing was sent. "
                  "Please attach your files again and send the request in a few minutes.")
PROMPTS = _l("What problem do you have? How is it solved today? What should change, "
             "and what result do you expect?")


def _choices(labels: dict) -> list[SelectChoice]:
    """A select's options from {value: words}."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class SubmissionForm(FlaskForm):
    """Fields and CSRF; the rules themselves live in statex.uploads, shared with the API."""

    description = TextAreaField(_l("What do you need?"))
    title = StringField(_l("Title (optional)"))
    # Lists, not dicts: WTForms reads a dict whose labels are not str (lazy ones) as option groups.
    language = SelectField(_l("Language"), choices=_choices(LANGUAGES), default="",
                           validate_choice=False)
    category = SelectField(_l("Category (optional)"), default="", validate_choice=False)
    contact_channel = SelectField(_l("How should we reply?"), choices=_choices(vocabulary.CONTACT_CHANNELS),
                                  default="email", validate_choice=False)
    contact = StringField(_l("Your handle or number for that channel"))
    voice = FileField(_l("Voice message"))
    files = MultipleFileField(_l("Attachments"))
    form_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The categories' words in the reader's language (statex/categories.py holds each language's).
        self.category.choices = _choices({"": _("Choose if you like"), **categories.choices(str(get_locale()))})


def apply_errors(form: FlaskForm, errors: dict[str, list[str]]) -> None:
    """Show the domain's per-field messages on the form's fields, in the reader's language."""
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
    checked = intake.check_new(request.form, uploads_from(request.files, "voice", "files"), limits())
    form.validate()
    apply_errors(form, checked.errors)
    if any(field.errors for field in form):
        return render_form(form, 422, files_dropped=bool(checked.files))
    key = form.form_key.data if re.fullmatch(r"[0-9a-f]{32}", form.form_key.data or "") else None
    try:
        submission, _created = submissions.submit(get_db(), get_storage(), current_user, checked.draft,
                                                  checked.files, idempotency_key=key and f"form:{key}",
                                                  calendar=calendar_for(current_app.config["STATEX"]))
        get_db().commit()
    except submissions.StorageUnavailable:
        get_db().rollback()
        apply_errors(form, {"files": [STORAGE_DOWN]})
        return render_form(form, 503, files_dropped=True) + ({"Retry-After": "30"},)
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)
