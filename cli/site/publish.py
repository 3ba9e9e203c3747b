"""`statex site publish`: mirror the built site into an S3 bucket with the right headers."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

import boto3

# Names that change whenever their content does: ours (statex.1a2b3c4d5e.css) and Pagefind's index files.
FINGERPRINTED = re.compile(r"(\.[0-9a-f]{10}\.[a-z0-9]+$|^pagefind/(fragment|index)/|\.pf_meta$)")
CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_HTML = "public, max-age=300, must-revalidate"
CACHE_OTHER = "public, max-age=3600"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".pagefind": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
}


@dataclass
class PublishReport:
    """What one publish did."""

    uploaded: int = 0
    unchanged: int = 0
    deleted: int = 0


def content_type(name: str) -> str:
    """The Content-Type of a published file."""
    if name.endswith(".atom.xml"):
        return "application/atom+xml; charset=utf-8"
    suffix = Path(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(name: str) -> str:
    """Long and immutable for fingerprinted assets, short for HTML, an hour for the rest."""
    if FINGERPRINTED.search(name):
        return CACHE_IMMUTABLE
    if name.endswith(".html") or name.endswith(".xml") or name.endswith(".txt"):
        return CACHE_HTML
    return CACHE_OTHER


def s3_client():
    """A boto3 S3 client for Settings.s3_endpoint_url (or AWS itself), credentials from the usual places."""
    from statex.config import load_settings

    return boto3.client("s3", endpoint_url=load_settings().s3_endpoint_url)


def existing_objects(client, bucket: str, prefix: str) -> dict[str, str]:
    """Every key under the prefix with its ETag (the MD5 of single-part uploads)."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["ETag"].strip('"')
    return found


def publish(output: Path, bucket: str, prefix: str = "", client=None) -> PublishReport:
    """Upload new and changed files from `output`, then delete keys the build no longer has."""
    client = client or s3_client()
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    remote = existing_objects(client, bucket, prefix)
    report = PublishReport()
    wanted = set()
    for path in sorted(p for p in Path(output).rglob("*") if p.is_file()):
        name = path.relative_to(output).as_posix()
        key = prefix + name
        wanted.add(key)
        body = path.read_bytes()
        if remote.get(key) == hashlib.md5(body).hexdigest():
            report.unchanged += 1
            continue
        client.put_object(Bucket=bucket, Key=key, Body=body,
                          ContentType=content_type(name), CacheControl=cache_control(name))
        report.uploaded += 1
    stale = sorted(set(remote) - wanted)
    for start in range(0, len(stale), 1000):
        batch = [{"Key": key} for key in stale[start:start + 1000]]
        client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    report.deleted = len(stale)
    return report
