"""The offline analyser on real requests in English and Czech, through `statex.analysis.analyse`."""

import datetime as dt

from statex import analysis
from statex.analysis import local
from statex.analysis.schema import AnalysisResult

ENGLISH = ("Our warehouse team counts stock by hand every Friday. Counting takes the whole day and "
           "the numbers are often wrong. We would like cameras or scanners to count pallets "
           "automatically. The stock levels should appear in our ERP the same evening. "
           "We have about forty thousand items on two hundred shelves.")
CZECH = ("Dobrý den, jsme Pekárna Novák a syn, s.r.o. z Brna. Každý měsíc dostáváme stovky faktur od "
         "dodavatelů e-mailem a dvě účetní je ručně přepisují do účetního systému Pohoda. Chceme faktury "
         "číst automaticky a kontrolovat jen nejisté případy. Systém musí zvládnout i naskenované dodací "
         "listy. Rozpočet máme kolem 250 000 Kč a potřebujeme to spustit do konce června. Ozvěte se prosím "
         "na jana.novakova@pekarna-novak.cz nebo na 603 123 456.")
SHOP = ("Our online shop gets hundreds of customer emails a week. We want an assistant that drafts answers "
        "about orders, returns and delivery times, in Czech and English. Acme Retail Ltd is based in Vienna. "
        "Our budget is €20,000 to €30,000 and the assistant must be live within 3 months.")


def test_language_is_detected_among_ours():
    assert local.detect_language(ENGLISH) == "en"
    assert local.detect_language(CZECH) == "cs"
    assert local.detect_language("Wir brauchen eine Software für die Buchhaltung unserer Firma.") == "de"
    assert local.detect_language("Nous cherchons une solution pour automatiser nos factures.") == "fr"


def test_a_language_hint_decides_only_when_the_text_says_too_little():
    assert local.detect_language("OK", hint="cs") == "cs"
    assert local.detect_language(ENGLISH, hint="cs") == "en"
    assert local.detect_language("OK", hint="xx") == "en"


def test_summary_is_made_of_the_texts_own_sentences_in_order():
    summary = local.summarise(ENGLISH, limit=2)
    sentences = local.sentences(ENGLISH)
    picked = [s for s in sentences if s in summary]
    assert len(picked) == 2
    assert sentences.index(picked[0]) < sentences.index(picked[1])


def test_keywords_come_from_the_text_without_repeating_a_kept_phrase():
    words = local.keywords(CZECH, "cs")
    assert words and all(w.lower() in CZECH.lower() for w in words)
    assert "Pekárna" not in words and "Pekárna Novák" in words and "syn" not in words


def test_requirements_are_the_sentences_stating_needs():
    assert local.requirements(ENGLISH) == [
        "We would like cameras or scanners to count pallets automatically.",
        "The stock levels should appear in our ERP the same evening.",
    ]
    assert local.requirements(CZECH)[:2] == [
        "Chceme faktury číst automaticky a kontrolovat jen nejisté případy.",
        "Systém musí zvládnout i naskenované dodací listy.",
    ]


def test_a_czech_request_gets_every_field_in_czech(settings):
    result = analysis.analyse(CZECH, settings, today=dt.date(2026, 11, 25))
    assert isinstance(result, AnalysisResult)
    assert result.language == "cs"
    assert result.summary.startswith("Dobrý den")
    facts = result.facts
    assert (facts.budget.amount, facts.budget.currency) == (250_000, "CZK")
    assert facts.deadline.date == dt.date(2027, 6, 30) and facts.deadline.text == "do konce června"
    assert facts.location == "Brno"
    assert facts.company == "Pekárna Novák a syn s.r.o."
    assert (facts.contact.email, facts.contact.phone) == ("jana.novakova@pekarna-novak.cz", "+420 603 123 456")
    best = result.recommended_services[0]
    assert best.slug == "document-extraction" and best.title == "Vytěžování dat z dokumentů"
    assert best.url == f"{settings.site_url}/cs/services/document-extraction/"
    assert result.category == "automation" and 0.5 < result.category_confidence <= 1
    assert result.next_steps[0].startswith("Přečtěte si o službě Vytěžování dat z dokumentů")
    assert result.notes == []


def test_an_english_request_is_matched_to_the_support_assistant(settings):
    result = analysis.analyse(SHOP, settings, today=dt.date(2026, 11, 25))
    assert result.language == "en"
    assert "support-assistant" in [s.slug for s in result.recommended_services]
    assert result.facts.budget.model_dump() == {"amount": 20000, "amount_max": 30000, "currency": "EUR",
                                                "text": "€20,000 to €30,000"}
    assert result.facts.deadline.date == dt.date(2027, 2, 25)
    assert (result.facts.location, result.facts.company) == ("Vienna", "Acme Retail Ltd")
    assert "Tell us your budget range, so that we can fit the pilot to it." not in result.next_steps


def test_missing_facts_become_next_steps_and_provenance_times_each_step(settings):
    result = analysis.analyse(ENGLISH, settings)
    assert result.facts.budget is None and result.facts.deadline is None
    assert "Tell us your budget range, so that we can fit the pilot to it." in result.next_steps
    assert "Tell us by when you need the first version." in result.next_steps
    provenance = result.provenance
    assert (provenance.provider, provenance.model) == ("local", None)
    assert set(provenance.durations_ms) == {"language", "summary", "keywords", "requirements", "facts",
                                            "services", "total"}


def test_a_request_that_fits_no_service_says_so(settings):
    result = analysis.analyse("Hello, how are you today? The weather is lovely.", settings)
    assert result.recommended_services == [] and result.category is None
    assert result.no_service_fits and result.notes == [local.NOTHING_FITS]
    assert result.next_steps[0].startswith("Describe the problem in a few more sentences")


def test_an_empty_request_is_analysed_without_inventing_anything(settings):
    result = analysis.analyse("   ", settings)
    assert result.summary == "" and result.keywords == [] and result.requirements == []
    assert "The request has no text to analyse." in result.notes


def test_the_result_round_trips_through_json(settings):
    result = analysis.analyse(CZECH, settings)
    stored = result.model_dump(mode="json")
    assert stored["facts"]["deadline"]["date"].count("-") == 2
    assert AnalysisResult.model_validate(stored) == result


def test_a_long_text_is_summarised_from_its_start_and_says_so(settings):
    start = [f"Our branch number {i} retypes supplier invoices by hand every day." for i in range(300)]
    text = " ".join(start + ["The final sentence mentions a warehouse in Ostrava and pallets."] * 20)
    result = analysis.analyse(text, settings)
    assert result.notes == ["The text is long (320 sentences): the summary and keywords were made from its "
                            "first 300 sentences."]
    assert "final sentence" not in result.summary and "warehouse" not in " ".join(result.keywords).lower()
    assert result.facts.location == "Ostrava"  # facts and services still read the whole text
