"""The offline analyser on a whole request: its sources, in the order the client gave them."""

import datetime as dt
import io

from statex import analysis
from statex.analysis.sources import Source, added_block, described
from statex.extraction.documents import read_docx
from tests.statex.extraction_samples import table_docx

GIVEN = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
CZECH = ("Dobrý den, jsme účetní kancelář v Brně. Každý měsíc ručně přepisujeme stovky faktur do systému Pohoda. "
         "Chceme faktury číst automaticky. Rozpočet máme 250 000 Kč.")


def later(seconds: int) -> dt.datetime:
    return GIVEN + dt.timedelta(seconds=seconds)


def test_a_czech_request_with_a_file_is_summarised_and_its_budgets_told_apart_in_czech(settings):
    sources = [Source("description", CZECH, GIVEN),
               Source("file", "Nabídka\nRozpočet projektu je nejvýše 180 000 Kč\nSystém musí číst i dodací listy",
                      later(1), name="zadani.docx")]
    result = analysis.analyse_request(sources, settings)
    assert result.language == "cs"
    assert result.summary.startswith("Váš požadavek se týká služby Vytěžování dat z dokumentů; přikládáte k "
                                     "němu soubor zadani.docx.")
    assert "Systém musí číst i dodací listy" in result.requirements
    [conflict] = result.conflicts
    assert [(v.text, v.source) for v in conflict.values] == [("250 000 Kč", "váš popis"),
                                                             ("180 000 Kč", "zadani.docx")]
    assert conflict.note.startswith("Váš požadavek uvádí různé rozpočty: 250 000 Kč (váš popis); 180 000 Kč")
    assert result.facts.budget.amount == 180_000


def test_the_same_budget_in_two_sources_is_no_conflict(settings):
    sources = [Source("description", "We need invoices read automatically. Our budget is 9,000 EUR.", GIVEN),
               Source("file", "Budget: 9 000 EUR", later(1), name="brief.docx")]
    result = analysis.analyse_request(sources, settings)
    assert result.conflicts == [] and result.facts.budget.amount == 9000


def test_prices_in_a_file_are_no_second_budget(settings):
    sources = [Source("description", "We need our orders read automatically. Our budget is 15,000 EUR.", GIVEN),
               Source("file", read_docx(io.BytesIO(table_docx())).text, later(1), name="offer.docx")]
    result = analysis.analyse_request(sources, settings)
    assert result.conflicts == [] and result.facts.budget.text == "15,000 EUR"
    prices_only = analysis.analyse_request(sources[1:], settings)
    assert prices_only.facts.budget.text == "450 EUR"  # no amount is called a budget: the first one, as before


def test_every_source_keeps_its_needs_when_the_description_states_many(settings):
    description = " ".join(f"We need report number {i} sent every Monday." for i in range(1, 13))
    sources = [Source("description", description, GIVEN),
               Source("file", "The reports must also reach our bank in Vienna", later(1), name="bank.pdf")]
    needs = analysis.analyse_request(sources, settings).requirements
    assert len(needs) == 10 and needs[-1] == "The reports must also reach our bank in Vienna"


def test_a_currency_code_is_no_keyword_but_an_acronym_that_spells_one_is(settings):
    text = ("We design machine parts in CAD and need CAD drawings checked automatically before production. "
            "The CAD checks must flag missing tolerances. Our budget is 12,000 CHF, or about 13,000 EUR.")
    words = {w for phrase in analysis.analyse(text, settings).keywords for w in phrase.split()}
    assert "CAD" in words and not words & {"CHF", "EUR"}


def test_a_low_confidence_source_carries_its_caveat_into_the_notes(settings):
    caveat = "Your voice recording was hard to understand: please check what we heard."
    sources = [Source("voice", "we need a chat bot for the shop", GIVEN, name="voice.webm", confidence=0.3,
                      caveat=caveat)]
    result = analysis.analyse_request(sources, settings)
    assert caveat in result.notes
    assert result.summary.endswith("We need a chat bot for the shop.")


def test_texts_added_to_the_description_are_sources_of_their_own_in_order():
    added_at = later(600)
    description = "We need invoices read." + added_block("The deadline is June.", added_at)
    description += "\n\nAdded on 01 Dec 2026, 09:30 UTC:\nAn older mark, to the minute."
    sources = described(description, later(20))
    assert [(s.kind, s.text) for s in sources] == [("description", "We need invoices read."),
                                                   ("added", "The deadline is June."),
                                                   ("added", "An older mark, to the minute.")]
    assert [s.given_at for s in sources] == [later(20), added_at, added_at]  # never before what came earlier
    assert sources[1].label("en") == "what you added on Dec 1, 2026"
    assert sources[1].label("cs") == "vaše doplnění z 1. 12. 2026"


def test_a_short_description_is_its_own_summary_but_a_files_table_is_not_summarised(settings):
    assert analysis.analyse("Need a chatbot.", settings).summary == "Need a chatbot."
    sources = [Source("description", "Need a chatbot.", GIVEN),
               Source("file", "Item | Price\nBot | 900 EUR", later(1), name="prices.xlsx")]
    assert analysis.analyse_request(sources, settings).summary.endswith("the file prices.xlsx. Need a chatbot.")
