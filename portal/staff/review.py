"""The staff review queue: read the request and what was read from it, edit, approve or reject."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.auth import staff_required
from portal.db import get_db
from portal.staff import bp, submission_or_404 as _submission
from statex import categories, pipeline
from statex import review as review_gate
from statex.models import Submission
from statex.models.pipeline import ReviewEdit

LIST_FIELDS = ("requirements", "keywords", "next_steps")


class PolicyForm(FlaskForm):
    review_all = BooleanField(_l("Every result waits for review"))
    categories = SelectMultipleField(_l("Or only results in these categories"), choices=[], validate_choice=False)


class EditForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(_l("A result needs a summary.")), Length(max=5000)])
    category = SelectField(_l("Category"), choices=[SelectChoice("", _l("Not determined")),
                                                         *(SelectChoice(k, v) for k, v in categories.choices().items())])
    requirements = TextAreaField(_l("Requirements (one per line)"), validators=[Length(max=10000)])
    keywords = TextAreaField(_l("Keywords (one per line)"), validators=[Length(max=5000)])
    next_steps = TextAreaField(_l("Next steps (one per line)"), validators=[Length(max=10000)])


class RejectForm(FlaskForm):
    note = TextAreaField(_l("What the client should add or change"), validators=[
        DataRequired(_l("Tell the client what is missing.")), Length(max=5000)])


@bp.get("/review")
@staff_required
def review_queue():
    db = get_db()
    waiting = db.scalars(select(Submission).where(Submission.status == "in_review")
                         .order_by(Submission.updated_at))
    policy = review_gate.policy(db)
    form = PolicyForm(review_all=policy["all"], categories=policy["categories"])
    form.categories.choices = _categories()
    return render_template("staff/review_queue.html", waiting=list(waiting), form=form)


@bp.post("/review/policy")
@staff_required
def review_policy_POST():
    form = PolicyForm()
    form.categories.choices = _categories()
    if form.validate():
        db = get_db()
        review_gate.set_policy(db, form.review_all.data, form.categories.data or [])
        db.commit()
        flash(_("Review settings saved."), "success")
    return redirect(url_for("staff.review_queue"), code=303)


@bp.get("/review/<submission_id>")
@staff_required
def review(submission_id: str):
    submission = _submission(submission_id)
    return _render(submission, _edit_form(submission), RejectForm())


@bp.post("/review/<submission_id>/edit")
@staff_required
def review_edit_POST(submission_id: str):
    submission = _submission(submission_id)
    form = EditForm()
    if submission.result is None or not form.validate():
        return _render(submission, form, RejectForm()), 422
    changes = {"summary": form.summary.data.strip(), "category": form.category.data or None}
    changes.update({name: _lines(getattr(form, name).data) for name in LIST_FIELDS})
    db = get_db()
    changed = pipeline.edit_result(db, submission, current_user, changes)
    db.commit()
    flash(_("Saved: %(fields)s.", fields=", ".join(changed)) if changed else _("Nothing changed."), "success")
    return redirect(url_for("staff.review", submission_id=submission.id), code=303)


@bp.post("/review/<submission_id>/approve")
@staff_required
def review_approve_POST(submission_id: str):
    db = get_db()
    submission = _submission(submission_id)
    if not pipeline.approve(db, submission, current_user):
        flash(_("This result is not waiting for review any more."), "error")
        return redirect(url_for("staff.review_queue"), code=303)
    db.commit()
    flash(_("Approved: the client can read the result now."), "success")
    return redirect(url_for("staff.review_queue"), code=303)


@bp.post("/review/<submission_id>/reject")
@staff_required
def review_reject_POST(submission_id: str):
    db = get_db()
    submission = _submission(submission_id)
    form = RejectForm()
    if not form.validate():
        return _render(submission, _edit_form(submission), form), 422
    if not pipeline.reject(db, submission, current_user, form.note.data.strip()):
        flash(_("This result is not waiting for review any more."), "error")
        return redirect(url_for("staff.review_queue"), code=303)
    db.commit()
    flash(_("Sent back to the client with your note."), "success")
    return redirect(url_for("staff.review_queue"), code=303)


def _render(submission: Submission, edit_form: EditForm, reject_form: RejectForm):
    db = get_db()
    history = db.scalars(select(ReviewEdit).where(ReviewEdit.submission_id == submission.id)
                         .order_by(ReviewEdit.created_at))
    return render_template("staff/review.html", submission=submission, form=edit_form,
                           reject_form=reject_form, extractions=pipeline.extractions_of(db, submission),
                           history=list(history))


def _edit_form(submission: Submission) -> EditForm:
    data = submission.result.data if submission.result else {}
    return EditForm(summary=data.get("summary", ""), category=categories.key_for(data.get("category")) or "",
                    **{name: "\n".join(map(str, data.get(name, []))) for name in LIST_FIELDS})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _categories() -> list[tuple[str, str]]:
    """Every category of the one vocabulary, in English (the staff's language for now)."""
    return list(categories.choices().items())
