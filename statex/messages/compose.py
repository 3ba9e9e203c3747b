"""Render a message for an event from its templates: subject, text, HTML and a short chat text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape

from statex.i18n import DEFAULT_LANGUAGE, language_of

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
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def warm_up() -> None:
    """Compile every message template now, e.g. in a worker before it forks, not once per job."""
    env = _environment()
    for name in env.list_templates():
        env.get_template(name)


def compose(event: str, lang: str = DEFAULT_LANGUAGE, **context) -> Message:
    """The message for `event` (a folder of templates) in `lang`, rendered with `context`.

    A translation lives in `<event>/<lang>/`; a part missing there falls back to `<event>/`
    (English), and a missing `short.txt` to the subject and the text.
    """
    env = _environment()
    lang = language_of(lang)

    def render(part: str) -> str:
        names = [f"{event}/{lang}/{part}", f"{event}/{part}"] if lang != DEFAULT_LANGUAGE else [f"{event}/{part}"]
        return env.select_template(names).render(lang=lang, **context).strip()

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
