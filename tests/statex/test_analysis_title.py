"""A request's title, made from the offline analyser's findings: short, in the request's words and language."""

from statex import analysis
from statex.analysis import title
from tests.statex.test_analysis import CZECH, ENGLISH, SHOP


def _title(text: str, settings) -> str | None:
    return title.make(analysis.analyse(text, settings).model_dump(mode="json"))


def test_the_first_stated_need_names_the_request(settings):
    assert _title(ENGLISH, settings) == "We would like cameras or scanners to count pallets automatically"


def test_a_czech_request_gets_a_czech_title(settings):
    assert _title(CZECH, settings) == "Chceme faktury číst automaticky a kontrolovat jen nejisté případy"


def test_a_need_too_long_for_a_heading_is_cut_at_a_word(settings):
    made = _title(SHOP, settings)
    assert made == "We want an assistant that drafts answers about orders, returns and…"
    assert made[:-1] in SHOP and len(made) <= title.MAX_CHARS


def test_without_a_stated_need_the_summary_names_it_without_the_file_labels():
    summary = "File scan.pdf: Invoice 2026-001 from Acme. Voice recording: Please call us back."
    assert title.make({"summary": summary, "requirements": []}) == "Invoice 2026-001 from Acme"


def test_one_long_sentence_is_cut_at_a_word_with_an_ellipsis():
    words = "so we have a shop and the customers write a lot of emails and we would like answers drafted"
    made = title.make({"summary": words, "requirements": [words], "keywords": ["customers"]})
    assert made == "So we have a shop and the customers write a lot of emails and we…"
    assert len(made) <= title.MAX_CHARS and words.startswith(made[:-1].lower())


def test_without_sentences_the_key_phrases_name_it():
    assert title.make({"summary": "", "keywords": ["invoice reading", "ERP", "Pohoda"]}) == \
        "Invoice reading, ERP, Pohoda"


def test_nothing_analysed_gives_no_title():
    assert title.make({"summary": "", "requirements": [], "keywords": []}) is None
