"""Single-use, expiring links: the secret goes in the email, only its hash in the database."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from statex.accounts import find_user, hash_token, normalise_email
from statex.messages.notify import notify_user
from statex.models import LinkToken, User
from statex.models.base import utcnow
from statex.queue import NOTIFICATIONS, schedule

# How long each kind of link works; short for what signs in, longer for verifying an address.
LIFETIMES = {
    "verify_email": timedelta(days=2),
    "magic_signin": timedelta(minutes=15),
    "reset_password": timedelta(hours=1),
}
# purpose → the message that carries the link, and the portal page it opens (below PORTAL_URL).
MESSAGES = {
    "verify_email": ("account.verify_email", "/verify/{token}"),
    "magic_signin": ("account.magic_signin", "/login/link/{token}"),
    "reset_password": ("account.reset_password", "/password/reset/{token}"),
}
# What a person may ask for by typing an address: a sign-in link, a reset link, or an account.
REQUESTS = ("magic_signin", "reset_password", "signup")


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


def send(session: Session, portal_url: str, user: User, purpose: str, event: str | None = None) -> None:
    """Issue a link and queue the message that carries it (`event`, else the purpose's own)."""
    default_event, path = MESSAGES[purpose]
    link, plain = issue(session, user, purpose)
    notify_user(session, user, event or default_event, key=f"{purpose}:{link.id}",
                link=portal_url + path.format(token=plain), expires=f"{link.expires_at:%d %b %Y %H:%M} UTC")


def ask(session: Session, email: str, purpose: str) -> None:
    """Queue the answer to what someone asked for with this address, account or not.

    The job decides (see `answer`), so a request for an address with an account does the same
    work in the web process, and takes as long, as one without: the answer tells nobody which.
    """
    if purpose not in REQUESTS:
        raise ValueError(f"purpose must be one of {', '.join(REQUESTS)}")
    schedule(session, NOTIFICATIONS, "jobs.accounts.answer_request", normalise_email(email), purpose)


def answer(session: Session, portal_url: str, email: str, purpose: str) -> str:
    """Send the account with this address what was asked for; an unknown or stopped one gets nothing.

    A sign-up for an address not yet confirmed gets the link that confirms it; one for an account
    that exists already tells its owner, with a sign-in link in case it was them.
    """
    user = find_user(session, email)
    if user is None or not user.is_active:
        return "skipped"
    if purpose != "signup":
        send(session, portal_url, user, purpose)
    elif user.email_verified_at is None:
        send(session, portal_url, user, "verify_email")
    else:
        send(session, portal_url, user, "magic_signin", event="account.signup_existing")
    return "sent"


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
