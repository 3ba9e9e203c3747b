"""Light and dark: the site and the portal follow the browser's colour scheme, and their text, links and
buttons pass WCAG AA contrast in both (4.5:1, large text 3:1), computed from what Chromium draws."""

from __future__ import annotations

import pytest

from tests.browser.tour import Tour, sign_in

# For every visible element with text of its own: its text colour and the background it sits on (the
# first opaque background up its ancestors, translucent ones blended in), and whether the text is large.
CONTRAST = """() => {
  const rgba = (value) => { const [r, g, b, a = 1] = value.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = (c) => { const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "NOSCRIPT", "OPTION", "TEMPLATE"].includes(element.tagName)) continue;
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const box = element.getBoundingClientRect(), style = getComputedStyle(element);
    if (!own || box.width < 2 || box.height < 2 || box.bottom < 0 || style.visibility !== "visible") continue;
    const back = background(element), text = over(rgba(style.color), back);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    found.push({what: `${element.tagName.toLowerCase()} “${element.textContent.trim().slice(0, 30)}”`,
                ratio: ratio(text, back), needed: large ? 3 : 4.5});
  }
  return {page: luminance(background(document.body)), texts: found};
}"""


@pytest.fixture
def tour(live_server, built_site, settings, make_user, run_jobs) -> Tour:
    return Tour.build(live_server, settings, make_user, run_jobs)


def low_contrast(page, paths: list[str], base: str) -> tuple[list[float], list[str]]:
    """The page background's luminance on each page, and every text below its needed contrast."""
    backgrounds, failures = [], []
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        measured = page.evaluate(CONTRAST)
        backgrounds.append(measured["page"])
        failures += [f"{path}: {text['what']} {text['ratio']:.2f}:1 < {text['needed']}:1"
                     for text in measured["texts"] if text["ratio"] < text["needed"]]
    return backgrounds, failures


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_links_and_buttons_are_readable_in_the_readers_scheme(browser, tour, scheme):
    visitor = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900}).new_page()
    site_pages = ["/", "/services/document-extraction/", "/cs/pricing/", "/blog/", "/portal/login", "/portal/signup"]
    client = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900}).new_page()
    sign_in(client, tour.base, tour.client_email)
    staff = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900}).new_page()
    sign_in(staff, tour.base, tour.staff_email)

    backgrounds, failures = low_contrast(visitor, site_pages, tour.base)
    for page, paths in ((client, tour.client_pages()), (staff, tour.staff_pages())):
        more_backgrounds, more_failures = low_contrast(page, paths, tour.base)
        backgrounds += more_backgrounds
        failures += more_failures

    assert failures == []
    # Light pages sit on white; dark ones on a deep grey (relative luminance, 0 black to 1 white).
    if scheme == "light":
        assert min(backgrounds) > 0.9
    else:
        assert max(backgrounds) < 0.02
