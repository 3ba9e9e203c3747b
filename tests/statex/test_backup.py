"""`statex backup` and `statex restore`: back up a database with submissions and files, wipe, restore."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import uuid
from pathlib import Path

import boto3
import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from cli import main
from statex import dumps, migrate
from statex.db import dispose, engine_for
from tests import samples
from tests.conftest import ADMIN_URL
from tests.fakes import s3_keys

FILES = {"offer.pdf": samples.pdf(), "notes.txt": "Ceny v Kč, splatnost 14 dní.\n".encode()}


@pytest.fixture(scope="module")
def scratch_postgres():
    """A PostgreSQL database of this module's own: the tests wipe it whole."""
    name = f"statex_backup_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0] + f"/{name}"
    yield url
    dispose(url)
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["postgresql", "sqlite"])
def scratch_url(request, environment, monkeypatch, tmp_path):
    """DATABASE_URL pointing at a database of the test's own, built by the migrations, emptied after."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'statex.db'}"
    else:
        url = request.getfixturevalue("scratch_postgres")
    monkeypatch.setenv("DATABASE_URL", url)
    migrate.upgrade(url)
    yield url
    if request.param == "sqlite":
        dispose(url)
        return
    tables = [t for t, n in dumps.inventory(url).counts.items() if n and t != "alembic_version"]
    if tables:
        with engine_for(url).begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))


@pytest.fixture
def headers(scratch_url, make_user, make_token):
    email, _password, _id = make_user()
    return {"Authorization": f"Bearer {make_token(email)}"}


def statex(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def submit(client, headers, description: str, files: dict[str, bytes]) -> dict:
    data = {"description": description, "files": [(io.BytesIO(content), name) for name, content in files.items()]}
    response = client.post("/api/v1/submissions", data=data, headers=headers, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def wipe_database(url: str) -> None:
    """Lose everything: the schema itself on PostgreSQL, the file on SQLite."""
    if url.startswith("sqlite"):
        dispose(url)
        path = Path(url.removeprefix("sqlite:///"))
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        return
    with engine_for(url).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def downloads(client, headers, submission_id: str) -> dict[str, bytes]:
    body = client.get(f"/api/v1/submissions/{submission_id}", headers=headers).get_json()
    return {f["name"]: client.get(f["download_url"], headers=headers).data for f in body["files"]}


def test_backup_wipe_and_restore_brings_rows_and_files_back(scratch_url, client, headers, settings, tmp_path):
    first = submit(client, headers, "Read our supplier invoices automatically.", FILES)
    second = submit(client, headers, "Answer customer emails in Czech.", {"faq.txt": b"Opening hours 9-17.\n"})
    target = tmp_path / "backups"

    done = statex("backup", "--to", str(target))
    assert done.exit_code == 0, done.output
    assert "files: 3 (" in done.output and "3 copied" in done.output
    [folder] = [p for p in target.iterdir() if p.name != "objects"]
    index = json.loads((folder / "index.json").read_text())
    assert index["counts"]["submissions"] == 2 and index["counts"]["submission_files"] == 3
    assert index["schema_revisions"] and index["database"] == settings.database_url.split("+")[0].split(":")[0]

    wipe_database(scratch_url)
    shutil.rmtree(settings.storage_dir)
    done = statex("restore", "--from", str(target))
    assert done.exit_code == 0, done.output
    assert "files: 3 of 3 restored, sha256 verified" in done.output

    assert downloads(client, headers, first["id"]) == FILES
    assert downloads(client, headers, second["id"]) == {"faq.txt": b"Opening hours 9-17.\n"}
    listed = client.get("/api/v1/submissions", headers=headers).get_json()
    assert {item["id"] for item in listed["items"]} == {first["id"], second["id"]}


def test_a_second_backup_copies_only_new_files(scratch_url, client, headers, tmp_path):
    submit(client, headers, "Read our supplier invoices automatically.", FILES)
    target = tmp_path / "backups"
    assert statex("backup", "--to", str(target)).exit_code == 0
    submit(client, headers, "And the delivery notes too.", {"note.txt": b"Delivery note 7.\n"})

    done = statex("backup", "--to", str(target))
    assert done.exit_code == 0, done.output
    assert "files: 3 (" in done.output and "1 copied, 2 already backed up" in done.output
    assert len([p for p in target.iterdir() if p.name != "objects"]) == 2


def test_restore_refuses_a_database_that_is_not_empty_without_yes(scratch_url, client, headers, tmp_path):
    submission = submit(client, headers, "Read our supplier invoices automatically.", FILES)
    target = tmp_path / "backups"
    assert statex("backup", "--to", str(target)).exit_code == 0
    later = submit(client, headers, "Made after the backup.", {})

    refused = statex("restore", "--from", str(target))
    assert refused.exit_code == 1
    assert "the database is not empty" in refused.output and "add --yes" in refused.output

    [folder] = [p for p in target.iterdir() if p.name != "objects"]
    done = statex("restore", "--from", str(folder), "--yes")
    assert done.exit_code == 0, done.output
    assert f"restored backup {folder.name}" in done.output
    assert client.get(f"/api/v1/submissions/{later['id']}", headers=headers).status_code == 404
    assert downloads(client, headers, submission["id"]) == FILES


def test_backup_reports_a_file_missing_from_storage(scratch_url, client, headers, settings, tmp_path):
    submission = submit(client, headers, "Read our supplier invoices automatically.", FILES)
    next(path for path in settings.storage_dir.rglob("*") if path.is_file()).unlink()

    done = statex("backup", "--to", str(tmp_path / "backups"))
    assert done.exit_code == 1
    assert "missing from storage: submissions/" + submission["id"] in done.output


@pytest.mark.parametrize("scratch_url", ["postgresql"], indirect=True)
def test_backup_to_and_restore_from_a_bucket(scratch_url, s3_bucket, s3_endpoint, client, headers):
    backups = f"backups-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=backups)
    submission = submit(client, headers, "Read our supplier invoices automatically.", FILES)

    done = statex("backup", "--to", f"s3://{backups}/statex")
    assert done.exit_code == 0, done.output
    names = s3_keys(s3_endpoint, backups)
    assert sum(key.endswith("/index.json") for key in names) == 1
    assert {key for key in names if "/objects/" in key} == {
        f"statex/objects/{d[:2]}/{d}" for d in (hashlib.sha256(c).hexdigest() for c in FILES.values())}

    wipe_database(scratch_url)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    for key in s3_keys(s3_endpoint, s3_bucket):
        s3.delete_object(Bucket=s3_bucket, Key=key)
    done = statex("restore", "--from", f"s3://{backups}/statex")
    assert done.exit_code == 0, done.output
    assert len(s3_keys(s3_endpoint, s3_bucket)) == 2
    assert downloads_from_s3(client, headers, submission["id"]) == FILES


def downloads_from_s3(client, headers, submission_id: str) -> dict[str, bytes]:
    """Follow the API's redirects to the presigned links."""
    import requests

    body = client.get(f"/api/v1/submissions/{submission_id}", headers=headers).get_json()
    links = {f["name"]: client.get(f["download_url"], headers=headers).headers["Location"] for f in body["files"]}
    return {name: requests.get(link, timeout=10).content for name, link in links.items()}
