"""Real protocol peers on loopback for the third-party services the product talks to, one place for all.

SMTP (aiosmtpd), webhooks over HTTP(S) and UDP (apprise's targets, syslog), an OpenAI-compatible
transcription server and chat-completions server, and what the tests need of moto's S3 server.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import json
import socket
import ssl
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.helpers import free_port

SMTP_USER, SMTP_PASSWORD = "statex", "mail-secret"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                  "AWS_DEFAULT_REGION": "us-east-1"}



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

            def do_GET(self):  # noqa: N802  (what a redirect followed by GET would ask)
                peer.requests.append({"path": self.path, "headers": dict(self.headers), "json": {}})
                self.send_response(peer.status)
                self.end_headers()

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


class TlsWebhookPeer(WebhookPeer):
    """The webhook over HTTPS, with a certificate for `names` from a test CA (`ca`, a trustme.CA)."""

    def __init__(self, ca, names: tuple[str, ...] = ("localhost",)):
        super().__init__()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(*names).configure_cert(context)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)


class RedirectPeer(WebhookPeer):
    """A webhook that answers every POST with 302 to `location` (a metadata service, say) and keeps the request."""

    def __init__(self, location: str):
        super().__init__(status=302)
        self.location = location
        handler = self._server.RequestHandlerClass
        peer = self

        class Redirecting(handler):
            def send_response(self, code, message=None):
                super().send_response(code, message)
                self.send_header("Location", peer.location)

        self._server.RequestHandlerClass = Redirecting


class UdpPeer:
    """A UDP socket on loopback that keeps every datagram (syslog's transport)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def received(self, wait: float = 0.5) -> list[bytes]:
        self.sock.settimeout(wait)
        datagrams = []
        try:
            while True:
                datagrams.append(self.sock.recv(65536))
        except (TimeoutError, socket.timeout):
            return datagrams

    def stop(self) -> None:
        self.sock.close()


class Whisper(ThreadingHTTPServer):
    """An OpenAI-compatible transcription server: answers queued (status, body) pairs, records requests."""

    def __init__(self, handler: type[BaseHTTPRequestHandler] | None = None):
        super().__init__(("127.0.0.1", 0), handler or WhisperHandler)
        self.answers: list[tuple[int, object]] = []
        self.requests: list[dict] = []
        self.stall = threading.Event()  # set: hold every answer back until the test ends
        self.released = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def start(self) -> "Whisper":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.shutdown()
        self.server_close()


class WhisperHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802  (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        fields = {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
                  for part in message.iter_parts()}
        self.server.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                     "fields": fields})
        if self.server.stall.is_set():
            self.server.released.wait(30)  # no answer until the test is over: the client gives up first
            return
        status, answer = self.server.answers.pop(0)
        payload = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class FakeLLM:
    """A chat-completions server that answers each request with the next scripted reply.

    A reply is ("content", text), ("status", code) or ("sleep", seconds): no answer until then or the stop.
    """

    def __init__(self):
        self.replies: list = []
        self.requests: list[dict] = []
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                kind, value = fake.replies.pop(0) if fake.replies else ("content", "{}")
                if kind == "sleep":
                    fake.release.wait(value)
                    return  # the client gave up long ago
                if kind == "status":
                    return self._send(value, {"error": {"message": f"scripted failure {value}"}})
                self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": "fake-model-1",
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": value}}]})

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def s3_keys(endpoint: str, bucket: str) -> list[str]:
    """The keys in a bucket of the S3 server at `endpoint` (moto's, started by the `s3_endpoint` fixture)."""
    listing = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]
