"""A client and our staff talk on a request: the reply with its file arrives live, the note never does."""

import re

from playwright.sync_api import expect

from tests import samples
from tests.browser.people import sign_in, sign_in_to_a_new_request

REQUEST = "We get 800 invoices a month as PDF files and want them read into our ERP automatically."



def test_a_conversation_on_a_request(browser, page, live_server, make_user, tmp_path):
    sign_in_to_a_new_request(page, live_server, make_user)
    page.get_by_label("What do you need?").fill(REQUEST)
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))
    request_page = page.url
    submission_id = request_page.rsplit("/", 1)[-1]
    expect(page.locator("#thread")).to_contain_text("No messages yet.")

    staff_email, staff_password, _ = make_user("staff", name="Sam Novak")
    staff = browser.new_context(locale="en-GB").new_page()
    sign_in(staff, live_server, staff_email, staff_password, f"/portal/staff/submissions/{submission_id}")
    sample = tmp_path / "sample-import.pdf"
    sample.write_bytes(samples.pdf())
    staff.get_by_label("Your message").fill("Thank you! Is **this** the layout you need?")
    staff.set_input_files('#message-form input[name="files"]', str(sample))
    staff.get_by_role("button", name="Send", exact=True).click()
    expect(staff.locator(".message--staff")).to_contain_text("Is this the layout you need?")
    staff.get_by_label("Your message").fill("Big account: offer the yearly plan.")
    staff.get_by_label("Internal note: only staff see it").check()
    staff.get_by_role("button", name="Send", exact=True).click()
    expect(staff.locator(".message--note")).to_contain_text("offer the yearly plan")

    # The client's page, open all along, brings the reply by itself; the note never comes.
    reply = page.locator(".message--staff")
    expect(reply).to_contain_text("Is this the layout you need?", timeout=20_000)
    expect(reply.locator(".message__body strong")).to_have_text("this")
    expect(reply.get_by_role("link", name="sample-import.pdf")).to_be_visible()
    expect(page.locator("#thread")).not_to_contain_text("yearly plan")

    page.get_by_label("Your message").fill("Yes, exactly that one.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message--client")).to_contain_text("Yes, exactly that one.")
    expect(page.locator("#thread")).not_to_contain_text("yearly plan")

    # Staff's page, open all along too, brings the answer, and says the client read the reply.
    expect(staff.locator(".message--client")).to_contain_text("Yes, exactly that one.", timeout=20_000)
    expect(staff.locator(".message--staff").first).to_contain_text("Read")
    staff.context.close()
