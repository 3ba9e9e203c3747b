"""A real `statex worker` transcribes: RQ forks a work horse per job, and CTranslate2 hangs in a child
forked after its parent loaded a model, so the model must load in the horse, never in the worker."""

from __future__ import annotations

import io

from sqlalchemy import select

from statex.db import session_scope
from statex.models.pipeline import Extraction
from tests.helpers import wait_until
from tests.statex import extraction_samples as samples


def test_a_real_worker_transcribes_a_voice_recording(client, make_user, make_token, settings, processes, tmp_path):
    email, _password, _user = make_user()
    response = client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {make_token(email)}"},
                           content_type="multipart/form-data",
                           data={"description": "", "voice": (io.BytesIO(samples.speech_wav(tmp_path)), "v.wav")})
    assert response.status_code == 201
    processes.start("scheduler", "scheduler", "--interval", "0.5")
    processes.start("worker", "worker")

    with session_scope(settings.database_url) as session:
        def read():
            session.expire_all()
            extraction = session.scalar(select(Extraction))
            return extraction if extraction is not None and extraction.final else None
        extraction = wait_until(read, timeout=240, message="the recording to be transcribed")
        assert (extraction.state, extraction.method, extraction.language) == ("completed", "faster-whisper", "en")
        assert extraction.attempts == 1  # no horse hung and was given up on
        heard = samples.SPEECH_WORDS & set(samples.words(extraction.text.replace(".", " ")))
        assert len(heard) >= 0.75 * len(samples.SPEECH_WORDS), extraction.text
