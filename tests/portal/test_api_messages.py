"""The thread through the API: clients and staff write, notes never reach a client token, keys dedupe."""

import io

import jsonschema
import pytest

from portal.api.openapi import document
from tests import samples


def _h(token, **more):
    return {"Authorization": f"Bearer {token}", **more}


@pytest.fixture
def tokens(client, make_user, make_token):
    """A client's token with one submission, and a staff token."""
    email, _, _ = make_user()
    staff_email, _, _ = make_user("staff", name="Sam")
    client_token, staff_token = make_token(email), make_token(staff_email)
    created = client.post("/api/v1/submissions", json={"description": "Read our invoices automatically."},
                          headers=_h(client_token)).get_json()
    return client_token, staff_token, created["id"]


def _valid(body, name):
    spec = document()
    jsonschema.validate(body, {**spec["components"]["schemas"][name], "components": spec["components"]},
                        cls=jsonschema.Draft202012Validator)


def test_client_and_staff_write_and_read_the_thread(client, tokens):
    client_token, staff_token, submission_id = tokens
    url = f"/api/v1/submissions/{submission_id}/messages"
    mine = client.post(url, json={"body": "Hello, is PDF fine?"}, headers=_h(client_token))
    assert mine.status_code == 201 and mine.get_json()["author"]["role"] == "client"
    assert "internal" not in mine.get_json()
    _valid(mine.get_json(), "Message")
    reply = client.post(url, data={"body": "Yes.", "files": [(io.BytesIO(samples.pdf()), "sample.pdf")]},
                        headers=_h(staff_token), content_type="multipart/form-data")
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["internal"] is False and reply.get_json()["files"][0]["name"] == "sample.pdf"
    note = client.post(url, json={"body": "Big client", "internal": True}, headers=_h(staff_token))
    assert note.status_code == 201 and note.get_json()["internal"] is True
    seen = client.get(url, headers=_h(client_token)).get_json()
    assert [m["body"] for m in seen["items"]] == ["Hello, is PDF fine?", "Yes."] and seen["total"] == 2
    assert "Big client" not in str(seen)
    download = client.get(seen["items"][1]["files"][0]["download_url"], headers=_h(client_token))
    assert download.status_code == 200
    staff_view = client.get(url, headers=_h(staff_token)).get_json()
    assert [m["internal"] for m in staff_view["items"]] == [False, False, True]
    # The client read staff's reply when listing the thread.
    assert staff_view["items"][1]["read_at"] is not None


def test_a_submission_tells_whose_turn_it_is_and_when_the_reply_is_due(client, tokens):
    client_token, staff_token, submission_id = tokens
    before = client.get(f"/api/v1/submissions/{submission_id}", headers=_h(client_token)).get_json()
    assert before["waiting_on"] == "us" and before["first_reply_due_at"] and before["first_replied_at"] is None
    assert before["assignee"] is None
    _valid(before, "Submission")
    client.post(f"/api/v1/submissions/{submission_id}/messages", json={"body": "On it."}, headers=_h(staff_token))
    after = client.get(f"/api/v1/submissions/{submission_id}", headers=_h(client_token)).get_json()
    assert after["waiting_on"] == "client" and after["first_replied_at"]


def test_an_idempotency_key_posts_once(client, tokens):
    client_token, _staff, submission_id = tokens
    url = f"/api/v1/submissions/{submission_id}/messages"
    first = client.post(url, json={"body": "Once"}, headers=_h(client_token, **{"Idempotency-Key": "k-1"}))
    again = client.post(url, json={"body": "Once"}, headers=_h(client_token, **{"Idempotency-Key": "k-1"}))
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json()["id"] == first.get_json()["id"]
    assert client.get(url, headers=_h(client_token)).get_json()["total"] == 1


def test_a_client_asking_for_a_note_is_forbidden(client, tokens):
    client_token, _staff, submission_id = tokens
    response = client.post(f"/api/v1/submissions/{submission_id}/messages", json={"body": "x", "internal": True},
                           headers=_h(client_token))
    assert response.status_code == 403 and "internal" in response.get_json()["errors"]


@pytest.mark.parametrize("body, field", [({"body": "  "}, "body"),
                                         ({"body": 3}, "body"), ({"body": "x", "colour": "red"}, "colour"),
                                         ({"body": "x", "internal": "yes"}, "internal")])
def test_what_a_client_may_not_send_is_a_422_naming_the_field(client, tokens, body, field):
    client_token, _staff, submission_id = tokens
    response = client.post(f"/api/v1/submissions/{submission_id}/messages", json=body, headers=_h(client_token))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_a_nul_character_is_refused_before_anything_is_stored(client, tokens):
    client_token, _staff, submission_id = tokens
    url = f"/api/v1/submissions/{submission_id}/messages"
    response = client.post(url, json={"body": "a\x00b"}, headers=_h(client_token))
    assert response.status_code in (400, 422) and response.mimetype == "application/problem+json"
    assert client.get(url, headers=_h(client_token)).get_json()["total"] == 0


def test_another_clients_thread_is_404_both_ways(client, tokens, make_user, make_token):
    _client, _staff, submission_id = tokens
    email, _, _ = make_user()
    other = make_token(email)
    url = f"/api/v1/submissions/{submission_id}/messages"
    assert client.get(url, headers=_h(other)).status_code == 404
    assert client.post(url, json={"body": "hi"}, headers=_h(other)).status_code == 404
    assert client.get(url + "?per_page=0", headers=_h(other)).status_code == 400


def test_metrics_count_messages_and_first_replies(client, tokens, settings):
    client_token, staff_token, submission_id = tokens
    url = f"/api/v1/submissions/{submission_id}/messages"
    client.post(url, json={"body": "Hi"}, headers=_h(client_token))
    client.post(url, json={"body": "Note", "internal": True}, headers=_h(staff_token))
    metrics = {"Authorization": f"Bearer {settings.metrics_token}"}
    before = client.get("/metrics", headers=metrics).text
    assert 'statex_first_replies{state="waiting"} 1.0' in before and "statex_first_reply_seconds_count 0.0" in before
    client.post(url, json={"body": "Hello"}, headers=_h(staff_token))
    text = client.get("/metrics", headers=metrics).text
    assert 'statex_messages{kind="message",role="client"} 1.0' in text
    assert 'statex_messages{kind="note",role="staff"} 1.0' in text
    assert 'statex_first_replies{state="answered"} 1.0' in text
    assert "statex_first_reply_seconds_count 1.0" in text
