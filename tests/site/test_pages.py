"""The built pages: head tags, translations, links, structured data, weight and CSP-safe markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli.site.build import load_config
from cli.site.check import check_output
from tests.site.conftest import SITE_URL, html_pages
from tests.site.pages import parse

MAX_PAGE_BYTES = 150 * 1024


def test_dev_build_has_every_page_in_both_languages(dev_site):
    names = {p.relative_to(dev_site).as_posix() for p in html_pages(dev_site)}
    for path in ("index.html", "services/index.html", "pricing/index.html", "about/index.html",
                 "faq/index.html", "contact/index.html", "privacy/index.html", "terms/index.html",
                 "blog/index.html", "search/index.html", "404.html"):
        assert path in names
        assert f"cs/{path}" in names
    assert len([n for n in names if re.fullmatch(r"services/[^/]+/index.html", n)]) >= 6
    assert len([n for n in names if re.fullmatch(r"cs/blog/[^/]+/index.html", n)]) >= 4


@pytest.mark.parametrize("build", ["dev_site", "prod_site"])
def test_internal_links_and_images_are_sound(build, request):
    output = request.getfixturevalue(build)
    config = {"SITEURL": SITE_URL if build == "prod_site" else "", "PORTAL_URL": "/portal"}
    assert check_output(output, config) == []


def test_every_page_has_title_description_canonical_and_opengraph(prod_site):
    for path in html_pages(prod_site):
        page = parse(path)
        where = path.relative_to(prod_site).as_posix()
        assert page.title.endswith("Statex") or page.title.startswith("Statex |"), where
        assert 50 <= len(page.meta["description"]) <= 300, where
        [canonical] = page.rel("canonical")
        assert canonical["href"].startswith(SITE_URL + "/"), where
        for key in ("og:title", "og:description", "og:url", "og:type", "og:locale", "og:site_name"):
            assert page.meta.get(key), (where, key)
        assert page.meta["og:image"].startswith(SITE_URL + "/theme/images/og-card."), where
        assert page.meta["og:url"] == canonical["href"]


def test_every_page_links_its_translation_with_hreflang(prod_site):
    for path in html_pages(prod_site):
        page = parse(path)
        where = path.relative_to(prod_site).as_posix()
        alternates = {link["hreflang"]: link["href"] for link in page.rel("alternate") if link.get("hreflang")}
        assert set(alternates) == {"en", "cs", "x-default"}, where
        own = SITE_URL + "/" + where.removesuffix("index.html")
        assert alternates[page.lang] == own, where
        other = "cs" if page.lang == "en" else "en"
        switch = [a for a in page.anchors if a.get("hreflang") == other]
        assert switch and switch[0]["href"] == alternates[other], where


def test_sitemap_lists_every_indexable_page_with_its_translations(prod_site):
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(prod_site / "sitemap.xml").getroot()
    entries = {url.find("s:loc", ns).text: url for url in root.findall("s:url", ns)}
    for path in html_pages(prod_site):
        page = parse(path)
        loc = page.rel("canonical")[0]["href"]
        if page.meta.get("robots") == "noindex":
            assert loc not in entries
            continue
        assert loc in entries, loc
        hreflangs = {link.get("hreflang") for link in entries[loc].findall("x:link", ns)}
        assert hreflangs == {"en", "cs"}, loc


def test_atom_feeds_parse_per_language(prod_site):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    for lang, prefix in (("en", SITE_URL + "/blog/"), ("cs", SITE_URL + "/cs/blog/")):
        feed = ET.parse(prod_site / "feeds" / f"{lang}.atom.xml").getroot()
        assert feed.tag == f"{atom}feed"
        entries = feed.findall(f"{atom}entry")
        assert len(entries) >= 4
        for entry in entries:
            assert entry.find(f"{atom}link").get("href").startswith(prefix)
            assert entry.find(f"{atom}title").text


def test_every_page_announces_the_atom_feed_of_its_language(prod_site):
    for path in html_pages(prod_site):
        page = parse(path)
        where = path.relative_to(prod_site).as_posix()
        feeds = [link for link in page.rel("alternate") if link.get("type") == "application/atom+xml"]
        assert [link["href"] for link in feeds] == [f"{SITE_URL}/feeds/{page.lang}.atom.xml"], where
        assert feeds[0].get("title"), where
    for lang in ("en", "cs"):
        assert (prod_site / "feeds" / f"{lang}.atom.xml").is_file()


def test_json_ld_parses_with_the_right_types(prod_site):
    for path in html_pages(prod_site):
        where = path.relative_to(prod_site).as_posix()
        types = {block["@type"] for block in parse(path).json_ld}
        assert "Organization" in types, where
        if re.search(r"services/[^/]+/index.html$", where):
            assert "Service" in types, where
            service = next(b for b in parse(path).json_ld if b["@type"] == "Service")
            assert service["provider"]["@id"] == SITE_URL + "/#organization"
            assert service["offers"]["priceSpecification"]["minPrice"] > 0
        if re.search(r"blog/[^/]+/index.html$", where):
            assert "BlogPosting" in types, where


def test_calls_to_action_lead_to_the_portal_in_the_pages_language(dev_site):
    for lang_prefix, lang in (("", "en"), ("cs/", "cs")):
        page = parse(dev_site / lang_prefix / "index.html")
        hrefs = [a["href"] for a in page.anchors]
        assert f"/portal/submissions/new?lang={lang}" in hrefs
        assert f"/portal/login?lang={lang}" in hrefs
        assert not [href for href in hrefs if href.startswith("/portal") and f"lang={lang}" not in href]


def test_no_inline_scripts_or_styles(dev_site):
    for path in html_pages(dev_site):
        page = parse(path)
        where = path.relative_to(dev_site).as_posix()
        assert page.inline_styles == page.style_elements == page.event_handlers == 0, where
        for script in page.scripts:
            assert script.get("src") or script.get("type") == "application/ld+json", where


def test_pages_weigh_under_150_kb_before_images(prod_site):
    for path in html_pages(prod_site):
        page = parse(path)
        assets = [link["href"] for link in page.links if link.get("rel") == "stylesheet"]
        assets += [script["src"] for script in page.scripts if script.get("src")]
        total = path.stat().st_size + sum(local_size(prod_site, url) for url in assets)
        assert total < MAX_PAGE_BYTES, (path.relative_to(prod_site).as_posix(), total)


def local_size(output: Path, url: str) -> int:
    """Size of a built file named by its URL."""
    return (output / url.removeprefix(SITE_URL).lstrip("/")).stat().st_size


def test_every_service_has_its_catalogue_front_matter():
    from cli.site.build import CONTENT_DIR
    from cli.site.check import read_front_matter

    required = load_config()["REQUIRED_METADATA"]["services"]
    sources = sorted((CONTENT_DIR / "services").glob("*.md"))
    assert len([p for p in sources if p.name.count(".") == 1]) >= 6
    for source in sources:
        meta = read_front_matter(source)
        assert all(meta.get(field) for field in required), source.name
        assert len(meta["deliverables"]) >= 3, source.name
