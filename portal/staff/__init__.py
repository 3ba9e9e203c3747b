"""Staff pages under /portal/staff/: one module per area, all on this blueprint."""

from flask import Blueprint

# Any submission, for staff, through the same query layer that keeps clients to their own.
from portal.submissions import submission_or_404  # noqa: F401  (the staff modules take it from here)

bp = Blueprint("staff", __name__, url_prefix="/portal/staff")


# Each module registers its routes on bp.
from portal.staff import outbox  # noqa: E402,F401
from portal.staff import audit, users  # noqa: E402,F401
from portal.staff import deliveries  # noqa: E402,F401
from portal.staff import home, offers, pipeline, queues, review, thread  # noqa: E402,F401
