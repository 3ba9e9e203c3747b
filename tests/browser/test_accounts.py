"""A client's account in Chromium: sign up, confirm the address from the mail, sign in, a token, sign out everywhere."""

import re

from playwright.sync_api import expect

from tests.browser.people import sign_in

PASSWORD = "my own long passphrase for statex"



def _read_mail(browser, base, staff_email, staff_password, subject) -> str:
    """An admin opens the development outbox and reads the message's text."""
    staff = browser.new_context().new_page()
    sign_in(staff, base, staff_email, staff_password, "/portal/staff/outbox")
    message = staff.get_by_role("link", name=re.compile(subject))
    for _ in range(40):  # the notifications worker sends it within moments
        if message.count():
            break
        staff.wait_for_timeout(500)
        staff.reload()
    message.first.click()
    text = staff.locator(".message-text").inner_text()
    staff.context.close()
    return text


def test_sign_up_confirm_sign_in_make_a_token_and_sign_out_everywhere(page, browser, live_server, make_user):
    page.goto(live_server + "/portal/signup")
    page.get_by_label("Your name").fill("Eva Novak")
    page.get_by_label("Email").fill("eva@example.com")
    page.get_by_label("Password").fill("password1234")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".field__error")).to_contain_text("most common")
    expect(page.get_by_label("Email")).to_have_value("eva@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status").first).to_contain_text("We sent a message to eva@example.com")

    staff_email, staff_password, _ = make_user(role="admin")
    mail = _read_mail(browser, live_server, staff_email, staff_password, "Confirm your email address")
    link = re.search(r"https?://\S+/portal/verify/\S+", mail).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm eva@example.com").click()
    expect(page.get_by_role("status").first).to_contain_text("eva@example.com is confirmed")
    page.get_by_label("Email").fill("eva@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))

    laptop = browser.new_context().new_page()
    sign_in(laptop, live_server, "eva@example.com", PASSWORD, "/portal/account/")
    expect(laptop.get_by_role("heading", name="Your account", exact=True)).to_be_visible()
    laptop.get_by_label("Token name").fill("nightly import")
    laptop.get_by_label("Expires").select_option(label="In 90 days")
    laptop.get_by_role("button", name="Create token").click()
    token = laptop.locator("#new-token").inner_text()
    assert token.startswith("stx_")
    api = laptop.request.get(live_server + "/api/v1/submissions", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200
    laptop.goto(live_server + "/portal/account/")
    expect(laptop.locator("#new-token")).to_have_count(0)
    expect(laptop.get_by_role("cell", name="nightly import", exact=True)).to_be_visible()

    laptop.get_by_role("button", name="Sign out everywhere").click()
    expect(laptop).to_have_url(re.compile(r"/portal/login"))
    for browser_page in (laptop, page):
        browser_page.goto(live_server + "/portal/account/")
        expect(browser_page).to_have_url(re.compile(r"/portal/login\?next="))
    laptop.context.close()
