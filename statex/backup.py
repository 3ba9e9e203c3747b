"""Backups of the platform (the database and every stored file) and restoring them.

A backup target (a folder, or s3://bucket/prefix) holds one folder per backup, named by its UTC time,
with the database copy, `manifest.json` (every stored file: key, size, sha256) and `index.json`
(time, schema revisions, row counts), plus `objects/`, the files' bytes by sha256, shared by every
backup there: each run copies only the files no earlier backup holds. `prune` applies the runbook's
retention: every backup of the last 48 hours, the newest of each hour for 7 days, of each day for 30.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from statex import dumps
from statex.config import Settings
from statex.storage import LocalStorage, S3Storage, Storage, storage_for

FORMAT = 1
INDEX, MANIFEST = "index.json", "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite"}


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Place:
    """Where backups live: a storage, the key prefix inside it, and the folder when it is local."""

    storage: Storage
    prefix: str
    url: str
    folder: Path | None = None

    def key(self, *parts: str) -> str:
        return self.prefix + "/".join(parts)


@dataclass
class Restored:
    """What a restore did: the backup used, the rows now in the database, the files that failed."""

    name: str
    index: dict[str, Any]
    counts: dict[str, int]
    objects: int
    failed: list[str] = field(default_factory=list)


def place_for(url: str, settings: Settings) -> Place:
    """The backup place a `--to`/`--from` value names."""
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise BackupError(f"{url!r} names no bucket: use s3://bucket/prefix")
        prefix = prefix.strip("/")
        return Place(S3Storage(bucket, settings.s3_endpoint_url), prefix + "/" if prefix else "", url.rstrip("/"))
    folder = Path(url).expanduser().resolve()
    return Place(LocalStorage(folder), "", str(folder), folder)


def object_key(sha256: str) -> str:
    return f"objects/{sha256[:2]}/{sha256}"


def backup_name(when: datetime) -> str:
    """The folder name of a backup started at `when` (UTC, to the millisecond): names sort by time."""
    return when.strftime("%Y%m%dT%H%M%S.") + f"{when.microsecond // 1000:03d}Z"


def backup_time(name: str) -> datetime | None:
    """When the backup `name` was started, or None when `name` is not a backup's."""
    try:
        return datetime.strptime(name, "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def backup(settings: Settings, to: str) -> dict[str, Any]:
    """Write a complete backup under `to` and return its index; a backup without index.json is incomplete."""
    place = place_for(to, settings)
    kind = dumps.kind_of(settings.database_url)
    now = datetime.now(timezone.utc)
    name = backup_name(now)
    with _workdir(place, name) as work:
        found = dumps.dump(settings.database_url, work / DUMPS[kind])
        copied = _copy_objects(storage_for(settings), place, found.files)
        index = {"format": FORMAT, "name": name, "location": place.url + "/" + name,
                 "created_at": now.isoformat(), "database": kind, "dump": DUMPS[kind],
                 "schema_revisions": found.revisions, "counts": found.counts, "objects": copied}
        (work / MANIFEST).write_text(json.dumps({"format": FORMAT, "objects": found.files}, indent=1))
        (work / INDEX).write_text(json.dumps(index, indent=1))
        _publish(place, work, name)
    return index


def _copy_objects(storage: Storage, place: Place, files: list[dict[str, Any]]) -> dict[str, Any]:
    """Copy each file no backup holds yet, checking it against the database's size and sha256."""
    present = {key: size for key, size, _modified in storage.list()}
    summary: dict[str, Any] = {"count": len(files), "bytes": sum(f["size"] for f in files), "copied": 0,
                               "already_backed_up": 0, "missing": [], "damaged": []}
    for entry in files:
        key, target = entry["key"], place.key(object_key(entry["sha256"]))
        if key not in present:
            summary["missing"].append(key)
        elif present[key] != entry["size"]:
            summary["damaged"].append(key)
        elif place.storage.exists(target):
            summary["already_backed_up"] += 1
        elif _copy(storage, key, place.storage, target).sha256 == entry["sha256"]:
            summary["copied"] += 1
        else:
            place.storage.delete(target)
            summary["damaged"].append(key)
    return summary


def _copy(source: Storage, key: str, target: Storage, target_key: str, content_type: str | None = None):
    with closing(source.reader(key)) as stream:
        return target.put(target_key, stream, content_type)


@contextmanager
def _workdir(place: Place, name: str) -> Iterator[Path]:
    """A scratch folder: beside the backups when local (so publishing is one rename), else temporary."""
    if place.folder is None:
        with tempfile.TemporaryDirectory(prefix="statex-backup-") as work:
            yield Path(work)
        return
    work = place.folder / f".{name}.partial"
    work.mkdir(parents=True)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _publish(place: Place, work: Path, name: str) -> None:
    """Make the backup visible at once: rename the folder, or upload with index.json last."""
    if place.folder is not None:
        os.rename(work, place.folder / name)
        return
    for item in sorted(work.iterdir(), key=lambda p: p.name == INDEX):
        with item.open("rb") as stream:
            place.storage.put(place.key(name, item.name), stream)


def restore(settings: Settings, source: str, replace: bool = False) -> Restored:
    """Restore the backup at `source` (or the newest one there) into the database and storage."""
    place, name = find_backup(source, settings)
    index = _read_json(place, name, INDEX)
    kind = dumps.kind_of(settings.database_url)
    if index["database"] != kind:
        raise BackupError(f"backup {name} is of a {index['database']} database, but DATABASE_URL is {kind}")
    current = dumps.inventory(settings.database_url)
    if not replace and not current.empty:
        rows = ", ".join(f"{n} in {table}" for table, n in current.counts.items() if n and table != "alembic_version")
        raise BackupError(f"the database is not empty ({rows}); restoring replaces all of it: add --yes to go on")
    with tempfile.TemporaryDirectory(prefix="statex-restore-") as scratch:
        dumps.restore(settings.database_url, _fetch(place, name, index["dump"], Path(scratch)))
    entries = _read_json(place, name, MANIFEST)["objects"]
    failed = _restore_objects(place, storage_for(settings), entries)
    return Restored(name, index, dumps.inventory(settings.database_url).counts, len(entries), failed)


def _restore_objects(place: Place, storage: Storage, entries: list[dict[str, Any]]) -> list[str]:
    """Put every file of the manifest back and verify its sha256; returns what failed, and why."""
    failed = []
    for entry in entries:
        key = entry["key"]
        try:
            stored = _copy(place.storage, place.key(object_key(entry["sha256"])), storage, key,
                           entry.get("content_type"))
        except Exception as error:  # noqa: BLE001  (each file's failure is reported; the others go on)
            failed.append(f"{key}: not restored ({type(error).__name__}: {error})")
            continue
        if (stored.sha256, stored.size) != (entry["sha256"], entry["size"]):
            storage.delete(key)
            failed.append(f"{key}: the backup's copy does not match its sha256")
    return failed


def find_backup(source: str, settings: Settings) -> tuple[Place, str]:
    """The place and name of the backup `source` names: a backup folder, or a target (its newest)."""
    place = place_for(source, settings)
    if place.storage.exists(place.key(INDEX)):
        parent, _, name = place.url.rpartition("/")
        return place_for(parent, settings), name
    if place.folder is not None:
        names = [p.parent.name for p in place.folder.glob(f"*/{INDEX}") if not p.parent.name.startswith(".")]
    else:
        depth = place.prefix.count("/") + 1
        names = [key.split("/")[-2] for key, _size, _modified in place.storage.list(place.prefix)
                 if key.endswith("/" + INDEX) and key.count("/") == depth]
    if not names:
        raise BackupError(f"there is no complete backup at {place.url} (a backup folder holds {INDEX})")
    return place, max(names)


def _read_json(place: Place, name: str, filename: str) -> dict[str, Any]:
    with closing(place.storage.reader(place.key(name, filename))) as stream:
        return json.loads(stream.read())


def _fetch(place: Place, name: str, filename: str, scratch: Path) -> Path:
    """A local path of one file of the backup, downloaded into `scratch` when remote."""
    if place.folder is not None:
        return place.folder / name / filename
    path = scratch / filename
    with closing(place.storage.reader(place.key(name, filename))) as stream, path.open("wb") as out:
        shutil.copyfileobj(stream, out)
    return path


@dataclass
class Pruned:
    """What pruning kept and deleted (or would delete, on a dry run), in backups, files and bytes."""

    kept: list[str]
    deleted: list[str]
    unfinished: list[str]
    objects_kept: int
    objects_deleted: int
    bytes_kept: int
    bytes_deleted: int


@dataclass(frozen=True)
class Retention:
    """Which backups to keep: all recent ones, then the newest of each hour, then of each day; always the newest."""

    all_hours: int = 48
    hourly_days: int = 7
    daily_days: int = 30

    def keeps(self, times: dict[str, datetime], now: datetime) -> set[str]:
        """The names, among backups started at `times`, this policy keeps at `now`."""
        kept = {name for name, when in times.items() if now - when <= timedelta(hours=self.all_hours)}
        for days, period in ((self.hourly_days, "%Y%m%d%H"), (self.daily_days, "%Y%m%d")):
            newest = {times[name].strftime(period): name for name in sorted(times, key=times.__getitem__)}
            kept |= {name for name in newest.values() if now - times[name] <= timedelta(days=days)}
        # A day's newest is also its hour's newest, and stays so: no run wants what an earlier run deleted.
        return kept | ({max(times, key=times.__getitem__)} if times else set())


def prune(settings: Settings, source: str, now: datetime | None = None, *, retention: Retention = Retention(),
          grace: timedelta = timedelta(days=1), dry_run: bool = False) -> Pruned:
    """Delete the backups at `source` that `retention` does not keep, then the files no kept backup names."""
    place = place_for(source, settings)
    now = now or datetime.now(timezone.utc)
    folders, objects = _contents(place)
    complete = {name: when for name in folders
                if (when := backup_time(name)) and place.key(name, INDEX) in folders[name]}
    kept = retention.keeps(complete, now)
    # Unfinished: a backup being written (`.NAME.partial` beside local backups, a folder without index.json
    # in a bucket) or one that died; a backup takes minutes, so one started over `grace` ago is a left-over.
    unfinished = sorted(folder for folder in folders if folder not in complete
                        and (when := backup_time(folder.removeprefix(".").removesuffix(".partial")))
                        and now - when > grace)
    needed = {place.key(object_key(sha)) for name in kept for sha in _manifest_hashes(place, name)}
    # A running backup copies its new files into objects/ before it publishes the manifest naming them, so
    # a file no manifest names may be one it has just copied: only files older than `grace` go. (It may
    # also reuse an old file only deleted backups named, when the same bytes are uploaded again; should
    # pruning delete it meanwhile, that one backup lacks the file and the next run copies it again.
    # `statex backup --prune` runs the two in turn, so the CronJob never races itself.)
    garbage = {key: size for key, (size, modified) in objects.items() if key not in needed and now - modified > grace}
    dropped = sorted(set(complete) - kept)
    gone = dropped + unfinished
    freed = sum(garbage.values()) + sum(size for name in gone for size in folders[name].values())
    total = sum(size for files in folders.values() for size in files.values()) + sum(s for s, _ in objects.values())
    if not dry_run:
        for name in gone:
            _delete_folder(place, name, folders[name])
        for key in garbage:
            place.storage.delete(key)
    return Pruned(sorted(kept), dropped, unfinished, len(objects) - len(garbage), len(garbage), total - freed, freed)


def _contents(place: Place) -> tuple[dict[str, dict[str, int]], dict[str, tuple[int, datetime]]]:
    """The place's folders ({folder: {key: size}}) and stored files ({key: (size, last modified)})."""
    folders: dict[str, dict[str, int]] = {}
    objects: dict[str, tuple[int, datetime]] = {}
    for key, size, modified in place.storage.list(place.prefix):
        top, _, rest = key.removeprefix(place.prefix).partition("/")
        if top == "objects":
            objects[key] = (size, modified)
        elif rest:
            folders.setdefault(top, {})[key] = size
    return folders, objects


def _manifest_hashes(place: Place, name: str) -> set[str]:
    """The sha256 of every file backup `name` holds; an unreadable manifest stops pruning before it deletes."""
    try:
        return {entry["sha256"] for entry in _read_json(place, name, MANIFEST)["objects"]}
    except Exception as error:  # noqa: BLE001  (any failure: deleting files it may need would be worse)
        raise BackupError(f"cannot read the manifest of backup {name} ({type(error).__name__}: {error}); "
                          "nothing was pruned: repair or remove that backup by hand") from error


def _delete_folder(place: Place, name: str, keys: dict[str, int]) -> None:
    if place.folder is not None:
        shutil.rmtree(place.folder / name, ignore_errors=True)
        return
    for key in keys:
        place.storage.delete(key)
