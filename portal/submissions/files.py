"""Files of a submission: downloads and in-page audio, authorised per object."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, send_file
from flask_login import current_user, login_required

from portal.auth import record_download
from portal.db import get_db
from portal.submissions import bp
from statex import submissions
from statex.models import SubmissionFile
from statex.storage import LocalStorage, S3Storage, Storage, content_disposition, storage_for
from statex.uploads import Upload

# A presigned link only has to survive the redirect that hands it to the browser.
LINK_SECONDS = 60


def get_storage() -> Storage:
    """The app's storage, built once per app (a boto3 client is costly to make)."""
    extensions = current_app.extensions
    if "statex_storage" not in extensions:
        extensions["statex_storage"] = storage_for(current_app.config["STATEX"])
    return extensions["statex_storage"]


def uploads_from(files, *names: str) -> list[Upload]:
    """The request's files under these form fields; Werkzeug has spooled big ones to disk."""
    return [Upload(field=name, filename=item.filename or "", stream=item.stream)
            for name in names for item in files.getlist(name)]


@bp.get("/submissions/<submission_id>/files/<file_id>")
@login_required
def download(submission_id: str, file_id: str):
    """The file as a download: a presigned link on S3, streamed from the local folder."""
    return download_response(_file_or_404(submission_id, file_id))


@bp.get("/submissions/<submission_id>/files/<file_id>/play")
@login_required
def play(submission_id: str, file_id: str):
    """An audio file served inline for the page's player (always through us: the CSP allows 'self')."""
    found = _file_or_404(submission_id, file_id)
    if not found.is_audio:
        abort(404)
    return file_response(get_storage(), found, inline=True)


def download_response(found: SubmissionFile) -> Response:
    """Redirect to a short-lived S3 link, or stream the file ourselves."""
    record_download(found)
    storage = get_storage()
    if isinstance(storage, S3Storage):
        url = storage.presigned_url(found.storage_key, found.name, LINK_SECONDS, found.content_type)
        response = redirect(url, code=302)
        response.headers["Cache-Control"] = "no-store"
        return response
    return file_response(storage, found, inline=False)


def file_response(storage: Storage, found: SubmissionFile, inline: bool) -> Response:
    """The file's bytes with its sniffed type, never guessed by the browser."""
    if isinstance(storage, LocalStorage):
        response = send_file(storage.path(found.storage_key), mimetype=found.content_type, conditional=True,
                             etag=found.sha256, max_age=0)
    else:
        response = send_file(storage.reader(found.storage_key), mimetype=found.content_type,
                             conditional=False, etag=found.sha256, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(found.name, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _file_or_404(submission_id: str, file_id: str) -> SubmissionFile:
    found = submissions.file_for(get_db(), current_user, submission_id, file_id)
    if found is None:
        abort(404)
    return found
