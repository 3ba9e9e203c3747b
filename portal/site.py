"""Serve the built public site at `/` from the same process (WhiteNoise, with index files)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise


def serve_site(app: Flask, site_dir: Path) -> None:
    """Requests for files of the built site are answered before Flask sees them."""
    site_dir.mkdir(parents=True, exist_ok=True)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(site_dir), index_file=True, autorefresh=app.debug)
