"""Decompression bombs through the real extraction job on a real worker: each fails on its own, for good,
with a reason; the worker lives on and reads the other files of the request."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from statex.models.pipeline import Extraction
from tests.statex import bombs
from tests.statex import extraction_samples as samples

ORDER = "Order 1234: forty pallets of mineral water"


@pytest.fixture
def headers(make_user, make_token):
    email, _password, _id = make_user()
    return {"Authorization": f"Bearer {make_token(email)}"}


def _submit(client, headers, files) -> dict:
    data = {"description": "Please read these orders.",
            "files": [(io.BytesIO(body), name) for name, body in files]}
    response = client.post("/api/v1/submissions", data=data, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _extractions(db) -> dict[str, Extraction]:
    return {e.file.name: e for e in db.scalars(select(Extraction))}


def test_bombs_fail_for_good_before_they_are_unpacked_and_the_other_file_is_read(client, headers, run_jobs, db):
    """An 84 KB-class DOCX of 17 MB XML and a 77 KB PNG of 8900x8900 palette pixels: refused from their
    directory and header, each tried once; the PDF beside them is read and the request completes."""
    files = [("order.pdf", samples.text_pdf([ORDER])), ("bomb.docx", bombs.docx(17)),
             ("bomb.png", bombs.png(8900, 8900))]
    assert all(len(body) < 200_000 for _name, body in files)
    submission = _submit(client, headers, files)
    run_jobs()
    found = _extractions(db)
    assert found["order.pdf"].state == "completed" and "forty pallets" in found["order.pdf"].text
    docx, png = found["bomb.docx"], found["bomb.png"]
    assert (docx.state, docx.attempts, png.state, png.attempts) == ("failed", 1, "failed", 1)
    assert "decompression bomb" in docx.error and "MB of it XML" in docx.error_detail
    assert "too large to read" in png.error and "8900x8900 pixels in mode P" in png.error_detail
    body = client.get(f"/api/v1/submissions/{submission['id']}", headers=headers).get_json()
    assert body["status"] == "completed"
    assert {f["name"]: f["extraction"]["error"] for f in body["files"]}["bomb.docx"] == docx.error
    assert any("bomb.png" in note for note in body["result"]["notes"])


def test_a_file_needing_more_memory_than_the_cap_fails_for_good_and_the_worker_reads_on(
        client, headers, run_jobs, db, monkeypatch):
    """A 35-megapixel RGBA PNG (136 KB) passes the header checks but needs more than EXTRACT_MEMORY_MB:
    its reader runs out of address space, not the worker, which goes on to read the PDF."""
    monkeypatch.setenv("EXTRACT_MEMORY_MB", "150")
    files = [("wide.png", bombs.png(5000, 7000, "RGBA")), ("order.pdf", samples.text_pdf([ORDER]))]
    _submit(client, headers, files)
    run_jobs()
    found = _extractions(db)
    wide = found["wide.png"]
    assert (wide.state, wide.attempts) == ("failed", 1)
    assert "more memory to read than we allow" in wide.error
    assert "+150 MB" in wide.error_detail
    assert found["order.pdf"].state == "completed" and "forty pallets" in found["order.pdf"].text
