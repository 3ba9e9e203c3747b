"""Users, their passwords, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, joinedload

from statex import emails, i18n
from statex.config import STRONG_HASHING
from statex.models import ApiToken, User, UserSession
from statex.models.base import utcnow
from statex.models.users import ROLES

TOKEN_PREFIX = "stx_"
# How exactly a token's "last used" time is kept.
LAST_USED_PRECISION = timedelta(minutes=1)


# The argon2 profile new hashes use (Settings.password_hashing); each process sets it from its settings.
_hashing = {"profile": STRONG_HASHING}


def use_hashing(profile: str) -> None:
    """Hash new passwords with this argon2 profile (the parameters travel inside each hash, so any verifies)."""
    _hashing["profile"] = profile


@lru_cache(maxsize=None)
def _hasher_for(profile: str) -> PasswordHasher:
    """argon2id with the named profile's parameters (RFC 9106's, or the cheapest in tests)."""
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _hasher() -> PasswordHasher:
    return _hasher_for(_hashing["profile"])


@lru_cache(maxsize=None)
def _dummy_hash(profile: str) -> str:
    """Verifying against this keeps a missing account as slow as a wrong password."""
    return _hasher_for(profile).hash("statex-timing-equaliser")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(session: Session, email: str, password: str | None, name: str = "",
                role: str = "client") -> User:
    """Add a user; the caller has checked that the email is free and the password acceptable.

    An address outside statex.emails' rule raises InvalidEmail: whatever is created here signs in.
    """
    user = User(email=emails.check(email), name=name.strip(), role=role,
                password_hash=_hasher().hash(password) if password else None)
    session.add(user)
    session.flush()
    return user


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None."""
    user = find_user(session, email)
    if user is None or not user.password_hash:
        _verify(_dummy_hash(_hashing["profile"]), password)
        return None
    if not _verify(user.password_hash, password) or not user.is_active:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        set_password(user, password)
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def hash_token(token: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str,
                 expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new API token; the plain text is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(plain), expires_at=expires_at)
    session.add(token)
    session.flush()
    return token, plain


def user_for_token(session: Session, plain: str) -> User | None:
    """The active owner of a usable token, noting when it was last used (to the minute)."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain))
                           .options(joinedload(ApiToken.user)))
    now = utcnow()
    if token is None or not token.usable_at(now) or not token.user.is_active:
        return None
    # Not written on every call: a client sending many requests a second would make each one a write.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
    return token.user


def has_staff(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.role.in_(("staff", "admin"))).limit(1)) is not None


def change_password(user: User, password: str) -> None:
    """Set a new password and note when; the caller ends the user's other sessions."""
    set_password(user, password)
    user.password_changed_at = utcnow()


def check_password(user: User, password: str) -> bool:
    """Whether `password` is the user's current one (for re-confirming before a sensitive change)."""
    return bool(user.password_hash) and _verify(user.password_hash, password)


def token_of(session: Session, user: User, token_id: str) -> ApiToken | None:
    """The user's own token with this id, or None (someone else's answers None too)."""
    try:
        key = uuid.UUID(str(token_id))
    except ValueError:
        return None
    return session.scalar(select(ApiToken).where(ApiToken.id == key, ApiToken.user_id == user.id))


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def set_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user.role = role


def deactivate(session: Session, user: User) -> None:
    """Stop the account: its sessions end and its tokens stop working (is_active is checked)."""
    user.is_active = False
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def search(session: Session, text: str = "", role: str | None = None, page: int = 1,
           per_page: int = 50) -> tuple[list[User], int]:
    """Users whose email or name contains `text`, optionally of one role; newest first."""
    query = select(User)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern)))
    if role:
        query = query.where(User.role == role)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(User.created_at.desc()).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def get_user(session: Session, user_id: str) -> User | None:
    try:
        return session.get(User, uuid.UUID(str(user_id)))
    except ValueError:
        return None


def token_owner_id(session: Session, plain: str) -> uuid.UUID | None:
    """Whose token this is, without checking or touching it (rate limits key on the account)."""
    return session.scalar(select(ApiToken.user_id).where(ApiToken.token_hash == hash_token(plain)))


def set_language(user: User, language: str | None) -> None:
    """Keep the language the portal and our messages speak to `user` (None: follow the browser)."""
    user.language = language if language in i18n.LANGUAGES else None


def set_timezone(user: User, timezone: str) -> None:
    """Keep the time zone `user` reads times in; an unknown name is refused (ValueError)."""
    if timezone not in available_timezones():
        raise ValueError(timezone)
    user.timezone = timezone
