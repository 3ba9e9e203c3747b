"""The client's list of submissions: status filter, search in descriptions, pages."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from portal import htmx
from portal.db import get_reader
from portal.freshness import conditional
from portal.submissions import bp
from statex import submissions
from statex.models.submissions import STATUSES

PER_PAGE = 20
MAX_PAGE = 100_000


@bp.get("/")
@login_required
@conditional
def dashboard():
    """The full page, or only the results block when htmx filters or turns pages."""
    status = request.args.get("status") or None
    if status not in (None, *STATUSES):
        status = None
    search = (request.args.get("q") or "").strip()[:200]
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    # The list only reads: on the reading session, without a transaction's two round trips.
    rows, total = submissions.listed_page(get_reader(), current_user, status, page, PER_PAGE, search or None)
    context = dict(submissions=rows, total=total, page=page, pages=max((total - 1) // PER_PAGE + 1, 1),
                   status=status, search=search, statuses=STATUSES, request_page=_request_page())
    if htmx and not htmx.history_restore_request:
        response = render_block("submissions/dashboard.html", "results", **context)
    else:
        response = render_template("submissions/dashboard.html", **context)
    return response, 200, {"Vary": "HX-Request"}


def _request_page() -> str:
    """The start of each listed request's link, built once: the template puts the id at its end, where the
    route has it, with no call per row."""
    return url_for("submissions.detail", submission_id="-")[:-1]
