"""Builds: reproducible, fingerprinted in production, searchable in both languages, visible fallbacks."""

from __future__ import annotations

import filecmp
import json

from cli.site.build import CONTENT_DIR, build
from cli.site.check import read_front_matter
from tests.site.conftest import SITE_URL
from tests.site.pages import parse


def test_production_build_is_byte_identical_when_repeated(prod_site, tmp_path):
    again = tmp_path / "again"
    build(again, production=True, strict=True, env={"SITE_URL": SITE_URL, "PORTAL_URL": "/portal"})
    files = sorted(p.relative_to(prod_site) for p in prod_site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(prod_site, again, [str(f) for f in files], shallow=False)
    assert mismatch == errors == []


def test_production_assets_are_fingerprinted_and_absolute(prod_site):
    page = parse(prod_site / "index.html")
    [stylesheet] = [link["href"] for link in page.links if link.get("rel") == "stylesheet"]
    assert stylesheet.startswith(SITE_URL + "/theme/css/statex.")
    assert len(stylesheet.split(".")[-2]) == 10
    assert (prod_site / stylesheet.removeprefix(SITE_URL + "/")).exists()
    assert not (prod_site / "theme" / "css" / "statex.css").exists()


def test_search_indexes_every_content_page_of_each_language_and_no_list(prod_site):
    expected = {"en": 0, "cs": 0}
    for source in CONTENT_DIR.glob("*/*.md"):
        lang = "cs" if source.name.endswith(".cs.md") else "en"
        expected[lang] += "noindex" not in "".join(read_front_matter(source).get("robots", []))
    entry = json.loads((prod_site / "pagefind" / "pagefind-entry.json").read_text())
    # One index per <html lang>: Czech pages are searched as Czech, from Czech pages only.
    assert {lang: data["page_count"] for lang, data in entry["languages"].items()} == expected
    assert (prod_site / "pagefind" / "pagefind-ui.js").exists()


def test_missing_translation_falls_back_visibly_to_english(content_copy, tmp_path):
    (content_copy / "pages" / "about.cs.md").unlink()
    output = tmp_path / "out"
    build(output, content=content_copy, strict=True, settings={"PAGEFIND": False})
    fallback = (output / "cs" / "about" / "index.html").read_text()
    page = parse(output / "cs" / "about" / "index.html")
    assert "není přeložena" in fallback
    assert page.lang == "cs" and 'lang="en"' in fallback
    assert page.meta["robots"] == "noindex"
    assert page.rel("canonical")[0]["href"] == "/about/"
    switch = [a for a in parse(output / "about" / "index.html").anchors if a.get("hreflang") == "cs"]
    assert switch[0]["href"] == "/cs/about/"
