"""Accounts in the domain: the password policy, single-use links, lockout, the audit trail."""

from datetime import timedelta

from sqlalchemy import select

from statex import accounts, audit, links, passwords, sessions
from statex.lockout import Lockout, Policy
from statex.models import AuditEvent, User

KEY = "test-secret-key-" + "x" * 32


def test_password_policy_accepts_long_phrases_and_names_each_problem():
    assert passwords.problem("correct horse battery staple") is None
    assert "at least 12" in passwords.problem("short")
    assert "at most 128" in passwords.problem("x" * 129 + "y")
    assert "most common" in passwords.problem("qwertyuiopasdfgh")
    assert "most common" in passwords.problem("aaaaaaaaaaaaaaaa")
    assert "email" in passwords.problem("ann.smith@example.com", email="ann.smith@example.com")
    assert passwords.problem("ÄŒšťř €🙂 long enough") is None, "any characters count, no composition rules"


def _user(db, email="ann@example.com") -> User:
    user = accounts.create_user(db, email, "correct horse battery staple", name=email.split("@")[0])
    db.flush()
    return user


def test_a_link_is_stored_hashed_works_once_and_expires(db):
    user = _user(db)
    link, plain = links.issue(db, user, "reset_password", KEY)
    assert plain not in link.token_hash and link.token_hash == accounts.hash_token(plain)
    assert links.use(db, "reset_password", plain).user is user
    assert links.use(db, "reset_password", plain) is None, "single use"

    expired, plain = links.issue(db, user, "magic_signin", KEY, lifetime=timedelta(seconds=-1))
    assert links.find(db, "magic_signin", plain) is None


def test_a_new_link_replaces_the_older_one_and_purposes_do_not_mix(db):
    user = _user(db)
    _first, first = links.issue(db, user, "magic_signin", KEY)
    _second, second = links.issue(db, user, "magic_signin", KEY)
    assert links.find(db, "magic_signin", first) is None
    assert links.find(db, "reset_password", second) is None
    assert links.find(db, "magic_signin", second) is not None


def test_a_verification_link_proves_only_the_address_it_was_sent_to(db):
    user = _user(db)
    _link, plain = links.issue(db, user, "verify_email", KEY)
    user.email = "someone-else@example.com"
    assert links.find(db, "verify_email", plain) is None


def test_lockout_slows_then_locks_then_ends(redis):
    guard = Lockout(redis, Policy(slow_after=2, delay=10, lock_after=4, lock_seconds=600))
    email, t = "ann@example.com", 1_000_000.0
    assert guard.fail(email, now=t) == 0 and guard.wait(email, now=t) == 0
    assert guard.fail(email, now=t) == 10, "third try waits 10 s"
    assert guard.wait(email, now=t + 4) == 6
    assert guard.fail(email, now=t + 10) == 20, "then the wait doubles"
    assert guard.fail(email, now=t + 30) == 600 and guard.locked(email)
    assert guard.wait(email, now=t + 629) == 1
    assert guard.wait(email, now=t + 631) == 0, "the lock ends"
    assert not guard.locked(email), "and the count starts afresh"
    assert guard.fail("ANN@example.com ", now=t + 632) == 0


def test_forgetting_an_account_keeps_its_trail_under_a_pseudonym(db):
    user, admin = _user(db), _user(db, "boss@example.com")
    origin = audit.Origin(ip="203.0.113.9", user_agent="Firefox")
    audit.record(db, "signin.success", user, origin)
    audit.record(db, "role.changed", admin, origin, target=user)
    audit.record(db, "signin.failure", None, origin, actor_label=user.email)
    db.flush()
    audit.forget(db, user)
    rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    label = audit.pseudonym(user.id)
    assert [r.actor for r in rows] == [label, "boss@example.com", label]
    assert rows[1].target == label and rows[1].ip == "203.0.113.9", "the admin's own entry keeps its origin"
    assert rows[0].ip == "" and rows[0].user_agent == "" and rows[2].ip == ""
    assert "ann" not in " ".join(r.actor + r.target for r in rows)


def test_search_finds_by_email_or_name_and_role(db):
    _user(db, "ann@example.com")
    staff = _user(db, "bob@example.com")
    accounts.set_role(staff, "staff")
    db.flush()
    assert [u.email for u in accounts.search(db, "ANN")[0]] == ["ann@example.com"]
    assert [u.email for u in accounts.search(db, "", "staff")[0]] == ["bob@example.com"]
    assert accounts.search(db, "nobody")[1] == 0


def test_maintenance_purges_expired_sessions_and_stale_links(db):
    user = _user(db)
    live = sessions.start(db, user, audit.Origin(), timedelta(hours=1))
    sessions.start(db, user, audit.Origin(), timedelta(seconds=-1))
    links.issue(db, user, "magic_signin", KEY, lifetime=timedelta(days=-8))
    links.issue(db, user, "reset_password", KEY)
    assert sessions.purge_expired(db) == 1 and sessions.user_for(db, str(live.id)) is user
    assert links.purge_stale(db) == 1


def test_lockout_lets_sign_in_proceed_when_redis_is_unreachable():
    from redis import Redis

    guard = Lockout(Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1), Policy())
    assert guard.fail("ann@example.com") == 0 and guard.wait("ann@example.com") == 0
    assert guard.locked("ann@example.com") is False and guard.clear("ann@example.com") is None


def test_new_passwords_are_hashed_with_the_profile_the_settings_name(db):
    from argon2 import extract_parameters, profiles

    from statex.config import load_settings

    accounts.use_hashing("RFC_9106_LOW_MEMORY")
    strong = accounts.hash_password("correct horse battery staple")
    accounts.use_hashing(load_settings().password_hashing)
    cheap = accounts.hash_password("correct horse battery staple")
    assert extract_parameters(strong).memory_cost == profiles.RFC_9106_LOW_MEMORY.memory_cost
    assert extract_parameters(cheap).memory_cost == profiles.CHEAPEST.memory_cost
