"""A phone (390 x 844) on every page of the site and the portal: nothing scrolls sideways, every part
of a page loads (its icons included), and the header is one compact row whose menu works without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.tour import Tour, sign_in

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
# The innermost elements that reach past the screen's right edge, to name them in a failure.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  const out = [...document.body.querySelectorAll("*")].filter(e => e.getBoundingClientRect().right > edge + 1);
  return out.filter(e => !out.some(o => o !== e && e.contains(o))).slice(0, 3)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} `
              + `${Math.round(e.getBoundingClientRect().right)} px`);
}"""
# One row: the brand, the bell and the menu button, 2.75rem high, with the header's padding.
COMPACT_HEADER_PX = 72


@pytest.fixture
def tour(live_server, built_site, settings, make_user, run_jobs) -> Tour:
    return Tour.build(live_server, settings, make_user, run_jobs)


def phone(browser, javascript: bool = True):
    """A page in a phone-sized context (mobile emulation: the viewport meta applies, as on a phone)."""
    context = browser.new_context(**PHONE, locale="en-GB", java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    return context.new_page()


class Visit:
    """Opens pages one after another, noting what scrolls sideways and which requests fail."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.too_wide: list[str] = []
        self.failed: list[str] = []
        self.icons: set[str] = set()
        self.no_manifest: list[str] = []
        page.on("response", lambda response: self.failed.append(f"{response.status} {response.url}")
                if response.status >= 400 else None)
        # A load the browser itself cancelled (the next page began) is no broken part; icons are fetched
        # once more on their own below.
        page.on("requestfailed", lambda request: None if "ERR_ABORTED" in (request.failure or "") else
                self.failed.append(f"failed {request.url}: {request.failure}"))

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        width = self.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1]:
            widest = ", ".join(self.page.evaluate(WIDEST))
            self.too_wide.append(f"{path}: {width[0]} px on a {width[1]} px screen ({widest})")
        if path.startswith("/portal/") and not self.page.locator('link[rel="manifest"]').count():
            self.no_manifest.append(path)
        self.icons.update(self.page.eval_on_selector_all(
            'link[rel~="icon"], link[rel="apple-touch-icon"]', "links => links.map(link => link.href)"))

    def broken_icons(self) -> list[str]:
        """Icons the pages name (and /favicon.ico, which every browser asks for) that do not load."""
        broken = []
        for url in sorted(self.icons) + [self.base + "/favicon.ico"]:
            response = self.page.request.get(url)
            if not (response.ok and response.headers["content-type"].startswith("image/")):
                broken.append(f"{response.status} {response.headers.get('content-type')} {url}")
        return broken


def test_no_page_scrolls_sideways_on_a_phone_and_every_part_loads(browser, tour, built_site):
    pages = tour.site_pages(built_site)
    assert {"/", "/services/", "/services/document-extraction/", "/pricing/", "/blog/",
            "/blog/forecasting-baseline/", "/cs/", "/cs/services/", "/cs/blog/"} <= set(pages)
    visitor = Visit(phone(browser), tour.base)
    for path in pages + tour.signed_out_pages():
        visitor.open(path)
    client = Visit(phone(browser), tour.base)
    sign_in(client.page, tour.base, tour.client_email)
    for path in tour.client_pages():
        client.open(path)
    client.page.goto(tour.base + f"/portal/submissions/{tour.completed_id}")
    expect(client.page.locator(".result-summary")).to_be_visible()
    staff = Visit(phone(browser), tour.base)
    sign_in(staff.page, tour.base, tour.staff_email)
    for path in tour.staff_pages():
        staff.open(path)

    visits = (visitor, client, staff)
    assert [line for visit in visits for line in visit.too_wide] == []
    assert [line for visit in visits for line in visit.failed] == []
    assert [line for visit in visits for line in visit.broken_icons()] == []
    assert [path for visit in visits for path in visit.no_manifest] == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_site_header_is_one_row_and_its_menu_opens(browser, live_server, javascript):
    page = phone(browser, javascript)
    page.goto(live_server + "/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= COMPACT_HEADER_PX
    pricing = header.get_by_role("link", name="Pricing")
    expect(pricing).to_be_hidden()

    page.get_by_text("Menu", exact=True).click()
    expect(pricing).to_be_visible()
    expect(header.get_by_role("link", name="Submit a request")).to_be_visible()
    pricing.click()
    expect(page).to_have_url(re.compile(r"/pricing/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= COMPACT_HEADER_PX


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_portal_header_is_one_row_with_the_bell_and_a_menu(browser, live_server, make_user, javascript):
    email, password, _ = make_user()
    page = phone(browser, javascript)
    page.goto(live_server + "/portal/login")
    assert page.locator(".site-header").bounding_box()["height"] <= COMPACT_HEADER_PX
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/portal/$"))

    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= COMPACT_HEADER_PX
    expect(header.get_by_role("link", name=re.compile("Notifications"))).to_be_visible()
    account = header.get_by_role("link", name="Account")
    expect(account).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(header.get_by_role("link", name="New request")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    account.click()
    expect(page).to_have_url(re.compile(r"/portal/account/$"))


def test_the_desktop_header_shows_everything_without_a_menu(browser, live_server):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.goto(live_server + "/")
    header = page.locator(".site-header")
    expect(header.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(header.get_by_role("link", name="Pricing")).to_be_visible()
    expect(header.get_by_role("link", name="Submit a request")).to_be_visible()
    assert header.bounding_box()["height"] <= COMPACT_HEADER_PX
    page.context.close()
