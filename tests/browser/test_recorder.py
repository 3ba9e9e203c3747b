"""The voice recorder shows only what applies: before, while and after recording (Chromium's fake microphone)."""

import re

from playwright.sync_api import expect

from tests.browser.people import sign_in_to_a_new_request


def _open_the_form(page, live_server, make_user):
    sign_in_to_a_new_request(page, live_server, make_user)
    return page.locator("[data-recorder]")


def test_the_recorder_shows_only_what_applies_in_each_state(page, live_server, make_user):
    recorder = _open_the_form(page, live_server, make_user)
    record = recorder.get_by_role("button", name="Record", exact=True)
    stop = recorder.get_by_role("button", name="Stop")
    again = recorder.get_by_role("button", name="Record again")
    remove = recorder.get_by_role("button", name="Remove")
    player = recorder.locator("audio")

    # Before: only the button to start.
    expect(record).to_be_visible()
    for part in (stop, again, remove, player):
        expect(part).to_be_hidden()

    # Recording: only Stop and the clock.
    record.click()
    expect(recorder.locator("[data-timer]")).to_have_text(re.compile(r"0:0[1-9]"))
    expect(stop).to_be_visible()
    for part in (record, again, remove, player):
        expect(part).to_be_hidden()

    # Recorded: the take to play back, record again or remove; no Stop, no Record.
    stop.click()
    for part in (player, again, remove):
        expect(part).to_be_visible()
    for part in (record, stop):
        expect(part).to_be_hidden()

    # Removed: back to the start.
    remove.click()
    expect(record).to_be_visible()
    for part in (stop, again, remove, player):
        expect(part).to_be_hidden()
