"""Staff pages under /portal/staff/: one module per area, all on this blueprint."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/portal/staff")

# Each module registers its routes on bp.
from portal.staff import outbox  # noqa: E402,F401
from portal.staff import audit, users  # noqa: E402,F401
from portal.staff import deliveries  # noqa: E402,F401
from portal.staff import home, pipeline, queues, review  # noqa: E402,F401
