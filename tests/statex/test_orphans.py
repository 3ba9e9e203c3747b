"""Orphan collection: stored objects no submission file refers to, past the grace period, are deleted."""

from __future__ import annotations

import io
import os
import time
import uuid
from datetime import timedelta

import pytest
from click.testing import CliRunner

from cli import main
from statex.config import load_settings
from statex.orphans import collect_orphans
from statex.storage import storage_for

TWO_HOURS = 2 * 3600


@pytest.fixture
def referenced_key(client, make_user, make_token) -> str:
    """The key of a file a real submission (made through the API) refers to."""
    email, _password, _id = make_user()
    data = {"description": "Read our invoices.", "files": [(io.BytesIO(b"Invoice 7.\n"), "a.txt")]}
    response = client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {make_token(email)}"},
                           content_type="multipart/form-data", data=data)
    assert response.status_code == 201
    submission_id, file_id = response.get_json()["id"], response.get_json()["files"][0]["id"]
    return f"submissions/{submission_id}/{file_id}"


def put_orphan(settings) -> str:
    """An object left behind by an upload whose submission never committed."""
    key = f"submissions/{uuid.uuid4()}/{uuid.uuid4()}"
    storage_for(settings).put(key, io.BytesIO(b"left behind"))
    return key


def age(settings, key: str, seconds: int) -> None:
    """Make a local object look `seconds` old."""
    path = settings.storage_dir / key
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_old_orphans_go_fresh_and_referenced_objects_stay(settings, referenced_key):
    old, fresh = put_orphan(settings), put_orphan(settings)
    age(settings, old, TWO_HOURS)
    age(settings, referenced_key, TWO_HOURS)

    assert collect_orphans(settings, older_than=timedelta(hours=1)) == [old]
    storage = storage_for(settings)
    assert not storage.exists(old)
    assert storage.exists(fresh) and storage.exists(referenced_key)


def test_a_dry_run_deletes_nothing(settings, referenced_key):
    old = put_orphan(settings)
    age(settings, old, TWO_HOURS)

    assert collect_orphans(settings, dry_run=True) == [old]
    assert storage_for(settings).exists(old)


def test_orphans_on_s3(s3_bucket, referenced_key):
    settings = load_settings()
    orphan = put_orphan(settings)

    assert collect_orphans(settings) == []  # everything is younger than the hour of grace
    assert collect_orphans(settings, older_than=timedelta(0)) == [orphan]
    storage = storage_for(settings)
    assert not storage.exists(orphan) and storage.exists(referenced_key)


def test_gc_command(settings, referenced_key):
    old = put_orphan(settings)
    age(settings, old, TWO_HOURS)
    runner = CliRunner()

    dry = runner.invoke(main, ["gc", "--dry-run"])
    assert dry.exit_code == 0 and dry.stdout.splitlines() == [old, "would delete 1 orphaned object(s)"]
    done = runner.invoke(main, ["gc", "--older-than", "90m"])
    assert done.exit_code == 0 and done.stdout.splitlines() == [old, "deleted 1 orphaned object(s)"]
    assert not storage_for(settings).exists(old)

    wrong = runner.invoke(main, ["gc", "--older-than", "soon"])
    assert wrong.exit_code == 2 and "use a whole number and a unit, e.g. 90s, 30m, 1h or 2d" in wrong.output
