"""A client adds a webhook destination, verifies it, chooses it for results and sees the bell ring."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.fakes import SmtpPeer, WebhookPeer
from tests.helpers import wait_until
from tests.browser.people import sign_in

REQUEST = ("We are a small bakery chain in Brno. Every evening the shop managers email their sales and "
           "someone types them into a spreadsheet to plan tomorrow's baking. We want the plan proposed "
           "automatically from the sales figures.")


@pytest.fixture
def peers(monkeypatch):
    """A real SMTP server and a webhook receiver on loopback; set before the live server starts."""
    smtp, webhook = SmtpPeer().start(), WebhookPeer().start()
    monkeypatch.setenv("SMTP_URL", smtp.url)
    yield smtp, webhook
    webhook.stop()
    smtp.stop()


def test_add_verify_choose_a_destination_and_see_the_bell(peers, live_server, page, make_user):
    smtp, webhook = peers
    email, password, _id = make_user(email="bara@example.com", name="Bára", verified=True)
    sign_in(page, live_server, email, password, "/portal/account/notifications")
    expect(page.get_by_role("heading", name="Where we write to you")).to_be_visible()

    page.get_by_label("Service").select_option(label="Telegram")
    page.get_by_role("button", name="Choose").click()
    page.get_by_label("Telegram chat id").fill("@bara")
    page.get_by_role("button", name="Add and send a code").click()
    expect(page.locator(".field__error")).to_contain_text("numeric chat id")

    # Bára uses ntfy: she names the server and her topic, no URL syntax to learn.
    page.get_by_label("Service").select_option(label="ntfy")
    page.get_by_role("button", name="Choose").click()
    expect(page.get_by_label("Server")).to_have_value("https://ntfy.sh")
    page.get_by_label("Server").fill(f"http://127.0.0.1:{webhook.port}")
    page.get_by_label("Topic").fill("bara-news")
    page.get_by_role("button", name="Add and send a code").click()
    expect(page.get_by_text("waiting for its code")).to_be_visible()

    wait_until(lambda: webhook.requests, timeout=60, message="the verification code")
    assert webhook.requests[0]["json"]["topic"] == "bara-news"
    code = re.search(r"\b(\d{6})\b", webhook.requests[0]["json"]["message"]).group(1)
    page.get_by_label(re.compile("Code sent to")).fill(code)
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".badge", has_text="verified")).to_be_visible()

    page.get_by_label(re.compile("Results ready to ntfy://")).check()
    page.get_by_label("Results ready by account email").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()

    page.goto(live_server + "/portal/submissions/new")
    page.get_by_label("What do you need?").fill(REQUEST)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".badge--completed")).to_be_visible(timeout=60_000)

    # The bell refreshes itself (htmx, every few seconds) until the results are counted; the
    # confirmation is listed, already read.
    expect(page.locator(".bell__count")).to_have_text("1", timeout=30_000)
    wait_until(lambda: len(webhook.requests) == 2, timeout=60, message="the results on the webhook")
    assert webhook.requests[1]["json"]["title"].startswith("Your results are ready")
    assert webhook.requests[1]["json"]["topic"] == "bara-news"
    assert [m["Subject"].split(":")[0] for m in smtp.messages] == ["We received your request"]

    page.locator(".bell__link").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.locator(".notification")).to_have_count(2)
    expect(page.locator(".notification--unread")).to_have_count(1)
    page.locator(".notification", has_text="Your results are ready").get_by_role("button", name="Mark as read").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.locator(".bell__count")).to_have_text("0")


def test_every_service_is_named_with_its_own_fields_without_javascript(browser, live_server, make_user):
    """No apprise jargon unless asked for: each service people know shows the fields it needs, with a hint."""
    email, password, _id = make_user(email="cyril@example.com", verified=True)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, email, password, "/portal/account/notifications")
    expect(page.get_by_role("heading", name="Where we write to you")).to_be_visible()
    assert "apprise" not in page.locator("main").inner_text().lower()

    names = page.get_by_label("Service").locator("option").all_inner_texts()
    for name in ("Slack", "Discord", "Microsoft Teams", "Google Chat", "Telegram", "ntfy", "Pushover", "Matrix",
                 "Mattermost", "Other (advanced)"):
        assert name in names
    page.get_by_label("Service").select_option(label="Pushover")
    page.get_by_role("button", name="Choose").click()
    expect(page.get_by_label("User key")).to_be_visible()
    expect(page.get_by_label("Application token")).to_be_visible()
    expect(page.get_by_text("Your Applications, Create an Application")).to_be_visible()
    page.get_by_label("User key").fill("u4a2bc")
    page.get_by_role("button", name="Add and send a code").click()
    expect(page.locator(".field__error")).to_contain_text("Enter the application token")
    expect(page.get_by_label("User key")).to_have_value("u4a2bc")

    page.get_by_label("Service").select_option(label="Other (advanced)")
    page.get_by_role("button", name="Choose").click()
    page.get_by_label("Apprise URL").fill("kodi://127.0.0.1:8080")
    page.get_by_role("button", name="Add and send a code").click()
    expect(page.locator(".field__error")).to_contain_text("We do not send to kodi://")
    context.close()
