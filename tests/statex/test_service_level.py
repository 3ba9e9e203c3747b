"""The first-reply due time: two working days, in Prague, past weekends, Czech holidays and our own."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from statex import submissions
from statex.config import ConfigError, load_settings
from statex.conversation import assignment
from statex.conversation.service_level import Calendar
from statex.db import session_scope
from statex.models import QueuedJob, Submission, User

PRAGUE = ZoneInfo("Europe/Prague")


def _at(*parts) -> datetime:
    return datetime(*parts, tzinfo=PRAGUE)


def test_two_working_days_keep_the_time_of_day():
    assert Calendar().first_reply_due(_at(2026, 3, 2, 10, 30)) == _at(2026, 3, 4, 10, 30)  # Mon → Wed


def test_a_weekend_is_skipped():
    assert Calendar().first_reply_due(_at(2026, 3, 5, 16, 0)) == _at(2026, 3, 9, 16, 0)  # Thu → Mon


def test_a_request_received_on_a_day_off_counts_from_the_next_working_morning():
    assert Calendar().first_reply_due(_at(2026, 3, 7, 11, 0)) == _at(2026, 3, 11, 0, 0)  # Sat → Wed 00:00


def test_czech_public_holidays_are_skipped():
    # 2026-12-24, 25 and 26 are public holidays in Czechia: Wed 23 Dec → Mon 28, Tue 29.
    assert Calendar().first_reply_due(_at(2026, 12, 23, 9, 0)) == _at(2026, 12, 29, 9, 0)


def test_good_friday_and_easter_monday_move_with_easter():
    # Easter 2027 is 28 March: Good Friday 26 and Easter Monday 29 are off; Thu 25 → Tue 30, Wed 31.
    assert Calendar().first_reply_due(_at(2027, 3, 25, 9, 0)) == _at(2027, 3, 31, 9, 0)


def test_the_companys_own_holidays_are_skipped_too():
    calendar = Calendar(extra_holidays=(date(2026, 3, 3),))
    assert calendar.first_reply_due(_at(2026, 3, 2, 10, 0)) == _at(2026, 3, 5, 10, 0)


def test_the_due_time_is_in_utc_across_a_change_of_clocks():
    due = Calendar().first_reply_due(_at(2026, 3, 27, 9, 0))  # Fri; clocks go forward on Sun 29 March
    assert due == _at(2026, 3, 31, 9, 0) and due.tzinfo == timezone.utc and due.hour == 7


def test_settings_read_the_calendar_and_refuse_what_is_not_a_date():
    settings = load_settings({"EXTRA_HOLIDAYS": "2026-12-31, 2026-12-30", "SERVICE_TIMEZONE": "Europe/Vienna"})
    assert settings.extra_holidays == (date(2026, 12, 30), date(2026, 12, 31))
    assert settings.service_timezone == "Europe/Vienna"
    with pytest.raises(ConfigError, match="EXTRA_HOLIDAYS"):
        load_settings({"EXTRA_HOLIDAYS": "31.12.2026"})
    with pytest.raises(ConfigError, match="SERVICE_TIMEZONE"):
        load_settings({"SERVICE_TIMEZONE": "Mars/Olympus"})


def test_staff_are_warned_once_of_a_reply_about_to_be_late(settings, make_user):
    _, _, client_id = make_user("client")
    with session_scope(settings.database_url) as session:
        submission = submissions.create(session, session.get(User, client_id), "Help")
        submission_id = submission.id
        due = submission.first_reply_due_at
    with session_scope(settings.database_url) as session:
        assert assignment.warn_due(session, "http://portal", timedelta(hours=1), now=due - timedelta(hours=2)) == 0
    for _ in range(2):
        with session_scope(settings.database_url) as session:
            assignment.warn_due(session, "http://portal", timedelta(hours=1), now=due - timedelta(minutes=30))
    with session_scope(settings.database_url) as session:
        warnings = session.scalars(select(QueuedJob).where(QueuedJob.func == "jobs.notify.send_staff_message")).all()
        assert len(warnings) == 1 and f"due:{submission_id}" in warnings[0].args
        assert session.get(Submission, submission_id).due_warned_at is not None
        assert assignment.is_overdue(session.get(Submission, submission_id), now=due + timedelta(seconds=1))
