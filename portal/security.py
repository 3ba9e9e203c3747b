"""Security headers on every response: a strict CSP without inline code, and friends."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request, session
from flask_babel import gettext as _

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


# Each is added unless the response has set it already (a view or an extension that knows better).
HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
           ("Referrer-Policy", "strict-origin-when-cross-origin"), ("X-Frame-Options", "DENY"),
           ("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)"))
PRODUCTION = (("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),)
PERSONAL = (("Cache-Control", "no-store"),)


def add_security_headers(response: Response) -> Response:
    wanted = HEADERS + (PRODUCTION if current_app.config["STATEX"].production else ())
    wanted += PERSONAL if _personal() else ()
    # One pass over the headers already set (werkzeug's setdefault walks them all for each header).
    present = {name.lower() for name, _value in response.headers}
    response.headers.extend((name, value) for name, value in wanted if name.lower() not in present)
    return response


def _personal() -> bool:
    """A page or API answer about someone: no browser or proxy may keep a copy."""
    if request.endpoint is None or request.endpoint.endswith("static"):
        return False
    # The session cookie says whether someone is signed in; asking current_user would read the
    # database, which may be the very thing that is down while this response is made.
    return "Authorization" in request.headers or "_user_id" in session


def _nul_field(data, path: str = "") -> str | None:
    """The name of the first value holding a NUL character, in a form, query or JSON body."""
    if isinstance(data, str):
        return path if "\x00" in data else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(data))
    else:
        return None
    for key, value in items:
        name = key if isinstance(data, list) else (f"{path}.{key}" if path else str(key))
        found = name if "\x00" in name else _nul_field(value, name)
        if found is not None:
            return found
    return None


def reject_nul_characters():
    """No text we store may hold NUL (PostgreSQL refuses it): name the field instead of failing later."""
    found = next((str(key) for key, value in request.values.items(multi=True)
                  if "\x00" in f"{key}{value}"), None)
    if found is None and request.is_json:
        found = _nul_field(request.get_json(silent=True))
    if found is None:
        return None
    found = found.replace("\x00", "")
    message = _("“%(field)s” contains a NUL character (\\0), which is never part of valid text: remove it.",
                field=found)
    if request.path.startswith("/api/"):
        from portal.api.problems import problem

        return problem(400, "Bad Request", message, errors={found: [message]})
    abort(400, message)


def init_app(app: Flask) -> None:
    app.before_request(reject_nul_characters)
    app.after_request(add_security_headers)
