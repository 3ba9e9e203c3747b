"""The first-reply promise: due two working days after a request arrives, in the company's calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

COUNTRY = "CZ"


@dataclass(frozen=True)
class Calendar:
    """The company's working days: its time zone, its country's public holidays and any of its own."""

    zone: str = "Europe/Prague"
    extra_holidays: tuple[date, ...] = ()
    first_reply_days: int = 2

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _public_holidays(day.year) and day not in self.extra_holidays

    def first_reply_due(self, received: datetime) -> datetime:
        """When the first reply to a request received at `received` is due, in UTC.

        A request that arrives on a day off counts from the start of the next working day; the
        due time keeps the local time of day it counted from.
        """
        local = received.astimezone(ZoneInfo(self.zone))
        day, at = local.date(), local.time().replace(tzinfo=None)
        if not self.is_working_day(day):
            day, at = self._next_working_day(day), time(0)
        for _ in range(self.first_reply_days):
            day = self._next_working_day(day)
        return datetime.combine(day, at, tzinfo=ZoneInfo(self.zone)).astimezone(timezone.utc)

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> holidays.HolidayBase:
    """The country's public holidays of one year (Easter moves, so they are computed per year)."""
    return holidays.country_holidays(COUNTRY, years=year)


def calendar_for(settings) -> Calendar:
    """The calendar the settings describe (SERVICE_TIMEZONE, EXTRA_HOLIDAYS, FIRST_REPLY_DAYS)."""
    return Calendar(zone=settings.service_timezone, extra_holidays=settings.extra_holidays,
                    first_reply_days=settings.first_reply_days)
