"""Render a message for an event from its templates: subject, text, HTML and a short chat text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape

from statex import i18n
from statex.i18n import DEFAULT_LANGUAGE

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    # What chat channels and the bell show: a few lines ending with the link.
    short: str = ""


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Templates that translate through statex.i18n: whatever compose()'s translate() block speaks."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.filters["moment"] = moment
    return env


def moment(value: str | datetime, user=None) -> str:
    """A stored moment (ISO text or a datetime, UTC) in the active language, in `user`'s time zone."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    zone = ZoneInfo(getattr(user, "timezone", None) or i18n.DEFAULT_TIMEZONE)
    return format_datetime(when, "medium", tzinfo=zone, locale=i18n.current_language())


def warm_up() -> None:
    """Compile every message template now, e.g. in a worker before it forks, not once per job."""
    env = _environment()
    for name in env.list_templates():
        env.get_template(name)


def compose(event: str, lang: str = DEFAULT_LANGUAGE, **context) -> Message:
    """The message for `event` (a folder of templates) in `lang`, rendered with `context`.

    Its words come from the catalogue (statex/translations) in `lang`; a missing `short.txt`
    falls back to the text.
    """
    env = _environment()
    with i18n.translate(lang) as lang:
        def render(part: str) -> str:
            return env.get_template(f"{event}/{part}").render(lang=lang, **context).strip()

        subject, text, html = render("subject.txt"), render("body.txt"), render("body.html")
        try:
            short = render("short.txt")
        except TemplateNotFound:
            short = text
    return Message(subject=subject, text=text, html=html, short=short)


def fit(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, keeping its last line (the link) and ending cut words with …."""
    if limit <= 0 or len(text) <= limit:
        return text
    head, _, last = text.rstrip().rpartition("\n")
    if not head or len(last) > limit // 2:
        head, last = text, ""
    room = limit - len(last) - (2 if last else 0) - 1
    cut = head[:room]
    if " " in cut[room // 2:]:
        cut = cut[:cut.rindex(" ")]
    trimmed = cut.rstrip() + "…"
    return f"{trimmed}\n\n{last}"[:limit] if last else trimmed[:limit]
