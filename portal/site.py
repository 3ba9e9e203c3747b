"""Serve the built public site at `/` from the same process (WhiteNoise, with index files)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

# The site's pages need no inline code either; Pagefind's search runs WebAssembly in a worker.
SITE_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
            "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SITE_HEADERS = {
    "Content-Security-Policy": SITE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def serve_site(app: Flask, site_dir: Path) -> None:
    """Requests for files of the built site are answered before Flask sees them."""
    site_dir.mkdir(parents=True, exist_ok=True)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(site_dir), index_file=True,
                              autorefresh=app.debug, add_headers_function=_site_headers)


def _site_headers(headers, _path: str, _url: str) -> None:
    for name, value in SITE_HEADERS.items():
        headers[name] = value


def site_page_for_missing(site_dir: Path, path: str) -> Path | None:
    """The site's own 404 page for a path outside the portal: /cs/... gets the Czech one."""
    first = path.strip("/").split("/", 1)[0]
    localised = site_dir / first / "404.html" if re.fullmatch(r"[a-z]{2}", first) else None
    for candidate in (localised, site_dir / "404.html"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None
