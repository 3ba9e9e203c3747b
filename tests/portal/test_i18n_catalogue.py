"""Every word the portal shows goes through the translator, and the Czech catalogue has them all.

The extraction is pybabel's own (babel.cfg, as `make translations` runs it); a template's words
outside `_()` or `{% trans %}` are found by parsing it with Jinja and reading its literal text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

from statex import i18n

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = (ROOT / "portal" / "templates", ROOT / "statex" / "messages" / "templates")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
# Markup whose text is not prose: code samples, scripts, and the tags themselves.
NOT_PROSE = re.compile(r"<(script|style|code|pre)\b.*?</\1>|<!--.*?-->|<[^>]*>|&[a-z#0-9]+;", re.S | re.I)
# Attributes a person reads or hears.
READ_ATTRIBUTES = re.compile(r"""\b(alt|title|placeholder|aria-label|aria-description)="([^"\x01]*)\"""")
# Words that are the same in every language: our name.
SAME_EVERYWHERE = re.compile(r"Statex( s\.r\.o\.)?")
HOLE = "\x01"  # where an expression or a tag of Jinja's stood


def extracted() -> set[str]:
    """Every msgid in the code and templates, as `make translations` extracts them."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS,
                                                directory_filter=_wanted_directory):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _wanted_directory(path: str) -> bool:
    name = Path(path).name
    return not name.startswith((".", "_")) and name not in ("node_modules", "var", "output", "tests")


def catalogue(language: str):
    with open(i18n.TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def untranslated_words(source: str) -> list[str]:
    """The literal words of a template outside any translation call, and in attributes people read."""
    literal = _literal_text(source)
    words = [f'{attribute}="{value}"' for attribute, value in READ_ATTRIBUTES.findall(literal) if _has_words(value)]
    for text in NOT_PROSE.sub(" ", literal).split("\n"):
        words += [part.strip() for part in text.split(HOLE) if _has_words(part)]
    return words


def _literal_text(source: str) -> str:
    """The template's own text, each expression and tag a HOLE, without what {% trans %} blocks hold."""
    Environment(extensions=["jinja2.ext.i18n"]).parse(source)  # a template Jinja refuses fails here
    parts, depth, previous = [], 0, None
    for _, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "name" and previous == "block_begin":
            depth += {"trans": 1, "endtrans": -1}.get(value, 0)
        if kind == "data" and depth == 0:
            parts.append(value)
        elif kind in ("variable_begin", "block_begin"):
            parts.append(HOLE)
        if kind != "whitespace":
            previous = kind
    return "".join(parts)


def _has_words(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]", SAME_EVERYWHERE.sub("", text)))


def templates() -> list[Path]:
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*")
                  if path.suffix in (".html", ".txt") and "/cs/" not in path.as_posix())


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_template_holds_no_words_outside_a_translation_call(path):
    assert untranslated_words(path.read_text()) == []


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.DEFAULT_LANGUAGE])
def test_every_extracted_word_is_translated_and_none_is_fuzzy(language):
    messages = {message.id if isinstance(message.id, str) else message.id[0]: message
                for message in catalogue(language) if message.id}
    missing = sorted(extracted() - messages.keys())
    assert missing == [], f"run `make translations`, then translate: {missing[:20]}"
    fuzzy = sorted(key for key, message in messages.items() if message.fuzzy)
    empty = sorted(key for key, message in messages.items() if not _translated(message))
    assert fuzzy == [] and empty == []


def _translated(message) -> bool:
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(forms)


def test_czech_plurals_have_its_three_forms():
    czech = catalogue("cs")
    assert czech.num_plurals == 3
    for message in czech:
        if message.pluralizable:
            assert len(message.string) == 3 and all(message.string), message.id


def test_the_check_finds_words_left_outside():
    assert untranslated_words("<p>{{ _('Hello') }}</p><p>Forgotten words</p>") == ["Forgotten words"]
    assert untranslated_words('<img alt="A logo" src="x">') == ['alt="A logo"']
    assert untranslated_words("{% trans n=2 %}{{ n }} file{% pluralize %}{{ n }} files{% endtrans %}") == []
