"""The thread on a request: messages (and staff's notes), their files, assignment and the first-reply due time.

Revision ID: 0014_conversation
Revises: 0012_extraction_confidence
"""
from alembic import op
import sqlalchemy as sa

from statex.models.base import UTCDateTime

revision = "0014_conversation"
down_revision = "0012_extraction_confidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("author_role", sa.String(16), nullable=False),
        sa.Column("author_name", sa.String(255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_id", sa.String(255), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_messages_submission_id_submissions"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_messages_author_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.UniqueConstraint("submission_id", "source_id", name="uq_messages_submission_source"),
    )
    op.create_index("ix_messages_submission_id", "messages", ["submission_id"])
    op.create_index("ix_messages_author_id", "messages", ["author_id"])
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("assignee_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("first_reply_due_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("first_replied_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("due_warned_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("waiting_on", sa.String(8), nullable=True))
        batch.create_foreign_key("fk_submissions_assignee_id_users", "users", ["assignee_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_submissions_assignee_id", ["assignee_id"])
        batch.create_index("ix_submissions_first_reply_due_at", ["first_reply_due_at"])
    with op.batch_alter_table("submission_files") as batch:
        batch.add_column(sa.Column("message_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key("fk_submission_files_message_id_messages", "messages", ["message_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_index("ix_submission_files_message_id", ["message_id"])


def downgrade() -> None:
    with op.batch_alter_table("submission_files") as batch:
        batch.drop_index("ix_submission_files_message_id")
        batch.drop_constraint("fk_submission_files_message_id_messages", type_="foreignkey")
        batch.drop_column("message_id")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_index("ix_submissions_first_reply_due_at")
        batch.drop_index("ix_submissions_assignee_id")
        batch.drop_constraint("fk_submissions_assignee_id_users", type_="foreignkey")
        for column in ("waiting_on", "due_warned_at", "first_replied_at", "first_reply_due_at", "assignee_id"):
            batch.drop_column(column)
    op.drop_table("messages")
