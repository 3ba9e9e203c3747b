"""Where sign-in leads: a `next` only under /portal/ on this site, else the start page of one's role."""

from __future__ import annotations

import pytest

from tests.portal.served import Visitor, serve

# As typed into the address bar after `?next=` (percent-encoded as sent on the wire).
HOSTILE = [
    "/%09/evil.example",          # a tab: browsers drop it, leaving //evil.example
    "/%0a/evil.example",          # a newline: was a 500
    "/%0d%0a/evil.example",
    "//evil.example",
    "///evil.example",
    "/%5Cevil.example",           # a backslash: browsers read it as a slash
    "/portal/%5C%5Cevil.example",
    "https://evil.example/portal/",
    "https:/evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/portal/%250a/evil",         # a newline once more decoded
    "/%E2%80%8B/evil.example",    # a zero-width space
    "evil.example",
    "/staff-looking/but-outside",
]


@pytest.fixture
def portal(app):
    with serve(app) as base:
        yield base


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_next_leads_to_the_start_page(portal, make_user, target):
    email, _, _ = make_user()
    response = Visitor(portal).login(email, next_=target)
    assert response.status_code == 302
    assert response.headers["Location"] in ("/portal/", f"{portal}/portal/")


@pytest.mark.parametrize("target", ["/portal/account/", "/portal/submissions/new?language=cs"])
def test_a_next_under_the_portal_is_followed(portal, make_user, target):
    email, _, _ = make_user()
    response = Visitor(portal).login(email, next_=target.replace("?", "%3F").replace("=", "%3D"))
    assert response.headers["Location"].removeprefix(portal) == target


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_land_on_the_staff_start_page(portal, make_user, role):
    email, _, _ = make_user(role=role)
    visitor = Visitor(portal)
    response = visitor.login(email)
    assert response.headers["Location"].removeprefix(portal) == "/portal/staff/"
    assert visitor.login(email, next_="/portal/account/").headers["Location"].removeprefix(portal) \
        == "/portal/account/", "a next target still wins"


def test_a_client_lands_on_their_requests(portal, make_user):
    email, _, _ = make_user()
    assert Visitor(portal).login(email).headers["Location"].removeprefix(portal) == "/portal/"
