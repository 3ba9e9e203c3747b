"""The offline analyser on real text."""

from statex.analysis import local

ENGLISH = ("Our warehouse team counts stock by hand every Friday. Counting takes the whole day and "
           "the numbers are often wrong. We would like cameras or scanners to count pallets "
           "automatically. The stock levels should appear in our ERP the same evening. "
           "We have about forty thousand items on two hundred shelves.")


def test_language_is_detected_among_ours():
    assert local.detect_language(ENGLISH) == "en"
    assert local.detect_language("Wir brauchen eine Software für die Buchhaltung unserer Firma.") == "de"
    assert local.detect_language("Nous cherchons une solution pour automatiser nos factures.") == "fr"


def test_summary_is_made_of_the_texts_own_sentences_in_order():
    summary = local.summarise(ENGLISH, limit=2)
    sentences = local.sentences(ENGLISH)
    picked = [s for s in sentences if s in summary]
    assert len(picked) == 2
    assert sentences.index(picked[0]) < sentences.index(picked[1])


def test_keywords_come_from_the_text():
    words = local.keywords(ENGLISH, "en")
    assert words and all(w.lower() in ENGLISH.lower() for w in words)


def test_result_has_provenance():
    result = local.analyse(ENGLISH)
    assert result["provenance"]["provider"] == "local"
    assert set(result) >= {"summary", "language", "keywords"}
