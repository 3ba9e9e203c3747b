"""Pruning backups by the runbook's retention: which backups survive, which stored files go, restore still works."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import uuid
from contextlib import closing
from datetime import datetime, timedelta, timezone

import boto3
import pytest
from sqlalchemy import text

from statex.backup import Place, Retention, backup, backup_name, object_key, place_for, prune
from statex.config import load_settings
from statex.db import engine_for
from tests.fakes import S3_CREDENTIALS
from tests.statex.test_backup import (  # noqa: F401  (fixtures)
    FILES, downloads, headers, scratch_postgres, scratch_url, statex, submit, wipe_database)

FAQ = {"faq.txt": b"Opening hours 9-17.\n"}


@pytest.fixture(params=["dir", "s3"])
def backups_url(request, environment, tmp_path, monkeypatch) -> str:
    """Where backups go: a folder, or a prefix in a bucket of moto's S3 server."""
    if request.param == "dir":
        return str(tmp_path / "backups")
    endpoint = request.getfixturevalue("s3_endpoint")
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("S3_ENDPOINT_URL", endpoint)
    bucket = f"backups-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=bucket)
    return f"s3://{bucket}/statex"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def folders(place: Place) -> set[str]:
    """The names of the folders at the place, objects/ aside."""
    tops = {key.removeprefix(place.prefix).split("/")[0] for key, _size, _modified in place.storage.list(place.prefix)}
    return tops - {"objects"}


def holds(place: Place, content: bytes) -> bool:
    """Whether the place's objects/ holds these bytes."""
    return place.storage.exists(place.key(object_key(sha(content))))


def copy_backup(place: Place, name: str, copy: str, with_index: bool = True) -> None:
    """Copy backup `name` to the folder `copy`: the policy reads when a backup was made from its name."""
    for key, _size, _modified in list(place.storage.list(place.key(name) + "/")):
        filename = key.rsplit("/", 1)[1]
        if with_index or filename != "index.json":
            with closing(place.storage.reader(key)) as stream:
                place.storage.put(place.key(copy, filename), stream)


def unfinished(place: Place, name: str) -> str:
    """The folder of a backup being written: `.NAME.partial` beside local backups, NAME in a bucket."""
    return f".{name}.partial" if place.folder else name


# Forty days of backups before a noon 60 days ahead (so every stored file is over a day old by then):
# (days before, time of day, kept). The policy keeps all of 48 hours, the newest of each hour for
# 7 days, the newest of each day for 30.
NOW = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=60)
SCHEDULE = [
    (0, "11:50", True),   # the newest
    (1, "13:00", True),
    (2, "12:30", True),   # 47 h 30 min: within 48 hours, all are kept,
    (2, "12:10", True),   # even two of one hour
    (3, "08:50", True),   # the newest of its hour, within 7 days
    (3, "08:10", False),
    (6, "23:45", True),
    (6, "23:15", False),
    (8, "23:45", True),   # the newest of its day, within 30 days
    (8, "22:00", False),  # the newest of its hour, but over 7 days old
    (29, "18:00", True),
    (31, "23:00", False),  # over 30 days old: these three still hold notes.txt
    (35, "12:00", False),
    (40, "09:00", False),
]


