"""The way out for apprise: every connection a plugin opens goes through a checked, pinned relay.

Apprise's plugins call `requests` themselves, and requests offers one supported hook into where
a connection goes: the proxy it reads from the environment. So for the span of one send we run
a small HTTP proxy on loopback and point HTTP(S)_PROXY at it. For each connection the proxy
resolves the host once, drops every address the filter refuses and connects to an approved one
by its address (so a DNS answer cannot change between the check and the connection), and relays
bytes: TLS still runs end to end between the plugin and the service, checked against the
service's name. With `private_hosts` off (production) the filter is apprise's own
`is_public_ip_address`: no loopback, private, link-local, reserved, CGN, mapped or NAT64 form of
them. (Apprise's `HTTPPolicy` does the same, but resolves in a thread pool made at import, which
a forked RQ work horse inherits dead.) Redirects are off in the plugin (AppriseAsset.http_redirects), and a
redirect followed anyway would come back through the proxy and be checked the same way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import socket
import socketserver
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

from apprise.utils.http import is_public_ip_address

log = logging.getLogger(__name__)
TIMEOUT = 30
MAX_HEAD = 65536
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
BYPASS_VARIABLES = ("NO_PROXY", "no_proxy")
REFUSED = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
UNREACHABLE = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
ESTABLISHED = b"HTTP/1.1 200 Connection established\r\n\r\n"


class NotAllowed(OSError):
    """The host has no address we may connect to."""


class Relay(socketserver.ThreadingTCPServer):
    """A loopback proxy that connects only to approved addresses; `refused` names whom it turned away."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, private_hosts: bool):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.private_hosts = private_hosts
        self.refused: list[str] = []

    def connect(self, host: str, port: int) -> socket.socket:
        """A socket connected to an approved address of `host`, resolved once; NotAllowed if none is."""
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        approved = [answer for answer in answers
                    if self.private_hosts or is_public_ip_address(answer[4][0].split("%")[0])]
        if not approved:
            raise NotAllowed(f"{host} has no public address")
        error: OSError | None = None
        for family, kind, proto, _name, address in approved:
            sock = socket.socket(family, kind, proto)
            sock.settimeout(TIMEOUT)
            try:
                sock.connect(address)
                return sock
            except OSError as failure:
                sock.close()
                error = failure
        raise error

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            self._relay()
        except OSError:  # the plugin gave up or the service hung up: its own error says so
            pass

    def _relay(self) -> None:
        client: socket.socket = self.request
        client.settimeout(TIMEOUT)
        head, rest = _read_head(client)
        if head is None:
            return
        method, target, version = (head.split(b"\r\n", 1)[0].decode("latin-1").split(" ") + ["", ""])[:3]
        host, port, first = _destination(method, target, version, head)
        if host is None:
            client.sendall(REFUSED)
            return
        try:
            upstream = self.server.connect(host, port)
        except NotAllowed:
            log.warning("refused a connection to %s:%s: not a public address", host, port)
            self.server.refused.append(f"{host}:{port}")
            client.sendall(REFUSED)
            return
        except OSError:  # down or unknown: worth another try later
            client.sendall(UNREACHABLE)
            return
        with upstream:
            if method == "CONNECT":
                client.sendall(ESTABLISHED)
            else:
                upstream.sendall(first + rest)
            _pipe(client, upstream)


def _read_head(client: socket.socket) -> tuple[bytes | None, bytes]:
    """The request line and headers, and whatever of the body came with them."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n", rest


def _destination(method: str, target: str, version: str, head: bytes) -> tuple[str | None, int, bytes]:
    """Where a proxied request goes, and (for plain HTTP) the request to send there."""
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        return (host.strip("[]") or None), int(port or 443), b""
    url = urlsplit(target)
    if url.scheme != "http" or not url.hostname:
        return None, 0, b""
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    headers = [line for line in head.split(b"\r\n")[1:] if line
               and not line.lower().startswith((b"proxy-", b"connection:", b"keep-alive:"))]
    # One request per connection: the next one is checked again when it asks for its own.
    first = b"\r\n".join([f"{method} {path} {version}".encode("latin-1"), *headers, b"Connection: close", b"", b""])
    return url.hostname, url.port or 80, first


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    with selectors.DefaultSelector() as selector:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        while True:
            events = selector.select(TIMEOUT)
            if not events:
                return
            for key, _mask in events:
                try:
                    data = key.fileobj.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                key.data.sendall(data)


@contextlib.contextmanager
def guarded(private_hosts: bool) -> Iterator[Relay]:
    """Route this process's HTTP(S) through a fresh relay while the block runs (one send at a time)."""
    relay = Relay(private_hosts)
    thread = threading.Thread(target=relay.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    saved = {name: os.environ.get(name) for name in PROXY_VARIABLES + BYPASS_VARIABLES}
    try:
        for name in PROXY_VARIABLES:
            os.environ[name] = relay.url
        for name in BYPASS_VARIABLES:
            os.environ.pop(name, None)
        yield relay
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        relay.shutdown()
        relay.server_close()
