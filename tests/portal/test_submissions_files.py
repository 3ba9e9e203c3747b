"""Voice and files through the portal's form: stored by content, downloaded only by their owner."""

import hashlib
import io
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from statex.config import load_settings
from statex.models import Submission, SubmissionFile
from tests import samples
from tests.conftest import Auth
from tests.fakes import s3_keys
from tests.helpers import count

DESCRIPTION = "We want our invoices read automatically and checked before import."
NEW = "/portal/submissions/new"


def _form_key(client):
    html = client.get("/portal/submissions/new").get_data(as_text=True)
    return re.search(r'name="form_key" type="hidden" value="([0-9a-f]{32})"', html).group(1)


def _post(client, description=DESCRIPTION, files=(), voice=None, form_key="", **fields):
    data = {"description": description, "language": "en", "csrf_token": Auth(client).csrf(NEW),
            "form_key": form_key, "contact_channel": "email", "contact": "", **fields,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    if voice is not None:
        data["voice"] = (io.BytesIO(voice[1]), voice[0])
    return client.post("/portal/submissions/new", data=data, content_type="multipart/form-data")


@pytest.fixture
def signed_in(client, auth, make_user):
    email, password, _id = make_user()
    auth.login(email, password)
    return client


def test_voice_and_files_are_stored_with_their_hashes(signed_in, db, settings):
    pdf, png, voice = samples.pdf(), samples.image(), samples.speech("webm")
    response = _post(signed_in, files=[("Faktura č. 1.pdf", pdf), ("../../scan.png", png)],
                     voice=("recording.webm", voice))
    assert response.status_code == 303
    submission = db.scalars(select(Submission)).one()
    files = {f.name: f for f in submission.files}
    assert set(files) == {"Faktura č. 1.pdf", "scan.png", "recording.webm"}
    assert files["recording.webm"].kind == "voice" and files["recording.webm"].content_type == "audio/webm"
    assert files["scan.png"].content_type == "image/png"
    assert files["Faktura č. 1.pdf"].sha256 == hashlib.sha256(pdf).hexdigest()
    assert files["Faktura č. 1.pdf"].size == len(pdf)
    for item in submission.files:
        assert item.name not in item.storage_key and ".." not in item.storage_key
        assert (settings.storage_dir / item.storage_key).is_file()

    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Faktura č. 1.pdf" in page and "<audio" in page


def test_a_voice_message_alone_is_enough(signed_in, db):
    response = _post(signed_in, description="", voice=("voice.ogg", samples.speech("ogg")))
    assert response.status_code == 303
    assert db.scalars(select(SubmissionFile)).one().content_type == "audio/ogg"


def test_download_is_an_attachment_with_nosniff(signed_in, db):
    pdf = samples.pdf()
    page = _post(signed_in, files=[("Faktura č. 1.pdf", pdf)]).headers["Location"]
    item = db.scalars(select(SubmissionFile)).one()
    response = signed_in.get(f"{page}/files/{item.id}")
    assert response.status_code == 200 and response.data == pdf
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Faktura%20%C4%8D.%201.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_audio_plays_inline_but_documents_do_not(signed_in, db):
    sent = _post(signed_in, files=[("a.pdf", samples.pdf())], voice=("v.mp3", samples.speech("mp3")))
    page = sent.headers["Location"]
    voice = db.scalars(select(SubmissionFile).where(SubmissionFile.kind == "voice")).one()
    document = db.scalars(select(SubmissionFile).where(SubmissionFile.kind == "attachment")).one()
    played = signed_in.get(f"{page}/files/{voice.id}/play")
    assert played.status_code == 200
    assert played.headers["Content-Type"] == "audio/mpeg"
    assert played.headers["Content-Disposition"].startswith("inline;")
    assert played.headers["X-Content-Type-Options"] == "nosniff"
    assert signed_in.get(f"{page}/files/{document.id}/play").status_code == 404


def test_another_client_cannot_download(signed_in, db, app, make_user):
    page = _post(signed_in, files=[("a.pdf", samples.pdf())]).headers["Location"]
    item = db.scalars(select(SubmissionFile)).one()
    other = app.test_client()
    email, password, _id = make_user()
    Auth(other).login(email, password)
    assert other.get(f"{page}/files/{item.id}").status_code == 404
    assert other.get(f"{page}/files/{item.id}/play").status_code == 404
    assert signed_in.get(f"{page}/files/not-a-uuid").status_code == 404


def test_rejected_files_are_named_and_the_form_kept(signed_in, db):
    response = _post(signed_in, files=[("ok.pdf", samples.pdf()), ("setup.exe", b"MZ\x90\x00" + bytes(2000))],
                     voice=("voice.pdf", samples.pdf()), category="automation")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“setup.exe” looks like" in html
    assert "“voice.pdf” is not an audio recording." in html
    assert DESCRIPTION in html
    assert 'selected value="automation"' in html
    assert "please attach them again" in html
    assert count(db, Submission) == 0


def test_a_double_submitted_form_creates_one_submission(signed_in, db, settings):
    key = _form_key(signed_in)
    first = _post(signed_in, files=[("a.pdf", samples.pdf())], form_key=key)
    second = _post(signed_in, files=[("a.pdf", samples.pdf())], form_key=key)
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db, Submission) == 1
    assert count(db, SubmissionFile) == 1
    stored = [p for p in Path(settings.storage_dir).rglob("*") if p.is_file()]
    assert len(stored) == 1, "the second post stores nothing"


def test_contact_details_are_checked_and_kept(signed_in, db):
    bad = _post(signed_in, contact_channel="telegram", contact="")
    assert bad.status_code == 422 and "Tell us your Telegram contact." in bad.get_data(as_text=True)
    assert _post(signed_in, contact_channel="whatsapp", contact="+420 601 123 456").status_code == 303
    submission = db.scalars(select(Submission)).one()
    assert (submission.contact_channel, submission.contact) == ("whatsapp", "+420601123456")


def test_language_defaults_from_the_browser(signed_in):
    html = signed_in.get(NEW, headers={"Accept-Language": "cs-CZ,cs;q=0.9"}).get_data(as_text=True)
    assert 'selected value="cs"' in html


def test_on_s3_files_go_to_the_bucket_and_downloads_redirect(s3_bucket, s3_endpoint, make_user):
    from portal import create_app

    client = create_app(test_config={"TESTING": True}, settings=load_settings()).test_client()
    email, password, _id = make_user()
    Auth(client).login(email, password)
    voice = samples.speech("wav")
    page = _post(client, files=[("a.docx", samples.docx())], voice=("v.wav", voice)).headers["Location"]
    assert len(s3_keys(s3_endpoint, s3_bucket)) == 2
    html = client.get(page).get_data(as_text=True)
    file_id = re.search(r'/files/([0-9a-f-]{36})/play', html).group(1)
    response = client.get(f"{page}/files/{file_id}")
    assert response.status_code == 302 and response.headers["Location"].startswith(s3_endpoint)
    expires = int(parse_qs(urlsplit(response.headers["Location"]).query)["Expires"][0])
    assert expires <= time.time() + 120, "the link is short-lived"
    fetched = requests.get(response.headers["Location"], timeout=10)
    assert fetched.content == voice and fetched.headers["Content-Type"] == "audio/wav"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    played = client.get(f"{page}/files/{file_id}/play")
    assert played.status_code == 200 and played.data == voice
