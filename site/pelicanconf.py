"""Pelican settings for development builds of the public site (`statex site build`)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AUTHOR = "Statex"
SITENAME = "Statex"
SITEURL = ""
PORTAL_URL = os.environ.get("PORTAL_URL", "/portal").rstrip("/")

PATH = str(ROOT / "content")
OUTPUT_PATH = os.environ.get("SITE_OUTPUT_DIR", str(ROOT / "var" / "site"))
# Development builds overwrite the last output in place, as in Pelican's quickstart: deleting it and
# creating its ~2,000 files and folders again (Pagefind reuses its unchanged fragments) was the largest
# cost we added to Pelican's. A page whose source was removed stays until the folder is deleted;
# production builds start from an empty folder (publishconf.py).
DELETE_OUTPUT_DIRECTORY = False
THEME = str(ROOT / "themes" / "statex")
# The statex_assets plugin copies (and in production fingerprints) the theme's static files.
THEME_STATIC_PATHS = []
CACHE_PATH = str(ROOT / "var" / "cache" / "pelican")

TIMEZONE = "Europe/Prague"
DEFAULT_LANG = "en"
LANGUAGES = {
    "en": {"name": "English", "locale": "en_GB", "prefix": ""},
    "cs": {"name": "Čeština", "locale": "cs_CZ", "prefix": "cs/"},
}

ARTICLE_PATHS = ["blog"]
PAGE_PATHS = ["pages", "services"]
STATIC_PATHS = ["images"]
IGNORE_FILES = ["README.md", ".#*", "*~"]
# `about.cs.md` is the Czech translation of `about.md`: the language comes from the file name.
PATH_METADATA = r"(?:.*/)?[^/]+\.(?P<lang>[a-z]{2})\.md"
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"

ARTICLE_URL = "blog/{slug}/"
ARTICLE_SAVE_AS = "blog/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/blog/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/blog/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
# Where each kind of content lives inside a language's prefix (the statex_i18n plugin applies it).
URL_PATTERNS = {"pages": "{slug}/", "services": "services/{slug}/", "blog": "blog/{slug}/"}
SPECIAL_PAGE_URLS = {"home": "", "404": "404.html"}
BLOG_INDEX_URL = "blog/"
# The blog index lists ten posts a page: /blog/, /blog/page/2/, ... (and /cs/blog/page/2/, ...).
BLOG_PAGE_SIZE = 10
PAGINATION_PATTERNS = [(1, "{url}", "{save_as}"), (2, "{url}page/{number}/", "{base_name}/page/{number}/index.html")]
FEED_URL = "feeds/{lang}.atom.xml"
STATIC_URL = "{path}"
STATIC_SAVE_AS = "{path}"

# The blog index, feeds and sitemap are written per language by the statex_i18n plugin.
DIRECT_TEMPLATES = []
TEMPLATE_PAGES = {"robots.txt": "robots.txt"}
for _kind in ("TAG", "TAGS", "CATEGORY", "CATEGORIES", "AUTHOR", "AUTHORS", "ARCHIVES"):
    globals()[f"{_kind}_SAVE_AS"] = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20
DEFAULT_PAGINATION = False
DEFAULT_DATE_FORMAT = "%-d %B %Y"
DATE_FORMATS = {"en": "%-d %B %Y", "cs": "%-d. %-m. %Y"}
COPYRIGHT_YEAR = 2026
# The browser's bars on a phone: the brand blue of tokens.css (the portal's manifest uses the same).
THEME_COLOR = "#2b4acb"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        # Heading ids: deep links to FAQ answers and Pagefind's sub-results.
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

PLUGIN_PATHS = [str(ROOT / "site" / "plugins")]
PLUGINS = ["statex_assets", "statex_i18n", "statex_seo", "statex_search"]
FINGERPRINT_ASSETS = False
PAGEFIND = True

# Front-matter every page of a kind must have; `statex site check` enforces it.
REQUIRED_METADATA = {
    "pages": ["title", "slug", "summary"],
    "services": ["title", "slug", "summary", "timeline", "price_range", "category", "deliverables"],
    "blog": ["title", "slug", "summary", "date", "author"],
}

# Main navigation: (slug of a page, key in UI_STRINGS). "blog" is the blog index.
NAV = [
    ("services", "nav_services"),
    ("pricing", "nav_pricing"),
    ("blog", "nav_blog"),
    ("about", "nav_about"),
    ("faq", "nav_faq"),
    ("contact", "nav_contact"),
]
FOOTER_LINKS = ["privacy", "terms", "search"]

ORGANIZATION = {
    "legal_name": "Statex s.r.o.",
    "email": "hello@statex.example",
    "street": "Karlovo náměstí 10",
    "city": "Praha 2",
    "postal_code": "120 00",
    "country": "CZ",
}

UI_STRINGS = {
    "en": {
        "skip": "Skip to content",
        "nav_label": "Main",
        "menu": "Menu",
        "nav_services": "Services",
        "nav_pricing": "Pricing",
        "nav_blog": "Blog",
        "nav_about": "About",
        "nav_faq": "FAQ",
        "nav_contact": "Contact",
        "cta": "Submit a request",
        "sign_in": "Sign in",
        "search": "Search",
        "language": "Language",
        "other_language": "Česky",
        "other_language_label": "Tato stránka česky",
        "fallback_notice": "This page is not available in English yet. You are reading the original.",
        "timeline": "Typical timeline",
        "price_range": "Typical price",
        "what_you_get": "What you get",
        "category": "Category",
        "all_services": "All services",
        "latest_posts": "From the blog",
        "read_more": "Read more",
        "published": "Published",
        "by": "by",
        "feed": "Atom feed",
        "blog_title": "Blog",
        "blog_summary": "Notes from our projects: what worked, what did not, and what it cost.",
        "blog_pages": "Blog pages",
        "page_of": "Page {number} of {count}",
        "newer_posts": "Newer posts",
        "older_posts": "Older posts",
        "footer_tagline": "Applied AI for small and mid-sized businesses, from Prague.",
        "footer_nav": "Footer",
        "privacy": "Privacy",
        "terms": "Terms",
        "untranslated": "English only",
        "noscript_search": "Search needs JavaScript. Every page is also listed in the site map.",
        "search_label": "Search the site",
        "search_found": "{count} results for “{query}”",
        "search_none": "No results for “{query}”. Try another word, or browse the services.",
        "sitemap": "Site map",
        "cta_title": "Have a problem that AI could help with?",
        "cta_text": ("Describe it in a few sentences. We reply within two working days with a first assessment, "
                     "free of charge."),
    },
    "cs": {
        "skip": "Přejít na obsah",
        "nav_label": "Hlavní",
        "menu": "Nabídka",
        "nav_services": "Služby",
        "nav_pricing": "Ceník",
        "nav_blog": "Blog",
        "nav_about": "O nás",
        "nav_faq": "Časté dotazy",
        "nav_contact": "Kontakt",
        "cta": "Odeslat poptávku",
        "sign_in": "Přihlásit se",
        "search": "Hledat",
        "language": "Jazyk",
        "other_language": "English",
        "other_language_label": "This page in English",
        "fallback_notice": "Tato stránka zatím není přeložena do češtiny. Níže je anglický originál.",
        "timeline": "Obvyklá doba",
        "price_range": "Obvyklá cena",
        "what_you_get": "Co dostanete",
        "category": "Kategorie",
        "all_services": "Všechny služby",
        "latest_posts": "Z blogu",
        "read_more": "Číst dál",
        "published": "Publikováno",
        "by": "autor",
        "feed": "Atom feed",
        "blog_title": "Blog",
        "blog_summary": "Poznámky z našich projektů: co fungovalo, co ne a kolik to stálo.",
        "blog_pages": "Stránky blogu",
        "page_of": "Strana {number} z {count}",
        "newer_posts": "Novější články",
        "older_posts": "Starší články",
        "footer_tagline": "Aplikovaná umělá inteligence pro malé a střední firmy, z Prahy.",
        "footer_nav": "Patička",
        "privacy": "Ochrana osobních údajů",
        "terms": "Obchodní podmínky",
        "untranslated": "Jen anglicky",
        "noscript_search": "Vyhledávání potřebuje JavaScript. Všechny stránky najdete také v mapě webu.",
        "search_label": "Hledat na webu",
        "search_found": "Výsledky pro „{query}“: {count}",
        "search_none": "Pro „{query}“ jsme nic nenašli. Zkuste jiné slovo nebo si projděte služby.",
        "sitemap": "Mapa webu",
        "cta_title": "Máte problém, se kterým by mohla pomoci AI?",
        "cta_text": "Popište ho v několika větách. Do dvou pracovních dnů odpovíme s prvním posouzením, zdarma.",
    },
}
