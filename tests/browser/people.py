"""What a person does in the browser before the test proper: sign in through the form."""

import re

from playwright.sync_api import expect


def sign_in(page, base: str, email: str, password: str, then: str | None = "/portal/") -> None:
    """Sign in through the form and land on `then` (None: wherever the portal sends this person).

    It waits for the page's own scripts (deferred htmx and portal.js) as well, so what the test types
    next meets the live page a person would meet, not the moment before its scripts ran.
    """
    page.goto(f"{base}/portal/login" + (f"?next={then}" if then else ""))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(then) + "$") if then else re.compile(r"/portal/(?!login)"))
    page.wait_for_load_state()


def sign_in_to_a_new_request(page, base: str, make_user) -> None:
    """A new client signs in through the form and lands on "New request"."""
    email, password, _id = make_user()
    sign_in(page, base, email, password, "/portal/submissions/new")
