"""Offers: versions of a priced proposal per request, their lines, and the per-year number counter.

Revision ID: 0015_offers
Revises: 0012_extraction_confidence
"""
from alembic import op
import sqlalchemy as sa

from statex.models.base import UTCDateTime

revision = "0015_offers"
down_revision = "0014_conversation"
branch_labels = None
depends_on = None
MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("series_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("number", sa.String(16), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("vat_rate", sa.Numeric(5, 2), nullable=False),
        sa.Column("valid_days", sa.Integer(), nullable=False),
        sa.Column("cover_text", sa.Text(), nullable=False),
        sa.Column("payment_terms", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("client_name", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("accepted_name", sa.String(255), nullable=True),
        sa.Column("accepted_ip", sa.String(64), nullable=True),
        sa.Column("accepted_user_agent", sa.String(512), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("pdf_key", sa.String(255), nullable=True),
        sa.Column("pdf_sha256", sa.String(64), nullable=True),
        sa.Column("pdf_size", sa.Integer(), nullable=True),
        sa.Column("subtotal", MONEY, nullable=False),
        sa.Column("vat", MONEY, nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="SET NULL",
                                name="fk_offers_submission_id_submissions"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], ondelete="SET NULL", name="fk_offers_owner_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_offers"),
        sa.UniqueConstraint("series_id", "version", name="uq_offers_series_version"),
        sa.UniqueConstraint("number", "version", name="uq_offers_number_version"),
    )
    for column in ("series_id", "submission_id", "owner_id", "state", "number"):
        op.create_index(f"ix_offers_{column}", "offers", [column])
    op.create_table(
        "offer_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(64), nullable=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("timeline", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Numeric(10, 2), nullable=False),
        sa.Column("unit_price", MONEY, nullable=False),
        sa.Column("discount", sa.Numeric(5, 2), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"], ondelete="CASCADE",
                                name="fk_offer_lines_offer_id_offers"),
        sa.PrimaryKeyConstraint("id", name="pk_offer_lines"),
    )
    op.create_index("ix_offer_lines_offer_id", "offer_lines", ["offer_id"])
    op.create_table(
        "offer_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_offer_counters"),
    )


def downgrade() -> None:
    op.drop_table("offer_counters")
    op.drop_index("ix_offer_lines_offer_id", "offer_lines")
    op.drop_table("offer_lines")
    for column in ("series_id", "submission_id", "owner_id", "state", "number"):
        op.drop_index(f"ix_offers_{column}", "offers")
    op.drop_table("offers")
