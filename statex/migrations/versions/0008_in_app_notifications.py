"""In-app notifications a user can turn off: notification_settings.in_app, on unless they say otherwise.

Revision ID: 0008_in_app_notifications
Revises: 0006_change_stamps
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_in_app_notifications"
down_revision = "0007_request_titles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notification_settings") as batch:
        batch.add_column(sa.Column("in_app", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("notification_settings") as batch:
        batch.drop_column("in_app")
