"""Error pages in HTML for the portal and problem+json for the API; never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge, ServiceUnavailable

from portal.api.problems import description, problem, title
from portal.site import SITE_HEADERS, site_page_for_missing
from statex import uploads
from statex.submissions import StorageUnavailable

log = logging.getLogger(__name__)


def handle_http_error(error: HTTPException):
    headers = _own_headers(error)
    if request.path.startswith("/api/"):
        response = problem(error.code or 500, error.name, description(error))
        response.headers.extend(headers)
        return response
    if error.code == 404 and not request.path.startswith("/portal"):
        page = site_page_for_missing(current_app.config["STATEX"].site_dir, request.path)
        if page is not None:
            return page.read_bytes(), 404, {"Content-Type": "text/html; charset=utf-8", **SITE_HEADERS}
    return render_template("error.html", error=error, title=title(error.code or 500),
                           description=description(error)), error.code, headers


def _own_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The headers the error carries besides its body's type: `Allow` on a 405, as RFC 9110 asks."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def handle_too_large(error: RequestEntityTooLarge):
    """A body larger than any submission needs: refused from its Content-Length, before it is read."""
    limits = uploads.Limits.from_settings(current_app.config["STATEX"])
    return handle_http_error(RequestEntityTooLarge(uploads.too_large(limits, request.content_length)))


def handle_unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def handle_storage_down(_error: StorageUnavailable):
    response = current_app.make_response(handle_http_error(ServiceUnavailable(
        _("Our file storage cannot be reached right now, so nothing was saved. Please try again in a few minutes."))))
    response.headers["Retry-After"] = "30"
    return response


DATABASE_DOWN = _l("Statex cannot reach its database right now, so nothing was changed. "
                   "Please try again in a few minutes.")


def handle_database_down(error: OperationalError):
    """A database outage is a 503 the client can act on, not a 500; the page needs no database."""
    log.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
    if request.path.startswith("/api/"):
        response = problem(503, "Service Unavailable", DATABASE_DOWN)
    else:
        # Rendered without the context processors: the signed-in user would be read from the database.
        page = current_app.jinja_env.get_template("unavailable.html").render(
            message=DATABASE_DOWN, request=request, url_for=url_for, page_language=str(get_locale()))
        response = current_app.make_response((page, 503))
    response.headers["Retry-After"] = "30"
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(StorageUnavailable, handle_storage_down)
    app.register_error_handler(Exception, handle_unexpected)
