"""The blog index: ten posts a page in each language, linked to its neighbours, its translation and the sitemap."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cli.site.build import CONTENT_DIR, build
from cli.site.check import check_output
from tests.site.pages import parse

NOTES = 23  # with the four real posts, 27 posts: pages of 10, 10 and 7
PAGES = ["blog/", "blog/page/2/", "blog/page/3/"]
LANGS = {"en": "", "cs": "cs/"}


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    """A development build of the real content plus 23 short posts in both languages, dated before the real ones."""
    content = Path(shutil.copytree(CONTENT_DIR, tmp_path_factory.mktemp("blog") / "content"))
    for number in range(NOTES):
        for lang, suffix in (("en", ".md"), ("cs", ".cs.md")):
            (content / "blog" / f"note-{number}{suffix}").write_text(
                f"Title: Note {number} ({lang})\nSlug: note-{number}\nDate: 2025-01-{number + 1:02d} 09:00\n"
                f"Author: Statex\nSummary: Short note number {number}, written to test the blog pages ({lang}).\n\n"
                f"The text of note {number}.\n", encoding="utf-8")
    output = tmp_path_factory.mktemp("blog-site")
    build(output, content=content, strict=True, settings={"PAGEFIND": False}, env={"PORTAL_URL": "/portal"})
    return output


def listed_posts(page, prefix: str) -> list[str]:
    """The URLs of the posts a blog page lists, in order."""
    post = re.compile(rf"/{prefix}blog/[^/]+/")
    return [a["href"] for a in page.anchors if post.fullmatch(a.get("href", ""))]


@pytest.mark.parametrize("lang", LANGS)
def test_blog_index_lists_ten_posts_a_page_newest_first(paged_site, lang):
    prefix = LANGS[lang]
    per_page = [listed_posts(parse(paged_site / prefix / url / "index.html"), prefix) for url in PAGES]
    assert [len(posts) for posts in per_page] == [10, 10, 7]
    listed = [url for posts in per_page for url in posts]
    assert len(set(listed)) == NOTES + 4
    assert listed[4:] == [f"/{prefix}blog/note-{number}/" for number in reversed(range(NOTES))]
    assert not (paged_site / prefix / "blog" / "page" / "4").exists()
    assert not (paged_site / prefix / "blog" / "page" / "1").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_blog_pages_link_their_neighbours_and_their_translation(paged_site, lang):
    prefix, other = LANGS[lang], next(code for code in LANGS if code != lang)
    titles = set()
    for index, url in enumerate(PAGES):
        page = parse(paged_site / prefix / url / "index.html")
        newer = [f"/{prefix}{PAGES[index - 1]}"] if index else []
        older = [f"/{prefix}{PAGES[index + 1]}"] if index + 1 < len(PAGES) else []
        assert [link["href"] for link in page.rel("prev")] == newer
        assert [link["href"] for link in page.rel("next")] == older
        assert [a["href"] for a in page.anchors if a.get("rel") == "prev"] == newer
        assert [a["href"] for a in page.anchors if a.get("rel") == "next"] == older
        assert page.rel("canonical")[0]["href"] == f"/{prefix}{url}"
        alternates = {link["hreflang"]: link["href"] for link in page.rel("alternate") if link.get("hreflang")}
        assert alternates == {lang: f"/{prefix}{url}", other: f"/{LANGS[other]}{url}", "x-default": f"/{url}"}
        assert "robots" not in page.meta
        titles.add(page.title)
    assert len(titles) == len(PAGES)


def test_sitemap_lists_every_blog_page_with_its_translation(paged_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(paged_site / "sitemap.xml").getroot()
    entries = {url.find("s:loc", ns).text: url for url in root.findall("s:url", ns)}
    for url in PAGES:
        for prefix in LANGS.values():
            entry = entries[f"/{prefix}{url}"]
            links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
            assert links == {lang: f"/{other_prefix}{url}" for lang, other_prefix in LANGS.items()}


def test_blog_pages_have_no_broken_links(paged_site):
    assert check_output(paged_site, {"SITEURL": "", "PORTAL_URL": "/portal"}) == []
