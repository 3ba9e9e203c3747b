"""Real protocol peers on loopback for notification tests: an SMTP server and a webhook receiver."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER, SMTP_PASSWORD = "statex", "mail-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpPeer:
    """aiosmtpd on loopback with AUTH (plain text allowed on loopback); keeps what it receives."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list = []
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{self.port}/"

    async def handle_DATA(self, _server, _session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def start(self) -> "SmtpPeer":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, auth_require_tls=False,
                                      authenticator=_authenticate)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def _authenticate(_server, _session, _envelope, mechanism, data):
    ok = (mechanism in ("LOGIN", "PLAIN") and isinstance(data, LoginPassword)
          and data.login.decode() == SMTP_USER and data.password.decode() == SMTP_PASSWORD)
    return AuthResult(success=ok)


class WebhookPeer:
    """A threaded HTTP server that records every JSON body POSTed to it (apprise's json:// and ntfy://)."""

    def __init__(self, status: int = 200):
        self.requests: list[dict] = []
        self.status = status
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(body or b"{}")
                except ValueError:
                    payload = {"raw": body.decode(errors="replace")}
                peer.requests.append({"path": self.path, "headers": dict(self.headers), "json": payload})
                self.send_response(peer.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            do_PUT = do_POST

            def log_message(self, *_args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, scheme: str = "json", path: str = "hook") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{path}"

    def start(self) -> "WebhookPeer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
