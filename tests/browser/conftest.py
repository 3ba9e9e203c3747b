"""Browser fixtures: Debian's Chromium driven by Playwright, and a live Statex on real services."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from statex.config import load_settings

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling out to a network it cannot reach.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", permissions=["microphone"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real public site, built once per run with `statex site build`."""
    output = tmp_path_factory.mktemp("site")
    env = dict(os.environ, SITE_OUTPUT_DIR=str(output))
    subprocess.run([sys.executable, "-m", "cli", "site", "build"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return output


class LiveServer:
    """The portal app served over HTTP in a thread, with a real RQ worker process beside it."""

    def __init__(self, monkeypatch, site_dir: Path):
        self._server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        monkeypatch.setenv("SITE_OUTPUT_DIR", str(site_dir))
        monkeypatch.setenv("SITE_URL", self.url)
        from portal import create_app

        self.app = create_app(settings=load_settings())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._worker = subprocess.Popen([sys.executable, "-m", "cli", "worker"], cwd=ROOT,
                                        env=dict(os.environ), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)

    def _dispatch(self, environ, start_response):
        return self.app(environ, start_response)

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._worker.terminate()
        try:
            self._worker.wait(10)
        except subprocess.TimeoutExpired:
            self._worker.kill()


@pytest.fixture
def live_server(monkeypatch, built_site):
    """Base URL of a running Statex (site, portal, API) on the test's PostgreSQL and Redis."""
    server = LiveServer(monkeypatch, built_site).start()
    yield server.url
    server.stop()
