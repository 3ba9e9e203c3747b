"""The first journey: from the public site to a completed request, as a visitor would live it."""

import re

from playwright.sync_api import expect

from tests.browser.people import sign_in

PASSWORD = "a long and private passphrase"
REQUEST = ("We are a small logistics company in Ostrava. Our dispatchers plan thirty delivery routes "
           "every morning by hand in spreadsheets. Planning takes two hours and routes are often "
           "longer than needed. We want software that proposes the routes automatically.")


def test_visitor_signs_up_submits_and_sees_results_arrive_live(page, live_server, make_user):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Submit a request").first.click()
    expect(page).to_have_url(re.compile(r"/portal/login\?next="))

    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Your name").fill("Dana Dispatcher")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status").first).to_contain_text("We sent a message to dana@example.com")

    page.goto(live_server + "/portal/submissions/new")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/new$"))

    page.get_by_label("What do you need?").fill(REQUEST)
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))
    detail_url = page.url

    # The status block replaces itself until the request is done; the page is never reloaded.
    page.evaluate("window.__sameDocument = true")
    expect(page.locator(".badge--completed")).to_be_visible(timeout=30_000)
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator(".result-summary")).to_contain_text("routes")
    expect(page.locator(".timeline")).to_contain_text("Results ready")

    staff_email, staff_password, _id = make_user(role="admin")  # the development outbox is for admins
    staff = page.context.browser.new_context().new_page()
    sign_in(staff, live_server, staff_email, staff_password, "/portal/staff/outbox")
    message = staff.get_by_role("link", name=re.compile("Your results are ready"))
    for _ in range(30):  # the notification worker sends it soon after the status changes
        if message.count():
            break
        staff.wait_for_timeout(500)
        staff.reload()
    message.click()
    expect(staff.locator(".message-text")).to_contain_text(detail_url.split("/portal")[1])
    staff.context.close()
