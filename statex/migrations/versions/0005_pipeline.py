"""Pipeline runs, extractions, review edits and run-time settings; merges the parallel branches.

Revision ID: 0005_pipeline
Revises: 0002_accounts, 0003_notifications, 0004_submission_files
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import statex.models.base

revision = "0005_pipeline"
down_revision = ("0002_accounts", "0003_notifications", "0004_submission_files")
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MOMENT = statex.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pipeline_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("analysis_attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=True),
        sa.Column("finished_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_pipeline_runs_submission_id_submissions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_runs")),
        sa.UniqueConstraint("submission_id", "round", name="uq_pipeline_runs_round"),
    )
    op.create_index(op.f("ix_pipeline_runs_submission_id"), "pipeline_runs", ["submission_id"])
    op.create_index(op.f("ix_pipeline_runs_state"), "pipeline_runs", ["state"])
    op.create_table(
        "extractions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("machine_made", sa.Boolean(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("warnings", JSON, nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("error_detail", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("started_at", MOMENT, nullable=True),
        sa.Column("finished_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["submission_files.id"],
                                name=op.f("fk_extractions_file_id_submission_files"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extractions")),
        sa.UniqueConstraint("file_id", name=op.f("uq_extractions_file_id")),
    )
    op.create_index(op.f("ix_extractions_state"), "extractions", ["state"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "review_edits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("before", JSON, nullable=False),
        sa.Column("after", JSON, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_review_edits_submission_id_submissions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_review_edits_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_edits")),
    )
    op.create_index(op.f("ix_review_edits_submission_id"), "review_edits", ["submission_id"])
    with op.batch_alter_table("queued_jobs") as batch:
        batch.add_column(sa.Column("ref", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("request_id", sa.String(length=64), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_queued_jobs_ref"), ["ref"])


def downgrade() -> None:
    with op.batch_alter_table("queued_jobs") as batch:
        batch.drop_index(batch.f("ix_queued_jobs_ref"))
        batch.drop_column("request_id")
        batch.drop_column("ref")
    op.drop_table("review_edits")
    op.drop_table("settings")
    op.drop_table("extractions")
    op.drop_table("pipeline_runs")
