"""The public site in real Chromium: accessible in both languages at phone and desktop widths,
searchable, CSP-clean, and its call to action leads into the portal's submission form."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cli.site.build import ROOT, build

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The policy the web process serves; Pagefind needs WebAssembly, hence 'wasm-unsafe-eval'.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    """This module needs neither PostgreSQL nor Redis: replace the suite's service-backed environment."""
    monkeypatch.delenv("SITE_URL", raising=False)


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site with the production CSP, answers the portal with a stub, records paths."""

    def __init__(self, *args, requests: list[str], **kwargs):
        self.requests = requests
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self.requests.append(self.path)
        if self.path.startswith("/portal/"):
            body = b"<!doctype html><title>Portal</title><p>portal stub</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_server(tmp_path_factory):
    """The development build served on a free loopback port; yields (base URL, requested paths)."""
    output = tmp_path_factory.mktemp("site-browser")
    build(output, strict=True, env={"PORTAL_URL": "/portal"})
    requests: list[str] = []
    handler = functools.partial(_SiteHandler, directory=str(output), requests=requests)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site_browser(browser):
    """The shared Chromium of tests/browser/conftest.py (one Playwright per run)."""
    return browser


def open_page(site_browser, url: str, width: int, bypass_csp: bool = False):
    """A fresh page at a viewport width, opened on `url`."""
    context = site_browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=bypass_csp)
    page = context.new_page()
    page.goto(url)
    return page


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.1 A/AA and best practices) on the page; one line per violation."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, "
        "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}))"
        ".violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(', ')})`)"
    )


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang_path", ["/", "/cs/"])
def test_home_page_has_no_accessibility_violations(site_server, site_browser, lang_path, width):
    base, _ = site_server
    # axe is injected as an inline script, which our own CSP would rightly refuse.
    page = open_page(site_browser, base + lang_path, width, bypass_csp=True)
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways"
    page.context.close()


@pytest.mark.parametrize("path", ["/services/document-extraction/", "/cs/blog/forecasting-baseline/",
                                  "/cs/search/", "/pricing/"])
def test_inner_pages_have_no_accessibility_violations(site_server, site_browser, path):
    base, _ = site_server
    page = open_page(site_browser, base + path, 375, bypass_csp=True)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    page.context.close()


def test_home_page_fits_a_320_px_screen_and_starts_with_a_visible_skip_link(site_server, site_browser):
    base, _ = site_server
    page = open_page(site_browser, base + "/", 320)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.getBoundingClientRect().top]")
    assert focused[0] == "Skip to content" and focused[1] >= 0
    page.context.close()


@pytest.mark.parametrize(("lang_path", "query", "expected"), [
    ("/search/", "invoices", "/services/document-extraction/"),
    ("/search/", "invoice", "/services/document-extraction/"),  # English stemming
    ("/cs/search/", "faktury", "/cs/services/document-extraction/"),
    # Pagefind has no Czech stemmer: it matches words as typed, without diacritics, words they begin,
    # and for a word it has not indexed, the longest beginning it has.
    ("/cs/search/", "účetnictví", "/cs/services/document-extraction/"),
    ("/cs/search/", "ucetnictvi", "/cs/services/document-extraction/"),
    ("/cs/search/", "dodavatel", "/cs/services/document-extraction/"),  # the page has "dodavatelů"
    ("/cs/search/", "faktura", "/cs/services/document-extraction/"),  # the page has "faktury", "faktur"
])
def test_search_finds_pages_in_each_language(site_server, site_browser, lang_path, query, expected):
    base, _ = site_server
    page = open_page(site_browser, base + lang_path, 1280)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.get_by_role("searchbox").fill(query)
    page.keyboard.press("Enter")
    results = page.locator(".search__result a")
    results.first.wait_for(timeout=15_000)
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert expected in hrefs
    prefix = "/cs/" if lang_path.startswith("/cs/") else "/"
    assert all(href.startswith(prefix) and (prefix == "/cs/" or not href.startswith("/cs/")) for href in hrefs)
    assert violations == []
    page.context.close()


@pytest.mark.parametrize(("lang_path", "label", "lang"), [("/", "Submit a request", "en"),
                                                          ("/cs/", "Odeslat poptávku", "cs")])
def test_call_to_action_leads_to_the_portal_submission_form(site_server, site_browser, lang_path, label, lang):
    base, requests = site_server
    page = open_page(site_browser, base + lang_path, 375)
    page.locator(".hero").get_by_role("link", name=label).click()
    page.wait_for_url(f"**/portal/submissions/new?lang={lang}")  # the portal answers in the site's language
    assert page.url == base + f"/portal/submissions/new?lang={lang}"
    assert f"/portal/submissions/new?lang={lang}" in requests
    page.context.close()
