"""Submissions through the API: create, list, read."""

from __future__ import annotations

from flask import current_app, g, request, url_for

from portal.api import bp
from portal.api.problems import problem
from portal.db import get_db
from portal.dispatch import dispatch_committed_jobs
from statex import submissions
from statex.models import Submission
from statex.models.submissions import STATUSES


@bp.post("/submissions")
def create_submission():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return problem(400, "Bad Request", "Send a JSON object, e.g. {\"description\": \"...\"}.")
    errors = _validate(data)
    if errors:
        return problem(422, "Unprocessable Content", "The submission is not valid.", errors=errors)
    db = get_db()
    submission = submissions.create(db, g.api_user, data["description"], data.get("language"))
    db.commit()
    dispatch_committed_jobs()
    response = current_app.json.response(serialise(submission))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_submission", submission_id=submission.id)
    return response


@bp.get("/submissions")
def list_submissions():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        return problem(400, "Bad Request", f"status must be one of {', '.join(STATUSES)}.")
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", 20, type=int)
    if page < 1 or not 1 <= per_page <= 100:
        return problem(400, "Bad Request", "page must be 1 or more and per_page between 1 and 100.")
    rows, total = submissions.page_for(get_db(), g.api_user, status, page, per_page)
    return {"items": [serialise(s) for s in rows], "page": page, "per_page": per_page, "total": total}


@bp.get("/submissions/<submission_id>")
def get_submission(submission_id: str):
    submission = submissions.get_for(get_db(), g.api_user, submission_id)
    if submission is None:
        return problem(404, "Not Found", "There is no submission with this id.")
    return serialise(submission, with_events=True)


def _validate(data: dict) -> dict[str, str]:
    errors = {}
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        errors["description"] = "Describe what you need: a non-empty string."
    elif len(description) > submissions.MAX_DESCRIPTION:
        errors["description"] = f"Keep the description under {submissions.MAX_DESCRIPTION:,} characters."
    language = data.get("language")
    if language is not None and language not in ("en", "cs", "de", "fr"):
        errors["language"] = "language must be one of en, cs, de, fr."
    return errors


def serialise(submission: Submission, with_events: bool = False) -> dict:
    body = {
        "id": str(submission.id),
        "status": submission.status,
        "status_message": submission.status_message,
        "description": submission.description,
        "language": submission.language,
        "created_at": submission.created_at.isoformat(),
        "completed_at": submission.completed_at.isoformat() if submission.completed_at else None,
        "result": _result(submission),
    }
    if with_events:
        body["events"] = [{"kind": e.kind, "at": e.created_at.isoformat(), "data": e.data}
                          for e in submission.events]
    return body


def _result(submission: Submission) -> dict | None:
    if submission.status != "completed" or submission.result is None:
        return None
    return dict(submission.result.data)
