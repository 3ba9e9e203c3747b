"""Markdown-lite for messages: paragraphs, emphasis, links and lists, rendered safely for any reader."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# What a message may come out as; everything else (images, headings, tables, raw HTML) is dropped or escaped.
TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "code", "pre", "blockquote"}
ATTRIBUTES = {"a": {"href"}}
SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # CommonMark with raw HTML off: a "<script>" a client types is text, not markup.
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).disable(["image", "heading",
                                                                                                  "lheading", "hr"])


def to_html(body: str) -> str:
    """The message's text as safe HTML: the parser's output, then cleaned to an allow-list (links open safely)."""
    rendered = _parser().render(body or "")
    return nh3.clean(rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     link_rel="noopener noreferrer nofollow")
