"""Search-engine files for the Statex site: sitemap.xml with every translation as an alternate."""

from xml.sax.saxutils import quoteattr

from pelican import signals
from pelican.generators import Generator

HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def indexable(item):
    """Say whether an item belongs in the sitemap (not a fallback, not marked noindex)."""
    return not getattr(item, "is_fallback", False) and "noindex" not in item.metadata.get("robots", "")


def url_entry(siteurl, url, alternates, lastmod=None):
    """Return one <url> element; `alternates` maps language to URL and includes `url` itself."""
    lines = [f"  <url>\n    <loc>{siteurl}/{url}</loc>"]
    if lastmod:
        lines.append(f"    <lastmod>{lastmod}</lastmod>")
    for lang, href in sorted(alternates.items()):
        lines.append(
            f'    <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(siteurl + "/" + href)}/>'
        )
    lines.append("  </url>")
    return "\n".join(lines)


def groups(context):
    """Yield each published item with its real (non-fallback) translations, in a stable order."""
    originals = [*context.get("pages", []), *context.get("articles", [])]
    for original in sorted(originals, key=lambda item: item.url):
        group = [item for item in (original, *original.translations) if indexable(item)]
        if group:
            yield sorted(group, key=lambda item: item.lang)


class SitemapGenerator(Generator):
    """Writes sitemap.xml from the pages, services, posts and blog index pages of every language."""

    def generate_output(self, writer):
        """Write sitemap.xml into the output folder."""
        siteurl = self.settings["SITEURL"]
        entries = []
        by_lang = self.context["by_lang"]
        for index in range(len(by_lang[self.settings["DEFAULT_LANG"]]["blog_pages"])):
            blog_urls = {lang: data["blog_pages"][index].url for lang, data in by_lang.items()}
            entries += [url_entry(siteurl, url, blog_urls) for url in blog_urls.values()]
        for group in groups(self.context):
            alternates = {item.lang: item.url for item in group}
            for item in group:
                modified = getattr(item, "modified", None) or getattr(item, "date", None)
                lastmod = modified.date().isoformat() if modified else None
                entries.append(url_entry(siteurl, item.url, alternates, lastmod))
        text = HEADER + "\n".join(entries) + "\n</urlset>\n"
        with open(f"{self.output_path}/sitemap.xml", "w", encoding="utf-8") as handle:
            handle.write(text)


def get_generators(pelican):
    """Add the sitemap generator."""
    return SitemapGenerator


def register():
    """Connect to Pelican's signals."""
    signals.get_generators.connect(get_generators)
