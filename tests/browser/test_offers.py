"""An offer in the browser: a client's request, staff draft it into an offer, edit and send it, the client accepts."""

import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_review import send_request, sign_in

REQUEST = ("We are a bakery in Brno. Every month suppliers email us hundreds of PDF invoices and two "
           "accountants retype them into our accounting system. We want the invoices read automatically. "
           "Our budget is 20,000 EUR.")


def test_from_request_to_an_accepted_offer(browser, live_server, make_user):
    client_email, password, _ = make_user(role="client", name="Jana Nováková")
    staff_email, staff_password, _ = make_user(role="staff")
    client = browser.new_context(accept_downloads=True).new_page()
    sign_in(client, live_server, client_email, password)
    request_url = send_request(client, live_server, REQUEST)
    expect(client.locator(".badge--completed")).to_be_visible(timeout=60_000)

    staff = browser.new_context().new_page()
    sign_in(staff, live_server, staff_email, staff_password, "/portal/staff/")
    staff.goto(live_server + "/portal/staff/submissions/" + request_url.rsplit("/", 1)[-1])
    staff.get_by_role("button", name="Draft an offer").click()
    expect(staff.locator("#line-0-title")).to_have_value(re.compile("Document data extraction"))
    staff.locator("#line-0-quantity").fill("2")
    staff.locator("#line-0-discount").fill("10")
    staff.get_by_role("button", name="Add a line").click()
    last = staff.locator(".offer-line").last
    last.get_by_label("Title").fill("Onboarding workshop")
    last.get_by_label("Unit price").fill("800")
    staff.get_by_role("button", name="Save the draft").click()
    expect(staff.get_by_text("Draft saved.")).to_be_visible()
    client.goto(request_url)
    expect(client.locator(".offers")).to_have_count(0)  # a draft is never shown
    staff.get_by_role("button", name="Save and send to the client").click()
    expect(staff.get_by_text(re.compile(r"Offer \d{4}-0001 sent to the client"))).to_be_visible()
    total = staff.locator(".offer-total").inner_text()

    client.goto(request_url)
    client.locator(".offers").get_by_role("link", name=re.compile("Offer")).click()
    expect(client.locator(".offer-total")).to_have_text(total)
    with client.expect_download() as download:
        client.get_by_role("link", name="Download the PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Document data extraction" in text and "Onboarding workshop" in text and total in text
    client.get_by_label("Your full name").fill("Jana Nováková")
    client.get_by_label(re.compile("I accept this offer")).check()
    client.get_by_role("button", name="Accept the offer").click()
    expect(client.get_by_text("Thank you: you accepted the offer.")).to_be_visible()
    expect(client.locator(".offer-accepted")).to_contain_text("Accepted by Jana Nováková")
