"""Matching requests to our services by meaning, in four languages, and abstaining when nothing fits."""

from __future__ import annotations

import json
import os

import pytest

from statex import analysis
from statex.analysis import meaning
from tests.faults.conftest import processes  # noqa: F401  (the fixture, for real worker processes)
from tests.helpers import wait_until

# Requests in the clients' own words: none names the catalogue's keywords, and none is in bench/data.
IN_OWN_WORDS = [
    ("en", "Every Monday two of us spend the whole morning keying the amounts from suppliers' bills into the "
           "bookkeeping program.", "document-extraction"),
    ("cs", "Řetězec kaváren neví, kolik croissantů ráno napéct; večer je vyhazujeme a jinde chybí.",
     "demand-forecasting"),
    ("de", "Unsere Kunden fragen im Chat immer wieder nach Öffnungszeiten und Garantie. Eine automatische "
           "Antwort aus unseren Unterlagen wäre ideal.", "support-assistant"),
    ("fr", "Chaque mois, des milliers de clients laissent des commentaires sur nos produits ; nous voulons savoir "
           "ce qui revient le plus souvent et si cela s'améliore.", "text-analytics"),
]
NOT_OURS = [
    ("en", "We are redoing our kitchen and need someone to fit the units and tile the walls."),
    ("cs", "Hledám někoho, kdo přeloží moji knihu do němčiny."),
    ("de", "Bei uns tropft der Wasserhahn, wir brauchen schnell einen Installateur."),
]


@pytest.mark.parametrize(("language", "text", "slug"), IN_OWN_WORDS)
def test_a_request_in_its_own_words_finds_the_right_service(settings, language, text, slug):
    result = analysis.analyse(text, settings)
    assert result.language == language
    assert result.recommended_services[0].slug == slug
    assert 0.5 <= result.recommended_services[0].score <= 1 and not result.no_service_fits


@pytest.mark.parametrize(("language", "text"), NOT_OURS)
def test_work_we_do_not_sell_gets_no_service_and_an_honest_note(settings, language, text):
    result = analysis.analyse(text, settings)
    assert result.recommended_services == [] and result.category is None
    assert result.no_service_fits
    assert any("does not look like work we offer" in note for note in result.notes)


def test_the_catalogue_is_encoded_once_and_read_back_from_the_cache(settings):
    analysis.analyse("We retype delivery notes by hand.", settings)
    files = sorted(settings.cache_dir.glob("embeddings-*.npy"))
    assert len(files) == 4  # the pages' texts, their requests, and the two kinds of work we don't sell
    stamps = [f.stat().st_mtime_ns for f in files]
    analysis.analyse("Nos clients posent toujours les mêmes questions.", settings)
    assert [f.stat().st_mtime_ns for f in sorted(settings.cache_dir.glob("embeddings-*.npy"))] == stamps


def test_a_forked_child_encodes_after_its_parent_has(tmp_path):
    """RQ's work horse is a fork of the worker: the model must work there whatever the parent did."""
    meaning.queries(["the parent encodes first"])
    out = tmp_path / "child.json"
    pid = os.fork()
    if pid == 0:
        out.write_text(json.dumps(meaning.queries(["then the child"]).shape))
        os._exit(0)
    try:
        wait_until(lambda: os.waitpid(pid, os.WNOHANG) != (0, 0), every=0.1, message="the forked child to end")
    except AssertionError:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise
    assert out.exists() and json.loads(out.read_text()) == [1, 384]


def test_a_real_worker_matches_a_request_sent_through_the_api(client, make_user, make_token, settings,
                                                              processes):  # noqa: F811
    email, _password, _user = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    response = client.post("/api/v1/submissions", headers=headers, json={
        "description": "Every month we copy the figures from hundreds of scanned supplier invoices into our "
                       "accounting system by hand."})
    assert response.status_code == 201
    processes.start("ai", "worker", "ai")
    processes.start("scheduler", "scheduler")
    url = f"/api/v1/submissions/{response.get_json()['id']}"

    def completed():
        found = client.get(url, headers=headers).get_json()
        return found if found["status"] in ("completed", "failed") else None

    found = wait_until(completed, message="the worker's analysis")
    assert found["status"] == "completed"
    assert found["result"]["recommended_services"][0]["slug"] == "document-extraction"
