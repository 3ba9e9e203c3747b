"""The client's side of submissions: the dashboard, the form, a submission's live page, its files."""

from __future__ import annotations

from flask import Blueprint

from statex import submissions

bp = Blueprint("submissions", __name__, url_prefix="/portal")
bp.add_app_template_global(submissions.client_result, "client_result")

from portal.submissions import dashboard, detail, files, form, thread  # noqa: E402,F401  (routes on bp)
