"""Extraction confidence: how sure OCR or speech recognition was of the text it read (0 to 1).

Revision ID: 0012_extraction_confidence
Revises: 0006_change_stamps
"""
from alembic import op
import sqlalchemy as sa

revision = "0012_extraction_confidence"
down_revision = "0011_audio_seconds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("extractions", sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("extractions", "confidence")
