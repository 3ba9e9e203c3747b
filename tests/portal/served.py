"""The portal served over real HTTP on loopback, and a person's browser session against it (requests)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import requests
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.helpers import csrf_in

@contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Visitor(requests.Session):
    """One browser: cookies kept, forms sent with the CSRF token of the page they sit on."""

    def __init__(self, base: str, headers: dict | None = None):
        super().__init__()
        self.base = base
        self.headers.update(headers or {})

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return super().request(method, url if url.startswith("http") else self.base + url, *args, **kwargs)

    def csrf(self, page: str) -> str:
        return csrf_in(self.get(page).text)

    def form(self, path: str, data: dict | None = None, page: str | None = None, **kwargs):
        return self.post(path, data={**(data or {}), "csrf_token": self.csrf(page or path)}, **kwargs)

    def login(self, email: str, password: str = PASSWORD, next_: str | None = None):
        path = "/portal/login" + (f"?next={next_}" if next_ is not None else "")
        return self.form(path, {"email": email, "password": password}, page="/portal/login")
