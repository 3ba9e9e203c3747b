"""The `openai` analyser against an OpenAI-compatible chat-completions server that the tests run on loopback."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from statex import analysis
from statex.config import ConfigError, load_settings
from tests.fakes import FakeLLM
from tests.helpers import free_port

TEXT = ("We are Acme Logistics s.r.o. from Brno. Our accountants retype hundreds of supplier invoices a "
        "month into the ERP. We need the invoices read automatically by March 2027; budget €25,000.")
ANSWER = {
    "summary": "Acme retypes supplier invoices by hand and wants them read automatically.",
    "language": "en",
    "category": "Automation",
    "category_confidence": 0.9,
    "requirements": ["Read supplier invoices automatically"],
    "facts": {"budget": {"amount": 25000, "currency": "EUR", "text": "€25,000"},
              "deadline": {"date": "2027-03-31", "text": "by March 2027"},
              "location": "Brno", "company": "Acme Logistics s.r.o.", "contact": {"email": None, "phone": None}},
    "keywords": ["supplier invoices", "ERP"],
    "recommended_services": [
        {"slug": "document-extraction", "title": "Invoice magic", "url": "https://wrong.example/", "score": 0.92},
        {"slug": "time-travel", "title": "Time travel", "url": "https://wrong.example/tt", "score": 0.4},
    ],
    "next_steps": ["Send us twenty sample invoices."],
}


@pytest.fixture
def llm():
    server = FakeLLM()
    yield server
    server.stop()


def environ(**extra) -> dict:
    """The test environment without any analyser settings of the machine's own, plus `extra`."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "ANALYSER"))} | extra


def openai_settings(base_url: str, **extra):
    """Settings as the environment gives them, pointing the analyser at `base_url`."""
    return load_settings(environ(**{"LLM_BASE_URL": base_url, "LLM_MODEL": "test-model", "LLM_API_KEY": "sk-test",
                                    "LLM_TIMEOUT": "0.5"} | extra))


def test_a_valid_answer_is_used_and_linked_to_our_catalogue(llm):
    llm.replies = [("content", json.dumps(ANSWER))]
    settings = openai_settings(llm.url)
    result = analysis.analyse(TEXT, settings)

    assert (result.provenance.provider, result.provenance.model) == ("openai", "fake-model-1")
    assert set(result.provenance.durations_ms) == {"request_1", "total"}
    assert result.summary == ANSWER["summary"] and result.facts.deadline.date.isoformat() == "2027-03-31"
    assert result.category == "automation"  # the model wrote the category's words; we keep its key
    [service] = result.recommended_services
    assert (service.slug, service.title, service.score) == ("document-extraction", "Document data extraction", 0.92)
    assert service.url == f"{settings.site_url}/services/document-extraction/"
    assert result.notes == ["The model recommended services that are not in our catalogue; they were left out: "
                            "time-travel."]

    [request] = llm.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    body = request["body"]
    assert body["model"] == "test-model" and body["response_format"] == {"type": "json_object"}
    system, user = body["messages"]
    assert user == {"role": "user", "content": TEXT}
    assert '"recommended_services"' in system["content"] and "'document-extraction'" in system["content"]
    assert "category 'automation'" in system["content"]


def test_an_invalid_answer_is_sent_back_with_the_error_and_the_corrected_one_used(llm):
    llm.replies = [("content", "Sure! Here is the analysis you asked for."), ("content", json.dumps(ANSWER))]
    result = analysis.analyse(TEXT, openai_settings(llm.url))

    assert result.provenance.provider == "openai"
    assert result.notes[0].startswith("The model's answer did not match the schema (answer: Invalid JSON")
    retry = llm.requests[1]["body"]["messages"]
    assert retry[2] == {"role": "assistant", "content": "Sure! Here is the analysis you asked for."}
    assert retry[3]["role"] == "user" and "does not match the schema: answer: Invalid JSON" in retry[3]["content"]


def test_an_answer_wrapped_in_a_code_fence_is_accepted(llm):
    llm.replies = [("content", "```json\n" + json.dumps(ANSWER) + "\n```")]
    assert analysis.analyse(TEXT, openai_settings(llm.url)).provenance.provider == "openai"


def test_nulls_and_an_upper_case_language_are_read_as_meant(llm):
    answer = ANSWER | {"language": "EN", "requirements": None, "recommended_services": None,
                       "facts": {"budget": None, "contact": None}}
    llm.replies = [("content", json.dumps(answer))]
    result = analysis.analyse(TEXT, openai_settings(llm.url))
    assert (result.provenance.provider, result.language, result.requirements) == ("openai", "en", [])
    assert result.facts.contact.email is None and result.recommended_services == [] and result.notes == []


