"""Signed-in sessions: a row per browser, so signing out (here or everywhere) really ends it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from statex.audit import Origin
from statex.models import User, UserSession
from statex.models.base import utcnow


def start(session: Session, user: User, origin: Origin, lifetime: timedelta) -> UserSession:
    """A new session for `user` that ends at the latest after `lifetime` (the absolute timeout)."""
    now = utcnow()
    session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now))
    row = UserSession(user=user, created_at=now, expires_at=now + lifetime,
                      ip=origin.ip[:45], user_agent=origin.user_agent[:255])
    session.add(row)
    session.flush()
    user.session_id = row.id
    return row


def user_for(session: Session, session_id: str) -> User | None:
    """The active user of a live session, with `session_id` set on it; None otherwise."""
    try:
        key = uuid.UUID(session_id)
    except ValueError:
        return None
    row = session.get(UserSession, key, options=[joinedload(UserSession.user)])
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    row.user.session_id = row.id
    return row.user


def end(session: Session, session_id: uuid.UUID | str | None) -> None:
    """End one session (signing out of this browser)."""
    try:
        key = uuid.UUID(str(session_id))
    except ValueError:
        return
    session.execute(delete(UserSession).where(UserSession.id == key))


def end_all(session: Session, user: User) -> int:
    """End every session of `user`; returns how many there were."""
    return session.execute(delete(UserSession).where(UserSession.user_id == user.id)).rowcount


def live(session: Session, user: User) -> list[UserSession]:
    """The user's sessions that have not expired, newest first."""
    return list(session.scalars(select(UserSession).where(UserSession.user_id == user.id,
                                                          UserSession.expires_at > utcnow())
                                .order_by(UserSession.created_at.desc())))


def purge_expired(session: Session) -> int:
    """Delete sessions past their absolute timeout (for periodic maintenance); returns how many."""
    return session.execute(delete(UserSession).where(UserSession.expires_at <= utcnow())).rowcount
