"""Who may reach a submission: its owner, staff and admins; another client gets 404 everywhere.

The URLs come from the app's own URL map (every portal and API route with a `submission_id`), so a
new page, action or file URL is covered the day it is added. Staff and admin pages come from the
map too. `OWNER_EXCEPTIONS` names the few answers that differ for a reason.
"""

from __future__ import annotations

import io
import struct
import wave

import pytest
from flask import url_for
from sqlalchemy import select

from statex import models
from tests.portal.accounts_helpers import csrf, login

DESCRIPTION = "We need our supplier invoices read automatically and checked before they reach the ERP."
# endpoint → statuses the owner may get instead of success (with the reason)
OWNER_EXCEPTIONS = {
    "submissions.play": {404},  # only audio files play inline; the attachment here is text
    "submissions.thread": {303},  # the thread's fragment is htmx's; a browser asking itself gets the page
}
ADMIN_ONLY = "/portal/staff/users"
# The development outbox keeps sign-in links: admins only.
ADMIN_ONLY_PAGES = (ADMIN_ONLY, "/portal/staff/outbox")


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1), sound.setsampwidth(2), sound.setframerate(8000)
        sound.writeframes(struct.pack("<h", 0) * 800)
    return out.getvalue()


class World:
    """Client A owns a submission with files; client B, a staff member and an admin look at it."""

    def __init__(self, app, make_user, make_token, settings):
        self.app = app
        self.clients, self.tokens = {}, {}
        for role, name in (("client", "a"), ("client", "b"), ("staff", "staff"), ("admin", "admin")):
            email, _, _ = make_user(role=role, email=f"{name}@example.com")
            self.clients[name] = app.test_client()
            assert login(self.clients[name], email).status_code == 302
            self.tokens[name] = make_token(email)
        self.clients["anonymous"] = app.test_client()
        owner = self.clients["a"]
        response = owner.post("/portal/submissions/new", data={
            "description": DESCRIPTION, "language": "en", "csrf_token": csrf(owner, "/portal/submissions/new"),
            "files": (io.BytesIO(b"Invoice 2026-001, total 1 200 CZK\n"), "invoice.txt"),
            "voice": (io.BytesIO(_wav()), "voice.wav")}, content_type="multipart/form-data")
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
        self.submission_id = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        self.file_ids = self._file_ids(settings)

    def _file_ids(self, settings) -> list[str]:
        file_model = getattr(models, "SubmissionFile", None)
        if file_model is None:
            return []
        from statex.db import session_scope

        with session_scope(settings.database_url) as session:
            query = select(file_model.id).where(file_model.submission_id == self.submission_id)
            return [str(i) for i in session.scalars(query.order_by(file_model.name))]

    def urls(self):
        """(endpoint, method, url) for every route of one submission, once per file for file routes."""
        for rule in sorted(self.app.url_map.iter_rules(), key=lambda r: r.rule):
            if "submission_id" not in rule.arguments:
                continue
            files = self.file_ids if "file_id" in rule.arguments else [None]
            for file_id in files:
                values = {"submission_id": self.submission_id}
                if file_id:
                    values["file_id"] = file_id
                with self.app.test_request_context():
                    url = url_for(rule.endpoint, **values)
                for method in sorted(rule.methods & {"GET", "POST"}):
                    yield rule.endpoint, method, url

    def request(self, who: str, method: str, url: str):
        client = self.clients[who]
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if url.startswith("/api/") and who in self.tokens else {}
        if method == "GET":
            return client.get(url, headers=headers)
        data = {} if url.startswith("/api/") else {"csrf_token": csrf(client, "/portal/login"), "description": "More."}
        return client.post(url, data=data, headers=headers)

    def status(self) -> str:
        owner = self.clients["a"]
        body = owner.get(f"/api/v1/submissions/{self.submission_id}",
                         headers={"Authorization": f"Bearer {self.tokens['a']}"}).get_json()
        return body["status"], len(body.get("events", []))


@pytest.fixture
def world(app, make_user, make_token, settings):
    return World(app, make_user, make_token, settings)


def test_the_matrix_covers_pages_api_and_files(world):
    endpoints = {endpoint for endpoint, _, _ in world.urls()}
    assert {"submissions.detail", "api.get_submission"} <= endpoints
    if world.file_ids:
        assert any("file" in endpoint for endpoint in endpoints)


def test_another_client_gets_404_everywhere_and_changes_nothing(world):
    before = world.status()
    wrong = [(method, url, r.status_code) for endpoint, method, url in world.urls()
             if (r := world.request("b", method, url)).status_code != 404]
    assert wrong == []
    assert world.status() == before
    listed = world.clients["b"].get("/api/v1/submissions", headers={"Authorization": f"Bearer {world.tokens['b']}"})
    assert listed.get_json()["total"] == 0
    assert world.submission_id not in world.clients["b"].get("/portal/").get_data(as_text=True)


def test_an_unknown_or_malformed_id_is_404_like_someone_elses(world):
    for bad in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"):
        for who, url in (("a", f"/portal/submissions/{bad}"), ("a", f"/api/v1/submissions/{bad}")):
            assert world.request(who, "GET", url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_or_refused(world):
    for endpoint, method, url in world.urls():
        response = world.request("anonymous", method, url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code in (302, 400, 404), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/portal/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["a", "staff", "admin"])
def test_the_owner_and_staff_can_read_every_page_and_file(world, who):
    wrong = []
    for endpoint, method, url in world.urls():
        if method != "GET":
            continue
        response = world.request(who, method, url)
        if who == "a" and url.startswith("/portal/staff/"):
            allowed = {404}  # staff pages about a submission are not the client's
        else:
            allowed = {200, 302} | OWNER_EXCEPTIONS.get(endpoint, set())
        if response.status_code not in allowed:
            wrong.append((url, response.status_code))
    assert wrong == []


def test_the_owner_can_act_on_their_submission(world):
    wrong = [(url, r.status_code) for endpoint, method, url in world.urls()
             if method == "POST" and not url.startswith("/portal/staff/")
             and (r := world.request("a", method, url)).status_code in (401, 403, 404)]
    assert wrong == []


def _staff_pages(app) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/portal/staff/") and not rule.arguments and "GET" in rule.methods)


def test_staff_pages_are_404_to_clients_and_visitors(world):
    pages = _staff_pages(world.app)
    assert {"/portal/staff/outbox", "/portal/staff/audit", ADMIN_ONLY} <= set(pages)
    for who in ("anonymous", "a"):
        assert [(p, world.clients[who].get(p).status_code) for p in pages
                if world.clients[who].get(p).status_code != 404] == []


def test_staff_reach_staff_pages_and_only_admins_manage_users(world):
    pages = _staff_pages(world.app)
    for page in pages:
        assert world.clients["admin"].get(page).status_code == 200, page
        expected = 404 if page in ADMIN_ONLY_PAGES else 200
        assert world.clients["staff"].get(page).status_code == expected, page


def test_every_file_download_is_audited_with_who_and_whose(world, db):
    downloads = [url for endpoint, method, url in world.urls() if endpoint.endswith("download") or endpoint == "api.download_file"]
    if not downloads:
        pytest.skip("no file download routes")
    for who in ("a", "staff"):
        for url in downloads:
            assert world.request(who, "GET", url).status_code in (200, 302)
    events = db.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "file.downloaded")).all()
    assert len(events) == 2 * len(downloads)
    assert {(e.actor, e.target) for e in events} == {("a@example.com", "a@example.com"), ("staff@example.com", "a@example.com")}
    assert all(e.ip == "127.0.0.1" and e.data["submission"] == world.submission_id for e in events)
