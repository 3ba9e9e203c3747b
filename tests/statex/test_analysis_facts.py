"""Facts found in requests: budgets, deadlines, places, company names and contacts, as clients write them."""

import datetime as dt

from statex.analysis.deadlines import find_deadline
from statex.analysis.facts import find_company, find_email, find_facts, find_location, find_phone
from statex.analysis.money import find_budget, parse_number

TODAY = dt.date(2026, 11, 25)


BUDGETS = [
    ("Our budget is €25,000.", 25_000, None, "EUR"),
    ("Rozpočet máme 300 000 Kč.", 300_000, None, "CZK"),
    ("Cena by neměla přesáhnout 1,5 mil. Kč.", 1_500_000, None, "CZK"),
    ("We can spend $200k on it.", 200_000, None, "USD"),
    ("budget around 200k", 200_000, None, None),
    ("rozpočet 500 tisíc", 500_000, None, None),
    ("between €10,000 and €20,000", 10_000, 20_000, "EUR"),
    ("mezi 10 000 a 20 000 Kč", 10_000, 20_000, "CZK"),
    ("10k–20k EUR budget", 10_000, 20_000, "EUR"),
    ("EUR 12.500,50 in total", 12_500.5, None, "EUR"),
    ("300 000,- Kč bez DPH", 300_000, None, "CZK"),
    ("We have 40 000 items; the budget is 5 000 EUR a 3 lidi.", 5_000, None, "EUR"),
    ("In 2026 we paid 12 000 CZK for licences.", 12_000, None, "CZK"),
]


def test_budgets_in_english_and_czech_styles():
    found = {text: find_budget(text) for text, *_expected in BUDGETS}
    wrong = [(text, found[text]) for text, *expected in BUDGETS
             if found[text] is None or found[text].text not in text
             or [found[text].amount, found[text].amount_max, found[text].currency] != expected]
    assert wrong == []


def test_numbers_that_are_not_money_are_no_budget():
    texts = ["We have 40 000 items on 200 shelves.", "by 2027", "It is 15 % faster.", "Version 2.5 of the app"]
    assert [find_budget(text) for text in texts] == [None] * len(texts)


def test_a_budget_near_the_word_budget_wins_over_other_amounts():
    text = "Licences cost us 900 EUR a month. Our budget for the project is 40 000 EUR."
    assert find_budget(text).amount == 40_000


def test_thousands_and_decimal_separators():
    cases = {"1,500": 1500, "1.500": 1500, "1 500": 1500, "1\u00a0500,50": 1500.5, "1,500.50": 1500.5,
             "1.500,50": 1500.5, "1,5": 1.5, "12.5": 12.5, "1,000,000": 1_000_000}
    assert {raw: parse_number(raw) for raw in cases} == cases


DEADLINES = [
    ("We need it by March 2027.", dt.date(2027, 3, 31), "by March 2027"),
    ("Please deliver within 6 weeks.", dt.date(2027, 1, 6), "within 6 weeks"),
    ("Potřebujeme to do konce června.", dt.date(2027, 6, 30), "do konce června"),
    ("Hotovo do 15. 3. 2027 prosím.", dt.date(2027, 3, 15), "do 15. 3. 2027"),
    ("The deadline: 2027-01-31.", dt.date(2027, 1, 31), "deadline: 2027-01-31"),
    ("Launch before May 2027.", dt.date(2027, 4, 30), "before May 2027"),
    ("Termín je 30. června 2027.", dt.date(2027, 6, 30), "Termín je 30. června 2027"),
    ("Stačí do tří měsíců.", dt.date(2027, 2, 25), "do tří měsíců"),
    ("Během šesti týdnů.", dt.date(2027, 1, 6), "Během šesti týdnů"),
    ("Ideally in two months.", dt.date(2027, 1, 25), "in two months"),
    ("We need it by the end of the year.", dt.date(2026, 12, 31), "by the end of the year"),
    ("By Q2 2027 at the latest.", dt.date(2027, 6, 30), "By Q2 2027"),
    ("Ready by 15 March?", dt.date(2027, 3, 15), "by 15 March"),
    ("by March 15, 2027", dt.date(2027, 3, 15), "by March 15, 2027"),
    ("bis Ende Juni", dt.date(2027, 6, 30), "bis Ende Juni"),
    ("d'ici la fin de juin", dt.date(2027, 6, 30), "d'ici la fin de juin"),
    ("until 31/01/2027", dt.date(2027, 1, 31), "until 31/01/2027"),
    ("by 31. 2. 2027 or by June", dt.date(2027, 6, 30), "by June"),
]


