"""The account's language and time zone: what the portal and our messages speak, when times are shown.

Revision ID: 0013_user_language
Revises: 0012_extraction_confidence
"""
from alembic import op
import sqlalchemy as sa

revision = "0013_user_language"
down_revision = "0012_extraction_confidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("users", sa.Column("timezone", sa.String(length=64), nullable=False,
                                     server_default="Europe/Prague"))


def downgrade() -> None:
    op.drop_column("users", "timezone")
    op.drop_column("users", "language")
