"""`statex site publish` against an S3-compatible server on loopback (moto in server mode)."""

from __future__ import annotations

import socket

import boto3
import pytest
from click.testing import CliRunner
from moto.server import ThreadedMotoServer

from cli.site import site_group
from cli.site.publish import CACHE_HTML, CACHE_IMMUTABLE, publish

BUCKET = "statex-site"


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on a free loopback port, for this module."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    """A client of the moto server with an empty bucket; the environment points the CLI at it."""
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1"), ("S3_ENDPOINT_URL", s3_endpoint)):
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    yield client
    keys = [{"Key": o["Key"]} for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    if keys:
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": keys})
    client.delete_bucket(Bucket=BUCKET)


def head(client, key):
    """ContentType and CacheControl of an uploaded object."""
    response = client.head_object(Bucket=BUCKET, Key=key)
    return response["ContentType"], response["CacheControl"]


def test_publish_sets_types_and_caching_and_removes_stale_files(s3, prod_site):
    s3.put_object(Bucket=BUCKET, Key="www/old-page/index.html", Body=b"gone")
    s3.put_object(Bucket=BUCKET, Key="elsewhere.txt", Body=b"not ours")

    report = publish(prod_site, BUCKET, "www", client=s3)

    assert report.deleted == 1 and report.uploaded > 50
    assert head(s3, "www/index.html") == ("text/html; charset=utf-8", CACHE_HTML)
    css = next(p for p in (prod_site / "theme" / "css").iterdir()).name
    assert head(s3, f"www/theme/css/{css}") == ("text/css; charset=utf-8", CACHE_IMMUTABLE)
    assert head(s3, "www/feeds/cs.atom.xml")[0] == "application/atom+xml; charset=utf-8"
    assert head(s3, "www/sitemap.xml")[0] == "application/xml"
    fragment = next((prod_site / "pagefind" / "fragment").iterdir()).name
    assert head(s3, f"www/pagefind/fragment/{fragment}")[1] == CACHE_IMMUTABLE
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert "www/old-page/index.html" not in keys and "elsewhere.txt" in keys


def test_publish_command_skips_unchanged_files(s3, prod_site):
    runner = CliRunner()
    first = runner.invoke(site_group, ["publish", "--bucket", BUCKET, "--output", str(prod_site)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(site_group, ["publish", "--bucket", BUCKET, "--output", str(prod_site)])
    assert second.exit_code == 0, second.output
    assert "Uploaded 0," in second.output and "deleted 0" in second.output


def test_publish_command_refuses_a_development_build(s3, dev_site):
    result = CliRunner().invoke(site_group, ["publish", "--bucket", BUCKET, "--output", str(dev_site)])
    assert result.exit_code != 0
    assert "development build" in result.output
