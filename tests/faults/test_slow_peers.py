"""A transcription service or a model that hangs: the step times out, is retried or falls back; no worker waits
forever."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from statex.models.pipeline import Extraction
from tests.fakes import FakeLLM, Whisper
from tests.statex import extraction_samples as samples

DESCRIPTION = "We want our support inbox answered by an assistant, in Czech and English."


@pytest.fixture
def headers(make_user, make_token):
    email, _password, _user = make_user()
    return {"Authorization": f"Bearer {make_token(email)}"}


@pytest.fixture
def hanging_whisper(monkeypatch):
    server = Whisper().start()
    server.stall.set()
    monkeypatch.setenv("TRANSCRIBE_URL", server.url)
    monkeypatch.setenv("TRANSCRIBE_TIMEOUT", "1")
    monkeypatch.setenv("JOB_RETRY_INTERVALS", "0,0")
    yield server
    server.stop()


def test_hanging_transcription_times_out_is_retried_then_failed(hanging_whisper, client, headers, run_jobs, db,
                                                                tmp_path):
    response = client.post("/api/v1/submissions", headers=headers, content_type="multipart/form-data",
                           data={"description": DESCRIPTION,
                                 "voice": (io.BytesIO(samples.speech_wav(tmp_path)), "v.wav")})
    run_jobs()
    extraction = db.scalar(select(Extraction))
    assert extraction.state == "failed" and extraction.attempts == 3
    assert len(hanging_whisper.requests) == 3
    body = client.get(response.headers["Location"], headers=headers).get_json()
    assert body["status"] == "completed", "the description alone is still analysed"
    assert any("v.wav" in note for note in body["result"]["notes"])


def test_hanging_model_falls_back_to_the_local_analyser(client, headers, run_jobs, monkeypatch):
    llm = FakeLLM()
    llm.replies = [("sleep", 30)] * 4
    monkeypatch.setenv("LLM_BASE_URL", llm.url)
    monkeypatch.setenv("LLM_MODEL", "slow-model")
    monkeypatch.setenv("LLM_TIMEOUT", "1")
    try:
        response = client.post("/api/v1/submissions", headers=headers, json={"description": DESCRIPTION})
        run_jobs()
        body = client.get(response.headers["Location"], headers=headers).get_json()
    finally:
        llm.stop()
    assert body["status"] == "completed"
    assert body["result"]["provenance"]["provider"] == "local"
    assert body["result"]["notes"], "the fallback is noted for the client and staff"
