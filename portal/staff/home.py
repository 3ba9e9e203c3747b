"""The staff start page: where each operation lives."""

from flask import render_template
from sqlalchemy import func, select

from portal.auth import staff_required
from portal.db import get_db
from portal.staff import bp
from statex.models import Submission


@bp.get("/")
@staff_required
def home():
    counts = dict(get_db().execute(select(Submission.status, func.count()).group_by(Submission.status)).all())
    return render_template("staff/home.html", counts=counts)
