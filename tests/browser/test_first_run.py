"""The first run as a newcomer meets it: `statex up` prints a staff login, and it signs in, in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.cli.test_up import Up, embedded_env, wait_ready  # noqa: F401  (embedded_env: a fixture)
from tests.browser.people import sign_in

pytestmark = pytest.mark.slow
LOGIN = re.compile(r"staff login: (\S+) / (\S+)")


@pytest.fixture
def first_run(embedded_env):  # noqa: F811  (the fixture of tests/cli/test_up)
    """A fresh `statex up` on embedded defaults: its address, and the login it printed."""
    up = Up(embedded_env)
    base = f"http://127.0.0.1:{embedded_env['PORT']}"
    try:
        email, password = up.wait_for(LOGIN.pattern).groups()
        wait_ready(base)
        kept = (Path(embedded_env["STATEX_VAR_DIR"]) / "staff-login.txt").read_text()
        assert LOGIN.search(kept).groups() == (email, password), "the file holds what was printed"
        yield base, email, password
    finally:
        up.process.terminate()
        up.process.wait(30)


def test_the_printed_staff_login_signs_in_to_the_staff_pages(first_run, page):
    base, email, password = first_run
    sign_in(page, base, email, password, None)
    expect(page).to_have_url(f"{base}/portal/staff/")
    expect(page.locator(".field__error")).to_have_count(0)


def test_the_printed_address_gets_a_sign_in_link_that_lands_on_the_staff_pages(first_run, page, browser):
    base, email, password = first_run
    page.goto(f"{base}/portal/login/link")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("status").first).to_contain_text(f"If {email} has an account")

    reader = browser.new_context().new_page()  # the admin reads the development outbox
    sign_in(reader, base, email, password, "/portal/staff/outbox")
    message = reader.get_by_role("link", name=re.compile("sign-in link"))
    for _ in range(60):  # the notifications worker sends it within moments
        if message.count():
            break
        reader.wait_for_timeout(500)
        reader.reload()
    message.first.click()
    link = re.search(r"https?://\S+/portal/login/link/\S+", reader.locator(".message-text").inner_text()).group(0)
    reader.context.close()

    page.goto(link)
    page.get_by_role("button", name=re.compile("Sign in")).click()
    expect(page).to_have_url(f"{base}/portal/staff/")
