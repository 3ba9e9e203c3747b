"""Change stamps: a counter per user, bumped with every change to what they can see.

Revision ID: 0006_change_stamps
Revises: 0005_pipeline
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_change_stamps"
down_revision = "0005_pipeline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_stamps",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_change_stamps")),
    )


def downgrade() -> None:
    op.drop_table("change_stamps")
