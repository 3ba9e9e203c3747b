"""A client records a voice message, attaches files, sends them and follows the request live."""

import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests import samples
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.people import sign_in, sign_in_to_a_new_request

REQUEST = ("We run a small accounting office. Every month around 800 invoices arrive as PDF files; "
           "two people retype them into our ERP. We want them read automatically and checked.")


def _drop(page, name: str, text: str) -> None:
    """Drop a file on the drop zone, as a person dragging it from their desktop would."""
    transfer = page.evaluate_handle(
        "([name, text]) => { const t = new DataTransfer();"
        " t.items.add(new File([text], name, {type: 'text/plain'})); return t; }", [name, text])
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})


def test_record_attach_send_and_download(page, live_server, make_user, tmp_path):
    sign_in_to_a_new_request(page, live_server, make_user)
    pdf = tmp_path / "Faktura 2026-001.pdf"
    pdf.write_bytes(samples.pdf())
    page.get_by_label("What do you need?").fill(REQUEST)

    # The fake microphone plays a tone; record a little of it, then listen back.
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"0:0[2-9]"))
    page.get_by_role("button", name="Stop").click()
    expect(page.locator("[data-playback]")).to_be_visible()
    expect(page.locator("[data-recorder-status]")).to_contain_text("Recorded")

    # Two files: one picked, one dropped; a third dropped by mistake and removed before sending.
    page.set_input_files('input[name="files"]', str(pdf))
    _drop(page, "notes.txt", "Invoices come from 40 suppliers.\n")
    _drop(page, "oops.txt", "not this one\n")
    expect(page.locator("[data-file-list] li")).to_have_count(3)
    page.get_by_role("button", name="Remove oops.txt").click()
    expect(page.locator("[data-file-list] li")).to_have_count(2)

    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))
    files = page.locator(".files")
    expect(files).to_contain_text("Faktura 2026-001.pdf")
    expect(files).to_contain_text("notes.txt")
    expect(files).not_to_contain_text("oops.txt")
    expect(files).to_contain_text("Voice recording · ")
    expect(files.locator("audio")).to_have_count(1)

    # The status changes in place, without a reload.
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("#status .badge--completed")).to_be_visible(timeout=30_000)
    assert page.evaluate("window.__sameDocument") is True

    with page.expect_download() as download:
        files.get_by_role("link", name="Faktura 2026-001.pdf").click()
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "Faktura 2026-001.pdf"
    assert saved.read_bytes() == pdf.read_bytes()


def test_a_refused_file_is_named_and_the_rest_kept(page, live_server, make_user, tmp_path):
    sign_in_to_a_new_request(page, live_server, make_user)
    bad = tmp_path / "setup.pdf"
    bad.write_bytes(b"MZ\x90\x00" + bytes(4000))
    good = tmp_path / "scan.png"
    good.write_bytes(samples.image())
    page.get_by_label("What do you need?").fill(REQUEST)
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator("[data-timer]")).to_have_text(re.compile(r"0:0[1-9]"))
    page.get_by_role("button", name="Stop").click()
    page.set_input_files('input[name="files"]', [str(bad), str(good)])
    page.get_by_role("button", name="Send request").click()

    expect(page.locator(".file-errors")).to_contain_text("“setup.pdf” looks like")
    expect(page.get_by_label("What do you need?")).to_have_value(REQUEST)
    expect(page.locator("[data-playback]")).to_be_visible()
    page.get_by_role("button", name="Remove setup.pdf").click()
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))
    expect(page.locator(".files")).to_contain_text("scan.png")
    expect(page.locator(".files")).to_contain_text("Voice recording")


@pytest.fixture
def browser_without_microphone_consent(playwright_instance):
    """Chromium with a fake microphone but no automatic consent: the permission request is refused."""
    args = [arg for arg in CHROMIUM_ARGS if arg != "--use-fake-ui-for-media-stream"]
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


def test_microphone_refusal_is_explained(browser_without_microphone_consent, live_server, make_user):
    context = browser_without_microphone_consent.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in_to_a_new_request(page, live_server, make_user)
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page.locator("[data-recorder-status]")).to_contain_text("refused us the microphone")
        expect(page.locator('input[name="voice"]')).to_be_visible()
    finally:
        context.close()


def test_dashboard_search_and_filters_update_in_place(page, live_server, make_user, make_token):
    email, password, _id = make_user()
    token = make_token(email)
    for text in ("Read our supplier invoices", "Answer customer emails", "Plan delivery routes"):
        requests.post(f"{live_server}/api/v1/submissions", json={"description": text},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10).raise_for_status()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, live_server, email, password, "/portal/")
    expect(page.locator(".submission-list__item")).to_have_count(3)

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Search in titles and descriptions").fill("invoices")
    expect(page.locator(".submission-list__item")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=invoices"))
    assert page.evaluate("window.__sameDocument") is True
    page.get_by_label("Search in titles and descriptions").fill("")
    expect(page.locator(".submission-list__item")).to_have_count(3)

    page.get_by_role("link", name="Cancelled").click()  # none is cancelled; they may complete meanwhile
    expect(page.locator(".empty")).to_contain_text("No requests match")
    page.go_back()
    expect(page.locator(".submission-list__item")).to_have_count(3)
    page.goto(live_server + "/portal/submissions/new")
    assert violations == []
