"""The offer pipeline's figures: offers by state, and a month's requests, sends, acceptances and speed."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from statex.models import Offer, Submission
from statex.models.offers import STATES


@dataclass(frozen=True)
class Month:
    """One calendar month of the pipeline."""

    start: dt.date
    received: int
    sent: int
    accepted: int
    value_accepted: dict[str, Decimal] = field(default_factory=dict)  # by currency
    median_to_sent: dt.timedelta | None = None

    @property
    def conversion(self) -> float | None:
        """Offers accepted per offer sent in the month (0–1), None when none was sent."""
        return self.accepted / self.sent if self.sent else None


def by_state(session: Session) -> dict[str, int]:
    """How many offer versions are in each state (every state present, zero or not)."""
    counts = dict(session.execute(select(Offer.state, func.count()).group_by(Offer.state)).all())
    return {state: counts.get(state, 0) for state in STATES}


def month(session: Session, start: dt.date) -> Month:
    """The figures of the month starting on `start` (its first day), UTC."""
    begin = dt.datetime(start.year, start.month, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=dt.timezone.utc)
    received = session.scalar(select(func.count()).select_from(Submission)
                              .where(Submission.created_at >= begin, Submission.created_at < end)) or 0
    # An offer counts as sent in the month its first version went out.
    sent_rows = session.execute(select(Offer.series_id, Offer.sent_at, Submission.created_at)
                                .join(Submission, Submission.id == Offer.submission_id, isouter=True)
                                .where(Offer.version == 1, Offer.sent_at >= begin, Offer.sent_at < end)).all()
    accepted = session.execute(select(Offer.currency, Offer.total)
                               .where(Offer.state == "accepted", Offer.decided_at >= begin,
                                      Offer.decided_at < end)).all()
    value: dict[str, Decimal] = defaultdict(Decimal)
    for currency, total in accepted:
        value[currency] += total
    waits = [sent - created for _series, sent, created in sent_rows if created is not None]
    return Month(start=begin.date(), received=received, sent=len(sent_rows), accepted=len(accepted),
                 value_accepted=dict(value), median_to_sent=statistics.median(waits) if waits else None)
