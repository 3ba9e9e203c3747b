"""Reading built pages in tests: head tags, links and JSON-LD, with the standard HTML parser."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Page:
    """What the tests need from one built HTML page."""

    lang: str = ""
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    links: list[dict[str, str]] = field(default_factory=list)
    anchors: list[dict[str, str]] = field(default_factory=list)
    scripts: list[dict[str, str]] = field(default_factory=list)
    json_ld: list = field(default_factory=list)
    inline_styles: int = 0
    style_elements: int = 0
    event_handlers: int = 0

    def rel(self, rel: str) -> list[dict[str, str]]:
        """The <link> elements with this rel."""
        return [link for link in self.links if link.get("rel") == rel]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()
        self._in = None
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        page = self.page
        page.inline_styles += "style" in values
        page.event_handlers += sum(name.startswith("on") for name in values)
        if tag == "html":
            page.lang = values.get("lang", "")
        elif tag == "meta":
            key = values.get("name") or values.get("property")
            if key:
                page.meta.setdefault(key, values.get("content", ""))
        elif tag == "link":
            page.links.append(values)
        elif tag == "a":
            page.anchors.append(values)
        elif tag == "style":
            page.style_elements += 1
        elif tag == "script":
            page.scripts.append(values)
        if tag in ("title", "script"):
            self._in, self._buffer = (tag, values.get("type", "")), ""

    def handle_data(self, data):
        if self._in:
            self._buffer += data

    def handle_endtag(self, tag):
        if self._in and self._in[0] == tag:
            if tag == "title":
                self.page.title = self._buffer.strip()
            elif self._in[1] == "application/ld+json":
                self.page.json_ld.append(json.loads(self._buffer))
            elif self._buffer.strip():
                self.page.scripts[-1]["inline"] = self._buffer
            self._in = None


def parse(path: Path) -> Page:
    """Parse one built page."""
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page
