"""The one vocabulary of categories (statex/categories.py): keys, words in two languages, old names read."""

from statex import analysis, categories, review, uploads
from statex.analysis.schema import Findings
from statex.models.pipeline import Setting


def test_every_category_of_the_sites_catalogue_is_in_the_vocabulary(settings):
    catalogue = analysis.catalogue_for(settings)
    names = {service.category for service in catalogue.services if service.category}
    assert {"Analytics", "Analytika", "Automation", "Automatizace"} <= names
    assert {name: categories.key_for(name) for name in names if categories.key_for(name) is None} == {}


def test_a_category_reads_in_english_and_czech_and_an_old_name_as_its_key():
    assert categories.label("analytics") == "Data analysis and reports"
    assert categories.label("analytics", "cs") == "Analýza dat a reporty"
    assert categories.label("analytics", "de") == "Data analysis and reports"  # untranslated: English
    assert categories.key_for("Analytika") == categories.key_for(" analytics ") == "analytics"
    assert categories.label("Automatizace", "en") == "Process automation"
    assert categories.label("Things") == "Things" and categories.label(None) == ""


def test_the_client_form_offers_the_vocabulary():
    assert tuple(uploads.CATEGORIES) == categories.KEYS
    assert uploads.CATEGORIES["documents"] == "Documents and data entry"


def test_the_analysers_file_requests_by_key(settings):
    result = analysis.analyse("We need a chatbot that answers customer emails about orders.", settings)
    assert result.category in categories.KEYS
    assert Findings.model_validate({"summary": "s", "language": "en", "category": "Analytika"}).category == "analytics"
    assert Findings.model_validate({"summary": "s", "language": "en", "category": "Teleportation"}).category is None


def test_review_settings_saved_with_the_sites_words_still_apply(db):
    db.add(Setting(key=review.SETTING, value={"all": False, "categories": ["Analytics", "Analytika", "Jazyk"]}))
    db.flush()
    assert review.policy(db)["categories"] == ["analytics", "language"]
    assert review.required(db, "analytics") and review.required(db, "Analytika")
    assert review.required(db, "language") and not review.required(db, "automation")
    review.set_policy(db, False, ["Automation", "automation", "nonsense"])
    assert review.policy(db)["categories"] == ["automation"]
