"""Submissions through the API: create (JSON or multipart), list, read, cancel, download files."""

from __future__ import annotations

import re

from flask import Response, current_app, g, request, url_for
from flask_babel import gettext as _

from portal.api import bp
from portal.api.problems import problem
from portal.db import get_db
from portal.limits import submission_creation
from portal.submissions.files import download_response, get_storage, uploads_from
from statex import intake, submissions
from statex.conversation.service_level import calendar_for
from statex.i18n import number
from statex.models import Submission, SubmissionFile
from statex.models.submissions import STATUSES
from statex.uploads import Limits

MAX_PAGE = 100_000
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,200}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
LIST_PARAMETERS = ("status", "page", "per_page")


@bp.post("/submissions")
@submission_creation
def create_submission():
    """Create a submission from JSON or multipart; a repeated Idempotency-Key returns the first."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return _invalid({"Idempotency-Key": [_("Use 1 to 200 visible ASCII characters, e.g. a UUID.")]})
    if request.mimetype == "multipart/form-data":
        data, files = request.form, uploads_from(request.files, "voice", "files")
    else:
        data, files = request.get_json(silent=True), []
        if not isinstance(data, dict):
            return problem(400, "Bad Request", _("Send a JSON object, e.g. {\"description\": \"...\"}, "
                                                 "or multipart/form-data with files."))
    checked = intake.check_new(data, files, Limits.from_settings(current_app.config["STATEX"]), strict=True)
    if not checked.ok:
        return _invalid(checked.errors)
    submission, created = submissions.submit(get_db(), get_storage(), g.api_user, checked.draft, checked.files,
                                              idempotency_key=key and f"api:{key}",
                                              calendar=calendar_for(current_app.config["STATEX"]))
    get_db().commit()
    response = current_app.json.response(serialise(submission))
    response.status_code = 201 if created else 200
    response.headers["Location"] = url_for("api.get_submission", submission_id=submission.id)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/submissions")
def list_submissions():
    repeated = [name for name in LIST_PARAMETERS if len(request.args.getlist(name)) > 1]
    if repeated:
        return problem(400, "Bad Request", _("Give %(names)s once.", names=", ".join(repeated)),
                       errors={name: [_("Give this parameter once.")] for name in repeated})
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        return problem(400, "Bad Request", _("status must be one of %(statuses)s.", statuses=", ".join(STATUSES)),
                       errors={"status": [_("Use one of %(statuses)s.", statuses=", ".join(STATUSES))]})
    page, per_page = _whole_number("page", 1), _whole_number("per_page", 20)
    if page is None or per_page is None or not 1 <= page <= MAX_PAGE or not 1 <= per_page <= 100:
        most = number(MAX_PAGE)
        return problem(400, "Bad Request", _("page must be from 1 to %(most)s and per_page from 1 to 100.", most=most),
                       errors={"page": [_("A whole number from 1 to %(most)s.", most=most)],
                               "per_page": [_("A whole number from 1 to 100.")]})
    rows, total = submissions.page_for(get_db(), g.api_user, status, page, per_page)
    return {"items": [serialise(s) for s in rows], "page": page, "per_page": per_page, "total": total}


def _whole_number(name: str, default: int) -> int | None:
    """A query parameter of digits only, the default when absent; None for anything else (null, 1.5, "")."""
    value = request.args.get(name)
    if value is None:
        return default
    return int(value) if WHOLE_NUMBER.fullmatch(value) else None


@bp.get("/submissions/<submission_id>")
def get_submission(submission_id: str):
    submission = submissions.get_for(get_db(), g.api_user, submission_id)
    if submission is None:
        return _not_found()
    return serialise(submission, with_events=True)


@bp.post("/submissions/<submission_id>/cancel")
def cancel_submission(submission_id: str):
    """Withdraw a submission that is not yet processed; 409 when it is too late."""
    db = get_db()
    submission = submissions.own(db, g.api_user, submission_id)  # staff cancel on the staff pages
    if submission is None:
        return _not_found()
    if not submissions.cancel(db, submission):
        return problem(409, "Conflict", _("A submission that is %(status)s can no longer be cancelled.",
                                          status=submission.status))
    db.commit()
    return serialise(submission, with_events=True)


@bp.get("/submissions/<submission_id>/files/<file_id>")
def download_file(submission_id: str, file_id: str) -> Response:
    """The file itself: a redirect to a short-lived link on S3, or the bytes."""
    found = submissions.file_for(get_db(), g.api_user, submission_id, file_id)
    if found is None:
        return problem(404, "Not Found", _("There is no such file in a submission of yours."))
    return download_response(found)


def _invalid(errors: dict) -> Response:
    return problem(422, "Unprocessable Content", _("The submission is not valid."), errors=errors)


def _not_found() -> Response:
    return problem(404, "Not Found", _("There is no submission with this id."))


def serialise(submission: Submission, with_events: bool = False) -> dict:
    body = {
        "id": str(submission.id),
        "status": submission.status,
        "status_message": submission.status_message,
        "title": submission.title,
        "description": submission.description,
        "language": submission.language,
        "category": submission.category,
        "contact_channel": submission.contact_channel,
        "contact": submission.contact,
        "created_at": submission.created_at.isoformat(),
        "completed_at": submission.completed_at.isoformat() if submission.completed_at else None,
        "files": [_file(submission, f) for f in submission.files],
        "result": submissions.client_result(submission),
        "assignee": {"name": submission.assignee.name or "Statex"} if submission.assignee else None,
        "first_reply_due_at": _iso(submission.first_reply_due_at),
        "first_replied_at": _iso(submission.first_replied_at),
        "waiting_on": submission.waiting_on,
    }
    if with_events:
        body["events"] = [{"kind": e.kind, "at": e.created_at.isoformat(), "data": e.data}
                          for e in submission.events]
    return body


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _file(submission: Submission, item: SubmissionFile) -> dict:
    return {"id": str(item.id), "kind": item.kind, "name": item.name, "content_type": item.content_type,
            "size": item.size, "sha256": item.sha256, "created_at": item.created_at.isoformat(),
            "download_url": url_for("api.download_file", submission_id=submission.id, file_id=item.id),
            "extraction": _extraction(item.extraction)}


def _extraction(extraction) -> dict | None:
    """What was read from the file: its state, how, and the text (a transcript is machine-made)."""
    if extraction is None:
        return None
    return {"status": extraction.state, "method": extraction.method or None, "text": extraction.text,
            "language": extraction.language, "machine_made": extraction.machine_made,
            "confidence": extraction.confidence, "low_confidence": extraction.low_confidence,
            "error": extraction.error or None, "details": extraction.details or []}
