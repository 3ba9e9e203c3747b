"""Security headers on every response: a strict CSP without inline code, and friends."""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session

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


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), geolocation=(), microphone=(self)")
    if current_app.config["STATEX"].production:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if _personal():
        headers.setdefault("Cache-Control", "no-store")
    return response


def _personal() -> bool:
    """A page or API answer about someone: no browser or proxy may keep a copy."""
    if request.endpoint is None or request.endpoint.endswith("static"):
        return False
    # The session cookie says whether someone is signed in; asking current_user would read the
    # database, which may be the very thing that is down while this response is made.
    return "Authorization" in request.headers or "_user_id" in session


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
