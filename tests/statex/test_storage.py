"""Object storage on the local folder and on S3 (moto's server): streaming, hashes, links."""

import hashlib
import io

import pytest
import requests

from statex.config import load_settings
from statex.storage import LocalStorage, S3Storage, content_disposition, storage_for

DATA = bytes(range(256)) * 40_000  # 10 MB: several multipart chunks on S3


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "storage")
    request.getfixturevalue("s3_bucket")
    return storage_for(load_settings())


def test_put_records_size_and_sha256_and_reads_back(storage):
    stored = storage.put("submissions/a/b", io.BytesIO(DATA), "application/pdf")
    assert stored.size == len(DATA)
    assert stored.sha256 == hashlib.sha256(DATA).hexdigest()
    assert b"".join(storage.open("submissions/a/b")) == DATA
    with storage.reader("submissions/a/b") as reader:
        assert reader.read() == DATA
    assert storage.exists("submissions/a/b")
    storage.delete("submissions/a/b")
    assert not storage.exists("submissions/a/b")


def test_settings_choose_the_storage(storage):
    assert isinstance(storage_for(load_settings()), type(storage))


def test_local_keys_cannot_leave_the_folder(tmp_path):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).put("../outside", io.BytesIO(b"x"))


def test_presigned_link_downloads_as_an_attachment(s3_bucket):
    storage = storage_for(load_settings())
    assert isinstance(storage, S3Storage)
    storage.put("k", io.BytesIO(b"%PDF-1.4 hello"), "application/pdf")
    response = requests.get(storage.presigned_url("k", "Faktura č. 1.pdf", 60, "application/pdf"), timeout=10)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 hello"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Faktura _. 1.pdf"')
    assert "filename*=UTF-8''Faktura%20%C4%8D.%201.pdf" in response.headers["Content-Disposition"]


def test_content_disposition_quotes_are_harmless():
    assert content_disposition('a"b\\c.txt') == 'attachment; filename="a_b_c.txt"; filename*=UTF-8\'\'a%22b%5Cc.txt'
    assert content_disposition("x.webm", inline=True).startswith("inline;")
