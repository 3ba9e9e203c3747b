"""Fixtures of the job tests: a client's API token, and a transcription server on loopback."""

from __future__ import annotations

import pytest

from tests.fakes import Whisper


@pytest.fixture
def client_token(make_user, make_token):
    """A client's API headers and id."""
    email, _password, user_id = make_user()
    return {"Authorization": f"Bearer {make_token(email)}"}, user_id


@pytest.fixture
def whisper(monkeypatch):
    """An OpenAI-compatible transcription server on loopback; retries come at once.

    Ask for it before `client`: the app reads the retry intervals when it is made.
    """
    server = Whisper().start()
    monkeypatch.setenv("TRANSCRIBE_URL", server.url)
    monkeypatch.setenv("JOB_RETRY_INTERVALS", "0,0,0")
    yield server
    server.stop()
