"""Error pages in HTML for the portal and problem+json for the API; never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.api.problems import problem
from portal.site import SITE_HEADERS, site_page_for_missing

log = logging.getLogger(__name__)


def handle_http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return problem(error.code or 500, error.name, error.description)
    if error.code == 404 and not request.path.startswith("/portal"):
        page = site_page_for_missing(current_app.config["STATEX"].site_dir, request.path)
        if page is not None:
            return page.read_bytes(), 404, {"Content-Type": "text/html; charset=utf-8", **SITE_HEADERS}
    return render_template("error.html", error=error), error.code


def handle_unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
