"""Render the theme's icons from its favicon.svg: `python site/make_icons.py` (needs Chromium), then commit them.

The PNGs and favicon.ico are committed (a few KB) so that neither the site build nor the web process
needs a rasteriser; run this again after changing favicon.svg.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parent.parent / "themes" / "statex" / "static" / "images"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# name -> (size in px, maskable): a maskable icon fills its square and keeps the mark in the
# central 80% circle that every launcher's mask leaves visible.
ICONS = {"icon-180.png": (180, False), "icon-192.png": (192, False), "icon-512.png": (512, False),
         "icon-maskable-512.png": (512, True)}
ICO_SIZES = [16, 32, 48]


def page_for(svg: str, size: int, maskable: bool) -> str:
    """An HTML page showing the mark at `size` px on a transparent (or, maskable, brand) square."""
    scale = 0.72 if maskable else 1.0
    backdrop = "background:#2b4acb;" if maskable else ""
    return (f"<!doctype html><style>html,body{{margin:0;background:transparent}}"
            f"div{{width:{size}px;height:{size}px;display:grid;place-items:center;{backdrop}}}"
            f"svg{{width:{size * scale}px;height:{size * scale}px}}</style><div>{svg}</div>")


def render(browser, svg: str, size: int, maskable: bool) -> bytes:
    """The PNG of one icon."""
    page = browser.new_page(viewport={"width": size, "height": size})
    page.set_content(page_for(svg, size, maskable))
    png = page.locator("div").screenshot(omit_background=True)
    page.close()
    return png


def main() -> None:
    svg = (IMAGES / "favicon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for name, (size, maskable) in ICONS.items():
            (IMAGES / name).write_bytes(render(browser, svg, size, maskable))
        largest = Image.open(io.BytesIO(render(browser, svg, max(ICO_SIZES), False)))
        browser.close()
    largest.save(IMAGES / "favicon.ico", sizes=[(size, size) for size in ICO_SIZES])


if __name__ == "__main__":
    main()
