"""Staff pages under /portal/staff/: one module per area, all on this blueprint."""

from flask import Blueprint, abort
from flask_login import current_user

from portal.db import get_db
from statex import submissions

bp = Blueprint("staff", __name__, url_prefix="/portal/staff")


def submission_or_404(submission_id: str):
    """Any submission, for staff, through the same query layer that keeps clients to their own."""
    submission = submissions.get_for(get_db(), current_user, submission_id)
    if submission is None:
        abort(404)
    return submission


# Each module registers its routes on bp.
from portal.staff import outbox  # noqa: E402,F401
from portal.staff import audit, users  # noqa: E402,F401
from portal.staff import deliveries  # noqa: E402,F401
from portal.staff import home, pipeline, queues, review, thread  # noqa: E402,F401
