"""Single-use, expiring links: the secret goes in the email, only its hash in the database.

A link's secret is derived from SECRET_KEY and the link's id, so it is written into the email at
the moment of sending (`reveal`) and nowhere else: the queued job, the delivery row, the
development outbox and the backups hold a placeholder naming the link, never a usable secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from statex.accounts import find_user, hash_token, normalise_email
from statex.messages.schedule import notify_user
from statex.models import LinkToken, User
from statex.models.base import utcnow
from statex.queue import ANSWER_REQUEST, schedule



@dataclass(frozen=True)
class Purpose:
    """What a kind of link is for: how long it works, the message that carries it, the page it opens."""

    lifetime: timedelta
    event: str
    path: str  # below PORTAL_URL


# Short for what signs in, longer for verifying an address.
PURPOSES = {
    "verify_email": Purpose(timedelta(days=2), "account.verify_email", "/verify/{token}"),
    "magic_signin": Purpose(timedelta(minutes=15), "account.magic_signin", "/login/link/{token}"),
    "reset_password": Purpose(timedelta(hours=1), "account.reset_password", "/password/reset/{token}"),
}
# What a person may ask for by typing an address: a sign-in link, a reset link, or an account.
REQUESTS = ("magic_signin", "reset_password", "signup")


# What stands for a link's secret wherever a message is kept: the link's id, useless without SECRET_KEY.
PLACEHOLDER = re.compile(r"stx-link-([0-9a-f]{32})")


def issue(session: Session, user: User, purpose: str, secret_key: str,
          lifetime: timedelta | None = None) -> tuple[LinkToken, str]:
    """A new link for `user` and its secret; earlier unused links of the same purpose stop working."""
    now = utcnow()
    session.execute(update(LinkToken).where(LinkToken.user_id == user.id, LinkToken.purpose == purpose,
                                            LinkToken.used_at.is_(None)).values(used_at=now))
    link_id = uuid.uuid4()
    plain = secret_of(secret_key, link_id)
    link = LinkToken(id=link_id, user=user, purpose=purpose, token_hash=hash_token(plain), email=user.email,
                     created_at=now, expires_at=now + (lifetime or PURPOSES[purpose].lifetime))
    session.add(link)
    session.flush()
    return link, plain


def secret_of(secret_key: str, link_id: uuid.UUID) -> str:
    """The secret of link `link_id`: 256 bits only SECRET_KEY can make again."""
    digest = hmac.new(secret_key.encode(), f"link:{link_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def placeholder(link: LinkToken) -> str:
    """What a queued or stored message carries instead of the link's secret."""
    return f"stx-link-{link.id.hex}"


def reveal(session: Session, secret_key: str, user_id: uuid.UUID | None, text: str) -> str:
    """`text` with each placeholder of `user_id`'s own links replaced by the secret, as it is sent.

    Only the recipient's links are filled in: a placeholder typed into a message by someone
    else (a request's description, say) names a link that is not theirs and stays as it is.
    """
    def fill(match: re.Match) -> str:
        link = session.get(LinkToken, uuid.UUID(match.group(1)))
        if link is None or user_id is None or link.user_id != user_id:
            return match.group(0)
        return secret_of(secret_key, link.id)

    return PLACEHOLDER.sub(fill, text or "")


def send(session: Session, portal_url: str, secret_key: str, user: User, purpose: str,
         event: str | None = None) -> None:
    """Issue a link and queue the message that carries it (`event`, else the purpose's own).

    The job and the delivery carry a placeholder; the secret is filled in as the email is sent.
    """
    default_event, path = PURPOSES[purpose].event, PURPOSES[purpose].path
    link, _secret = issue(session, user, purpose, secret_key)
    notify_user(session, user, event or default_event, key=f"{purpose}:{link.id}",
                link=portal_url + path.format(token=placeholder(link)),
                expires=f"{link.expires_at:%d %b %Y %H:%M} UTC", expires_at=link.expires_at.isoformat())


def ask(session: Session, email: str, purpose: str) -> None:
    """Queue the answer to what someone asked for with this address, account or not.

    The job decides (see `answer`), so a request for an address with an account does the same
    work in the web process, and takes as long, as one without: the answer tells nobody which.
    """
    if purpose not in REQUESTS:
        raise ValueError(f"purpose must be one of {', '.join(REQUESTS)}")
    schedule(session, ANSWER_REQUEST, normalise_email(email), purpose)


def answer(session: Session, portal_url: str, secret_key: str, email: str, purpose: str) -> str:
    """Send the account with this address what was asked for; an unknown or stopped one gets nothing.

    A sign-up for an address not yet confirmed gets the link that confirms it; one for an account
    that exists already tells its owner, with a sign-in link in case it was them.
    """
    user = find_user(session, email)
    if user is None or not user.is_active:
        return "skipped"
    if purpose != "signup":
        send(session, portal_url, secret_key, user, purpose)
    elif user.email_verified_at is None:
        send(session, portal_url, secret_key, user, "verify_email")
    else:
        send(session, portal_url, secret_key, user, "magic_signin", event="account.signup_existing")
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
