"""A client watches their request's page: it keeps up by itself, says how to keep up without JavaScript,
and never loses a long text to a limit."""

import re
import threading

import pytest
from playwright.sync_api import expect

from tests.browser.people import sign_in_to_a_new_request

from tests import samples
from tests.fakes import Whisper, WhisperHandler

REQUEST = ("We run a small accounting office. Every month around 800 invoices arrive as PDF files; "
           "two people retype them into our ERP. We want them read automatically and checked.")
HEARD = {"text": " We would like the invoices read automatically and checked before import."}


class HeldWhisperHandler(WhisperHandler):
    def do_POST(self):  # noqa: N802  (http.server's naming)
        self.server.go.wait(60)
        super().do_POST()


class HeldWhisper(Whisper):
    """A transcription service that answers only once the test lets it: the request stays in progress."""

    def __init__(self):
        super().__init__(HeldWhisperHandler)
        self.go = threading.Event()

    def stop(self) -> None:
        self.go.set()
        super().stop()


@pytest.fixture
def whisper(monkeypatch):
    """Ask for it before `live_server`: the worker reads TRANSCRIBE_URL when it starts."""
    server = HeldWhisper().start()
    server.answers.append((200, HEARD))
    monkeypatch.setenv("TRANSCRIBE_URL", server.url)
    yield server
    server.stop()


def _send_with_a_recording(page, tmp_path):
    recording = tmp_path / "message.wav"
    recording.write_bytes(samples.speech_wav())
    page.get_by_label("What do you need?").fill(REQUEST)
    page.set_input_files('input[name="files"]', str(recording))
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))


def test_the_page_turns_final_all_at_once_without_a_reload(whisper, page, live_server, make_user, tmp_path):
    sign_in_to_a_new_request(page, live_server, make_user)
    _send_with_a_recording(page, tmp_path)
    files = page.locator(".files")
    expect(files).to_contain_text("Not read yet.")
    expect(page.get_by_role("button", name="Cancel this request")).to_be_visible()
    expect(page.get_by_text("This page updates by itself.")).to_be_visible()
    page.evaluate("window.__sameDocument = true")

    whisper.go.set()
    expect(page.locator(".badge--completed")).to_be_visible(timeout=30_000)
    expect(files).not_to_contain_text("Not read yet.")
    expect(files.get_by_text("Transcript")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel this request")).to_have_count(0)
    expect(page.locator(".result-summary")).to_contain_text("invoices")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "We want them read automatically and checked")
    assert page.evaluate("window.__sameDocument") is True


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_without_javascript_a_refresh_link_brings_the_news(whisper, page_without_js, live_server, make_user,
                                                           tmp_path):
    page = page_without_js
    sign_in_to_a_new_request(page, live_server, make_user)
    _send_with_a_recording(page, tmp_path)
    expect(page.locator("#status")).to_contain_text("We are working on your request.")
    expect(page.get_by_text("This page updates by itself.")).to_be_hidden()
    refresh = page.get_by_role("link", name="Refresh this page")
    expect(refresh).to_be_visible()

    whisper.go.set()
    for _ in range(40):  # a person clicks Refresh now and then until the result is there
        refresh.click()
        if page.locator(".badge--completed").count():
            break
        page.wait_for_timeout(500)
    expect(page.locator(".result-summary")).to_contain_text("invoices")
    expect(page.get_by_role("link", name="Refresh this page")).to_have_count(0)


LONG = ("Our invoices come from forty suppliers, each with its own layout. " * 400)[:25_300]


def test_a_text_over_the_limit_is_counted_and_not_sent_cut(page, live_server, make_user):
    sign_in_to_a_new_request(page, live_server, make_user)
    description = page.get_by_label("What do you need?")
    description.fill(LONG[:17_000])
    expect(page.get_by_text("17,000 of 20,000 characters.")).to_be_visible()
    description.fill(LONG)
    expect(page.get_by_text("25,300 of 20,000 characters: 5,300 too many.")).to_be_visible()
    assert len(description.input_value()) == 25_300, "the browser kept every character typed"

    page.get_by_role("button", name="Send request").click()
    expect(description).to_be_focused()
    expect(page).to_have_url(re.compile(r"/portal/submissions/new$"))
    assert len(description.input_value()) == 25_300

    description.fill(LONG[:19_990])
    expect(page.get_by_text("19,990 of 20,000 characters.")).to_be_visible()
    page.get_by_role("button", name="Send request").click()
    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]{36}$"))


def test_without_javascript_the_server_refuses_the_long_text_and_gives_it_back(page_without_js, live_server,
                                                                               make_user):
    page = page_without_js
    sign_in_to_a_new_request(page, live_server, make_user)
    page.get_by_label("What do you need?").fill(LONG)
    page.get_by_role("button", name="Send request").click()
    said = "Your text has 25,300 characters, 5,300 over the limit of 20,000."
    expect(page.locator(".field__error", has_text=said)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(said)  # and the form's summary of its errors says it
    assert page.get_by_label("What do you need?").input_value() == LONG.strip()
