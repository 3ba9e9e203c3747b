"""submission files, contact details and idempotency keys

Revision ID: 0004_submission_files
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import statex.models.base

revision = "0004_submission_files"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("category", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("contact_channel", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("contact", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("idempotency_key", sa.String(length=255), nullable=True))
        batch.create_unique_constraint("uq_submissions_owner_idempotency", ["owner_id", "idempotency_key"])
    op.create_table(
        "submission_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", statex.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_submission_files_submission_id_submissions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_submission_files_storage_key")),
    )
    op.create_index(op.f("ix_submission_files_submission_id"), "submission_files", ["submission_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_submission_files_submission_id"), table_name="submission_files")
    op.drop_table("submission_files")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_constraint("uq_submissions_owner_idempotency", type_="unique")
        batch.drop_column("idempotency_key")
        batch.drop_column("contact")
        batch.drop_column("contact_channel")
        batch.drop_column("category")
