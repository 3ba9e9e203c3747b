"""Error pages in HTML for the portal and problem+json for the API; never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.api.problems import problem

log = logging.getLogger(__name__)


def handle_http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return problem(error.code or 500, error.name, error.description)
    return render_template("error.html", error=error), error.code


def handle_unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