def test_deadlines_resolve_to_dates():
    found = {text: find_deadline(text, TODAY) for text, _date, _phrase in DEADLINES}
    assert {text: (d.date, d.text) if d else None for text, d in found.items()} == {
        text: (date, phrase) for text, date, phrase in DEADLINES}


def test_urgency_is_a_deadline_without_a_date():
    for text, phrase in [("As soon as possible, please.", "As soon as possible"),
                         ("Chceme to co nejdříve.", "co nejdříve")]:
        assert find_deadline(text, TODAY).model_dump() == {"date": None, "text": phrase}


def test_ordinary_words_are_no_deadline():
    texts = ["We may need more time.", "We count stock by hand every Friday.", "It takes years.",
             "Data go to our ERP in 2 warehouses."]
    assert [find_deadline(text, TODAY) for text in texts] == [None] * len(texts)


PLACES = [
    ("Provozujeme účetní kancelář v Brně.", "Brno"),
    ("We are a logistics company from Ostrava with a depot in Vienna.", "Ostrava"),
    ("Sídlíme v Českých Budějovicích.", "České Budějovice"),
    ("Firma z Ústí nad Labem", "Ústí nad Labem"),
    ("We sell across Germany, mostly from Munich.", "Munich"),
    ("Our customers are all over Slovakia.", "Slovakia"),
    ("Most of our stock is in the most distant shelves.", None),
]


def test_places_by_the_gazetteer_in_their_czech_forms():
    assert [(text, find_location(text)) for text, _place in PLACES] == PLACES


COMPANIES = [
    ("We are Acme Logistics s.r.o. from Brno.", "Acme Logistics s.r.o."),
    ("Naše firma Pekárna Novák a syn, s.r.o. sídlí v Praze.", "Pekárna Novák a syn s.r.o."),
    ("Contact Globex GmbH today.", "Globex GmbH"),
    ("Our company, Initech Ltd., needs help.", "Initech Ltd."),
    ("Jsme ABC Stavby a.s. z Olomouce.", "ABC Stavby a.s."),
    ("In Brno we work with Umbrella Inc on this.", "Umbrella Inc"),
    ("Firma Alfa s. r. o. z Ostravy", "Alfa s. r. o."),
    ("there is no name before this s.r.o. here", None),
]


def test_company_names_with_their_legal_form():
    assert [(text, find_company(text)) for text, _company in COMPANIES] == COMPANIES


def test_contact_details():
    text = "Pište na jana.novakova@pekarna-novak.cz. nebo volejte 603 123 456, v zahraničí +44 20 7946 0958."
    assert find_email(text) == "jana.novakova@pekarna-novak.cz"
    assert find_phone(text) == "+420 603 123 456"
    assert find_phone("Call +44 20 7946 0958.") == "+44 20 7946 0958"
    assert find_phone("We have 40 000 items on 200 shelves and 12 345 orders.") is None


def test_a_text_without_facts_has_none():
    facts = find_facts("We would like to know more about what you do.", "en", TODAY)
    assert facts.model_dump() == {"budget": None, "deadline": None, "location": None, "company": None,
                                  "contact": {"email": None, "phone": None}}
