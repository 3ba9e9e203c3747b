"""Who hears about what: a user's language and, per topic, the verified destinations they chose."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from statex.messages.compose import LANGUAGES, language_of
from statex.models import Destination, NotificationSettings, User
from statex.models.base import utcnow

ACCOUNT_EMAIL = "account"
# Topics a client chooses destinations for; security messages always go to the account email.
TOPICS = {
    "received": "Submission received",
    "results": "Results ready",
    "more_info": "Needs more information",
    "messages": "Messages from our team",
    "security": "Account security",
}
CHOOSABLE = ("received", "results", "more_info", "messages")
EVENT_TOPICS = {
    "submission.created": "received",
    "submission.completed": "results",
    "submission.failed": "results",
    "review.rejected": "more_info",
    "message.from_staff": "messages",
}


@dataclass(frozen=True)
class Target:
    """One place to send a message: a channel, what staff see of the address, and its destination."""

    channel: str
    recipient: str
    destination_id: uuid.UUID | None = None
    address: str = ""

    @property
    def name(self) -> str:
        return str(self.destination_id) if self.destination_id else ACCOUNT_EMAIL


def topic_of(event: str) -> str:
    """The topic an event belongs to; account messages and anything unknown count as security."""
    return EVENT_TOPICS.get(event, "security")


def settings_of(session: Session, user: User) -> NotificationSettings | None:
    return session.get(NotificationSettings, user.id)


def language_for(chosen: NotificationSettings | None, *fallbacks: str | None) -> str:
    """The language in a user's settings (`chosen`, from settings_of), else the first fallback we have, else English."""
    return language_of(chosen.language if chosen else None, *fallbacks)


def chosen_for(session: Session, user: User, topic: str) -> list[str]:
    """The destination keys chosen for `topic` ("account" or destination ids); default the account email."""
    return _chosen_keys(settings_of(session, user), topic)


def targets_for(session: Session, user: User, chosen: NotificationSettings | None, event: str) -> list[Target]:
    """Where `event`'s message to `user` (settings `chosen`) goes: the chosen destinations that are verified."""
    account = Target("email", user.email, address=user.email)
    topic = topic_of(event)
    if topic == "security":
        return [account]
    keys = set(_chosen_keys(chosen, topic))
    targets = [account] if ACCOUNT_EMAIL in keys else []
    if keys - {ACCOUNT_EMAIL}:
        for destination in verified_destinations(session, user):
            if str(destination.id) in keys:
                targets.append(Target(destination.channel, destination.label, destination.id, destination.address))
    return targets


def _chosen_keys(chosen: NotificationSettings | None, topic: str) -> list[str]:
    if chosen is None or topic not in (chosen.topics or {}):
        return [ACCOUNT_EMAIL]
    return list(chosen.topics[topic])


def verified_destinations(session: Session, user: User) -> list[Destination]:
    query = (select(Destination).where(Destination.user_id == user.id, Destination.verified_at.is_not(None))
             .order_by(Destination.created_at))
    return list(session.scalars(query))


def in_app(chosen: NotificationSettings | None) -> bool:
    """Whether the user (settings `chosen`, from settings_of) wants notifications in the portal's bell."""
    return chosen is None or chosen.in_app is not False  # unset until first saved: on


def save(session: Session, user: User, topics: dict[str, list[str]] | None, language: str | None,
         bell: bool | None = None) -> None:
    """Keep the user's choices (topics or bell None: leave them): only their own verified destinations."""
    chosen = settings_of(session, user)
    if chosen is None:
        chosen = NotificationSettings(user_id=user.id, topics={})
        session.add(chosen)
    if topics is not None:
        allowed = {ACCOUNT_EMAIL} | {str(d.id) for d in verified_destinations(session, user)}
        chosen.topics = {topic: [key for key in topics.get(topic, []) if key in allowed] for topic in CHOOSABLE}
    chosen.language = language if language in LANGUAGES else None
    if bell is not None:
        chosen.in_app = bell
    chosen.updated_at = utcnow()
