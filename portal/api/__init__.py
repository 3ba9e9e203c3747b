"""The JSON API under /api/v1: bearer tokens only, problem+json errors."""

from __future__ import annotations

from flask import Blueprint, g, request

from portal.api.problems import problem
from portal.db import get_db
from statex import accounts

bp = Blueprint("api", __name__, url_prefix="/api/v1")

@bp.before_request
def authenticate():
    """Every API call carries `Authorization: Bearer <token>`; nothing else is accepted."""
    if request.endpoint == "api.openapi":
        return None  # the API's description is public
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorised("Send an API token as 'Authorization: Bearer <token>'.")
    db = get_db()
    user = accounts.user_for_token(db, token.strip())
    if user is None:
        return _unauthorised("The API token is unknown, revoked or expired.")
    g.api_user = user
    if db.dirty:
        db.commit()  # the token's last use stands even if the request then fails

def _unauthorised(detail: str):
    response = problem(401, "Unauthorized", detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="statex"'
    return response


from portal.api import messages, openapi, submissions  # noqa: E402,F401  (registers the routes on bp)