def at(days: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return (NOW - timedelta(days=days)).replace(hour=hour, minute=minute)


@pytest.mark.parametrize("scratch_url", ["postgresql"], indirect=True)
def test_pruning_keeps_what_the_runbook_promises_and_the_files_they_need(
        scratch_url, backups_url, client, headers):  # noqa: F811  (fixtures of test_backup)
    first = submit(client, headers, "Read our supplier invoices automatically.", FILES)
    settings = load_settings()
    place = place_for(backups_url, settings)
    with_notes = backup(settings, backups_url)["name"]
    with engine_for(scratch_url).begin() as conn:  # notes.txt leaves the database: only older backups hold it
        conn.execute(text("DELETE FROM submission_files WHERE name = 'notes.txt'"))
    second = submit(client, headers, "Answer customer emails in Czech.", FAQ)
    without_notes = backup(settings, backups_url)["name"]
    for days, clock, _kept in SCHEDULE:
        copy_backup(place, with_notes if days > 30 else without_notes, backup_name(at(days, clock)))
    copy_backup(place, without_notes, unfinished(place, backup_name(NOW - timedelta(minutes=5))), with_index=False)
    copy_backup(place, without_notes, unfinished(place, backup_name(NOW - timedelta(days=3))), with_index=False)
    orphan = b"a file of a backup that died before its manifest"
    place.storage.put(place.key(object_key(sha(orphan))), io.BytesIO(orphan))

    done = prune(settings, backups_url, NOW)

    survivors = {backup_name(at(days, clock)) for days, clock, kept in SCHEDULE if kept}
    young_unfinished = unfinished(place, backup_name(NOW - timedelta(minutes=5)))
    assert folders(place) == survivors | {young_unfinished}
    assert set(done.kept) == survivors
    assert set(done.deleted) == {backup_name(at(d, c)) for d, c, kept in SCHEDULE if not kept} | {
        with_notes, without_notes}  # the real backups were made 60 days before NOW
    assert done.unfinished == [unfinished(place, backup_name(NOW - timedelta(days=3)))]
    assert holds(place, FILES["offer.pdf"]) and holds(place, FAQ["faq.txt"]), "files kept backups name stay"
    assert not holds(place, FILES["notes.txt"]) and not holds(place, orphan), "files no kept backup names go"
    assert (done.objects_kept, done.objects_deleted) == (2, 2)
    assert done.bytes_deleted > len(FILES["notes.txt"]) + len(orphan)

    wipe_database(scratch_url)
    shutil.rmtree(settings.storage_dir)
    restored = statex("restore", "--from", f"{backups_url}/{backup_name(at(8, '23:45'))}")
    assert restored.exit_code == 0, restored.output
    assert "files: 2 of 2 restored, sha256 verified" in restored.output
    assert downloads(client, headers, first["id"]) == {"offer.pdf": FILES["offer.pdf"]}
    assert downloads(client, headers, second["id"]) == FAQ


@pytest.mark.parametrize("scratch_url", ["postgresql"], indirect=True)
def test_backup_with_prune_deletes_what_the_policy_drops_once_the_new_backup_is_written(
        scratch_url, backups_url, client, headers):  # noqa: F811  (fixtures of test_backup)
    submit(client, headers, "Read our supplier invoices automatically.", FILES)
    settings = load_settings()
    place = place_for(backups_url, settings)
    made = backup(settings, backups_url)["name"]
    old = backup_name(datetime.now(timezone.utc) - timedelta(days=40))
    copy_backup(place, made, old)

    done = statex("backup", "--to", backups_url, "--prune")
    assert done.exit_code == 0, done.output
    assert "backups: 2 kept, 1 deleted" in done.output and f"deleted: {old}" in done.output
    assert len(folders(place)) == 2 and old not in folders(place)
    assert "files: 2 kept, 0 deleted" in done.output


def test_a_dry_run_says_what_would_go_and_deletes_nothing(backups_url):
    place = place_for(backups_url, load_settings())
    now = datetime.now(timezone.utc)
    names = [fabricate(place, now - timedelta(days=40), {"objects": []}), fabricate(place, now, {"objects": []})]

    done = statex("prune-backups", "--from", backups_url, "--dry-run")
    assert done.exit_code == 0, done.output
    assert "backups: 1 kept, 1 to delete" in done.output and f"to delete: {names[0]}" in done.output
    assert folders(place) == set(names)
    done = statex("prune-backups", "--from", backups_url)
    assert done.exit_code == 0, done.output
    assert "backups: 1 kept, 1 deleted" in done.output and folders(place) == {names[1]}


def test_files_no_manifest_names_yet_are_kept_for_a_day_for_a_backup_being_written(backups_url):
    place = place_for(backups_url, load_settings())
    now = datetime.now(timezone.utc)
    named, fresh = b"named by the manifest", b"copied by a backup still running"
    for content in (named, fresh):
        place.storage.put(place.key(object_key(sha(content))), io.BytesIO(content))
    only = fabricate(place, now - timedelta(days=45), {"objects": [{"key": "a", "size": 21, "sha256": sha(named)}]})

    assert prune(load_settings(), backups_url, now).objects_deleted == 0
    done = prune(load_settings(), backups_url, now + timedelta(days=1, minutes=1))
    assert (done.kept, done.objects_deleted) == ([only], 1), "the newest backup is kept, however old"
    assert holds(place, named) and not holds(place, fresh)


def test_an_unreadable_manifest_stops_pruning_before_anything_is_deleted(backups_url):
    place = place_for(backups_url, load_settings())
    now = datetime.now(timezone.utc)
    old = fabricate(place, now - timedelta(days=40), {"objects": []})
    broken = fabricate(place, now, {"objects": []})
    place.storage.put(place.key(broken, "manifest.json"), io.BytesIO(b"{not json"))

    done = statex("prune-backups", "--from", backups_url)
    assert done.exit_code == 1
    assert f"cannot read the manifest of backup {broken}" in done.output and "nothing was pruned" in done.output
    assert folders(place) == {old, broken}


def fabricate(place: Place, when: datetime, manifest: dict) -> str:
    """A backup folder made by hand (index and manifest only), as if started at `when`."""
    name = backup_name(when)
    place.storage.put(place.key(name, "manifest.json"), io.BytesIO(json.dumps(manifest).encode()))
    place.storage.put(place.key(name, "index.json"), io.BytesIO(b'{"format": 1}'))
    return name


def every_quarter_hour(start: datetime, end: datetime) -> dict[str, datetime]:
    times, when = {}, start
    while when <= end:
        times[backup_name(when)], when = when, when + timedelta(minutes=15)
    return times


def test_the_policy_over_forty_days_of_backups_every_quarter_hour():
    times = every_quarter_hour(NOW - timedelta(days=40), NOW)
    kept = Retention().keeps(times, NOW)
    ages = sorted(NOW - times[name] for name in kept)
    assert sum(age <= timedelta(hours=48) for age in ages) == 48 * 4 + 1
    # then the last of each hour (:45) for 7 days, the last of each day (23:45) up to 30 days
    assert {times[name].minute for name in kept if NOW - times[name] > timedelta(hours=48)} == {45}
    assert sum(timedelta(hours=48) < age <= timedelta(days=7) for age in ages) == 7 * 24 - 48
    assert {times[name].strftime("%H:%M") for name in kept if NOW - times[name] > timedelta(days=7)} == {"23:45"}
    assert sum(age > timedelta(days=7) for age in ages) == 23  # the 23 days between, NOW being noon
    assert max(ages) <= timedelta(days=30)


def test_pruning_every_quarter_hour_keeps_what_one_late_pruning_would():
    times = every_quarter_hour(NOW - timedelta(days=40), NOW)
    alive: dict[str, datetime] = {}
    for name, when in times.items():
        alive[name] = when
        alive = {kept: alive[kept] for kept in Retention().keeps(alive, when)}
    assert set(alive) == Retention().keeps(times, NOW)


def test_the_newest_backup_is_kept_however_old_and_the_policy_takes_other_numbers():
    times = every_quarter_hour(NOW - timedelta(days=50), NOW - timedelta(days=40))
    assert Retention().keeps(times, NOW) == {max(times)}
    assert len(Retention(all_hours=1, hourly_days=0, daily_days=0).keeps(times, NOW - timedelta(days=40))) == 5
