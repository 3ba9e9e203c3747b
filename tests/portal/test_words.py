"""The template filters that put stored names into words (portal/words.py, statex/vocabulary.py)."""

from portal.words import linked, money
from statex import uploads, vocabulary

SERVICE = {"title": "Demand forecasting", "url": "https://statex.example/services/demand-forecasting/"}


def test_a_service_address_in_a_step_becomes_a_link_named_by_its_title():
    step = ("Read about Demand forecasting: https://statex.example/services/demand-forecasting/ "
            "(typical timeline 4–6 weeks).")
    assert linked(step, [SERVICE]) == ('Read about <a href="https://statex.example/services/demand-forecasting/">'
                                       'Demand forecasting</a> (typical timeline 4–6 weeks).')


def test_another_address_is_named_by_its_site_and_path_and_the_text_is_escaped():
    assert linked("See https://example.org/guide/. <b>Now</b>", []) == (
        'See <a href="https://example.org/guide/">example.org/guide</a>. &lt;b&gt;Now&lt;/b&gt;')
    assert linked("No address here.") == "No address here."


def test_a_budget_reads_once_with_its_currency():
    assert money({"amount": 15000, "currency": "EUR", "text": "EUR 15,000"}) == "15,000 EUR"
    ranged = {"amount": 10000, "amount_max": 20000, "currency": "CZK", "text": "10–20 tisíc"}
    assert money(ranged) == "10,000–20,000 CZK"
    assert money({"amount": 900, "currency": None, "text": "900"}) == "900 (currency not stated)"


def test_file_types_events_and_fit_in_words():
    assert vocabulary.file_type(vocabulary.DOCX) == "Word document"
    assert vocabulary.file_type("application/pdf") == "PDF document"
    assert vocabulary.file_type("audio/webm", voice=True) == "Voice recording"
    assert vocabulary.file_type("audio/mpeg") == "Audio (MPEG)"
    assert all(vocabulary.file_type(kind) != "File" for kind in uploads.DOCUMENT_TYPES.values())
    assert vocabulary.event_label("submission.created") == "Received"
    assert vocabulary.event_label("something.new_thing") == "New thing"
    assert [vocabulary.fit_label(score) for score in (0.76, 0.3, 0.1)] == ["Strong fit", "Good fit", "Partial fit"]


def test_every_event_the_product_records_has_words():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    recorded = {match for path in [*root.glob("statex/**/*.py"), *root.glob("jobs/*.py")]
                for match in re.findall(r"events\.record\(\s*session,\s*\w+,\s*\"([a-z_.]+)\"", path.read_text())}
    assert recorded and recorded <= set(vocabulary.EVENTS), recorded - set(vocabulary.EVENTS)
