"""Each stored recording's length, decoded at upload, so the per-request audio limit reads no files.

Revision ID: 0011_audio_seconds
Revises: 0006_change_stamps
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_audio_seconds"
down_revision = "0008_in_app_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submission_files", sa.Column("audio_seconds", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("submission_files", "audio_seconds")
