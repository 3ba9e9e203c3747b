"""Fixtures for the public-site tests: real builds of the real content, once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli.site.build import CONTENT_DIR, build

SITE_URL = "https://statex.test"


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    """The site needs neither PostgreSQL nor Redis: replace the suite's service-backed environment."""
    for name in ("SITE_URL", "PORTAL_URL", "SITE_OUTPUT_DIR", "S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory) -> Path:
    """The development build (root-relative URLs), built with Pelican's fatal warnings."""
    output = tmp_path_factory.mktemp("site-dev")
    build(output, strict=True, env={"PORTAL_URL": "/portal"})
    return output


@pytest.fixture(scope="session")
def prod_site(tmp_path_factory) -> Path:
    """The production build (absolute URLs, fingerprinted assets), with fatal warnings."""
    output = tmp_path_factory.mktemp("site-prod")
    build(output, production=True, strict=True, env={"SITE_URL": SITE_URL, "PORTAL_URL": "/portal"})
    return output


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A throwaway copy of content/ that a test may break."""
    return Path(shutil.copytree(CONTENT_DIR, tmp_path / "content"))


def html_pages(output: Path) -> list[Path]:
    """Every HTML page of a build except Pagefind's own files."""
    return sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "pagefind")
