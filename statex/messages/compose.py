"""Render a message for an event from its templates: subject, text and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def compose(event: str, **context) -> Message:
    """The message for `event` (a folder of templates), rendered with `context`."""
    env = _environment()
    render = lambda part: env.get_template(f"{event}/{part}").render(**context).strip()  # noqa: E731
    return Message(subject=render("subject.txt"), text=render("body.txt"), html=render("body.html"))
