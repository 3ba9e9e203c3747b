"""A client reads their request's page in words: no event names, file types, scores or bare addresses."""

import re

from playwright.sync_api import expect

from tests import samples
from tests.browser.people import sign_in

REQUEST = ("We are Pekárna Novák s.r.o. in Brno. Every month hundreds of supplier invoices arrive as PDF "
           "files and two people retype them into our accounting system. We want the invoices read "
           "automatically. Our budget is EUR 15,000 and we need it by the end of June 2027.")


def test_the_request_page_speaks_words_not_internals(page, live_server, make_user, tmp_path):
    email, password, _id = make_user()
    sign_in(page, live_server, email, password, "/portal/submissions/new")
    notes = tmp_path / "Our process.docx"
    notes.write_bytes(samples.docx())
    page.get_by_label("What do you need?").fill(REQUEST)
    page.get_by_label("Category (optional)").select_option(label="Documents and data entry")
    page.set_input_files('input[name="files"]', str(notes))
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))
    expect(page.locator(".result-summary")).to_be_visible(timeout=60_000)

    body = page.locator("main")
    expect(page.locator(".timeline")).to_contain_text("Received")
    expect(page.locator(".timeline")).to_contain_text("Results ready")
    expect(page.locator(".files")).to_contain_text("Word document")
    expect(body).to_contain_text("Documents and data entry")
    expect(page.locator(".result-language")).to_have_text("English")
    for internal in ("submission.created", "submission.completed", "application/vnd", "officedocument",
                     "score", "http://", "https://"):
        expect(body).not_to_contain_text(internal)

    # The budget once, as an amount and its currency.
    expect(page.locator(".fact-budget")).to_have_text("15,000 EUR")
    # Each service that fits: its title as a link, and a fit bar whose words say how well.
    services = page.locator(".result-services li")
    expect(services.first.get_by_role("link")).to_have_text("Document data extraction")
    fit = services.first.locator("meter")
    expect(fit).to_have_accessible_name(re.compile(r"^(Strong|Good|Partial) fit$"))
    expect(services.first).to_contain_text(re.compile(r"(Strong|Good|Partial) fit"))
    # The next step that points to the service reads as a link named by its title.
    first_step = page.locator(".result-steps li").first
    expect(first_step.get_by_role("link", name="Document data extraction")).to_have_attribute(
        "href", re.compile(r"/services/document-extraction/$"))
