"""The portal installs to a phone's home screen: every page names a web app manifest whose icons load at
their stated sizes, opening on the dashboard in the site's colours."""

import re

from playwright.sync_api import expect

BRAND = "#2b4acb"  # --color-brand in themes/statex/static/css/tokens.css


def test_the_manifest_describes_an_installable_portal(page, live_server, make_user):
    email, password, _ = make_user()
    page.goto(live_server + "/portal/login")
    manifest_url = page.eval_on_selector('link[rel="manifest"]', "link => link.href")
    assert page.eval_on_selector('meta[name="theme-color"]', "meta => meta.content") == BRAND

    response = page.request.get(manifest_url)
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest_url == live_server + "/portal/manifest.webmanifest"
    assert manifest["name"] and manifest["short_name"] == "Statex"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/portal/", "/portal/", "standalone")
    assert (manifest["theme_color"], manifest["background_color"]) == (BRAND, "#ffffff")

    icons = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= set(icons)
    for icon in manifest["icons"]:
        url = page.evaluate("([src, base]) => new URL(src, base).href", [icon["src"], manifest_url])
        loaded = page.request.get(url)
        assert loaded.ok and loaded.headers["content-type"] == icon["type"] == "image/png"
        assert len(loaded.body()) < 100_000
        size = page.evaluate("""url => new Promise((resolve, reject) => {
            const image = new Image(); image.onload = () => resolve(`${image.naturalWidth}x${image.naturalHeight}`);
            image.onerror = reject; image.src = url; })""", url)
        assert size == icon["sizes"]

    # The start page is the client's dashboard, and it names the same manifest.
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    assert page.evaluate("new URL(document.querySelector('link[rel=manifest]').href).pathname") \
        == "/portal/manifest.webmanifest"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
