"""Signed-in sessions: a row per browser, so signing out (here or everywhere) really ends it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, delete, select
from sqlalchemy.orm import Session, aliased, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from statex.audit import Origin
from statex.messages import inbox
from statex.models import User, UserSession
from statex.models.changes import EVERYONE, ChangeStamp
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


def user_for(session: Session, session_id: str, join: bool = True) -> User | None:
    """The active user of a live session, with `session_id`, `change_stamp` and `unread_notifications` set; else None.

    Every signed-in request asks this, so it is one plain query (session, user and change stamps), read
    on `session`. The user joins `session` as if loaded there (the object it holds already, if it holds
    the user), so a view may change and commit it as usual; with `join=False` it comes detached, all its
    columns loaded, for a request that may never write (portal.db adds it to the writing session it opens).
    """
    user = _signed_in(session.connection(), session_id)
    if user is None or not join:
        return user
    loaded = session.identity_map.get(identity_key(User, user.id))
    if loaded is None:
        session.add(user)
        return user
    loaded.session_id, loaded.change_stamp = user.session_id, user.change_stamp
    loaded.unread_notifications = user.unread_notifications
    return loaded


def _signed_in(connection: Connection, session_id: str) -> User | None:
    try:
        key = uuid.UUID(session_id)
    except ValueError:
        return None
    row = connection.execute(_query(), {"key": key}).first()
    if row is None or row.expires_at <= utcnow() or not row.is_active:
        return None
    user = User(**{column.key: row._mapping[column] for column in User.__table__.columns})
    make_transient_to_detached(user)  # as if loaded: no pending changes, its identity known
    user.session_id, user.change_stamp, user.unread_notifications = key, (row[1] or 0, row[2] or 0), row[3]
    return user


@lru_cache(maxsize=1)
def _query() -> Select:
    """The session by its id, with its user, the user's and everyone's change stamps, and the header's
    unread count, which nearly every page shows (built once)."""
    mine, everyone = aliased(ChangeStamp), aliased(ChangeStamp)
    unread = inbox.unread_of(User.id).scalar_subquery()
    return (select(UserSession.expires_at, mine.stamp, everyone.stamp, unread, *User.__table__.columns)
            .join(User, User.id == UserSession.user_id)
            .outerjoin(mine, mine.owner_id == User.id).outerjoin(everyone, everyone.owner_id == EVERYONE)
            .where(UserSession.id == bindparam("key")))


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
