"""The API with files: multipart creation, idempotent retries, cancel, downloads."""

import hashlib
import io

import pytest
import requests

from statex.config import load_settings
from statex.models import Submission
from tests import samples
from tests.fakes import s3_keys
from tests.helpers import count

DESCRIPTION = "Our shop gets hundreds of customer emails a week; we want answers drafted."


@pytest.fixture
def headers(make_user, make_token):
    email, _p, _i = make_user()
    return {"Authorization": f"Bearer {make_token(email)}"}


def _multipart(client, headers, files=(), voice=None, **fields):
    data = {"description": DESCRIPTION, **fields, "files": [(io.BytesIO(c), n) for n, c in files]}
    if voice:
        data["voice"] = (io.BytesIO(voice[1]), voice[0])
    return client.post("/api/v1/submissions", data=data, headers=headers, content_type="multipart/form-data")


def test_multipart_with_files_and_voice(client, headers):
    pdf, voice = samples.pdf(), samples.speech("m4a")
    response = _multipart(client, headers, files=[("offer.pdf", pdf), ("notes.txt", b"Prices in CZK.\n")],
                          voice=("hello.m4a", voice), language="en", category="customer_support",
                          contact_channel="telegram", contact="statex_ann")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["category"], body["contact_channel"], body["contact"]) == ("customer_support", "telegram",
                                                                             "@statex_ann")
    files = {f["name"]: f for f in body["files"]}
    assert files["offer.pdf"]["content_type"] == "application/pdf"
    assert files["offer.pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert files["hello.m4a"]["kind"] == "voice" and files["hello.m4a"]["content_type"] == "audio/mp4"
    download = client.get(files["offer.pdf"]["download_url"], headers=headers)
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_voice_message_needs_no_description(client, headers):
    response = client.post("/api/v1/submissions", headers=headers, content_type="multipart/form-data",
                           data={"voice": (io.BytesIO(samples.speech("webm")), "v.webm")})
    assert response.status_code == 201 and response.get_json()["description"] == ""


def test_rejections_name_each_field_and_file(client, headers):
    response = _multipart(client, headers, files=[("evil.pdf", b"#!/bin/sh\nrm -rf /\n" + b"\x00" * 100)],
                          contact_channel="phone", contact="", language="xx")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert set(errors) == {"files", "contact", "language"}
    assert "“evil.pdf”" in errors["files"][0]


def test_the_same_idempotency_key_creates_one_submission(client, headers, db):
    first = client.post("/api/v1/submissions", json={"description": DESCRIPTION},
                        headers={**headers, "Idempotency-Key": "order-42"})
    again = client.post("/api/v1/submissions", json={"description": DESCRIPTION},
                        headers={**headers, "Idempotency-Key": "order-42"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.get_json()["id"] == again.get_json()["id"]
    assert count(db, Submission) == 1
    bad = client.post("/api/v1/submissions", json={"description": DESCRIPTION},
                      headers={**headers, "Idempotency-Key": "x" * 300})
    assert bad.status_code == 422 and "Idempotency-Key" in bad.get_json()["errors"]


def test_keys_belong_to_their_owner(client, headers, make_user, make_token):
    email, _p, _i = make_user()
    other = {"Authorization": f"Bearer {make_token(email)}", "Idempotency-Key": "same"}
    mine = client.post("/api/v1/submissions", json={"description": "a"}, headers={**headers, "Idempotency-Key": "same"})
    theirs = client.post("/api/v1/submissions", json={"description": "b"}, headers=other)
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]


def test_cancel_through_the_api(client, headers, run_jobs):
    created = client.post("/api/v1/submissions", json={"description": DESCRIPTION}, headers=headers).get_json()
    cancelled = client.post(f"/api/v1/submissions/{created['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = client.post(f"/api/v1/submissions/{created['id']}/cancel", headers=headers)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert client.post("/api/v1/submissions/nope/cancel", headers=headers).status_code == 404


def test_files_of_others_are_404(client, headers, make_user, make_token):
    body = _multipart(client, headers, files=[("a.png", samples.image())]).get_json()
    email, _p, _i = make_user()
    other = {"Authorization": f"Bearer {make_token(email)}"}
    response = client.get(body["files"][0]["download_url"], headers=other)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/submissions/{body['id']}/files/x", headers=headers).status_code == 404


def test_list_filters_and_pages(client, headers):
    for n in range(3):
        client.post("/api/v1/submissions", json={"description": f"{DESCRIPTION} {n}"}, headers=headers)
    page = client.get("/api/v1/submissions?per_page=2&page=2", headers=headers).get_json()
    assert page["total"] == 3 and len(page["items"]) == 1
    assert client.get("/api/v1/submissions?per_page=500", headers=headers).get_json()["errors"]


def test_on_s3_downloads_redirect_to_a_presigned_link(s3_bucket, s3_endpoint, make_user, make_token):
    from portal import create_app

    client = create_app(test_config={"TESTING": True}, settings=load_settings()).test_client()
    email, _p, _i = make_user()
    headers = {"Authorization": f"Bearer {make_token(email)}"}
    docx = samples.docx()
    body = _multipart(client, headers, files=[("plan.docx", docx)]).get_json()
    assert len(s3_keys(s3_endpoint, s3_bucket)) == 1
    response = client.get(body["files"][0]["download_url"], headers=headers)
    assert response.status_code == 302
    fetched = requests.get(response.headers["Location"], timeout=10)
    assert fetched.content == docx
    assert fetched.headers["Content-Disposition"].startswith("attachment;")


def test_unknown_fields_are_named(client, headers):
    response = client.post("/api/v1/submissions", json={"description": DESCRIPTION, "budget": 5}, headers=headers)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["budget"]
