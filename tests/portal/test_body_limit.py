"""A body larger than any submission may be is refused from its Content-Length, by the real server, unread."""

from __future__ import annotations

import socket

import pytest

from statex.config import load_settings
from statex.uploads import Limits
from tests.live import WebProcess


@pytest.fixture
def web(settings):
    server = WebProcess()
    yield server
    server.stop()


def _send_head(port: int, path: str, length: int, extra: str = "") -> bytes:
    """Send a POST's head and 64 KB of its body, then read what the server answers, without sending more."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
            f"Content-Type: multipart/form-data; boundary=x\r\n{extra}\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(head.encode() + b"x" * 65536)
        reply = b""
        while not reply.endswith(b"\r\n\r\n") or b"</html>" not in reply and b"}" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
        return reply


def test_the_limit_is_what_the_upload_settings_need():
    limits = Limits.from_settings(load_settings())
    assert limits.max_total_bytes < limits.max_body_bytes < limits.max_total_bytes + 2 * 1024 * 1024


def test_an_oversized_upload_to_the_api_is_refused_with_a_problem_before_it_is_sent(web):
    reply = _send_head(web.port, "/api/v1/submissions", 300 * 1024 * 1024, "Authorization: Bearer nope\r\n")
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"application/problem+json" in reply
    assert b"The request is 300.0 MB; we take at most 100.3 MB at once" in reply


def test_an_oversized_form_in_the_portal_gets_a_page_saying_what_fits(web):
    reply = _send_head(web.port, "/portal/submissions/new", 300 * 1024 * 1024)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"text/html" in reply
    assert b"up to 10 files of 25.0 MB each, 100.0 MB together" in reply
