"""The client's side of submissions: the dashboard, the form and a submission's live page."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal import htmx
from portal.db import get_db
from portal.dispatch import dispatch_committed_jobs
from statex import submissions
from statex.models.submissions import STATUSES

bp = Blueprint("submissions", __name__, url_prefix="/portal")

LANGUAGES = {"": "Detect automatically", "en": "English", "cs": "Čeština", "de": "Deutsch",
             "fr": "Français"}


class SubmissionForm(FlaskForm):
    description = TextAreaField("What do you need?", validators=[
        DataRequired("Describe what you need."),
        Length(max=submissions.MAX_DESCRIPTION,
               message=f"Keep it under {submissions.MAX_DESCRIPTION:,} characters.")])
    language = SelectField("Language", choices=LANGUAGES, default="")


@bp.get("/")
@login_required
def dashboard():
    status = request.args.get("status") or None
    if status not in (None, *STATUSES):
        status = None
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = submissions.page_for(get_db(), current_user, status, page)
    return render_template("submissions/dashboard.html", submissions=rows, total=total,
                           page=page, status=status, statuses=STATUSES)


@bp.get("/submissions/new")
@login_required
def new_GET():
    return render_template("submissions/new.html", form=SubmissionForm())


@bp.post("/submissions/new")
@login_required
def new_POST():
    form = SubmissionForm()
    if not form.validate():
        return render_template("submissions/new.html", form=form), 422
    db = get_db()
    submission = submissions.create(db, current_user, form.description.data, form.language.data or None)
    db.commit()
    dispatch_committed_jobs()
    return redirect(url_for("submissions.detail", submission_id=submission.id), code=303)


@bp.get("/submissions/<submission_id>")
@login_required
def detail(submission_id: str):
    """The full page, or only its status block when htmx polls for it."""
    submission = submissions.get_for(get_db(), current_user, submission_id)
    if submission is None:
        abort(404)
    if htmx and not htmx.history_restore_request:
        response = render_block("submissions/detail.html", "status", submission=submission)
    else:
        response = render_template("submissions/detail.html", submission=submission)
    return response, 200, {"Vary": "HX-Request"}