def test_answers_that_never_match_fall_back_to_the_local_analyser_with_a_note(llm):
    wrong = json.dumps({"summary": "Fine.", "language": "English", "category_confidence": 7})
    llm.replies = [("content", wrong), ("content", wrong)]
    result = analysis.analyse(TEXT, openai_settings(llm.url))

    assert len(llm.requests) == 2
    assert "language: String should match pattern" in llm.requests[1]["body"]["messages"][3]["content"]
    assert result.provenance.provider == "local" and result.provenance.model is None
    assert result.notes[0] == ("The language model's answer (test-model at "
                               f"{llm.url.split('/')[2]}) did not match the schema after 2 attempts; "
                               "the local analyser was used.")
    assert {"openai.request_1", "openai.request_2", "summary"} <= set(result.provenance.durations_ms)
    assert result.facts.company == "Acme Logistics s.r.o."  # the local analyser's own work


def test_a_transient_error_is_retried(llm):
    llm.replies = [("status", 503), ("content", json.dumps(ANSWER))]
    result = analysis.analyse(TEXT, openai_settings(llm.url))
    assert result.provenance.provider == "openai" and len(llm.requests) == 2


def test_a_refusal_falls_back_at_once_naming_the_reason(llm):
    llm.replies = [("status", 401)]
    result = analysis.analyse(TEXT, openai_settings(llm.url))
    assert len(llm.requests) == 1 and result.provenance.provider == "local"
    assert "the server answered HTTP 401: scripted failure 401" in result.notes[0]


def test_a_server_that_is_down_falls_back():
    result = analysis.analyse(TEXT, openai_settings(f"http://127.0.0.1:{free_port()}/v1"))
    assert result.provenance.provider == "local"
    assert "the server could not be reached (ConnectError" in result.notes[0]
    assert "(tried 2 times). The local analyser was used." in result.notes[0]


def test_a_server_that_does_not_answer_in_time_falls_back(llm):
    llm.replies = [("sleep", 30), ("sleep", 30)]
    result = analysis.analyse(TEXT, openai_settings(llm.url, LLM_TIMEOUT="0.2"))
    assert result.provenance.provider == "local"
    assert "no answer within 0.2 s (tried 2 times)" in result.notes[0]


def test_the_provider_is_chosen_by_configuration(llm):
    assert load_settings(environ()).analyser == "local"
    assert openai_settings(llm.url).analyser == "openai"
    assert openai_settings(llm.url, ANALYSER="local").analyser == "local"
    with pytest.raises(ConfigError, match="ANALYSER=openai needs LLM_BASE_URL"):
        load_settings(environ(ANALYSER="openai"))
    with pytest.raises(ConfigError, match="ANALYSER must be one of local, openai"):
        load_settings(environ(ANALYSER="gpt"))
    with pytest.raises(ConfigError, match="LLM_TIMEOUT must be a number"):
        openai_settings(llm.url, LLM_TIMEOUT="soon")


def test_with_the_local_provider_the_model_is_never_asked(llm):
    result = analysis.analyse(TEXT, openai_settings(llm.url, ANALYSER="local"))
    assert result.provenance.provider == "local" and llm.requests == []


def test_a_request_of_several_sources_is_sent_with_each_labelled_and_the_conflicts_kept(llm):
    from statex.analysis.sources import Source

    given = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    sources = [Source("description", TEXT, given),
               Source("file", "Budget: 9,000 EUR", given + dt.timedelta(seconds=1), name="brief.docx")]
    conflict = {"field": "budget", "latest": 1, "note": "Two budgets; the later one is used.",
                "values": [{"text": "€25,000", "source": "your description", "given_at": given.isoformat()},
                           {"text": "9,000 EUR", "source": "brief.docx", "given_at": None}]}
    llm.replies = [("content", json.dumps(ANSWER | {"conflicts": [conflict | {"latest": 2}]})),
                   ("content", json.dumps(ANSWER | {"conflicts": [conflict]}))]
    result = analysis.analyse_request(sources, openai_settings(llm.url))

    user = llm.requests[0]["body"]["messages"][1]["content"]
    assert user.startswith(f"[source: your description; given 2026-12-01T09:30:00+00:00]\n{TEXT}\n\n")
    assert user.endswith("[source: brief.docx; given 2026-12-01T09:30:01+00:00]\nBudget: 9,000 EUR")
    assert '"conflicts"' in llm.requests[0]["body"]["messages"][0]["content"]
    assert "conflicts.0: Value error, latest must index values (0 to 1)" in llm.requests[1]["body"]["messages"][3][
        "content"]
    [kept] = result.conflicts
    assert (kept.field, kept.latest, kept.values[1].source) == ("budget", 1, "brief.docx")
