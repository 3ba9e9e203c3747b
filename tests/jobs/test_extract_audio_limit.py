"""The worker holds the per-request audio limit too, whatever let the recordings in."""

from __future__ import annotations

import io

from sqlalchemy import select

from statex.models.pipeline import Extraction
from tests import samples


def test_recordings_past_the_request_limit_fail_for_good_at_the_worker(client, make_user, make_token, run_jobs,
                                                                        db, monkeypatch):
    """Two 40 s recordings came in under a 10-minute limit; the limit is now a minute: the first is read,
    the second fails once, for good, with the reason."""
    email, _password, _id = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    data = {"description": "Two voice notes about our orders.",
            "files": [(io.BytesIO(samples.silence_wav(40)), "first.wav"),
                      (io.BytesIO(samples.silence_wav(40)), "second.wav")]}
    response = client.post("/api/v1/submissions", data=data, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    monkeypatch.setenv("UPLOAD_MAX_AUDIO_SECONDS", "60")
    run_jobs()
    found = {e.file.name: e for e in db.scalars(select(Extraction))}
    assert found["first.wav"].state == "completed"
    assert (found["second.wav"].state, found["second.wav"].attempts) == ("failed", 1)
    assert "last longer than we transcribe for one request" in found["second.wav"].error
    assert "UPLOAD_MAX_AUDIO_SECONDS=60" in found["second.wav"].error_detail
