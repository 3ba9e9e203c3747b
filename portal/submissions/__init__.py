"""The client's side of submissions: the dashboard, the form, a submission's live page, its files."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy.orm import Session

from portal.db import get_db
from statex import submissions

bp = Blueprint("submissions", __name__, url_prefix="/portal")
bp.add_app_template_global(submissions.client_result, "client_result")


def submission_or_404(submission_id: str, session: Session | None = None):
    """The submission if the signed-in person may see it (a client their own, staff any), else 404.

    Read on the request's session unless told another (a page that only reads may read on get_reader()).
    """
    submission = submissions.get_for(session or get_db(), current_user, submission_id)
    if submission is None:
        abort(404)
    return submission


from portal.submissions import dashboard, detail, files, form, thread  # noqa: E402,F401  (routes on bp)
