"""One vocabulary of categories: staff choose them in English, the analyser files a Czech request under the same one."""

import re

from playwright.sync_api import expect

from statex import categories
from tests.browser.test_review import open_in_review, send_request, sign_in

CZECH = ("Dobrý den, provozujeme e-shop a denně dostáváme stovky dotazů zákazníků e-mailem na stav "
         "objednávek. Chceme asistenta zákaznické podpory, který bude na časté dotazy zákazníků odpovídat "
         "automaticky.")


def test_a_czech_request_waits_under_the_category_staff_chose_in_english(browser, live_server, make_user):
    staff_email, staff_password, _ = make_user(role="staff")
    staff = browser.new_context().new_page()
    sign_in(staff, live_server, staff_email, staff_password, "/portal/staff/review")
    choices = staff.locator("fieldset label.check")
    # Each category once, in the staff's language: no "Analytics" beside "Analytika".
    expect(choices).to_have_text([category.labels["en"] for category in categories.VOCABULARY])
    staff.get_by_label("Text and language").check()
    staff.get_by_role("button", name="Save review settings").click()
    expect(staff.get_by_text("Review settings saved.")).to_be_visible()
    expect(staff.get_by_label("Text and language")).to_be_checked()

    client_email, password, _ = make_user(role="client")
    client = browser.new_context(locale="cs-CZ").new_page()  # the form then says the request is in Czech
    # A Czech browser would get the Czech portal; this client chose the English one, as the site's link does.
    client.goto(live_server + "/portal/login?lang=en")
    sign_in(client, live_server, client_email, password)
    request = send_request(client, live_server, CZECH)
    expect(client.locator(".badge--in_review")).to_be_visible(timeout=30_000)

    open_in_review(staff, live_server, "asistenta zákaznické podpory")  # its title: the first need it states
    expect(staff.get_by_label("Category")).to_have_value("language")
    expect(staff.get_by_label("Category").locator("option:checked")).to_have_text("Text and language")
    staff.get_by_role("button", name="Approve and notify the client").click()
    expect(staff.get_by_text("Approved")).to_be_visible()

    # The client reads the category in their request's language.
    client.goto(request)
    expect(client.locator(".result-category")).to_contain_text("Text a jazyk")
    expect(client.locator(".result-category")).not_to_contain_text(re.compile(r"\bJazyk\b|\blanguage\b"))
