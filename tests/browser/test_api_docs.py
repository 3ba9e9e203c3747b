"""A developer finds the API documentation from their account page and reads it without JavaScript, on a phone too."""

import re

from playwright.sync_api import expect

from portal.api.openapi import document

from tests.browser.people import sign_in


def test_the_api_documentation_reads_without_javascript(browser, live_server, make_user):
    email, password, _id = make_user()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, email, password, "/portal/account/")
    page.locator("section", has=page.get_by_role("heading", name="API tokens")).get_by_role(
        "link", name="Read the API documentation").click()

    expect(page).to_have_url(re.compile(r"/api/v1/docs$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statex API")
    operations = [(method, path) for path, item in document()["paths"].items() for method in item]
    for method, path in operations:
        expect(page.get_by_role("heading", name=f"{method.upper()} {path}", exact=True)).to_be_visible()
    page.get_by_role("link", name="POST /submissions", exact=True).click()
    expect(page.locator("#createSubmission")).to_contain_text("Idempotency-Key")
    expect(page.locator("#createSubmission")).to_contain_text("422 A field or file breaks a rule")
    # Wide tables and schemas scroll inside their own box; the page itself does not scroll sideways.
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    page.get_by_role("link", name=re.compile(r"OpenAPI 3\.1\.0 document")).click()
    assert '"openapi": "3.1.0"' in page.content() or '"openapi":"3.1.0"' in page.content()
    context.close()
