"""Offers in a client's own data (statex/privacy.py): in the export with their PDFs; erasure keeps accepted ones."""

import datetime as dt
import hashlib
import json
import zipfile

from statex import offers, privacy
from statex.analysis import catalogue_for
from statex.models import Offer
from statex.offers import Acceptance
from statex.storage import storage_for
from tests.offers_helpers import analysed_request, new_client

TODAY = dt.date(2026, 12, 2)


def _sent(db, settings, owner):
    offer = offers.create_draft(db, settings, analysed_request(db, owner), catalogue_for(settings))
    return offers.send(db, settings, storage_for(settings), offer, today=TODAY)


def test_the_export_holds_every_sent_offer_its_acceptance_and_the_pdf(db, settings):
    owner = new_client(db)
    accepted, _draft = _sent(db, settings, owner), offers.create_draft(
        db, settings, analysed_request(db, owner), catalogue_for(settings))
    offers.accept(db, accepted, Acceptance("Jana Nováková", "192.0.2.1", "pytest", accepted.pdf_sha256), today=TODAY)
    archive = zipfile.ZipFile(privacy.export(db, storage_for(settings), owner))
    data = json.loads(archive.read("data.json"))
    assert [(o["number"], o["state"]) for o in data["offers"]] == [(accepted.number, "accepted")]  # no draft
    exported = data["offers"][0]
    assert exported["acceptance"]["name"] == "Jana Nováková" and exported["total"] == f"{accepted.total:.2f}"
    assert hashlib.sha256(archive.read(exported["pdf"])).hexdigest() == accepted.pdf_sha256


def test_erasing_the_account_keeps_accepted_offers_anonymised_and_deletes_the_rest(db, settings):
    owner = new_client(db)
    accepted, declined = _sent(db, settings, owner), _sent(db, settings, owner)
    offers.accept(db, accepted, Acceptance("Jana Nováková", "192.0.2.1", "pytest", accepted.pdf_sha256), today=TODAY)
    offers.decline(db, declined, "no", today=TODAY)
    storage, declined_key, declined_id = storage_for(settings), declined.pdf_key, declined.id
    db.commit()
    privacy.erase(db, storage, owner)
    db.commit()
    db.expire_all()
    kept = db.get(Offer, accepted.id)
    assert (kept.state, kept.number, kept.total) == ("accepted", accepted.number, accepted.total)
    assert (kept.owner_id, kept.submission_id, kept.accepted_ip, kept.accepted_user_agent) == (None,) * 4
    assert kept.accepted_name == "(anonymised)" and storage.exists(kept.pdf_key)
    assert db.get(Offer, declined_id) is None and not storage.exists(declined_key)
