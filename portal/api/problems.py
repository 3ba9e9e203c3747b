"""RFC 9457 problem details: every API error is application/problem+json, in the reader's language."""

from __future__ import annotations

from flask import Response, json
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

# The statuses we answer with, as a person reads them; an error page and a problem's `title` alike.
TITLES = {
    400: _l("Bad Request"), 401: _l("Unauthorized"), 403: _l("Forbidden"), 404: _l("Not Found"),
    405: _l("Method Not Allowed"), 409: _l("Conflict"), 413: _l("Content Too Large"),
    415: _l("Unsupported Media Type"), 422: _l("Unprocessable Content"), 429: _l("Too Many Requests"),
    500: _l("Internal Server Error"), 503: _l("Service Unavailable"),
}
# What Werkzeug says of an error nobody described, in our words (and so in every language).
DESCRIPTIONS = {
    400: _l("The request could not be understood: check what was sent."),
    401: _l("Sign in, or send a valid API token."),
    403: _l("You may not do this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not take this method."),
    413: _l("The request is larger than we take."),
    429: _l("Too many requests. Wait a little and try again."),
    500: _l("Something went wrong on our side. We have been told; please try again later."),
    503: _l("This is not available right now. Please try again in a few minutes."),
}


def title(status: int) -> str:
    """A status's name in the reader's language."""
    return str(TITLES.get(status) or HTTP_STATUS_CODES.get(status, "Error"))


def description(error: HTTPException) -> str:
    """What went wrong: the words the code gave, else ours for the status."""
    if error.description != type(error).description or error.code not in DESCRIPTIONS:
        return str(error.description or "")
    return str(DESCRIPTIONS[error.code])


def problem(status: int, name: str = "", detail: str = "", **extra) -> Response:
    """A problem+json response; `extra` adds members such as `errors` (per-field messages).

    Its `title` is the status's name (`name`, in English, says which for a reader of the code), in
    the reader's language: every problem we send is "about:blank", whose title is the status's.
    """
    body = {"type": "about:blank", "title": title(status) if status in TITLES else name or title(status),
            "status": status}
    if detail:
        body["detail"] = str(detail)
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")
