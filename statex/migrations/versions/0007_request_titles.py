"""Request titles (the client's, or one made from the analysis), and requests waiting for the client.

Revision ID: 0007_request_titles
Revises: 0006_change_stamps
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_request_titles"
down_revision = "0006_change_stamps"
branch_labels = None
depends_on = None

# A request staff sent back was left "received" before this revision: its newest event tells it apart.
SENT_BACK = """
UPDATE submissions SET status = :waiting
 WHERE status = 'received'
   AND (SELECT kind FROM submission_events e WHERE e.submission_id = submissions.id
         ORDER BY e.id DESC LIMIT 1) = 'review.rejected'
"""


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("given_title", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("made_title", sa.String(length=100), nullable=True))
    op.execute(sa.text(SENT_BACK).bindparams(waiting="needs_info"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE submissions SET status = 'received' WHERE status = 'needs_info'"))
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("made_title")
        batch.drop_column("given_title")
