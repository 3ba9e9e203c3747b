"""Single-use, expiring links: the secret goes in the email, only its hash in the database."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from statex.accounts import hash_token
from statex.models import LinkToken, User
from statex.models.base import utcnow

# How long each kind of link works; short for what signs in, longer for verifying an address.
LIFETIMES = {
    "verify_email": timedelta(days=2),
    "magic_signin": timedelta(minutes=15),
    "reset_password": timedelta(hours=1),
}


def issue(session: Session, user: User, purpose: str, lifetime: timedelta | None = None) -> tuple[LinkToken, str]:
    """A new link for `user`; earlier unused links of the same purpose stop working."""
    now = utcnow()
    session.execute(update(LinkToken).where(LinkToken.user_id == user.id, LinkToken.purpose == purpose,
                                            LinkToken.used_at.is_(None)).values(used_at=now))
    plain = secrets.token_urlsafe(32)
    link = LinkToken(user=user, purpose=purpose, token_hash=hash_token(plain), email=user.email,
                     created_at=now, expires_at=now + (lifetime or LIFETIMES[purpose]))
    session.add(link)
    session.flush()
    return link, plain


def find(session: Session, purpose: str, plain: str) -> LinkToken | None:
    """The usable link with this secret, or None when unknown, used, expired or out of date."""
    link = session.scalar(select(LinkToken).where(LinkToken.token_hash == hash_token(plain),
                                                  LinkToken.purpose == purpose).with_for_update())
    if link is None or not link.usable_at(utcnow()) or not link.user.is_active:
        return None
    if link.email != link.user.email:
        return None
    return link


def use(session: Session, purpose: str, plain: str) -> LinkToken | None:
    """Find the link and spend it, in the caller's transaction."""
    link = find(session, purpose, plain)
    if link is not None:
        link.used_at = utcnow()
    return link


def purge_stale(session: Session, keep: timedelta = timedelta(days=7)) -> int:
    """Delete links used or expired more than `keep` ago (for periodic maintenance)."""
    cutoff = utcnow() - keep
    return session.execute(delete(LinkToken).where(or_(LinkToken.used_at < cutoff,
                                                        LinkToken.expires_at < cutoff))).rowcount
