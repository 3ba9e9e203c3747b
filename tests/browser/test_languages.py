"""The portal speaks the language the visitor came from the site in: sign up, send, read the result."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from statex.db import session_scope
from statex.models import OutboxMessage, User

PASSWORD = "a long and private passphrase"
# The words each language's walk reads: the site's button, the portal's labels, the result's.
WORDS = {
    "cs": dict(site="/cs/", cta="Odeslat poptávku", sign_in_heading="Přihlásit se", create="Založte si účet",
               name="Vaše jméno", email="E-mail", password="Heslo", create_button="Založit účet",
               sent="Poslali jsme zprávu na", sign_in="Přihlásit se", need="Co potřebujete?",
               send="Odeslat poptávku", ready="Výsledky jsou hotové", summary="Shrnutí",
               files="2 soubory", received="Vaši poptávku jsme přijali", browser="en-GB",
               request=("Dobrý den, jsme malá účetní kancelář v Brně. Každý měsíc ručně přepisujeme stovky "
                        "faktur do účetního systému. Chceme, aby se faktury četly automaticky.")),
    "en": dict(site="/", cta="Submit a request", sign_in_heading="Sign in", create="Create an account",
               name="Your name", email="Email", password="Password", create_button="Create account",
               sent="We sent a message to", sign_in="Sign in", need="What do you need?",
               send="Send request", ready="Results ready", summary="Summary", files="2 files",
               received="We received your request", browser="cs-CZ",
               request=("We are a small accounting office in Brno. Every month we retype hundreds of "
                        "invoices into our accounting system by hand. We want them read automatically.")),
}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_from_the_site_to_a_result_in_the_sites_language(browser, live_server, settings, tmp_path, language):
    words = WORDS[language]
    # The browser asks for the other language: the site's link, not Accept-Language, decides.
    context = browser.new_context(locale=words["browser"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    email = f"walk-{language}@example.com"

    page.goto(live_server + words["site"])
    page.get_by_role("link", name=words["cta"]).first.click()
    expect(page).to_have_url(re.compile(r"/portal/login\?next="))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["sign_in_heading"])

    page.get_by_role("link", name=words["create"]).click()
    page.get_by_label(words["name"]).fill("Jana Nováková")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["create_button"]).click()
    expect(page.get_by_role("status").first).to_contain_text(f"{words['sent']} {email}")

    page.goto(live_server + "/portal/submissions/new")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/new$"))

    page.get_by_label(words["need"]).fill(words["request"])
    first, second = tmp_path / "invoice-1.txt", tmp_path / "invoice-2.txt"
    first.write_text("Invoice 2026-001: 12 400 CZK\n")
    second.write_text("Invoice 2026-002: 8 150 CZK\n")
    page.set_input_files('input[name="files"]', [str(first), str(second)])
    page.get_by_role("button", name=words["send"]).click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))

    expect(page.locator(".badge--completed")).to_have_text(words["ready"], timeout=60_000)
    expect(page.get_by_role("heading", name=words["summary"], exact=True)).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text(words["ready"])

    page.goto(live_server + "/portal/")
    expect(page.locator(".file-count").first).to_have_text(words["files"])
    context.close()

    with session_scope(settings.database_url) as session:
        assert session.scalar(select(User.language).where(User.email == email)) == language
    for _ in range(30):  # the notification worker writes it soon after the request arrived
        if any(subject.startswith(words["received"]) for subject in _subjects(settings, email)):
            break
        time.sleep(0.5)
    assert any(subject.startswith(words["received"]) for subject in _subjects(settings, email))


def _subjects(settings, email: str) -> list[str]:
    """The subjects of the messages kept for `email` in the development outbox."""
    with session_scope(settings.database_url) as session:
        return list(session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == email)))
