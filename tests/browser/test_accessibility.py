"""Everyone can use it: axe-core finds no serious or critical WCAG 2.2 AA violation on any page of the
site or the portal, in English and in Czech, signed out, as a client and as staff; and a keyboard alone
signs in, sends a request with a file and reads its result, with the focus always in sight."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.tour import SIGN_IN_PASSWORD, Tour, sign_in
from tests import samples

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# One line per serious or critical violation: its rule, what it asks for, and where.
SERIOUS = """async (tags) => (await axe.run(document, {runOnly: tags})).violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target).join(", ")}`)"""
# What the focused element shows of its focus: an outline or a ring, and whether it is on the screen.
FOCUS = """() => { const e = document.activeElement, style = getComputedStyle(e), box = e.getBoundingClientRect();
  return {what: `${e.tagName.toLowerCase()} ${e.getAttribute("name") || e.textContent.trim().slice(0, 30)}`,
          ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none",
          shown: box.width > 0 && box.height > 0}; }"""


@pytest.fixture
def tour(live_server, built_site, settings, make_user, run_jobs) -> Tour:
    return Tour.build(live_server, settings, make_user, run_jobs)


def in_language(path: str, language: str) -> str:
    """The portal page asked for in `language` (the site's own pages have a path per language)."""
    return path if not path.startswith("/portal") else f"{path}{'&' if '?' in path else '?'}lang={language}"


def violations(page, base: str, paths: list[str]) -> list[str]:
    """Every serious or critical violation axe-core finds on each page, named by its page."""
    found = []
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        found += [f"{path}: {line}" for line in page.evaluate(SERIOUS, WCAG_22_AA)]
    return found


def context(browser):
    # axe-core is injected as an inline script, which our own Content-Security-Policy rightly refuses.
    made = browser.new_context(bypass_csp=True, locale="en-GB", viewport={"width": 1366, "height": 900})
    made.set_default_timeout(15_000)
    return made.new_page()


def test_no_page_has_a_serious_accessibility_violation_in_either_language(browser, tour, built_site):
    visitor, client, staff = context(browser), context(browser), context(browser)
    sign_in(client, tour.base, tour.client_email)
    sign_in(staff, tour.base, tour.staff_email)

    found = violations(visitor, tour.base, tour.site_pages(built_site))
    for language in ("en", "cs"):
        found += violations(visitor, tour.base, [in_language(p, language) for p in tour.signed_out_pages()])
        found += violations(client, tour.base, [in_language(p, language) for p in tour.client_pages()])
        found += violations(staff, tour.base, [in_language(p, language) for p in tour.staff_pages()])
    assert found == []


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the element called `name` has the focus, checking the focus is seen at each step."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["shown"] and focus["ring"], f"the focus on {focus['what']} cannot be seen"
        if page.evaluate("(name) => { const e = document.activeElement;"
                         " return e.getAttribute('name') === name || e.id === name"
                         " || (e.labels && [...e.labels].some(l => l.textContent.trim().startsWith(name)))"
                         " || e.textContent.trim() === name; }", name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_keyboard_alone_signs_in_sends_a_request_with_a_file_and_reads_its_result(page, live_server,
                                                                                   make_user, tmp_path):
    email, password, _ = make_user(password=SIGN_IN_PASSWORD)
    page.goto(live_server + "/portal/login?next=/portal/submissions/new")
    tab_to(page, "email")
    page.keyboard.type(email)
    tab_to(page, "password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/portal/submissions/new$"))

    brief = tmp_path / "brief.pdf"
    brief.write_bytes(samples.pdf("We need a chatbot that answers our customers' questions about orders."))
    tab_to(page, "description")
    page.keyboard.type("Please read the attached brief about a chatbot for our online shop.")
    tab_to(page, "files")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(brief))
    tab_to(page, "Send request")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/portal/submissions/[0-9a-f-]+$"))
    status = page.locator("#status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("Results ready", timeout=90_000)
    expect(page.get_by_text("brief.pdf").first).to_be_visible()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("chatbot")


def test_a_form_error_is_tied_to_its_field_and_announced(page, live_server):
    page.goto(live_server + "/portal/signup")
    page.get_by_label("Email").fill("not an address")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name=re.compile("Create|Sign up")).click()

    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    described = email.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{ident}") for ident in described if ident.endswith("-error")]
    assert errors, "the email field names no error"
    expect(errors[0]).to_contain_text("email")
    # The errors are announced: a summary in an alert region that has the focus when the page loads.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("email")
    expect(alert).to_be_focused()
