"""Gunicorn's access log for a person at the console: the requests they make, not what polls by itself."""

from __future__ import annotations

from gunicorn.glogging import Logger

# Asked for again and again without anyone clicking: health probes, the bell, static files.
POLLED_PATHS = ("/healthz", "/readyz", "/portal/notifications/bell")
STATIC_PREFIXES = ("/portal/static/", "/portal/theme/")


class ConsoleAccessLog(Logger):
    """The access log, leaving out successful polls (health, the bell, htmx refreshes) and static files."""

    def access(self, resp, req, environ, request_time):
        if not polled(req.path, environ, resp.status_code or 500):
            super().access(resp, req, environ, request_time)


def polled(path: str, environ: dict, status: int) -> bool:
    """Whether a request answered `status` is one a page or a probe repeats by itself."""
    if status >= 400:
        return False
    refresh = environ.get("HTTP_HX_REQUEST") == "true" and environ.get("REQUEST_METHOD") == "GET"
    return path in POLLED_PATHS or path.startswith(STATIC_PREFIXES) or refresh
