"""Orphan collection: stored objects that no submission file refers to any more are deleted.

Files stored in a transaction that then does not commit are deleted as it ends
(`discard_unless_committed`); the collection finds what that could not delete (storage down, a crash).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from itertools import islice
from typing import Iterable, Iterator

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from statex.config import Settings
from statex.db import session_scope
from statex.models import SubmissionFile
from statex.storage import S3Storage, Storage, storage_for

log = logging.getLogger(__name__)

# Every object Statex stores lives under this prefix (statex.submissions._store); nothing else in a
# shared bucket is ever ours to delete.
PREFIX = "submissions/"
BATCH = 500


def discard_unless_committed(session: Session, storage: Storage) -> list[str]:
    """A list for the keys of files stored in `session`'s transaction: they are deleted unless it commits."""
    keys: list[str] = []
    session.info.setdefault("stored_files", []).append((storage, keys))
    return keys


@event.listens_for(Session, "after_commit")
def _keep_stored(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop("stored_files", None)


@event.listens_for(Session, "after_transaction_end")
def _discard_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for storage, keys in session.info.pop("stored_files", []):
            discard(storage, keys)


def discard(storage: Storage, keys: list[str]) -> None:
    """Delete what was stored for a change that did not commit; the collection gets what this cannot."""
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001  (storage is down: keep the first error, leave this to the collection)
            log.warning("could not delete %s; orphan collection will", key, exc_info=True)
    keys.clear()


def collect_orphans(settings: Settings, older_than: timedelta = timedelta(hours=1),
                    dry_run: bool = False) -> list[str]:
    """Delete (or only list, on a dry run) unreferenced objects older than `older_than`; returns their keys.

    An object younger than the grace period may belong to an upload whose row is not committed
    yet, so it is never an orphan, whatever the database says. On S3, multipart uploads begun
    before the grace period and never completed (a cut connection) are aborted too, and their keys
    returned with the rest.
    """
    storage = storage_for(settings)
    cutoff = datetime.now(timezone.utc) - older_than
    # Listing before asking the database: a row committed meanwhile is seen, never missed.
    candidates = (key for key, _size, modified in storage.list(PREFIX) if modified < cutoff)
    orphans = []
    for batch in _batches(candidates, BATCH):
        orphans += sorted(set(batch) - _referenced(settings, batch))
    if not dry_run:
        _delete(storage, orphans)
    return orphans + _stale_uploads(storage, cutoff, dry_run)


def _referenced(settings: Settings, keys: list[str]) -> set[str]:
    """Which of these keys a submission file refers to."""
    with session_scope(settings.database_url) as session:
        return set(session.scalars(select(SubmissionFile.storage_key).where(SubmissionFile.storage_key.in_(keys))))


def _delete(storage: Storage, keys: list[str]) -> None:
    for key in keys:
        storage.delete(key)
        log.info("deleted orphaned object %s", key)


def _stale_uploads(storage: Storage, cutoff: datetime, dry_run: bool) -> list[str]:
    """Abort S3 multipart uploads begun before `cutoff`: their parts are stored and billed, but no object."""
    if not isinstance(storage, S3Storage):
        return []
    keys = []
    for page in storage.client.get_paginator("list_multipart_uploads").paginate(Bucket=storage.bucket,
                                                                                 Prefix=PREFIX):
        for upload in page.get("Uploads", []):
            if upload["Initiated"] < cutoff:
                keys.append(upload["Key"])
                if not dry_run:
                    storage.client.abort_multipart_upload(Bucket=storage.bucket, Key=upload["Key"],
                                                          UploadId=upload["UploadId"])
                    log.info("aborted incomplete upload of %s", upload["Key"])
    return keys


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
