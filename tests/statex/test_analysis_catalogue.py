"""The site's service catalogue as the analysers see it: real content/services, and folders made here."""

import dataclasses
import runpy

from statex import analysis
from statex.analysis import catalogue
from statex.config import ROOT

SERVICE = """Title: {title}
Slug: {slug}
Category: {category}
Order: {order}
Summary: {summary}
Timeline: 2–4 weeks
Price_range: €1,000–€2,000
Keywords: {keywords}
Deliverables: {deliverable}
    A second thing you get

{body}
"""


def write_service(folder, name, **fields):
    fields = {"title": "A service", "slug": "a-service", "category": "Things", "order": 1,
              "summary": "A summary.", "keywords": "things", "deliverable": "A thing", "body": "Body."} | fields
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(SERVICE.format(**fields), encoding="utf-8")


def test_urls_follow_the_sites_own_settings():
    conf = runpy.run_path(str(ROOT / "site" / "pelicanconf.py"))
    assert conf["DEFAULT_LANG"] == catalogue.DEFAULT_LANGUAGE
    assert {lang: info["prefix"] for lang, info in conf["LANGUAGES"].items()} == catalogue.URL_PREFIXES
    assert conf["URL_PATTERNS"]["services"] == catalogue.SERVICE_URL
    assert "services" in conf["PAGE_PATHS"]


def test_every_real_service_page_is_read_in_both_languages():
    found = catalogue.load(ROOT / "content", "https://statex.example/")
    pages = sorted((ROOT / "content" / "services").glob("*.md"))
    assert found.problem is None and len(found.services) == len(pages) > 0
    english = {s.slug: s for s in found.in_language("en")}
    czech = {s.slug: s for s in found.in_language("cs")}
    assert english.keys() == czech.keys()
    extraction = english["document-extraction"]
    assert extraction.title == "Document data extraction" and extraction.category == "Automation"
    assert extraction.url == "https://statex.example/services/document-extraction/"
    assert extraction.price_range == "€6,000–€18,000" and "invoices" in extraction.keywords
    assert len(extraction.deliverables) > 1 and "retype data" in extraction.body
    assert czech["document-extraction"].url == "https://statex.example/cs/services/document-extraction/"
    assert czech["document-extraction"].timeline == "4–8 týdnů"


def test_real_requests_match_the_service_they_describe():
    found = catalogue.load(ROOT / "content", "http://site")
    requests = {
        "demand-forecasting": ("We run twelve shops and never know how much bread to bake. We want to predict "
                               "sales per shop and day from our history, the weather and holidays.", "en"),
        "knowledge-search": ("Naši technici ztrácejí čas hledáním v manuálech, wiki a na SharePointu. Chceme "
                             "vyhledávání, které najde odpověď ve firemních dokumentech.", "cs"),
        "text-analytics": ("We collect thousands of customer reviews and survey answers. We want to know "
                           "which topics people complain about and how the sentiment changes.", "en"),
    }
    best = {slug: found.match(text, language)[0][0].slug for slug, (text, language) in requests.items()}
    assert best == {slug: slug for slug in requests}


def test_scores_are_shares_of_the_catalogues_fit():
    found = catalogue.load(ROOT / "content", "http://site")
    ranked = found.fit("Read our supplier invoices and delivery notes into the ERP automatically.", "en")
    assert ranked[0][0].slug == "document-extraction"
    assert 0.99 <= sum(score for _service, score in ranked) <= 1.01
    assert [score for _s, score in ranked] == sorted((score for _s, score in ranked), reverse=True)


def test_a_folder_of_our_own_with_an_untranslated_page(tmp_path):
    folder = tmp_path / "services"
    write_service(folder, "beekeeping.md", title="Beekeeping analytics", slug="beekeeping",
                  keywords="bees, hives, honey", body="We count bees in hives and forecast honey.")
    write_service(folder, "beekeeping.cs.md", title="Analýza včelstev", slug="beekeeping", keywords="včely, úly")
    write_service(folder, "gardening.md", title="Garden planning", slug="gardening", order=2,
                  keywords="garden, plants", body="Plants and flowers.")
    found = catalogue.load(tmp_path, "http://site")
    czech = {s.slug: s for s in found.in_language("cs")}
    assert czech["beekeeping"].title == "Analýza včelstev"
    assert czech["gardening"].language == "en"  # no Czech page: the English one stands in
    assert [s.slug for s, _score in found.match("Our hives lose bees; we want honey forecasts.", "en")] == [
        "beekeeping"]


def test_a_changed_page_is_read_again(tmp_path):
    folder = tmp_path / "services"
    write_service(folder, "a.md", title="First title")
    assert catalogue.load(tmp_path, "http://site").services[0].title == "First title"
    write_service(folder, "a.md", title="Second title")
    assert catalogue.load(tmp_path, "http://site").services[0].title == "Second title"


def test_pages_without_title_or_slug_and_drafts_are_left_out_with_a_note(tmp_path):
    folder = tmp_path / "services"
    write_service(folder, "good.md", slug="good")
    (folder / "broken.md").write_text("Summary: no title here\n\nJust text.\n", encoding="utf-8")
    (folder / "draft.md").write_text("Title: Soon\nSlug: soon\nStatus: draft\n\nNot yet.\n", encoding="utf-8")
    (folder / "README.md").write_text("# How to write service pages\n", encoding="utf-8")
    found = catalogue.load(tmp_path, "http://site")
    assert [s.slug for s in found.services] == ["good"]
    assert found.problem == ("Service pages without a title or slug, or not published, were left out: "
                             "broken.md, draft.md.")


def test_a_missing_catalogue_is_a_note_in_the_result_not_a_crash(settings, tmp_path):
    missing = dataclasses.replace(settings, content_dir=tmp_path / "nowhere")
    result = analysis.analyse("We need our invoices read automatically by March 2027.", missing)
    assert result.recommended_services == [] and result.category is None
    assert result.notes == [f"The service catalogue folder {tmp_path / 'nowhere' / 'services'} does not exist."]
    assert result.facts.deadline.text == "by March 2027"


def test_an_empty_catalogue_is_a_note_too(settings, tmp_path):
    (tmp_path / "services").mkdir()
    result = analysis.analyse("We need our invoices read.", dataclasses.replace(settings, content_dir=tmp_path))
    assert result.notes == [f"The service catalogue folder {tmp_path / 'services'} has no service pages."]
