"""RFC 9457 problem details: every API error is application/problem+json."""

from __future__ import annotations

from flask import Response, json


def problem(status: int, title: str, detail: str = "", **extra) -> Response:
    """A problem+json response; `extra` adds members such as `errors` (per-field messages)."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")
