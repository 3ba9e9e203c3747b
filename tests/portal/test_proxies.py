"""Behind the proxies TRUSTED_PROXIES counts, a client's address is the one the proxy saw; else the peer's."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from portal import create_app
from statex.models import AuditEvent
from tests.portal.served import Visitor, serve


def _portal(settings, trusted_proxies: int):
    return create_app(test_config={"TESTING": True, "STATEX_LIMITS": {"link_ip": "3 per hour"}},
                      settings=replace(settings, trusted_proxies=trusted_proxies))


def _ask_for_links(visitor: Visitor, times: int) -> list[int]:
    """Ask for a password reset `times` times, each for another address (so only the per-address limit counts)."""
    return [visitor.form("/portal/password/forgot", {"email": f"person{n}@example.com"}).status_code
            for n in range(times)]


def test_two_people_behind_one_proxy_have_their_own_limits_and_audit_entries(settings, make_user, db):
    with serve(_portal(settings, trusted_proxies=1)) as base:
        ann = Visitor(base, headers={"X-Forwarded-For": "203.0.113.7"})
        bob = Visitor(base, headers={"X-Forwarded-For": "198.51.100.23"})
        assert _ask_for_links(ann, 4) == [200, 200, 200, 429]
        assert _ask_for_links(bob, 1) == [200], "Ann's requests do not use up Bob's allowance"
        email, _, _ = make_user()
        assert bob.login(email).status_code == 302
    entry = db.scalar(select(AuditEvent).where(AuditEvent.action == "signin.success"))
    assert entry.ip == "198.51.100.23"


def test_a_forwarded_address_from_a_proxy_we_do_not_count_changes_nothing(settings, make_user, db):
    with serve(_portal(settings, trusted_proxies=0)) as base:
        forged = [Visitor(base, headers={"X-Forwarded-For": f"203.0.113.{n}"}) for n in range(4)]
        assert [_ask_for_links(visitor, 1)[0] for visitor in forged] == [200, 200, 200, 429]
        email, _, _ = make_user()
        assert forged[0].login(email).status_code == 302
    assert db.scalar(select(AuditEvent.ip).where(AuditEvent.action == "signin.success")) == "127.0.0.1"


def test_with_one_trusted_proxy_only_the_address_it_added_counts(settings, make_user, db):
    # The client forged an X-Forwarded-For of its own; the proxy appended the address it really saw.
    with serve(_portal(settings, trusted_proxies=1)) as base:
        email, _, _ = make_user()
        Visitor(base, headers={"X-Forwarded-For": "10.0.0.1, 192.0.2.44"}).login(email)
    assert db.scalar(select(AuditEvent.ip).where(AuditEvent.action == "signin.success")) == "192.0.2.44"
