"""Object storage unreachable during an upload: a clear error, nothing half-stored, the retry succeeds."""

from __future__ import annotations

import io
import re
import socket
import threading
import uuid
from datetime import timedelta

import boto3
import pytest
from moto.server import ThreadedMotoServer
from sqlalchemy import func, select

from statex.config import load_settings
from statex.models import QueuedJob, Submission, SubmissionEvent, SubmissionFile
from statex.orphans import collect_orphans
from tests.fakes import S3_CREDENTIALS, s3_keys
from tests.helpers import csrf_in, free_port

DESCRIPTION = "We want our supplier invoices read automatically and checked before import."
INVOICE = b"Invoice 2026-001. Total 1200 CZK.\n"
BIG = b"Delivery note: forty pieces of oak boards for the Brno warehouse.\n" * 140_000  # 9 MB: a multipart upload


class Gate:
    """A TCP proxy on loopback in front of the S3 server that fails as a network does.

    `down()` closes every connection and refuses new ones; `cut_after` does the same once that
    many bytes went from client to server, i.e. in the middle of an upload.
    """

    def __init__(self, upstream: int):
        self.upstream, self.port = upstream, free_port()
        self.cut_after: int | None = None
        self.sent = 0
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def up(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        with self.lock:
            for sock in [self.listener, *self.sockets]:
                if sock is not None:
                    _shut(sock)
            self.listener, self.sockets = None, []

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            with self.lock:
                self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, upstream: bool) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
                if upstream and self._count(len(data)):
                    self.down()
                    return
        except OSError:
            pass
        _shut(target)

    def _count(self, size: int) -> bool:
        with self.lock:
            self.sent += size
            return self.cut_after is not None and self.sent >= self.cut_after


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def s3_server(monkeypatch):
    """A moto S3 server of this test's own, which the test stops and starts; Statex points at it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = f"statex-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}").create_bucket(Bucket=bucket)
    monkeypatch.setenv("S3_BUCKET", bucket)
    monkeypatch.setenv("S3_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    server.bucket, server.endpoint = bucket, f"http://127.0.0.1:{port}"
    yield server
    server.stop()


@pytest.fixture
def gate(s3_server, monkeypatch):
    """Statex reaches the S3 server through a Gate instead."""
    proxy = Gate(int(s3_server.endpoint.rsplit(":", 1)[1]))
    proxy.up()
    monkeypatch.setenv("S3_ENDPOINT_URL", f"http://127.0.0.1:{proxy.port}")
    yield proxy
    proxy.down()


@pytest.fixture
def token(make_user, make_token) -> str:
    email, _password, _id = make_user()
    return make_token(email)


def nothing_kept(db) -> bool:
    """No submission, file row, event or queued job was committed."""
    return all(db.scalar(select(func.count()).select_from(model)) == 0
               for model in (Submission, SubmissionFile, SubmissionEvent, QueuedJob))


def api_upload(client, token: str, files: dict[str, bytes]):
    data = {"description": DESCRIPTION, "files": [(io.BytesIO(content), name) for name, content in files.items()]}
    return client.post("/api/v1/submissions", data=data, content_type="multipart/form-data",
                       headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "upload-1"})


def test_api_answers_503_while_storage_is_down_and_the_retry_succeeds(s3_server, client, token, db):
    s3_server.stop()
    response = api_upload(client, token, {"invoice.txt": INVOICE})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.mimetype == "application/problem+json"
    assert "file storage cannot be reached" in response.get_json()["detail"]
    assert nothing_kept(db)

    s3_server.start()
    assert s3_keys(s3_server.endpoint, s3_server.bucket) == []
    response = api_upload(client, token, {"invoice.txt": INVOICE})
    assert response.status_code == 201
    assert len(s3_keys(s3_server.endpoint, s3_server.bucket)) == 1


def test_storage_lost_in_the_middle_of_an_upload_keeps_nothing(s3_server, gate, client, token, db):
    gate.cut_after = 3 * 1024 * 1024  # a third of the file is on its way
    response = api_upload(client, token, {"invoice.txt": INVOICE, "notes.txt": BIG})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert nothing_kept(db)

    gate.cut_after = None
    gate.up()
    # The invoice went in before the cut and could not be deleted while storage was away, and the
    # big file's multipart upload was left unfinished: no row names either, so orphan collection
    # removes both (in production once past their hour of grace).
    s3 = boto3.client("s3", endpoint_url=s3_server.endpoint)
    [leftover] = s3_keys(s3_server.endpoint, s3_server.bucket)
    [unfinished] = [u["Key"] for u in s3.list_multipart_uploads(Bucket=s3_server.bucket)["Uploads"]]
    assert collect_orphans(load_settings(), older_than=timedelta(0)) == [leftover, unfinished]
    assert s3_keys(s3_server.endpoint, s3_server.bucket) == []
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=s3_server.bucket)
    response = api_upload(client, token, {"invoice.txt": INVOICE, "notes.txt": BIG})
    assert response.status_code == 201
    assert len(s3_keys(s3_server.endpoint, s3_server.bucket)) == 2


def test_the_form_says_so_and_keeps_what_was_typed(s3_server, client, auth, make_user, db):
    email, password, _id = make_user()
    auth.login(email, password)
    page = client.get("/portal/submissions/new").get_data(as_text=True)
    form = {"description": DESCRIPTION, "language": "en", "category": "", "contact_channel": "email",
            "contact": "", "csrf_token": csrf_in(page),
            "form_key": re.search(r'name="form_key" type="hidden" value="([0-9a-f]+)"', page).group(1)}

    s3_server.stop()
    response = client.post("/portal/submissions/new", content_type="multipart/form-data",
                           data={**form, "files": [(io.BytesIO(INVOICE), "invoice.txt")]})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Our file storage cannot be reached right now, so nothing was sent." in html
    assert "please attach them again" in html
    assert DESCRIPTION in html
    assert nothing_kept(db)

    s3_server.start()
    assert s3_keys(s3_server.endpoint, s3_server.bucket) == []
    response = client.post("/portal/submissions/new", content_type="multipart/form-data",
                           data={**form, "files": [(io.BytesIO(INVOICE), "invoice.txt")]})
    assert response.status_code == 303
    assert len(s3_keys(s3_server.endpoint, s3_server.bucket)) == 1


def test_adding_files_while_storage_is_down_changes_nothing(s3_server, client, auth, make_user, db):
    email, password, _id = make_user()
    auth.login(email, password)
    page = client.get("/portal/submissions/new").get_data(as_text=True)
    csrf = csrf_in(page)
    created = client.post("/portal/submissions/new", data={"description": DESCRIPTION, "csrf_token": csrf})
    detail = created.headers["Location"]
    jobs_before = db.scalar(select(func.count()).select_from(QueuedJob))

    s3_server.stop()
    response = client.post(f"{detail}/add", content_type="multipart/form-data",
                           data={"text": "Prices are in CZK.", "csrf_token": csrf,
                                 "files": [(io.BytesIO(INVOICE), "invoice.txt")]})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Our file storage cannot be reached right now, so nothing was sent." in html
    assert "Prices are in CZK." in html
    db.expire_all()
    [submission] = db.scalars(select(Submission)).all()
    assert "Prices are in CZK." not in submission.description
    assert db.scalar(select(func.count()).select_from(SubmissionFile)) == 0
    assert db.scalar(select(func.count()).select_from(QueuedJob)) == jobs_before

    s3_server.start()
    response = client.post(f"{detail}/add", content_type="multipart/form-data",
                           data={"text": "Prices are in CZK.", "csrf_token": csrf,
                                 "files": [(io.BytesIO(INVOICE), "invoice.txt")]})
    assert response.status_code == 303
    assert len(s3_keys(s3_server.endpoint, s3_server.bucket)) == 1
