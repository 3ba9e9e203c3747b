"""Staff review in the browser: switch review on, edit and approve one result, reject another."""

import re

from playwright.sync_api import expect

from tests.browser.people import sign_in

REQUEST = ("We run three dental clinics in Prague. Patients call to book, move and cancel appointments, "
           "and the receptionists spend half the day on the phone. We want an assistant that books "
           "appointments by chat and by phone.")



def send_request(page, base, text):
    page.goto(base + "/portal/submissions/new")
    page.get_by_label("What do you need?").fill(text)
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))
    return page.url


def open_in_review(staff, base, title_part):
    """The review queue fills as the worker finishes; look again until the request is there."""
    link = staff.get_by_role("link", name=re.compile(title_part))
    for _ in range(40):
        staff.goto(base + "/portal/staff/review")
        if link.count():
            break
        staff.wait_for_timeout(500)
    link.click()


def test_staff_edit_approve_and_reject(browser, live_server, make_user):
    client_email, password, _ = make_user(role="client")
    staff_email, staff_password, _ = make_user(role="staff")
    staff = browser.new_context().new_page()
    sign_in(staff, live_server, staff_email, staff_password, "/portal/staff/review")
    staff.get_by_label("Every result waits for review").check()
    staff.get_by_role("button", name="Save review settings").click()
    expect(staff.get_by_text("Review settings saved.")).to_be_visible()

    client = browser.new_context().new_page()
    sign_in(client, live_server, client_email, password)
    first = send_request(client, live_server, REQUEST)
    expect(client.locator(".badge--in_review")).to_be_visible(timeout=30_000)
    expect(client.locator(".result-summary")).to_have_count(0)

    # Named from the analysis: the request's first stated need.
    open_in_review(staff, live_server, "We want an assistant that books appointments")
    staff.get_by_label("Summary").fill("An assistant that books dental appointments by chat and phone.")
    staff.get_by_role("button", name="Save changes").click()
    expect(staff.get_by_text("Saved: summary.")).to_be_visible()
    expect(staff.locator(".timeline")).to_contain_text("edit summary")
    staff.get_by_role("button", name="Approve and notify the client").click()
    expect(staff.get_by_text("Approved")).to_be_visible()

    client.goto(first)
    expect(client.locator(".badge--completed")).to_be_visible()
    expect(client.locator(".result-summary")).to_have_text(
        "An assistant that books dental appointments by chat and phone.")

    second = send_request(client, live_server, "We also want the assistant to send reminders the day before.")
    expect(client.locator(".badge--in_review")).to_be_visible(timeout=30_000)
    open_in_review(staff, live_server, "reminders")
    staff.get_by_role("button", name="Send back to the client").click()
    expect(staff.get_by_text("Tell the client what is missing.")).to_be_visible()
    staff.get_by_label("What the client should add or change").fill("By SMS or by email?")
    staff.get_by_role("button", name="Send back to the client").click()
    expect(staff.get_by_text("Sent back to the client")).to_be_visible()

    client.goto(second)
    expect(client.locator("#status")).to_contain_text("By SMS or by email?")
    client.get_by_label("Add information").fill("By SMS, please.")
    client.get_by_role("button", name="Add and process again").click()
    expect(client.locator(".badge--in_review")).to_be_visible(timeout=30_000)


def test_a_request_sent_back_asks_the_client_and_takes_their_answer(browser, live_server, make_user):
    client_email, password, _ = make_user(role="client")
    staff_email, staff_password, _ = make_user(role="staff")
    staff = browser.new_context().new_page()
    sign_in(staff, live_server, staff_email, staff_password, "/portal/staff/review")
    staff.get_by_label("Every result waits for review").check()
    staff.get_by_role("button", name="Save review settings").click()

    client = browser.new_context().new_page()
    sign_in(client, live_server, client_email, password)
    send_request(client, live_server, "We also want the assistant to send reminders the day before.")
    expect(client.locator(".badge--in_review")).to_be_visible(timeout=30_000)
    client.evaluate("window.__sameDocument = true")

    open_in_review(staff, live_server, "send reminders")
    staff.get_by_label("What the client should add or change").fill("By SMS or by email?")
    staff.get_by_role("button", name="Send back to the client").click()
    expect(staff.get_by_text("Sent back to the client")).to_be_visible()

    # The client's page, open all along, now says what we need from them.
    status = client.locator("#status")
    expect(status).to_contain_text("We need something from you to go on.", timeout=10_000)
    expect(status.locator(".staff-note")).to_have_text("By SMS or by email?")
    expect(status).not_to_contain_text("We are working on your request")
    assert client.evaluate("window.__sameDocument") is True
    client.get_by_role("link", name="Add it below").click()
    expect(client).to_have_url(re.compile(r"#add-information$"))
    client.get_by_label("Add information").fill("By SMS, please.")
    client.get_by_role("button", name="Add and process again").click()
    expect(client.get_by_text("we process your request again")).to_be_visible()
    expect(status).not_to_contain_text("We need something from you")
    expect(client.locator(".badge--in_review")).to_be_visible(timeout=30_000)
    # Its heading: the request's own need, not its description cut to fit.
    expect(client.get_by_role("heading", level=1)).to_have_text(
        "We also want the assistant to send reminders the day before")
