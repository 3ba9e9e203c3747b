"""`statex site check`: the content rules an editor can break, checked on the sources and the built output."""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown

from cli.site.build import CONTENT_DIR, BuildError, build, load_config

LANG_SUFFIX = re.compile(r"^(?P<stem>[^.]+)(?:\.(?P<lang>[a-z]{2}))?\.md$")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
WARNING_LINE = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(WARNING|ERROR|CRITICAL)\b.*$", re.MULTILINE)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor must fix: the file it is in and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def read_front_matter(path: Path) -> dict[str, list[str]]:
    """The front-matter of a markdown file as Python-Markdown's meta extension reads it."""
    parser = markdown.Markdown(extensions=["meta"])
    parser.convert(path.read_text(encoding="utf-8"))
    return {key.lower(): value for key, value in parser.Meta.items()}


def content_files(content: Path, config: dict) -> list[tuple[str, Path]]:
    """Every markdown source as (section, path), section being the top folder (pages, services, blog)."""
    return [(section, path) for section in config["REQUIRED_METADATA"]
            for path in sorted((content / section).rglob("*.md"))]


def check_sources(content: Path, config: dict) -> list[Problem]:
    """Missing front-matter, missing translations and images without alt text in the markdown."""
    problems = []
    languages = set(config["LANGUAGES"])
    groups: dict[tuple[str, str], dict[str, Path]] = defaultdict(dict)
    for section, path in content_files(content, config):
        rel = path.relative_to(content).as_posix()
        meta = read_front_matter(path)
        for field in config["REQUIRED_METADATA"][section]:
            if not "".join(meta.get(field, [])).strip():
                problems.append(Problem(rel, f"missing front-matter field '{field}'"))
        match = LANG_SUFFIX.match(path.name)
        lang = (match and match["lang"]) or config["DEFAULT_LANG"]
        slug = "".join(meta.get("slug", [])).strip() or (match["stem"] if match else path.stem)
        groups[(section, slug)][lang] = path
        problems += image_problems(rel, path.read_text(encoding="utf-8"))
    for (section, slug), versions in sorted(groups.items()):
        source = next(iter(sorted(versions.values()))).relative_to(content).as_posix()
        for lang in sorted(languages - set(versions)):
            problems.append(Problem(source, f"no {lang} translation of {section} '{slug}'"))
    return problems


def image_problems(rel: str, text: str) -> list[Problem]:
    """Images in markdown or inline HTML without alt text."""
    problems = [Problem(rel, "image without alt text: " + m.group(0) + "...")
                for m in MARKDOWN_IMAGE.finditer(text) if not m["alt"].strip()]
    problems += [Problem(rel, f"image without alt text: {tag}") for tag in HTML_IMAGE.findall(text)
                 if not re.search(r"\balt\s*=\s*(['\"])\s*\S", tag)]
    return problems


class PageScan(HTMLParser):
    """Collects the links, ids and alt-less images of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and tag in ("a", "link", "img", "script", "iframe", "source"):
                self.links.append(values[name])
        if tag == "img" and values.get("alt") is None:
            self.images_without_alt.append(values.get("src") or "?")


def resolve(output: Path, page: Path, link: str, siteurl: str) -> Path | None:
    """The file an internal link points to, or None for links that leave the site."""
    if siteurl and link.startswith(siteurl):
        link = link[len(siteurl):] or "/"
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = output / path.lstrip("/") if path.startswith("/") else page.parent / path
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def check_output(output: Path, config: dict) -> list[Problem]:
    """Broken internal links (and anchors) and images without alt in the built HTML."""
    siteurl, portal = config.get("SITEURL", ""), config["PORTAL_URL"]
    pages = {path: scan(path) for path in sorted(output.rglob("*.html"))}
    problems = []
    for page, found in pages.items():
        rel = page.relative_to(output).as_posix()
        problems += [Problem(rel, f"image without alt attribute: {src}") for src in found.images_without_alt]
        for link in found.links:
            if link.startswith(portal + "/") or link.startswith("#"):
                continue
            target = resolve(output, page, link, siteurl)
            if target is None:
                continue
            if not target.exists():
                problems.append(Problem(rel, f"broken link: {link}"))
                continue
            fragment = urlsplit(link).fragment
            if fragment and target in pages and fragment not in pages[target].ids:
                problems.append(Problem(rel, f"broken anchor: {link}"))
    return problems


def scan(path: Path) -> PageScan:
    """Parse one HTML file."""
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def build_problems(log: str) -> list[Problem]:
    """Pelican's warnings (unresolved {filename} links, bad metadata) as problems."""
    return [Problem("pelican", match.group(0).strip()) for match in WARNING_LINE.finditer(log)]


def check(content: Path | None = None) -> list[Problem]:
    """Every problem in a content folder: sources first, then a build of it, then its output."""
    content = Path(content or CONTENT_DIR)
    config = load_config()
    problems = check_sources(content, config)
    with tempfile.TemporaryDirectory(prefix="statex-site-check-") as tmp:
        try:
            log = build(Path(tmp), content=content)
        except BuildError as error:
            return sorted(set(problems)) + [Problem("pelican", f"build failed: {error}")]
        problems += build_problems(log)
        problems += check_output(Path(tmp), config)
    return sorted(set(problems))
