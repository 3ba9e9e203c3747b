"""deploy/nginx/statex.conf: accepted by nginx, and in front of a real Statex web process it routes,
caches, limits and streams as promised."""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, FINGERPRINTED
from tests.helpers import free_port, wait_until

IMMUTABLE = "public, max-age=31536000, immutable"


def _nginx() -> str:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx is not installed (deploy/local/services.sh installs it)")
    return binary


def _wrapper(prefix: Path, listen_port: int, upstream_port: int) -> Path:
    """A whole nginx.conf around statex.conf, as the official image's conf.d/ includes it."""
    conf = (DEPLOY / "nginx" / "statex.conf").read_text()
    # The one line that differs on a test machine: where nginx listens.
    assert conf.count("listen 8080;") == 1
    (prefix / "statex.conf").write_text(conf.replace("listen 8080;", f"listen 127.0.0.1:{listen_port};"))
    upstream = (DEPLOY / "nginx" / "upstream.conf").read_text()
    assert "server web:8000;" in upstream
    (prefix / "upstream.conf").write_text(upstream.replace("web:8000", f"127.0.0.1:{upstream_port}"))
    (prefix / "logs").mkdir(exist_ok=True)
    wrapper = prefix / "nginx.conf"
    temp_paths = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in
                          ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    wrapper.write_text(f"""
        pid {prefix / 'nginx.pid'};
        error_log {prefix / 'logs' / 'error.log'};
        events {{ worker_connections 64; }}
        http {{
            access_log {prefix / 'logs' / 'access.log'};
            {temp_paths}
            include {prefix / 'upstream.conf'};
            include {prefix / 'statex.conf'};
        }}
    """)
    return wrapper


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_nginx_accepts_the_configuration(tmp_path):
    wrapper = _wrapper(tmp_path, free_port(), free_port())
    result = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(wrapper)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def edge(tmp_path, web_port):
    """(nginx port) with nginx in front of a real Statex web app serving a small built site."""
    port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    wrapper = _wrapper(prefix, port, web_port)
    nginx = subprocess.Popen([_nginx(), "-p", str(prefix), "-c", str(wrapper), "-g", "daemon off;"])
    try:
        wait_until(lambda: _listening(port), timeout=30, every=0.05, message=f"nginx on port {port}")
        yield port
    finally:
        nginx.terminate()
        nginx.wait(10)


def _get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    return response


def test_fingerprinted_assets_are_cached_for_a_year_and_immutable(edge):
    response = _get(edge, FINGERPRINTED)
    assert response.status == 200
    assert response.headers.get_all("Cache-Control") == [IMMUTABLE]


def test_html_and_plain_assets_get_a_short_cache(edge):
    page = _get(edge, "/")
    assert page.status == 200
    assert page.headers.get_all("Cache-Control") == ["public, max-age=300, must-revalidate"]
    asset = _get(edge, "/theme/css/statex.css")
    assert asset.headers.get_all("Cache-Control") == ["public, max-age=3600"]


def test_security_headers_appear_once_the_apps_own_policy_kept(edge):
    site = _get(edge, "/")
    assert len(site.headers.get_all("Content-Security-Policy")) == 1
    assert "wasm-unsafe-eval" in site.headers["Content-Security-Policy"], "the site's own policy"
    portal = _get(edge, "/portal/login")
    assert portal.status == 200
    assert len(portal.headers.get_all("Content-Security-Policy")) == 1
    assert "wasm-unsafe-eval" not in portal.headers["Content-Security-Policy"], "the portal's own policy"
    for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert len(portal.headers.get_all(name)) == 1, name


def test_the_portal_api_and_probes_reach_the_app_with_its_cache_headers(edge):
    assert _get(edge, "/healthz").status == 200
    api = _get(edge, "/api/v1/submissions")
    assert api.status == 401 and api.headers["Content-Type"].startswith("application/problem+json")
    assert "immutable" not in (_get(edge, "/portal/login").headers.get("Cache-Control") or "")


def test_every_response_carries_one_request_id_kept_from_the_caller(edge):
    assert len(_get(edge, "/healthz").headers.get_all("X-Request-ID")) == 1
    offered = _get(edge, "/healthz", {"X-Request-ID": "edge-test-0001"})
    assert offered.headers.get_all("X-Request-ID") == ["edge-test-0001"]
    assert b"X-Request-ID: " in _send_head(edge, "/", 2 * 1024 * 1024), "nginx's own replies too"


def _send_head(port: int, path: str, length: int, body: bytes = b"", extra: str = "") -> bytes:
    """Send a POST's head (and the start of its body) and return the reply nginx or the app sends."""
    with socket.create_connection(("127.0.0.1", port), timeout=90) as sock:
        head = (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: {length}\r\n{extra}Connection: close\r\n\r\n")
        sock.sendall(head.encode() + body)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
        return reply


def test_uploads_beyond_the_submission_limit_are_refused_at_the_door(edge):
    reply = _send_head(edge, "/portal/submissions/new", 200 * 1024 * 1024)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:80]
    assert b"X-Content-Type-Options: nosniff" in reply, "nginx's own pages get the default headers"
    within = _send_head(edge, "/api/v1/submissions", 100 * 1024 * 1024, b"x" * 1024)
    assert not within.startswith(b"HTTP/1.1 413")


def test_the_site_takes_no_large_bodies(edge):
    assert _send_head(edge, "/", 2 * 1024 * 1024).startswith(b"HTTP/1.1 413")


def test_upload_bodies_stream_to_the_app_as_they_arrive(edge):
    """The app answers (401: no token) after the first kilobyte of a 100 MB body: nginx did not wait
    for the whole body before passing the request on, as it would with request buffering."""
    reply = _send_head(edge, "/api/v1/submissions", 100 * 1024 * 1024, b"x" * 1024)
    assert reply.startswith(b"HTTP/1.1 401"), reply[:80]
