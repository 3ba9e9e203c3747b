"""The audit log: record security-relevant actions, and forget who did them when an account goes."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from statex.models import AuditEvent, User
from statex.models.base import utcnow

ACTIONS = (
    "signin.success", "signin.failure", "signin.locked", "signin.magic_link", "signout",
    "signout.everywhere", "signup", "signup.existing", "email.verified", "password.changed", "password.reset",
    "token.created", "token.revoked", "role.changed", "user.deactivated", "user.reactivated",
    "account.exported", "account.deleted", "file.downloaded",
    "submission.cancelled", "submission.retried", "extraction.retried",
    "note.added", "submission.assigned", "offer.decided_for_client",
)


@dataclass(frozen=True)
class Origin:
    """Where a request came from."""

    ip: str = ""
    user_agent: str = ""


def record(session: Session, action: str, actor: User | None, origin: Origin = Origin(),
           target: User | None = None, actor_label: str = "", **data) -> AuditEvent:
    """Add an entry in the caller's transaction; `actor_label` names an actor with no account."""
    event = AuditEvent(action=action, created_at=utcnow(),
                       actor_id=actor.id if actor else None,
                       actor=(actor.email if actor else actor_label)[:255],
                       target_id=target.id if target else None,
                       target=target.email if target else "",
                       ip=origin.ip[:45], user_agent=origin.user_agent[:255], data=data)
    session.add(event)
    return event


def pseudonym(user_id: uuid.UUID) -> str:
    """A stable label for a deleted account that names no person."""
    return "deleted-user-" + hashlib.blake2b(user_id.bytes, digest_size=8).hexdigest()


def forget(session: Session, user: User) -> None:
    """Keep the account's entries but replace its email by a pseudonym and erase where it acted from."""
    label = pseudonym(user.id)
    session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id)
                    .values(actor=label, actor_id=None, ip="", user_agent=""))
    session.execute(update(AuditEvent).where(AuditEvent.target_id == user.id)
                    .values(target=label, target_id=None))
    session.execute(update(AuditEvent).where(AuditEvent.actor_id.is_(None), AuditEvent.actor == user.email)
                    .values(actor=label, ip="", user_agent=""))
