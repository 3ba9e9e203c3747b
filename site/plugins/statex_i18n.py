"""Languages for the Statex site: URLs per language, visible fallbacks, per-language blog and feeds."""

import copy

from pelican import signals
from pelican.generators import Generator
from pelican.paginator import Paginator


def section(item):
    """Return the content folder an item comes from: pages, services or blog."""
    return item.get_relative_source_path().replace("\\", "/").split("/", 1)[0]


def place(item, lang):
    """Return (url, save_as) of an item published in `lang`."""
    settings = item.settings
    prefix = settings["LANGUAGES"][lang]["prefix"]
    special = settings["SPECIAL_PAGE_URLS"]
    if item.section == "pages" and item.slug in special:
        url = prefix + special[item.slug]
    else:
        url = prefix + settings["URL_PATTERNS"][item.section].format(slug=item.slug)
    save_as = url + "index.html" if url == "" or url.endswith("/") else url
    return url, save_as


def content_object_init(item):
    """Give pages, services and posts their URL and services their template."""
    kind = section(item)  # once: Pelican computes the relative path anew on every call
    if not hasattr(item, "slug") or kind not in item.settings["URL_PATTERNS"]:
        return
    item.section = kind
    item.is_fallback = False
    item.override_url, item.override_save_as = place(item, item.lang)
    if item.section == "services" and "template" not in item.metadata:
        item.template = "service"
    if isinstance(getattr(item, "deliverables", None), str):
        item.deliverables = [item.deliverables]


def fallback_copy(original, lang):
    """Return a copy of `original` published under `lang`, marked as an untranslated fallback."""
    fallback = copy.copy(original)
    fallback.lang = lang
    fallback.in_default_lang = lang == original.settings["DEFAULT_LANG"]
    fallback.is_fallback = True
    fallback.original = original
    fallback.override_url, fallback.override_save_as = place(original, lang)
    return fallback


def add_fallbacks(originals, translations):
    """Add a fallback for every language an item has no translation in."""
    for original in originals:
        if not hasattr(original, "section"):
            continue
        group = [original, *original.translations]
        present = {item.lang for item in group}
        missing = [lang for lang in original.settings["LANGUAGES"] if lang not in present]
        fallbacks = [fallback_copy(original, lang) for lang in missing]
        translations.extend(fallbacks)
        group += fallbacks
        for item in group:
            item.translations = [other for other in group if other is not item]


def pages_finalized(generator):
    """Add fallbacks to the pages (visible and hidden)."""
    add_fallbacks(generator.pages, generator.translations)
    add_fallbacks(generator.hidden_pages, generator.hidden_translations)


def articles_finalized(generator):
    """Add fallbacks to the blog posts."""
    add_fallbacks(generator.articles, generator.translations)


def in_language(originals, lang):
    """Return the version of each item in `lang` (a fallback where untranslated)."""
    found = []
    for original in originals:
        for item in (original, *original.translations):
            if item.lang == lang:
                found.append(item)
                break
    return found


def blog_pages(url, posts, settings):
    """The pages of a blog index at `url`: Pelican's paginator, URLs from PAGINATION_PATTERNS."""
    paginator = Paginator(url + "index.html", url, posts, settings, settings["BLOG_PAGE_SIZE"])
    return [paginator.page(number) for number in paginator.page_range]


class LanguageGenerator(Generator):
    """Per-language lists for templates, and the blog index and Atom feed of each language."""

    def generate_context(self):
        """Index pages, services and posts by language for the templates."""
        pages = self.context.get("pages", [])
        articles = self.context.get("articles", [])
        by_lang = {}
        for lang, info in self.settings["LANGUAGES"].items():
            site_pages = [p for p in in_language(pages, lang) if p.section == "pages"]
            services = [p for p in in_language(pages, lang) if p.section == "services"]
            services.sort(key=lambda s: (int(s.metadata.get("order", 99)), s.slug))
            posts = sorted(in_language(articles, lang), key=lambda a: (a.date, a.slug), reverse=True)
            urls = {p.slug: p.url for p in site_pages}
            urls["blog"] = info["prefix"] + self.settings["BLOG_INDEX_URL"]
            urls["feed"] = self.settings["FEED_URL"].format(lang=lang)
            by_lang[lang] = {"services": services, "posts": posts, "urls": urls,
                             "blog_pages": blog_pages(urls["blog"], posts, self.settings)}
        self.context["by_lang"] = by_lang

    def generate_output(self, writer):
        """Write the blog index pages and the Atom feed of every language."""
        template = self.get_template("blog")
        by_lang = self.context["by_lang"]
        for lang, data in by_lang.items():
            pages = data["blog_pages"]
            # Every post has a version (or a fallback) in every language, so page n lists the same posts.
            for index, page in enumerate(pages):
                writer.write_file(
                    page.save_as, template, self.context, lang=lang, posts_page=page,
                    previous_page=pages[index - 1] if index else None,
                    next_page=pages[index + 1] if index + 1 < len(pages) else None,
                    alternate_urls={other: d["blog_pages"][index].url for other, d in by_lang.items()},
                )
            real_posts = [post for post in data["posts"] if not post.is_fallback]
            writer.write_feed(
                real_posts, self.context, data["urls"]["feed"],
                feed_title=self.settings["UI_STRINGS"][lang]["blog_title"],
            )


def get_generators(pelican):
    """Add the language generator."""
    return LanguageGenerator


def register():
    """Connect to Pelican's signals."""
    signals.content_object_init.connect(content_object_init)
    signals.page_generator_finalized.connect(pages_finalized)
    signals.article_generator_finalized.connect(articles_finalized)
    signals.get_generators.connect(get_generators)

