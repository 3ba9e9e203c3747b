"""Queued jobs may wait: a delivery's retry is an outbox row not handed to Redis before its time.

The notification jobs moved from jobs.notify to jobs.deliver: the outbox's rows follow, so a job
still waiting (or replayed after Redis restarts) runs under its new name.

Revision ID: 0016_job_not_before
Revises: 0012_extraction_confidence
"""
from alembic import op
import sqlalchemy as sa

from statex.models.base import UTCDateTime

revision = "0016_job_not_before"
down_revision = "0015_offers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("queued_jobs", sa.Column("not_before", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE queued_jobs SET func = replace(func, 'jobs.notify.', 'jobs.deliver.') "
               "WHERE func LIKE 'jobs.notify.%'")


def downgrade() -> None:
    op.execute("UPDATE queued_jobs SET func = replace(func, 'jobs.deliver.', 'jobs.notify.') "
               "WHERE func LIKE 'jobs.deliver.%'")
    op.drop_column("queued_jobs", "not_before")
