"""In-app notifications: what the bell counts, always looked up through their owner."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from statex.models import Notification, NotificationSettings, User
from statex.models.base import utcnow
from statex.vocabulary import needs_attention

PER_PAGE = 30


def add(session: Session, user: User, key: str, event: str, title: str, body: str = "",
        link: str = "") -> Notification | None:
    """The notification for `key`, created once however often it is asked for; None if `user` turned the bell off.

    Only what asks for the reader's attention arrives unread (statex.vocabulary.needs_attention);
    a confirmation is kept for the record, already read.
    """
    chosen = session.get(NotificationSettings, user.id)
    if chosen is not None and chosen.in_app is False:
        return None
    notification = Notification(key=key, user_id=user.id, event=event, title=title, body=body, link=link,
                                read_at=None if needs_attention(event) else utcnow())
    try:
        # Written at once, not looked for first: asked for again is the rare case.
        with session.begin_nested():
            session.add(notification)
    except IntegrityError:
        return session.scalar(select(Notification).where(Notification.key == key))
    return notification


def unread_of(user_id) -> Select:
    """How many of a user's notifications are unread, as a query (statex.sessions reads it with the signed-in user)."""
    return select(func.count()).select_from(Notification).where(Notification.user_id == user_id,
                                                                Notification.read_at.is_(None))


def unread_count(session: Session, user: User) -> int:
    return session.scalar(unread_of(user.id)) or 0


def page_for(session: Session, user: User, page: int = 1) -> list[Notification]:
    """The user's notifications, newest first."""
    query = (select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id)
             .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return list(session.scalars(query))


def get_for(session: Session, user: User, notification_id: str) -> Notification | None:
    """The user's notification with this id, or None (someone else's answers 404)."""
    try:
        key = uuid.UUID(notification_id)
    except ValueError:
        return None
    return session.scalar(select(Notification).where(Notification.id == key, Notification.user_id == user.id))


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(session: Session, user: User) -> None:
    session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                    .values(read_at=utcnow()))
