"""Offer numbers per year (2026-0001): gapless and unique, taken inside the send's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from statex.models import OfferCounter


def next_number(session: Session, year: int) -> str:
    """The year's next number; its counter row stays locked until the caller commits or rolls back.

    Two sends at once wait on the row, so neither reads the same `last`; a send that rolls back
    gives its increment back with it, so no number is skipped.
    """
    counter = _locked(session, year)
    if counter is None:
        try:
            with session.begin_nested():
                session.add(OfferCounter(year=year, last=0))
        except IntegrityError:
            pass  # another send made the year's row first: wait for it below
        counter = _locked(session, year)
    counter.last += 1
    session.flush()
    return f"{year}-{counter.last:04d}"


def _locked(session: Session, year: int) -> OfferCounter | None:
    query = select(OfferCounter).where(OfferCounter.year == year).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).first()
