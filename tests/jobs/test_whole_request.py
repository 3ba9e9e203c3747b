"""The analysis of a whole request through the real job: the description, each added text and each file."""

from __future__ import annotations

import re
import uuid

from statex import submissions
from statex.db import session_scope
from statex.models import Submission
from statex.storage import storage_for
from tests.jobs.test_pipeline import _read, _submit
from tests.statex import extraction_samples as samples

SHOP = ("We run an online shop for garden tools and get hundreds of customer emails a week. "
        "Our budget is 15,000 EUR. We want the answers drafted automatically.")
FILE_NEED = "We need the assistant to answer customer emails in Czech and German"


def _result(client, headers, submission_id) -> dict:
    body = _read(client, headers, submission_id)
    assert body["status"] == "completed", body["status_message"]
    return body["result"]


def test_the_summary_of_a_request_with_a_word_file_is_sentences_about_it_with_the_files_needs(
        client, client_token, run_jobs):
    headers, _user = client_token
    submission_id = _submit(client, headers, description=SHOP, files=[("brief.docx", samples.brief_docx())])
    run_jobs()
    result = _result(client, headers, submission_id)
    summary = result["summary"]
    assert not re.search(r"\bFile\b|brief\.docx:", summary)
    assert "the file brief.docx" in summary.split(". ")[0]  # the lead says what came with the request
    assert FILE_NEED in summary  # a need stated only in the file
    assert all(sentence[0].isupper() and sentence[-1] == "." for sentence in re.split(r"(?<=\.) ", summary))
    assert FILE_NEED in result["requirements"]
    assert "Every answer must be checked by a person before it is sent" in result["requirements"]


def test_a_budget_in_the_description_and_another_in_a_file_are_both_shown_with_the_latest(
        client, client_token, run_jobs):
    headers, _user = client_token
    submission_id = _submit(client, headers, description=SHOP, files=[("brief.docx", samples.brief_docx())])
    run_jobs()
    result = _result(client, headers, submission_id)
    [conflict] = result["conflicts"]
    assert conflict["field"] == "budget"
    assert [(v["text"], v["source"]) for v in conflict["values"]] == [
        ("15,000 EUR", "your description"), ("9,000 EUR", "brief.docx")]
    assert all(v["given_at"] for v in conflict["values"])
    assert conflict["values"][conflict["latest"]]["source"] == "brief.docx"
    assert "9,000 EUR (brief.docx)" in conflict["note"].split("last")[-1]
    assert (result["facts"]["budget"]["amount"], result["facts"]["budget"]["currency"]) == (9000, "EUR")


def test_a_deadline_added_later_wins_and_the_first_one_is_still_shown(client, client_token, run_jobs, settings):
    headers, _user = client_token
    submission_id = _submit(client, headers, description=SHOP + " We need it live by March 2027.")
    run_jobs()
    with session_scope(settings.database_url) as session:
        submission = session.get(Submission, uuid.UUID(submission_id))
        submissions.add_information(session, storage_for(settings), submission,
                                    "Sorry, a correction: we need it live by June 2027.", [])
    run_jobs()
    result = _result(client, headers, submission_id)
    [conflict] = result["conflicts"]
    assert conflict["field"] == "deadline"
    texts = [(v["text"], v["source"]) for v in conflict["values"]]
    assert texts[0] == ("by March 2027", "your description")
    assert texts[1][0] == "by June 2027" and texts[1][1].startswith("what you added on ")
    assert conflict["latest"] == 1 and result["facts"]["deadline"]["date"] == "2027-06-30"
    assert "Added on" not in result["summary"] and "Added" not in " ".join(result["keywords"])


def test_keywords_hold_no_file_names_labels_or_currency_codes(client, client_token, run_jobs):
    headers, _user = client_token
    files = [("garden-shop-brief.docx", samples.brief_docx()),
             ("offer.pdf", samples.text_pdf(["Offer for the Shoptet connector: 4,500 EUR or 110,000 CZK"]))]
    submission_id = _submit(client, headers, description=SHOP, files=files)
    run_jobs()
    words = {w.lower() for phrase in _result(client, headers, submission_id)["keywords"] for w in phrase.split()}
    assert words, "the request has keywords"
    assert not words & {"file", "garden-shop-brief.docx", "brief", "docx", "offer.pdf", "pdf", "eur", "czk"}
    assert "customer emails" in _result(client, headers, submission_id)["keywords"]


def test_a_request_given_only_as_a_voice_recording_is_summarised_in_sentences(
        whisper, client, client_token, run_jobs, tmp_path):
    headers, _user = client_token
    transcript = "we need a chatbot for our online shop that answers questions about delivery times"
    whisper.answers = [(200, {"text": transcript, "language": "english", "segments": []})]
    submission_id = _submit(client, headers, description="", voice=samples.speech_wav(tmp_path))
    run_jobs()
    summary = _result(client, headers, submission_id)["summary"]
    assert "Voice recording" not in summary
    assert summary.startswith("Your request ") and "a voice recording" in summary.split(". ")[0]
    assert ("We need a chatbot for our online shop that answers questions about delivery times." in summary)
