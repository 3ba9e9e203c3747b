"""A client answers staff's message from their mail program; staff, on the request's page, see it arrive."""


from playwright.sync_api import expect

from statex import submissions
from statex.db import session_scope
from statex.models import User
from tests import samples
from tests.helpers import wait_until
from tests.mail_replies import MailIn, reply
from tests.browser.people import sign_in

CLIENT = "eva@example.com"



def test_a_client_answers_by_email_and_staff_see_it_in_the_thread(smtp, live_server, page, make_user, settings):
    _, _, client_id = make_user("client", email=CLIENT, name="Eva", verified=True)
    with session_scope(settings.database_url) as session:
        submission_id = submissions.create(session, session.get(User, client_id), "Read our invoices",
                                           process=False).id
    staff_email, staff_password, _ = make_user("staff", name="Sam Novak")
    then = f"/portal/staff/submissions/{submission_id}"
    sign_in(page, live_server, staff_email, staff_password, then)
    page.get_by_label("Your message").fill("Could you send us one invoice?")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message--staff")).to_contain_text("Could you send us one invoice?")

    told = wait_until(lambda: [m for m in smtp.messages if m["To"] == CLIENT and m["Reply-To"]], timeout=60,
                      message="the email telling the client, with its Reply-To")
    address = str(told[0]["Reply-To"])
    server = MailIn()
    try:
        server.send(reply(CLIENT, address, "Here is the one from November.",
                          files=(("invoice-november.pdf", "application/pdf", samples.pdf()),)), address)
    finally:
        assert server.stop() == 0

    # Staff's page, open all along, brings the answer without the quoted mail, with its file.
    answer = page.locator(".message--client")
    expect(answer).to_contain_text("Here is the one from November.", timeout=20_000)
    expect(answer.get_by_role("link", name="invoice-november.pdf")).to_be_visible()
    expect(answer).not_to_contain_text("Could you send us one invoice?")
    expect(answer).not_to_contain_text("Best regards")
