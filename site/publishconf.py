"""Pelican settings for production builds (`statex site build --production`)."""

import os
import runpy
from pathlib import Path

# site/ is not a package (it would shadow the stdlib module `site`), so load the
# development settings by path; run_path re-reads the environment on every build.
_dev = runpy.run_path(str(Path(__file__).with_name("pelicanconf.py")))
globals().update({name: value for name, value in _dev.items() if name.isupper()})

SITEURL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITEURL.startswith(("http://", "https://")):
    raise SystemExit("publishconf: set SITE_URL to the site's absolute base, e.g. https://statex.cz")
RELATIVE_URLS = False
# Stale pages and search files from earlier builds must not survive: publish mirrors this folder.
DELETE_OUTPUT_DIRECTORY = True
FINGERPRINT_ASSETS = True
