"""Offers: a priced proposal for a request, its lines, its versions, and the per-year number counter."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from statex.models.base import Base, created_at, timestamp, utcnow, uuid_pk
from statex.models.submissions import Submission

# The one vocabulary of an offer's states (statex/offers/__init__.py moves between them).
STATES = ("draft", "sent", "accepted", "declined", "expired", "superseded")
# A client sees what was sent to them, never staff's drafts.
CLIENT_STATES = ("sent", "accepted", "declined", "expired", "superseded")
CURRENCIES = ("EUR", "CZK")
money = Numeric(14, 2)


class Offer(Base):
    """One version of an offer: a draft staff edit, or a sent version frozen with its PDF."""

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("series_id", "version", name="uq_offers_series_version"),
                      UniqueConstraint("number", "version", name="uq_offers_number_version"))

    id: Mapped[uuid_pk]
    # Every version of one offer shares its series (and, once sent, its number).
    series_id: Mapped[uuid.UUID] = mapped_column(index=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Kept (SET NULL) when the request or its client is erased: accounting law keeps accepted offers.
    submission_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    number: Mapped[str | None] = mapped_column(String(16), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("21"))
    valid_days: Mapped[int] = mapped_column(Integer, default=30)
    cover_text: Mapped[str] = mapped_column(Text, default="")
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")  # why the draft starts empty, for staff
    client_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[created_at]
    updated_at: Mapped[timestamp]
    sent_at: Mapped[timestamp]
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    decided_at: Mapped[timestamp]
    accepted_name: Mapped[str | None] = mapped_column(String(255))
    accepted_ip: Mapped[str | None] = mapped_column(String(64))
    accepted_user_agent: Mapped[str | None] = mapped_column(String(512))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    pdf_key: Mapped[str | None] = mapped_column(String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    subtotal: Mapped[Decimal] = mapped_column(money, default=Decimal("0"))
    vat: Mapped[Decimal] = mapped_column(money, default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(money, default=Decimal("0"))

    submission: Mapped[Submission | None] = relationship()
    lines: Mapped[list[OfferLine]] = relationship(back_populates="offer", order_by="OfferLine.position",
                                                  cascade="all, delete-orphan")

    def shown_state(self, today: dt.date | None = None) -> str:
        """The state as of `today`: a sent version past its validity reads as expired before any job marks it."""
        today = today or utcnow().date()
        if self.state == "sent" and self.valid_until is not None and self.valid_until < today:
            return "expired"
        return self.state


class OfferLine(Base):
    """One priced line of an offer: a service (or anything staff add), its quantity and discount."""

    __tablename__ = "offer_lines"

    id: Mapped[uuid_pk]
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    slug: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    timeline: Mapped[str] = mapped_column(String(64), default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"))
    unit_price: Mapped[Decimal] = mapped_column(money, default=Decimal("0"))
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))  # percent off
    total: Mapped[Decimal] = mapped_column(money, default=Decimal("0"))

    offer: Mapped[Offer] = relationship(back_populates="lines")


class OfferCounter(Base):
    """The last offer number given in a year; its row is locked while a send takes the next one."""

    __tablename__ = "offer_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)
