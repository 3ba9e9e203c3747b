"""A submission's thread through the API: read it page by page, write to it (JSON or multipart with files)."""

from __future__ import annotations

from flask import Response, current_app, g, request, url_for
from flask_babel import gettext as _

from portal.api import bp
from portal.api.problems import problem
from portal.api.submissions import IDEMPOTENCY_KEY, MAX_PAGE, _file, _invalid, _not_found, _whole_number
from portal.conversation import body_errors
from portal.db import get_db
from portal.limits import message_posting
from portal.submissions.files import get_storage, uploads_from
from statex import submissions, uploads
from statex.conversation import thread
from statex.i18n import number
from statex.models import Message, User
from statex.uploads import Limits

FIELDS = ("body", "internal", "files")
TRUE, FALSE = ("true", "1", "on"), ("false", "0", "")


@bp.get("/submissions/<submission_id>/messages")
def list_messages(submission_id: str):
    """The thread, oldest first; reading it counts as having read the other side's messages."""
    repeated = [name for name in ("page", "per_page") if len(request.args.getlist(name)) > 1]
    page, per_page = _whole_number("page", 1), _whole_number("per_page", 50)
    if repeated or page is None or per_page is None or not 1 <= page <= MAX_PAGE or not 1 <= per_page <= 100:
        most = number(MAX_PAGE)
        return problem(400, "Bad Request", _("Give page (1 to %(most)s) and per_page (1 to 100) once each.", most=most),
                       errors={"page": [_("A whole number from 1 to %(most)s.", most=most)],
                               "per_page": [_("A whole number from 1 to 100.")]})
    db = get_db()
    submission = submissions.get_for(db, g.api_user, submission_id, parts=False)
    if submission is None:
        return _not_found()
    if thread.mark_read(db, submission, g.api_user):
        db.commit()
    rows, total = thread.page_of(db, submission, g.api_user, page, per_page)
    return {"items": [serialise(m, g.api_user) for m in rows], "page": page, "per_page": per_page, "total": total}


@bp.post("/submissions/<submission_id>/messages")
@message_posting
def post_message(submission_id: str):
    """Write on the thread (staff: any request, `internal` for a note); a repeated Idempotency-Key returns the first."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return _invalid({"Idempotency-Key": [_("Use 1 to 200 visible ASCII characters, e.g. a UUID.")]})
    db, user = get_db(), g.api_user
    # Clients write on their own requests only; staff on any.
    submission = (submissions.get_for if user.is_staff else submissions.own)(db, user, submission_id, parts=False)
    if submission is None:
        return _not_found()
    parsed = _parsed()
    if isinstance(parsed, Response):
        return parsed
    body, internal, files, errors = parsed
    checked = uploads.check_files(files, Limits.from_settings(current_app.config["STATEX"]))
    errors.update(checked.errors)
    errors.update(body_errors(body, bool(checked.files)))
    if internal and not user.is_staff:
        return problem(403, "Forbidden", _("Only staff write internal notes."),
                       errors={"internal": [_("Only staff write internal notes.")]})
    if errors:
        return _invalid(errors)
    if submission.status == "cancelled":
        return problem(409, "Conflict", _("A cancelled submission takes no more messages."))
    source_id = key and f"api:{key}"
    earlier = thread.by_source(db, submission, source_id) if source_id else None
    message = earlier or thread.post_message(db, submission, user, body, files=checked.files, internal=internal,
                                             source="api", source_id=source_id, storage=get_storage())
    db.commit()
    response = current_app.json.response(serialise(message, user))
    response.status_code = 200 if earlier else 201
    response.headers["Location"] = url_for("api.list_messages", submission_id=submission.id)
    if earlier:
        response.headers["Idempotent-Replayed"] = "true"
    return response


def _parsed():
    """(body, internal, files, errors) from JSON or multipart, or a 400 for a body that is neither."""
    if request.mimetype == "multipart/form-data":
        data, files = request.form, uploads_from(request.files, "files")
        flag = (data.get("internal") or "").lower()
        internal = flag in TRUE
        errors = {} if flag in TRUE + FALSE else {"internal": [_("Send true or false.")]}
    else:
        data, files = request.get_json(silent=True), []
        if not isinstance(data, dict):
            return problem(400, "Bad Request", _("Send a JSON object, e.g. {\"body\": \"...\"}, "
                                                 "or multipart/form-data with files."))
        internal = data.get("internal", False)
        errors = {} if isinstance(internal, bool) else {"internal": [_("Send true or false.")]}
    body = data.get("body", "")
    if not isinstance(body, str):
        errors["body"] = [_("Send the message as a string.")]
        body = ""
    unknown = {str(name or "") for name in data if name not in FIELDS}
    errors.update({name: [_("Unknown field; send only %(fields)s.", fields=", ".join(FIELDS))] for name in unknown})
    return body, internal is True, files, errors


def serialise(message: Message, viewer: User) -> dict:
    """A message as the API gives it; `internal` only to staff (a client never gets a note at all)."""
    body = {"id": str(message.id), "author": {"name": message.author_name, "role": message.author_role},
            "body": message.body, "files": [_file(message.submission, f) for f in message.files],
            "created_at": message.created_at.isoformat(),
            "read_at": message.read_at.isoformat() if message.read_at else None}
    if viewer.is_staff:
        body["internal"] = message.internal
    return body
