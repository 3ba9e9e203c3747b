"""Object storage for uploaded files: a local folder by default, S3-compatible when configured."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol
from urllib.parse import quote

from statex.config import Settings

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


class Storage(Protocol):
    def put(self, key: str, stream: BinaryIO, content_type: str | None = None) -> Stored: ...
    def open(self, key: str) -> Iterator[bytes]: ...
    def reader(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def check(self) -> None: ...
    def list(self, prefix: str = "") -> Iterator[tuple[str, int, datetime]]: ...


class _Hashing:
    """Wraps a stream and hashes what is read through it, so nothing is read twice."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


class LocalStorage:
    """Files in a folder; keys are relative paths made by Statex, never by users."""

    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the storage folder: {key!r}")
        return path

    def path(self, key: str) -> Path:
        """Where the object lives on disk (the portal serves it with range requests)."""
        return self._path(key)

    def put(self, key: str, stream: BinaryIO, content_type: str | None = None) -> Stored:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        hashing = _Hashing(stream)
        with partial.open("wb") as out:
            shutil.copyfileobj(hashing, out, CHUNK)
        partial.replace(path)
        return Stored(key, hashing.size, hashing.digest.hexdigest())

    def open(self, key: str) -> Iterator[bytes]:
        with self._path(key).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def reader(self, key: str) -> BinaryIO:
        """A readable file object; the caller closes it."""
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, datetime]]:
        """(key, size, last modified) of every object whose key starts with `prefix`, unordered."""
        root = self.root.resolve()
        if not root.is_dir():
            return
        for path in root.rglob("*"):
            key = path.relative_to(root).as_posix()
            if not key.startswith(prefix) or path.is_symlink():
                continue
            try:
                status = path.stat()
            except FileNotFoundError:  # renamed or deleted while we walked
                continue
            if path.is_file():
                yield key, status.st_size, datetime.fromtimestamp(status.st_mtime, timezone.utc)

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / ".ready"
        probe.write_bytes(b"ok")
        probe.unlink()


class S3Storage:
    """Files in an S3-compatible bucket through boto3, streamed in multipart chunks."""

    def __init__(self, bucket: str, endpoint_url: str | None = None):
        import boto3
        from botocore.config import Config

        from boto3.s3.transfer import TransferConfig

        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url,
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        )
        # The hashing wrapper is read in order: parts of S3's smallest size (5 MB), four in flight,
        # so a 1 GiB upload holds tens of MB, not hundreds.
        self.transfer = TransferConfig(multipart_threshold=8 * CHUNK, multipart_chunksize=5 * CHUNK,
                                       max_concurrency=4)
        self.transfer.max_in_memory_upload_chunks = 4  # s3transfer's knob; boto3 does not take it as an argument

    def put(self, key: str, stream: BinaryIO, content_type: str | None = None) -> Stored:
        hashing = _Hashing(stream)
        extra = {"ContentType": content_type} if content_type else None
        self.client.upload_fileobj(hashing, self.bucket, key, ExtraArgs=extra, Config=self.transfer)
        return Stored(key, hashing.size, hashing.digest.hexdigest())

    def open(self, key: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        yield from body.iter_chunks(CHUNK)

    def reader(self, key: str) -> BinaryIO:
        """A readable stream of the object's body; the caller closes it."""
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError:
            return False
        return True

    def presigned_url(self, key: str, filename: str, expires: int = 60,
                      content_type: str = "application/octet-stream", inline: bool = False) -> str:
        """A short-lived link; the browser saves the file unless `inline` asks to show it."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": content_type,
                    "ResponseContentDisposition": content_disposition(filename, inline)},
            ExpiresIn=expires,
        )

    def list(self, prefix: str = "") -> Iterator[tuple[str, int, datetime]]:
        """(key, size, last modified) of every object whose key starts with `prefix`, by key."""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"], item["Size"], item["LastModified"]

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)


def content_disposition(filename: str, inline: bool = False) -> str:
    """A Content-Disposition header value (RFC 6266) that keeps non-ASCII names intact."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def storage_for(settings: Settings) -> Storage:
    """The storage the settings ask for."""
    if settings.uses_s3:
        return S3Storage(settings.s3_bucket, settings.s3_endpoint_url)
    return LocalStorage(settings.storage_dir)
